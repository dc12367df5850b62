package dev.wasm2jvm.compiler.code;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The nesting and the loops that {@link LoopNesting} follows through each kind of construct. */
class LoopNestingTest {
    /**
     * {@code block; nop; loop; i32.const 0; if; nop; end; end; nop; end; try_table; nop; end;
     * try; loop; nop; end; delegate 0; nop; end}.
     */
    private static final byte[] CODE = {
            0x02, 0x40, 0x01, 0x03, 0x40, 0x41, 0x00, 0x04, 0x40, 0x01, 0x0B, 0x0B, 0x01, 0x0B,
            0x1F, 0x40, 0x00, 0x01, 0x0B,
            0x06, 0x40, 0x03, 0x40, 0x01, 0x0B, 0x18, 0x00, 0x01, 0x0B};

    /** Writes down each construct opened and closed, and the depth and loop of each {@code nop}. */
    private static final class Transcript extends LoopNesting {
        final List<String> lines = new ArrayList<>();

        @Override
        protected void opened(boolean loop) {
            lines.add("open " + (loop ? "loop " : "") + depth());
        }

        @Override
        protected void closed(boolean loop) {
            lines.add("close " + (loop ? "loop " : "") + depth());
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.NOP) lines.add("nop " + depth() + (inLoop() ? " in a loop" : ""));
        }
    }

    @Test
    void eachConstructOpensAndClosesOnceAndTheBodysEndClosesNone() {
        Transcript t = new Transcript();
        CodeReader.read(CODE, 0, t);
        assertEquals(List.of(
                "open 1", "nop 1", "open loop 2", "open 3", "nop 3 in a loop", "close 3", "close loop 2",
                "nop 1", "close 1",
                "open 1", "nop 1", "close 1",
                "open 1", "open loop 2", "nop 2 in a loop", "close loop 2", "close 1", "nop 0"), t.lines);
    }
}
