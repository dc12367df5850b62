package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;

/**
 * Watches the code the decoder reads ({@link ModuleDecoder#checkWellFormed}) for the instructions
 * that name a data segment ({@code memory.init}, {@code data.drop}): the binary format allows them
 * only in a module with a data count section. Everything else is left to the validator.
 */
final class DataIndexUse extends InstructionVisitor {
    private int firstOffset = -1;
    private int offset;

    /** The byte offset of the first instruction that named a data segment, or {@code -1}. */
    int firstOffset() {
        return firstOffset;
    }

    @Override
    public void visitOffset(int offset) {
        this.offset = offset;
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        if ((opcode == Opcodes.MEMORY_INIT || opcode == Opcodes.DATA_DROP) && firstOffset < 0) firstOffset = offset;
    }

    @Override
    public void visitInsn(int opcode) {}

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {}

    @Override
    public void visitElse() {}

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {}

    @Override
    public void visitThrow(int tagidx) {}

    @Override
    public void visitCatch(int tagidx) {}

    @Override
    public void visitDelegate(int labelidx) {}

    @Override
    public void visitRethrow(int labelidx) {}

    @Override
    public void visitEnd() {}

    @Override
    public void visitBranch(int opcode, int labelidx) {}

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {}

    @Override
    public void visitCall(int funcidx) {}

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {}

    @Override
    public void visitVariable(int opcode, int index) {}

    @Override
    public void visitSelectTyped(ValType[] types) {}

    @Override
    public void visitI32Const(int value) {}

    @Override
    public void visitI64Const(long value) {}

    @Override
    public void visitF32Const(int bits) {}

    @Override
    public void visitF64Const(long bits) {}

    @Override
    public void visitRefNull(ValType type) {}

    @Override
    public void visitRefFunc(int funcidx) {}

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {}

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {}

    @Override
    public void visitV128Const(byte[] bytes) {}

    @Override
    public void visitShuffle(byte[] lanes) {}

    @Override
    public void visitLane(int opcode, int lane) {}

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {}
}
