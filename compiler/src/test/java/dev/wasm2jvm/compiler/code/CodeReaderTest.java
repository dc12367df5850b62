package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.module.ValType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the reader drives visitors that read every instruction and those that pass over code; the
 * instruction stream it reports, and the code it rejects.
 */
class CodeReaderTest {
    /** {@code block; i32.const 5; drop; end; i32.const 7; drop; end}, the block at module offset 100. */
    private static final byte[] CODE = {0x02, 0x40, 0x41, 0x05, 0x1A, 0x0B, 0x41, 0x07, 0x1A, 0x0B};
    private static final int BASE = 100;

    /** Records the constants it is shown, and the offsets its subclasses are given. */
    private static class Constants extends InstructionScanner {
        final List<Integer> constants = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();

        @Override
        public void visitI32Const(int value) {
            constants.add(value);
        }
    }

    /** Records the offsets before each instruction. */
    private static class Recorder extends Constants {
        @Override
        public void visitOffset(int offset) {
            offsets.add(offset);
        }
    }

    /** Passes over the block, as a code generator does with code it moves to another method. */
    private static class PassesOverTheBlock extends Recorder {
        @Override
        public int resumeAt(int offset) {
            return offset == BASE ? BASE + 6 : offset;
        }
    }

    @Test
    void aVisitorThatKeepsTheDefaultReadsEveryInstruction() {
        Recorder r = new Recorder();
        CodeReader.read(CODE, BASE, r);
        assertEquals(List.of(5, 7), r.constants);
        assertEquals(List.of(100, 102, 104, 105, 106, 108, 109), r.offsets);
    }

    @Test
    void aVisitorThatResumesLaterPassesOverTheCodeBetween() {
        Recorder r = new PassesOverTheBlock();
        CodeReader.read(CODE, BASE, r);
        assertEquals(List.of(7), r.constants);
        assertEquals(List.of(100, 106, 108, 109), r.offsets);
    }

    /**
     * Takes each offset in {@code resumeAt} alone, as a code generator does, and passes over the
     * block: the reader spares it {@code visitOffset}, so {@code resumeAt} must see every offset.
     */
    private static class TakesOffsetsWhereItResumes extends Constants {
        @Override
        public int resumeAt(int offset) {
            offsets.add(offset);
            return offset == BASE ? BASE + 6 : offset;
        }
    }

    @Test
    void aVisitorThatResumesSeesEveryOffsetItReadsThere() {
        TakesOffsetsWhereItResumes r = new TakesOffsetsWhereItResumes();
        CodeReader.read(CODE, BASE, r);
        assertEquals(List.of(7), r.constants);
        assertEquals(List.of(100, 106, 108, 109), r.offsets);
    }

    /** Writes down each instruction it is shown, with its immediates. */
    private static class Transcript extends InstructionScanner {
        final List<String> lines = new ArrayList<>();

        @Override public void visitInsn(int opcode) { lines.add(Instructions.of(opcode).name()); }
        @Override public void visitBlock(int opcode, BlockType blocktype) { lines.add(Instructions.of(opcode).name()); }
        @Override public void visitEnd() { lines.add("end"); }
        @Override public void visitBranch(int opcode, int labelidx) { lines.add(Instructions.of(opcode).name() + " " + labelidx); }
        @Override public void visitCall(int funcidx) { lines.add("call " + funcidx); }
        @Override public void visitVariable(int opcode, int index) { lines.add(Instructions.of(opcode).name() + " " + index); }
        @Override public void visitI32Const(int value) { lines.add("i32.const " + value); }
        @Override public void visitI64Const(long value) { lines.add("i64.const " + value); }

