package dev.wasm2jvm.compiler.code;

import java.util.Arrays;

/**
 * A scanner that follows the nesting of a body's structured instructions and which of them are
 * loops: {@code block}, {@code loop}, {@code if}, {@code try} and {@code try_table} open a construct,
 * {@code end} and a legacy {@code delegate} close the innermost, and the body's own final {@code end}
 * closes none. An analysis that asks what lies inside a loop overrides {@link #opened} and
 * {@link #closed}, or asks {@link #inLoop} at the instructions it visits.
 */
public abstract class LoopNesting extends InstructionScanner {
    /** Whether each open construct is a loop, the outermost at 1 (0 stands for the body). */
    private boolean[] loops = new boolean[16];
    private int depth;
    private int openLoops;

    /** The constructs open around the instruction being visited: 0 directly in the body. */
    protected final int depth() {
        return depth;
    }

    /** Whether the instruction being visited lies inside a loop. */
    protected final boolean inLoop() {
        return openLoops > 0;
    }

    /** A construct has just opened, at {@link #depth}; {@code loop} if it is a {@code loop}. */
    protected void opened(boolean loop) { }

    /** The construct at {@link #depth} is about to close; {@code loop} if it is a {@code loop}. */
    protected void closed(boolean loop) { }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        open(opcode == Opcodes.LOOP);
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        open(false);
    }

    /** The end of a construct, or of the body, which opened none. */
    @Override
    public void visitEnd() {
        if (depth > 0) close();
    }

    /** A legacy {@code delegate} ends its {@code try}. */
    @Override
    public void visitDelegate(int labelidx) {
        visitEnd();
    }

    private void open(boolean loop) {
        if (++depth == loops.length) loops = Arrays.copyOf(loops, 2 * depth);
        loops[depth] = loop;
        if (loop) openLoops++;
        opened(loop);
    }

    private void close() {
        boolean loop = loops[depth];
        closed(loop);
        if (loop) openLoops--;
        depth--;
    }
}
