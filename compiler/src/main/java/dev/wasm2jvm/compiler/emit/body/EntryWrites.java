package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.BitSet;

/**
 * The locals that a function's entry code sets before anything reads them, which its method need not
 * zero first. The entry code is the instructions up to the first that branches, ends a construct or
 * opens one other than a {@code block} (a {@code loop} header is a branch target): no jump can reach
 * a point between, so every later point of the body comes after those writes, and the verifier, which
 * tracks the same paths, accepts the method. Compilers write most of a function's locals there
 * ({@code __stack_pointer} arithmetic, loads of arguments' fields); each zeroing cost 3 bytes of the
 * method and two bytecodes per call.
 */
public final class EntryWrites extends InstructionScanner {
    private final BitSet written = new BitSet();
    private final BitSet read = new BitSet();
    private boolean ended;

    /** A scan to drive over one body, or alongside another pass over it ({@link #written} once read). */
    public EntryWrites() { }

    /** The locals {@code body}'s entry code sets before reading them. */
    public static BitSet of(FunctionBody body) {
        EntryWrites scan = new EntryWrites();
        CodeReader.read(body.code(), body.offset(), scan);
        return scan.written;
    }

    /** Once past the entry code, the rest of the body is not read: nothing there changes what it found. */
    @Override
    public int resumeAt(int offset) {
        return ended ? -1 : offset;
    }

    /** The locals the entry code of the body read so far sets before reading them. */
    public BitSet written() {
        return written;
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (ended) return;
        switch (opcode) {
            case Opcodes.LOCAL_GET -> {
                if (!written.get(index)) read.set(index);
            }
            case Opcodes.LOCAL_SET, Opcodes.LOCAL_TEE -> {
                if (!read.get(index)) written.set(index);
            }
            default -> { }
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode == Opcodes.RETURN || opcode == Opcodes.UNREACHABLE || opcode == Opcodes.THROW_REF) ended = true;
    }

    @Override public void visitBlock(int opcode, BlockType blocktype) { if (opcode != Opcodes.BLOCK) ended = true; }
    @Override public void visitTryTable(BlockType blocktype, Catch[] catches) { ended = true; }
    @Override public void visitThrow(int tagidx) { ended = true; }
    @Override public void visitCatch(int tagidx) { ended = true; }
    @Override public void visitDelegate(int labelidx) { ended = true; }
    @Override public void visitRethrow(int labelidx) { ended = true; }
    @Override public void visitElse() { ended = true; }
    @Override public void visitEnd() { ended = true; }
    @Override public void visitBranch(int opcode, int labelidx) { ended = true; }
    @Override public void visitBrTable(int[] labels, int defaultLabel) { ended = true; }
    @Override public void visitReturnCall(int funcidx) { ended = true; }
    @Override public void visitReturnCallIndirect(int typeidx, int tableidx) { ended = true; }
}
