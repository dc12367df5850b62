package dev.wasm2jvm.compiler.code;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the reader drives visitors that read every instruction and those that pass over code. */
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
        assertEquals(List.of("block", "local.get 200", "global.set 1", "i32.const -1000", "i32.const -1", "i64.const -64",
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
}
