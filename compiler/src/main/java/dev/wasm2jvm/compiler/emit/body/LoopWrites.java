package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.LoopNesting;
import dev.wasm2jvm.compiler.code.Opcodes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The locals each loop of a function body writes, nested loops' included, in the order the loops
 * open, and whether the body handles exceptions: what the bounds-check analysis
 * ({@link ProvenAccesses}) must know of a loop at its header, before it follows the loop's body, and
 * of the body before its first access. A scan to drive over a body alongside another pass over it;
 * its answers hold once the body is read.
 */
public final class LoopWrites extends LoopNesting {
    private final List<BitSet> byLoop = new ArrayList<>();
    /** The locals written so far in each open loop, the innermost first. */
    private final ArrayDeque<BitSet> open = new ArrayDeque<>();
    private boolean handlesExceptions;

    public LoopWrites() { }

    /** For each loop of the body read, in the order they open, the locals its body writes. */
    List<BitSet> byLoop() {
        return byLoop;
    }

    /** Whether the body read has a {@code try}, {@code try_table}, {@code catch} or {@code delegate}. */
    boolean handlesExceptions() {
        return handlesExceptions;
    }

    @Override
    protected void opened(boolean loop) {
        if (!loop) return;
        BitSet written = new BitSet();
        byLoop.add(written);
        open.push(written);
    }

    /** A loop's writes are its enclosing loop's too. */
    @Override
    protected void closed(boolean loop) {
        if (!loop) return;
        BitSet written = open.pop();
        if (!open.isEmpty()) open.peek().or(written);
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if ((opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) && !open.isEmpty()) open.peek().set(index);
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        if (opcode == Opcodes.TRY) handlesExceptions = true;
        super.visitBlock(opcode, blocktype);
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        handlesExceptions = true;
        super.visitTryTable(blocktype, catches);
    }

    @Override
    public void visitCatch(int tagidx) {
        handlesExceptions = true;
    }

    @Override
    public void visitDelegate(int labelidx) {
        handlesExceptions = true;
        super.visitDelegate(labelidx);
    }
}
