package dev.wasm2jvm.compiler.debug;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Line number programs written by hand, for what the toolchains here do not produce: DWARF 2 and 3
 * headers, an opcode_base below 13, DW_LNE_define_file, DW_FORM_strp paths, opcodes unknown to the
 * decoder, units in formats it skips, and sequences of functions a linker discarded.
 */
class LineProgramTest {
    /** Where the code section's content starts in {@link #module}'s output. */
    private static final int CODE = 20;
    /** The code address of the module's first instruction: past the function count, body size and locals. */
    private static final int FIRST_INSTRUCTION = 3;
    private static final int NOPS = 40;

    private static final int LINE_BASE = -5;
    private static final int LINE_RANGE = 14;

    @Test
    void dwarf2WithOpcodeBase10AndDefineFile() {
        int opcodeBase = 10;
        DwarfBytes program = new DwarfBytes()
                .extended(LineProgram.DW_LNE_set_address, address(3))
                .u8(LineProgram.DW_LNS_advance_line).sleb(9)
                .u8(LineProgram.DW_LNS_copy)                       // 3: line 10
                .u8(special(opcodeBase, 2, 1))                     // 5: line 11
                .u8(LineProgram.DW_LNS_const_add_pc)               // + (255 - 10) / 14 = 17
                .u8(LineProgram.DW_LNS_fixed_advance_pc).u16(3)    // 25
                .u8(special(opcodeBase, 0, 2))                     // 25: line 13
                .u8(12)                                            // special: 25, line 10, replacing line 13
                .extended(LineProgram.DW_LNE_define_file, new DwarfBytes().cstring("gen.c").uleb(0).uleb(0).uleb(0).toByteArray())
                .u8(LineProgram.DW_LNS_set_file).uleb(2)
                .u8(special(opcodeBase, 5, 0))                     // 30: gen.c line 10
                .u8(LineProgram.DW_LNS_advance_pc).uleb(2)
                .extended(LineProgram.DW_LNE_end_sequence, new byte[0]);
        DwarfBytes header = new DwarfBytes()
                .u8(1, 1).u8(LINE_BASE, LINE_RANGE, opcodeBase).u8(0, 1, 1, 1, 1, 0, 0, 0, 1)
                .cstring("src").cstring("")
                .cstring("a.c").uleb(1).uleb(0).uleb(0).cstring("");
        LineTable table = table(Map.of(".debug_line", unit(2, header, program)));

        assertEquals("a.c", table.primaryFile());
        assertEquals(new SourceLine("a.c", 10), table.lookup(CODE + 3));
        assertEquals(new SourceLine("a.c", 10), table.lookup(CODE + 4));
        assertEquals(new SourceLine("a.c", 11), table.lookup(CODE + 5));
        assertEquals(new SourceLine("a.c", 11), table.lookup(CODE + 24));
        assertEquals(new SourceLine("a.c", 10), table.lookup(CODE + 25));
        assertEquals(new SourceLine("gen.c", 10), table.lookup(CODE + 30));
        assertEquals(new SourceLine("gen.c", 10), table.lookup(CODE + 31));
        assertNull(table.lookup(CODE + 32));
    }

