package dev.wasm2jvm.compiler.debug;

/**
 * A DWARF 5 directory or file name entry format (section 6.2.4.1): the content type and form of each
 * field of the entries that follow it. Only the path is kept; the other fields are read past.
 */
final class EntryFormat {
    static final int DW_LNCT_path = 0x1;

    static final int DW_FORM_block = 0x09;
    static final int DW_FORM_data1 = 0x0b;
    static final int DW_FORM_data2 = 0x05;
    static final int DW_FORM_data4 = 0x06;
    static final int DW_FORM_data8 = 0x07;
    static final int DW_FORM_data16 = 0x1e;
    static final int DW_FORM_line_strp = 0x1f;
    static final int DW_FORM_string = 0x08;
    static final int DW_FORM_strp = 0x0e;
    static final int DW_FORM_udata = 0x0f;

    private final int[] contentTypes;
    private final int[] forms;

    private EntryFormat(int[] contentTypes, int[] forms) {
        this.contentTypes = contentTypes;
        this.forms = forms;
    }

    /** Reads an entry format: its count, then a content type code and a form for each field. */
    static EntryFormat read(DwarfReader in) {
        int count = in.u8();
        int[] contentTypes = new int[count];
        int[] forms = new int[count];
        for (int i = 0; i < count; i++) {
            contentTypes[i] = in.ulebInt();
            forms[i] = in.ulebInt();
        }
        return new EntryFormat(contentTypes, forms);
    }

    /** Reads one entry in this format and returns its path. */
    String readPath(DwarfReader in, StringSections strings) {
        String path = null;
        for (int i = 0; i < forms.length; i++) {
            if (contentTypes[i] == DW_LNCT_path) {
                path = string(in, forms[i], strings);
            } else {
                skip(in, forms[i]);
            }
        }
        if (path == null) throw new DwarfFormatException("entry without a DW_LNCT_path");
        return path;
    }

    private static String string(DwarfReader in, int form, StringSections strings) {
        return switch (form) {
            case DW_FORM_string -> in.cstring();
            case DW_FORM_line_strp -> DwarfReader.stringAt(strings.debugLineStr(), in.u32());
            case DW_FORM_strp -> DwarfReader.stringAt(strings.debugStr(), in.u32());
            default -> throw new DwarfFormatException("unsupported form for a path: 0x" + Integer.toHexString(form));
        };
    }

    private static void skip(DwarfReader in, int form) {
        switch (form) {
            case DW_FORM_string -> in.cstring();
            case DW_FORM_line_strp, DW_FORM_strp, DW_FORM_data4 -> in.skip(4);
            case DW_FORM_udata -> in.uleb();
            case DW_FORM_data1 -> in.skip(1);
            case DW_FORM_data2 -> in.skip(2);
            case DW_FORM_data8 -> in.skip(8);
            case DW_FORM_data16 -> in.skip(16);
            case DW_FORM_block -> in.skip(in.uleb());
            default -> throw new DwarfFormatException("unsupported form in an entry format: 0x" + Integer.toHexString(form));
        }
    }
}