        @Override
        public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
            lines.add(Instructions.of(opcode).name() + " " + memidx + " " + align + " " + offset);
        }
    }

    @Test
    void theFrequentInstructionsReadTheirImmediatesInEveryEncoding() {
        byte[] code = {
            0x02, 0x40,                         // block
            0x20, (byte) 0xC8, 0x01,            // local.get 200
            0x24, 0x01,                         // global.set 1
            0x41, (byte) 0x98, 0x78,            // i32.const -1000
            0x41, 0x7F,                         // i32.const -1
            0x41, (byte) 0xE8, 0x07,            // i32.const 1000
            0x41, (byte) 0xA0, (byte) 0x8D, 0x06, // i32.const 100000
            0x42, 0x40,                         // i64.const -64
            0x28, 0x02, (byte) 0xAC, 0x02,      // i32.load align=2 offset=300
            0x31, 0x40, 0x01, 0x05,             // i64.load8_u memory 1 align=0 offset=5
            0x0C, 0x00,                         // br 0
            0x0D, 0x00,                         // br_if 0
            0x10, (byte) 0x82, 0x01,            // call 130
            0x6A,                               // i32.add
            0x0B,                               // end
            0x0B};                              // end
        Transcript t = new Transcript();
        CodeReader.read(code, BASE, t);
        assertEquals(List.of("block", "local.get 200", "global.set 1", "i32.const -1000", "i32.const -1",
                "i32.const 1000", "i32.const 100000", "i64.const -64",
                "i32.load 0 2 300", "i64.load8_u 1 0 5", "br 0", "br_if 0", "call 130", "i32.add", "end", "end"), t.lines);
    }

    /** The reader's table path leaves these rows to the fast path, which only one-byte opcodes take. */
    @Test
    void everyInstructionWithABlockTypeALocalAGlobalOrAnI32HasAOneByteOpcode() {
        for (Instruction insn : Instructions.all()) {
            switch (insn.immediates()) {
                case BLOCK_TYPE, LOCAL, GLOBAL, I32 -> assertTrue(insn.opcode() < 0x100, insn.name());
                default -> {}
            }
        }
    }

    @Test
    void anInheritedResumeAtCountsAsTheVisitorsOwn() {
        Recorder r = new PassesOverTheBlock() {
            @Override
            public void visitI32Const(int value) {
                constants.add(-value);
            }
        };
        CodeReader.read(CODE, BASE, r);
        assertEquals(List.of(-7), r.constants);
    }


    /** Reads {@code hex} at offset 1000 and lists every visit as {@code method(args)}. */
    private static List<String> visits(String hex) {
        return visits(hex, -1, -1);
    }

    /**
     * Reads {@code hex} at offset 1000, passing over the code from offset {@code skipFrom} to
     * {@code skipTo} (none if -1), and lists every visit but {@code resumeAt}.
     */
    private static List<String> visits(String hex, int skipFrom, int skipTo) {
        List<String> log = new ArrayList<>();
        CodeReader.read(HexFormat.of().parseHex(hex), 1000, recorder(log, skipFrom, skipTo));
        return log;
    }

    /** Reads the part {@code [start, end)} of {@code hex} at offset 1000, as {@link CodeReader#readPart} does, and lists the visits. */
    private static List<String> partVisits(String hex, int start, int end, int enclosing) {
        List<String> log = new ArrayList<>();
        CodeReader.readPart(HexFormat.of().parseHex(hex), start, end, 1000, enclosing, recorder(log, -1, -1));
        return log;
    }

    /** A visitor that adds each visit but {@code resumeAt} to {@code log}, and passes over {@code skipFrom} to {@code skipTo}. */
    private static InstructionVisitor recorder(List<String> log, int skipFrom, int skipTo) {
        return new VisitLog(log, skipFrom, skipTo);
    }

    /**
     * Writes each visit as {@code method(args)}: byte strings in hex, arrays as lists, the first
     * argument in hex when it is an int (an opcode, or a constant's bits) but for {@code visitOffset}.
     */
    private static final class VisitLog extends InstructionVisitor {
        private final List<String> log;
        private final int skipFrom;
        private final int skipTo;

        VisitLog(List<String> log, int skipFrom, int skipTo) {
            this.log = log;
            this.skipFrom = skipFrom;
            this.skipTo = skipTo;
        }

        private void record(String method, Object... args) {
            StringBuilder sb = new StringBuilder(method).append('(');
            for (int i = 0; i < args.length; i++) {
                if (i > 0) sb.append(',');
                Object a = args[i];
                sb.append(a instanceof byte[] b ? HexFormat.of().formatHex(b)
                        : a instanceof int[] xs ? Arrays.toString(xs)
                        : a instanceof Object[] os ? Arrays.toString(os)
                        : a instanceof Integer x && i == 0 && !method.equals("visitOffset") ? Integer.toHexString(x)
                        : String.valueOf(a));
            }
            log.add(sb.append(')').toString());
        }

        @Override public int resumeAt(int offset) { return offset == skipFrom ? skipTo : offset; }
        @Override public void visitOffset(int offset) { record("visitOffset", offset); }
        @Override public void visitInsn(int opcode) { record("visitInsn", opcode); }
        @Override public void visitBlock(int opcode, BlockType blocktype) { record("visitBlock", opcode, blocktype); }
        @Override public void visitTryTable(BlockType blocktype, Catch[] catches) { record("visitTryTable", blocktype, catches); }
        @Override public void visitThrow(int tagidx) { record("visitThrow", tagidx); }
        @Override public void visitCatch(int tagidx) { record("visitCatch", tagidx); }
        @Override public void visitDelegate(int labelidx) { record("visitDelegate", labelidx); }
        @Override public void visitRethrow(int labelidx) { record("visitRethrow", labelidx); }
        @Override public void visitElse() { record("visitElse"); }
        @Override public void visitEnd() { record("visitEnd"); }
        @Override public void visitBranch(int opcode, int labelidx) { record("visitBranch", opcode, labelidx); }
        @Override public void visitBrTable(int[] labels, int defaultLabel) { record("visitBrTable", labels, defaultLabel); }
        @Override public void visitCall(int funcidx) { record("visitCall", funcidx); }
        @Override public void visitCallIndirect(int typeidx, int tableidx) { record("visitCallIndirect", typeidx, tableidx); }
        @Override public void visitReturnCall(int funcidx) { record("visitReturnCall", funcidx); }
        @Override public void visitReturnCallIndirect(int typeidx, int tableidx) { record("visitReturnCallIndirect", typeidx, tableidx); }
        @Override public void visitVariable(int opcode, int index) { record("visitVariable", opcode, index); }
        @Override public void visitSelectTyped(ValType[] types) { record("visitSelectTyped", (Object) types); }
        @Override public void visitI32Const(int value) { record("visitI32Const", value); }
        @Override public void visitI64Const(long value) { record("visitI64Const", value); }
        @Override public void visitF32Const(int bits) { record("visitF32Const", bits); }
        @Override public void visitF64Const(long bits) { record("visitF64Const", bits); }
        @Override public void visitRefNull(ValType type) { record("visitRefNull", type); }
        @Override public void visitRefFunc(int funcidx) { record("visitRefFunc", funcidx); }
        @Override public void visitMemoryAccess(int opcode, int memidx, int align, long offset) { record("visitMemoryAccess", opcode, memidx, align, offset); }
        @Override public void visitMemoryInsn(int opcode, int index, int index2) { record("visitMemoryInsn", opcode, index, index2); }
        @Override public void visitTableInsn(int opcode, int index, int index2) { record("visitTableInsn", opcode, index, index2); }
        @Override public void visitV128Const(byte[] bytes) { record("visitV128Const", (Object) bytes); }
        @Override public void visitShuffle(byte[] lanes) { record("visitShuffle", (Object) lanes); }
        @Override public void visitLane(int opcode, int lane) { record("visitLane", opcode, lane); }
        @Override public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) { record("visitMemoryLane", opcode, memidx, align, offset, lane); }
    }

    /**
     * An outlined part is read in place, from its first instruction to where it ends: it may close
     * the blocks around it that its method opened before it, and its own frame is left open for its
     * method to close, so no byte is added to the code.
     */
    @Test
    void aPartOfABodyClosesTheBlocksAroundItAndNoOthers() {
        // block block | nop end end | i32.const 1 end
        String body = "0240" + "0240" + "010b0b" + "41010b";
        assertEquals(List.of("visitOffset(1004)", "visitInsn(1)", "visitOffset(1005)", "visitEnd()", "visitOffset(1006)", "visitEnd()"),
                partVisits(body, 4, 7, 2));
        assertEquals(List.of("visitOffset(1007)", "visitI32Const(1)"), partVisits(body, 7, 9, 0));
        for (int enclosing : new int[] {0, 1, 3}) {
            CompileException e = assertThrows(CompileException.class, () -> partVisits(body, 4, 7, enclosing));
            assertEquals(CompileException.Kind.MALFORMED, e.kind());
        }
        // A part that leaves a block of its own open.
        assertThrows(CompileException.class, () -> partVisits(body, 0, 2, 0));
    }

    private static CompileException malformed(String hex) {
        CompileException e = assertThrows(CompileException.class, () -> visits(hex));
        assertEquals(CompileException.Kind.MALFORMED, e.kind());
        return e;
    }

    @Test
    void reportsOffsetsAndImmediates() {
        // block (result i32) i32.const -1 br_if 0 end i64.load align=3 offset=16 end
        assertEquals(List.of(
                "visitOffset(1000)", "visitBlock(2,BlockType[result=i32, typeidx=-1])",
                "visitOffset(1002)", "visitI32Const(ffffffff)",
                "visitOffset(1004)", "visitBranch(d,0)",
                "visitOffset(1006)", "visitEnd()",
                "visitOffset(1007)", "visitMemoryAccess(29,0,3,16)",
                "visitOffset(1010)", "visitEnd()"),
                visits("027f" + "417f" + "0d00" + "0b" + "290310" + "0b"));
    }

    @Test
    void resumesWhereTheVisitorSays() {
        // i32.const 1 block i32.const 2 drop end drop end: the block is passed over, its end included
        assertEquals(List.of(
                "visitOffset(1000)", "visitI32Const(1)",
                "visitOffset(1002)",
                "visitOffset(1008)", "visitInsn(1a)",
                "visitOffset(1009)", "visitEnd()"),
                visits("4101" + "0240" + "4102" + "1a" + "0b" + "1a" + "0b", 1002, 1008));
    }

    @Test
    void readsSimdImmediates() {
        String v128 = "000102030405060708090a0b0c0d0e0f";
        List<String> log = visits("fd0c" + v128 + "fd0d" + v128 + "fd1503" + "fd5402080f" + "fd0b0400" + "fdff01" + "0b");
        assertEquals(List.of(
                "visitV128Const(" + v128 + ")",
                "visitShuffle(" + v128 + ")",
                "visitLane(fd015,3)",
                "visitMemoryLane(fd054,0,2,8,15)",
                "visitMemoryAccess(fd00b,0,4,0)",
                "visitInsn(fd0ff)",
                "visitEnd()"), log.stream().filter(s -> !s.startsWith("visitOffset")).toList());
    }

    @Test
    void readsMiscAndAtomicImmediates() {
        List<String> log = visits("fc0a0000" + "fc0c0102" + "fe0300" + "fe480210" + "0b");
        assertEquals(List.of(
                "visitMemoryInsn(fc00a,0,0)",
                "visitTableInsn(fc00c,1,2)",
                "visitInsn(fe003)",
                "visitMemoryAccess(fe048,0,2,16)",
                "visitEnd()"), log.stream().filter(s -> !s.startsWith("visitOffset")).toList());
    }

    @Test
    void readsMemoryIndices() {
        // i32.load with flags 0x42 (align 2, a memory index follows) memory 3 offset 2^40;
        // memory.copy 1 2; memory.init data 4 memory 5; memory.size 6
        List<String> log = visits("2842" + "03" + "808080808020" + "fc0a0102" + "fc080405" + "3f06" + "0b");
        assertEquals(List.of(
                "visitMemoryAccess(28,3,2," + (1L << 40) + ")",
                "visitMemoryInsn(fc00a,1,2)",
                "visitMemoryInsn(fc008,4,5)",
                "visitMemoryInsn(3f,6,0)",
                "visitEnd()"), log.stream().filter(s -> !s.startsWith("visitOffset")).toList());
    }

    @Test
    void ifMayHaveOneElse() {
        assertEquals(List.of("visitBlock(4,BlockType[result=null, typeidx=-1])", "visitElse()", "visitEnd()",
                "visitEnd()"), visits("0440" + "05" + "0b" + "0b").stream().filter(s -> !s.startsWith("visitOffset")).toList());
        assertEquals("END opcode expected", malformed("0440" + "05" + "05" + "0b" + "0b").specMessage());
        assertEquals("END opcode expected", malformed("05" + "0b").specMessage());
    }

    @Test
    void readsExceptionHandling() {
        // try_table (catch 0 0) (catch_all_ref 1) throw 0 end; try catch 0 rethrow 0 catch_all end;
        // try delegate 0; throw_ref; end
        assertEquals(List.of(
                "visitTryTable(BlockType[result=null, typeidx=-1],[Catch[kind=0, tagidx=0, labelidx=0], Catch[kind=3, tagidx=-1, labelidx=1]])",
                "visitThrow(0)", "visitEnd()",
                "visitBlock(6,BlockType[result=null, typeidx=-1])", "visitCatch(0)", "visitRethrow(0)", "visitCatch(ffffffff)", "visitEnd()",
                "visitBlock(6,BlockType[result=null, typeidx=-1])", "visitDelegate(0)",
                "visitInsn(a)", "visitEnd()"),
                visits("1f40" + "02" + "000000" + "0301" + "0800" + "0b"
                        + "0640" + "0700" + "0900" + "19" + "0b"
                        + "0640" + "1800"
                        + "0a" + "0b").stream().filter(s -> !s.startsWith("visitOffset")).toList());
        assertEquals("END opcode expected", malformed("0700" + "0b").specMessage(), "a catch outside a try");
        assertEquals("END opcode expected", malformed("0240" + "1800" + "0b").specMessage(), "a delegate ending a block");
        assertEquals("malformed catch clause", malformed("1f40" + "01" + "0400" + "0b" + "0b").specMessage());
    }

    @Test
    void rejectsBrokenCode() {
        assertEquals("illegal opcode", malformed("27" + "0b").specMessage());
        assertEquals("illegal opcode", malformed("fd9a01" + "0b").specMessage());
        // subopcode 0x4008 must not alias another prefix's instruction
        assertEquals("illegal opcode", malformed("fc888001" + "0b").specMessage());
        assertEquals("zero byte expected", malformed("fe0301" + "0b").specMessage());
        assertEquals("malformed memop flags", malformed("288001" + "00" + "0b").specMessage());
        assertEquals("section size mismatch", malformed("0b" + "01").specMessage());
        CompileException end = malformed("0240" + "0b");
        assertEquals("unexpected end of section or function", end.specMessage());
        assertEquals(1003, end.offset());
    }

    /**
     * Each immediate the reading loop reads itself, cut short, too long and too large, and an opcode
     * with no instruction, each rejected with the binary format's message at the byte where the
     * reference decoder stops (the code at offset 1000).
     */
    @Test
    void rejectsEachFastPathsBrokenImmediatesWhereTheyBreak() {
        String end = "unexpected end of section or function";
        String tooLong = "integer representation too long";
        String tooLarge = "integer too large";
        Object[][] cases = {
            // local.get, global.set, br_if, call: an index
            {"20", end, 1001}, {"2080", end, 1002}, {"208080", end, 1003},
            {"24" + "8080808080" + "00", tooLong, 1006}, {"0d" + "ffffffff1f", tooLarge, 1005}, {"10" + "ff", end, 1002},
            // i32.const: a signed number
            {"41", end, 1001}, {"41c0", end, 1002}, {"41" + "8080808080" + "00", tooLong, 1006},
            {"41" + "8080808070", tooLarge, 1005},
            // i32.load: the memarg's flags, then its offset
            {"28", end, 1001}, {"2882", end, 1002}, {"2802", end, 1002}, {"280280", end, 1003},
            {"28" + "8080808080" + "00", tooLong, 1006}, {"2802" + "80808080808080808080" + "00", tooLong, 1012},
            // block: its block type
            {"02", end, 1001},
            // no instruction has these opcodes
            {"27", "illegal opcode", 1000}, {"0240" + "c5", "illegal opcode", 1002},
        };
        for (Object[] c : cases) {
            CompileException e = malformed((String) c[0]);
            assertEquals(c[1], e.specMessage(), (String) c[0]);
            assertEquals((long) (int) c[2], e.offset(), (String) c[0]);
        }
    }

    /** An expression inside a larger array (a constant expression of a section) ends at its final end, whatever follows. */
    @Test
    void anExpressionInPlaceEndsAfterItsFinalEnd() {
        byte[] module = HexFormat.of().parseHex("ffff" + "2381" + "01" + "41c000" + "6a" + "0b" + "0b0b");
        List<String> log = new ArrayList<>();
        assertEquals(10, CodeReader.readExpression(module, 2, recorder(log, -1, -1)));
        assertEquals(List.of("visitOffset(2)", "visitVariable(23,129)", "visitOffset(5)", "visitI32Const(40)",
                "visitOffset(8)", "visitInsn(6a)", "visitOffset(9)", "visitEnd()"), log);
        CompileException e = assertThrows(CompileException.class,
                () -> CodeReader.readExpression(HexFormat.of().parseHex("0020"), 1, recorder(new ArrayList<>(), -1, -1)));
        assertEquals("unexpected end of section or function", e.specMessage());
        assertEquals(2, e.offset());
    }

    @Test
    void namesEverySimdOpcode() {
        assertEquals("i32x4.extract_lane", Opcodes.name(SimdOpcodes.I32X4_EXTRACT_LANE));
        assertEquals("v128.load", Opcodes.name(SimdOpcodes.V128_LOAD));
        assertEquals("f64x2.convert_low_i32x4_u", Opcodes.name(0xFD0FF));
        assertEquals("<opcode 0xFD09A>", Opcodes.name(0xFD09A));
    }
}
