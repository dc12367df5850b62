package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.module.ValType;

/**
 * Two visitors that read every instruction of a body, fed by one reading of it: the planner's
 * passes that need nothing from each other but the code are spared a decoding each. It does not
 * override {@link InstructionVisitor#resumeAt}, so neither visitor may pass over code.
 */
final class Tee extends InstructionVisitor {
    private final InstructionVisitor first;
    private final InstructionVisitor second;

    Tee(InstructionVisitor first, InstructionVisitor second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void visitOffset(int offset) {
        first.visitOffset(offset);
        second.visitOffset(offset);
    }

    @Override
    public void visitInsn(int opcode) {
        first.visitInsn(opcode);
        second.visitInsn(opcode);
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        first.visitBlock(opcode, blocktype);
        second.visitBlock(opcode, blocktype);
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        first.visitTryTable(blocktype, catches);
        second.visitTryTable(blocktype, catches);
    }

    @Override
    public void visitThrow(int tagidx) {
        first.visitThrow(tagidx);
        second.visitThrow(tagidx);
    }

    @Override
    public void visitCatch(int tagidx) {
        first.visitCatch(tagidx);
        second.visitCatch(tagidx);
    }

    @Override
    public void visitDelegate(int labelidx) {
        first.visitDelegate(labelidx);
        second.visitDelegate(labelidx);
    }

    @Override
    public void visitRethrow(int labelidx) {
        first.visitRethrow(labelidx);
        second.visitRethrow(labelidx);
    }

    @Override
    public void visitElse() {
        first.visitElse();
        second.visitElse();
    }

    @Override
    public void visitEnd() {
        first.visitEnd();
        second.visitEnd();
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        first.visitBranch(opcode, labelidx);
        second.visitBranch(opcode, labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        first.visitBrTable(labels, defaultLabel);
        second.visitBrTable(labels, defaultLabel);
    }

    @Override
    public void visitCall(int funcidx) {
        first.visitCall(funcidx);
        second.visitCall(funcidx);
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        first.visitCallIndirect(typeidx, tableidx);
        second.visitCallIndirect(typeidx, tableidx);
    }

    @Override
    public void visitReturnCall(int funcidx) {
        first.visitReturnCall(funcidx);
        second.visitReturnCall(funcidx);
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        first.visitReturnCallIndirect(typeidx, tableidx);
        second.visitReturnCallIndirect(typeidx, tableidx);
    }

    @Override
    public void visitVariable(int opcode, int index) {
        first.visitVariable(opcode, index);
        second.visitVariable(opcode, index);
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        first.visitSelectTyped(types);
        second.visitSelectTyped(types);
    }

    @Override
    public void visitI32Const(int value) {
        first.visitI32Const(value);
        second.visitI32Const(value);
    }

    @Override
    public void visitI64Const(long value) {
        first.visitI64Const(value);
        second.visitI64Const(value);
    }

    @Override
    public void visitF32Const(int bits) {
        first.visitF32Const(bits);
        second.visitF32Const(bits);
    }

    @Override
    public void visitF64Const(long bits) {
        first.visitF64Const(bits);
        second.visitF64Const(bits);
    }

    @Override
    public void visitRefNull(ValType type) {
        first.visitRefNull(type);
        second.visitRefNull(type);
    }

    @Override
    public void visitRefFunc(int funcidx) {
        first.visitRefFunc(funcidx);
        second.visitRefFunc(funcidx);
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        first.visitMemoryAccess(opcode, memidx, align, offset);
        second.visitMemoryAccess(opcode, memidx, align, offset);
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        first.visitMemoryInsn(opcode, index, index2);
        second.visitMemoryInsn(opcode, index, index2);
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        first.visitTableInsn(opcode, index, index2);
        second.visitTableInsn(opcode, index, index2);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        first.visitV128Const(bytes);
        second.visitV128Const(bytes);
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        first.visitShuffle(lanes);
        second.visitShuffle(lanes);
    }

    @Override
    public void visitLane(int opcode, int lane) {
        first.visitLane(opcode, lane);
        second.visitLane(opcode, lane);
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        first.visitMemoryLane(opcode, memidx, align, offset, lane);
        second.visitMemoryLane(opcode, memidx, align, offset, lane);
    }
}