    @Test
    void dwarf5WithStrpPathsMd5AndAnUnknownStandardOpcode() {
        int opcodeBase = 14;
        byte[] debugStr = new DwarfBytes().cstring("unused").cstring("/src").cstring("lib/b.c").toByteArray();
        int srcAt = 7;
        int bAt = 12;
        DwarfBytes header = new DwarfBytes()
                .u8(1, 1, 1).u8(LINE_BASE, LINE_RANGE, opcodeBase).u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 2)
                .u8(1).uleb(EntryFormat.DW_LNCT_path).uleb(EntryFormat.DW_FORM_strp)
                .uleb(1).u32(srcAt)
                .u8(4).uleb(EntryFormat.DW_LNCT_path).uleb(EntryFormat.DW_FORM_strp)
                .uleb(2).uleb(EntryFormat.DW_FORM_udata)
                .uleb(3).uleb(EntryFormat.DW_FORM_data4)
                .uleb(5).uleb(EntryFormat.DW_FORM_data16)
                .uleb(2)
                .u32(bAt).uleb(0).u32(0).bytes(new byte[16])
                .u32(bAt + 4).uleb(0).u32(0).bytes(new byte[16]);
        DwarfBytes program = new DwarfBytes()
                .extended(LineProgram.DW_LNE_set_address, address(FIRST_INSTRUCTION))
                .u8(LineProgram.DW_LNS_set_file).uleb(0)
                .u8(special(opcodeBase, 0, 6))                     // 3: lib/b.c line 7
                .u8(13).uleb(300).uleb(1)                          // opcode 13 takes two operands, per the header
                .u8(special(opcodeBase, 4, 1))                     // 7: line 8
                .u8(LineProgram.DW_LNS_set_file).uleb(1)
                .u8(special(opcodeBase, 2, 0))                     // 9: b.c line 8
                .u8(LineProgram.DW_LNS_advance_pc).uleb(1)
                .extended(LineProgram.DW_LNE_end_sequence, new byte[0]);
        LineTable table = table(Map.of(".debug_line", unit(5, header, program), ".debug_str", debugStr));

