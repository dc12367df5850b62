package dev.wasm2jvm.compiler.code;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the reader drives visitors that read every instruction and those that pass over code. */
class CodeReaderTest {
    /** {@code block; i32.const 5; drop; end; i32.const 7; drop; end}, the block at module offset 100. */
    private static final byte[] CODE = {0x02, 0x40, 0x41, 0x05, 0x1A, 0x0B, 0x41, 0x07, 0x1A, 0x0B};
    private static final int BASE = 100;

    /** Records the constants it is shown and the offsets before each instruction. */
    private static class Recorder extends InstructionScanner {
        final List<Integer> constants = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();

        @Override
        public void visitOffset(int offset) {
            offsets.add(offset);
        }

        @Override
        public void visitI32Const(int value) {
            constants.add(value);
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
