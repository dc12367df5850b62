package dev.wasm2jvm.compiler.debug;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of one line number program (DWARF 5 section 6.2.4, and its version 2 to 4
 * predecessors): what the special opcodes mean, and the file names the program's {@code file}
 * register indexes. Directories are read past: only file names are reported.
 *
 * @param version the program's DWARF version, 2 to 5
 * @param minimumInstructionLength {@code minimum_instruction_length}
 * @param maximumOperationsPerInstruction {@code maximum_operations_per_instruction}, 1 before version 4
 * @param lineBase {@code line_base}
 * @param lineRange {@code line_range}
 * @param opcodeBase {@code opcode_base}
 * @param standardOpcodeLengths {@code standard_opcode_lengths}: the ULEB128 operand count of opcode
 *     {@code i + 1}
 * @param fileNames the {@code file_names} paths, as recorded
 */
record LineProgramHeader(int version, int minimumInstructionLength, int maximumOperationsPerInstruction,
                         int lineBase, int lineRange, int opcodeBase, int[] standardOpcodeLengths,
                         List<String> fileNames) {

    LineProgramHeader {
        fileNames = List.copyOf(fileNames);
    }

    /**
     * Reads the header fields that follow {@code version}, leaving {@code unit} at the first opcode.
     * The program starts where {@code header_length} says, past any fields a producer added.
     */
    static LineProgramHeader read(DwarfReader unit, int version, StringSections strings) {
        if (version >= 5) {
            unit.u8(); // address_size: each DW_LNE_set_address operand has its own length
            if (unit.u8() != 0) throw new DwarfFormatException("segmented addresses");
        }
        DwarfReader in = unit.slice(unit.u32());
        int minimumInstructionLength = in.u8();
        int maximumOperationsPerInstruction = version >= 4 ? in.u8() : 1;
        if (maximumOperationsPerInstruction == 0) throw new DwarfFormatException("maximum_operations_per_instruction is 0");
        in.u8(); // default_is_stmt: statement boundaries do not matter for source lines
        int lineBase = in.s8();
        int lineRange = in.u8();
        if (lineRange == 0) throw new DwarfFormatException("line_range is 0");
        int opcodeBase = in.u8();
        if (opcodeBase == 0) throw new DwarfFormatException("opcode_base is 0");
        int[] standardOpcodeLengths = new int[opcodeBase - 1];
        for (int i = 0; i < standardOpcodeLengths.length; i++) standardOpcodeLengths[i] = in.u8();
        List<String> fileNames = version >= 5 ? entries(in, strings) : legacyFileNames(in);
        return new LineProgramHeader(version, minimumInstructionLength, maximumOperationsPerInstruction, lineBase,
                lineRange, opcodeBase, standardOpcodeLengths, fileNames);
    }

    /** The index of the first entry of {@code file_names}: 0 from version 5, 1 before. */
    int firstFileIndex() {
        return version >= 5 ? 0 : 1;
    }

    /** Version 5: a directory entry format and directories, then a file name entry format and files. */
    private static List<String> entries(DwarfReader in, StringSections strings) {
        EntryFormat directoryFormat = EntryFormat.read(in);
        int directories = in.ulebInt();
        for (int i = 0; i < directories; i++) directoryFormat.readPath(in, strings);
        EntryFormat fileFormat = EntryFormat.read(in);
        int files = in.ulebInt();
        List<String> fileNames = new ArrayList<>();
        for (int i = 0; i < files; i++) fileNames.add(fileFormat.readPath(in, strings));
        return fileNames;
    }

    /** Versions 2 to 4: {@code include_directories} and {@code file_names}, each ended by an empty name. */
    private static List<String> legacyFileNames(DwarfReader in) {
        String directory;
        do directory = in.cstring(); while (!directory.isEmpty());
        List<String> fileNames = new ArrayList<>();
        for (String name = in.cstring(); !name.isEmpty(); name = in.cstring()) {
            fileNames.add(name);
            skipFileAttributes(in);
        }
        return fileNames;
    }

    /** The directory index, modification time and length after a version 2 to 4 file name. */
    private static void skipFileAttributes(DwarfReader in) {
        in.uleb();
        in.uleb();
        in.uleb();
    }
}