        assertEquals("b.c", table.primaryFile());
        assertEquals(new SourceLine("lib/b.c", 7), table.lookup(CODE + 3));
        assertEquals(new SourceLine("lib/b.c", 8), table.lookup(CODE + 7));
        assertEquals(new SourceLine("b.c", 8), table.lookup(CODE + 9));
        assertNull(table.lookup(CODE + 10));
    }

    @Test
    void unitsInOtherFormatsAreSkipped() {
        DwarfBytes dwarf64 = new DwarfBytes().u32(0xFFFF_FFFFL).u32(3).u32(0).u8(4, 0, 0);
        DwarfBytes version6 = new DwarfBytes().u32(3).u16(6).u8(0);
        byte[] v3 = unit(3, legacyHeader(3, "c.c"), sequence(FIRST_INSTRUCTION, 4, 2));
        byte[] debugLine = new DwarfBytes().bytes(dwarf64.toByteArray()).bytes(version6.toByteArray()).bytes(v3)
                .toByteArray();
        LineTable table = table(Map.of(".debug_line", debugLine));

        assertEquals("c.c", table.primaryFile());
        assertEquals(new SourceLine("c.c", 4), table.lookup(CODE + FIRST_INSTRUCTION));
    }

    @Test
    void sequencesOfDiscardedFunctionsAreIgnored() {
        DwarfBytes program = new DwarfBytes()
                .bytes(sequence(0, 90, 4).toByteArray())
                .bytes(sequence(0xFFFF_FFFFL, 91, 4).toByteArray())
                .bytes(sequence(FIRST_INSTRUCTION, 5, 2).toByteArray());
        LineTable table = table(Map.of(".debug_line", unit(4, legacyHeader(4, "d.c"), program)));

        assertEquals(new SourceLine("d.c", 5), table.lookup(CODE + FIRST_INSTRUCTION));
        assertNull(table.lookup(CODE));
        assertNull(table.lookup(CODE + 1));
    }

    @Test
    void malformedDebugLineIsIgnored() {
        byte[] good = unit(4, legacyHeader(4, "e.c"), sequence(FIRST_INSTRUCTION, 5, 2));
        assertTrue(tableOf(Map.of(".debug_line", good)).isPresent());
        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            assertTrue(tableOf(Map.of(".debug_line", truncated)).isEmpty(), "truncated to " + length);
        }
        byte[] lineStrPaths = unit(5, new DwarfBytes().u8(1, 1, 1).u8(LINE_BASE, LINE_RANGE, 13)
                .u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1)
                .u8(1).uleb(EntryFormat.DW_LNCT_path).uleb(EntryFormat.DW_FORM_line_strp).uleb(1).u32(0)
                // Two files, as the sequence's rows use the file register's initial value, 1.
                .u8(1).uleb(EntryFormat.DW_LNCT_path).uleb(EntryFormat.DW_FORM_line_strp).uleb(2).u32(0).u32(0),
                sequence(FIRST_INSTRUCTION, 5, 2));
        byte[] debugLineStr = new DwarfBytes().cstring("f.c").toByteArray();
        assertTrue(tableOf(Map.of(".debug_line", lineStrPaths, ".debug_line_str", debugLineStr)).isPresent());
        assertTrue(tableOf(Map.of(".debug_line", lineStrPaths)).isEmpty(), "without .debug_line_str");
    }

    /** A version 2 to 4 header after header_length, naming one file and no directory. */
    private static DwarfBytes legacyHeader(int version, String file) {
        DwarfBytes header = new DwarfBytes().u8(1);
        if (version >= 4) header.u8(1);
        return header
                .u8(1).u8(LINE_BASE, LINE_RANGE, 13).u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1)
                .cstring("")
                .cstring(file).uleb(0).uleb(0).uleb(0).cstring("");
    }

    /** A sequence of one row, {@code line} at {@code address}, ended {@code length} bytes later. */
    private static DwarfBytes sequence(long address, int line, int length) {
        return new DwarfBytes()
                .extended(LineProgram.DW_LNE_set_address, address(address))
                .u8(LineProgram.DW_LNS_advance_line).sleb(line - 1)
                .u8(LineProgram.DW_LNS_copy)
                .u8(LineProgram.DW_LNS_advance_pc).uleb(length)
                .extended(LineProgram.DW_LNE_end_sequence, new byte[0]);
    }

    /**
     * A line number program unit: unit_length, version, for version 5 address_size and
     * segment_selector_size, header_length, then the header's remaining fields and the program.
     */
    private static byte[] unit(int version, DwarfBytes header, DwarfBytes program) {
        DwarfBytes afterLength = new DwarfBytes().u16(version);
        if (version >= 5) afterLength.u8(4, 0);
        afterLength.u32(header.size()).bytes(header.toByteArray()).bytes(program.toByteArray());
        return new DwarfBytes().u32(afterLength.size()).bytes(afterLength.toByteArray()).toByteArray();
    }

    private static int special(int opcodeBase, int addressAdvance, int lineAdvance) {
        int opcode = (lineAdvance - LINE_BASE) + LINE_RANGE * addressAdvance + opcodeBase;
        if (opcode > 255 || lineAdvance < LINE_BASE || lineAdvance >= LINE_BASE + LINE_RANGE) {
            throw new IllegalArgumentException("no special opcode for that advance");
        }
        return opcode;
    }

    private static byte[] address(long address) {
        return new DwarfBytes().u32(address).toByteArray();
    }

    private static LineTable table(Map<String, byte[]> sections) {
        return tableOf(sections).orElseThrow();
    }

    private static Optional<LineTable> tableOf(Map<String, byte[]> sections) {
        return LineTable.of(module(sections));
    }

    /** A module of one function of {@value #NOPS} nops, with the given custom sections after its code. */
    static WasmModule module(Map<String, byte[]> customs) {
        DwarfBytes body = new DwarfBytes().u8(0);
        for (int i = 0; i < NOPS; i++) body.u8(0x01);
        body.u8(0x0B);
        DwarfBytes code = new DwarfBytes().uleb(1).uleb(body.size()).bytes(body.toByteArray());
        DwarfBytes wasm = new DwarfBytes()
                .u8(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00)
                .u8(0x01, 0x04, 0x01, 0x60, 0x00, 0x00)
                .u8(0x03, 0x02, 0x01, 0x00)
                .u8(0x0A).uleb(code.size());
        if (wasm.size() != CODE) throw new IllegalStateException("code section content moved");
        wasm.bytes(code.toByteArray());
        customs.forEach((name, content) -> {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            DwarfBytes section = new DwarfBytes().uleb(nameBytes.length).bytes(nameBytes).bytes(content);
            wasm.u8(0x00).uleb(section.size()).bytes(section.toByteArray());
        });
        return ModuleDecoder.decode(wasm.toByteArray());
    }
}
