package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.module.ValType;

/** Hands every visit on to another visitor, as it is: a test overrides the visits it watches. */
public class ForwardingVisitor extends InstructionVisitor {
    private final InstructionVisitor next;

    public ForwardingVisitor(InstructionVisitor next) {
        this.next = next;
    }

    @Override public void visitOffset(int offset) { next.visitOffset(offset); }
    @Override public int resumeAt(int offset) { return next.resumeAt(offset); }
    @Override public void visitInsn(int opcode) { next.visitInsn(opcode); }
    @Override public void visitBlock(int opcode, BlockType blocktype) { next.visitBlock(opcode, blocktype); }
    @Override public void visitTryTable(BlockType blocktype, Catch[] catches) { next.visitTryTable(blocktype, catches); }
    @Override public void visitThrow(int tagidx) { next.visitThrow(tagidx); }
    @Override public void visitCatch(int tagidx) { next.visitCatch(tagidx); }
    @Override public void visitDelegate(int labelidx) { next.visitDelegate(labelidx); }
    @Override public void visitRethrow(int labelidx) { next.visitRethrow(labelidx); }
    @Override public void visitElse() { next.visitElse(); }
    @Override public void visitEnd() { next.visitEnd(); }
    @Override public void visitBranch(int opcode, int labelidx) { next.visitBranch(opcode, labelidx); }
    @Override public void visitBrTable(int[] labels, int defaultLabel) { next.visitBrTable(labels, defaultLabel); }
    @Override public void visitCall(int funcidx) { next.visitCall(funcidx); }
    @Override public void visitCallIndirect(int typeidx, int tableidx) { next.visitCallIndirect(typeidx, tableidx); }
    @Override public void visitReturnCall(int funcidx) { next.visitReturnCall(funcidx); }
    @Override public void visitReturnCallIndirect(int typeidx, int tableidx) { next.visitReturnCallIndirect(typeidx, tableidx); }
    @Override public void visitVariable(int opcode, int index) { next.visitVariable(opcode, index); }
    @Override public void visitSelectTyped(ValType[] types) { next.visitSelectTyped(types); }
    @Override public void visitI32Const(int value) { next.visitI32Const(value); }
    @Override public void visitI64Const(long value) { next.visitI64Const(value); }
    @Override public void visitF32Const(int bits) { next.visitF32Const(bits); }
    @Override public void visitF64Const(long bits) { next.visitF64Const(bits); }
    @Override public void visitRefNull(ValType type) { next.visitRefNull(type); }
    @Override public void visitRefFunc(int funcidx) { next.visitRefFunc(funcidx); }
    @Override public void visitMemoryAccess(int opcode, int memidx, int align, long offset) { next.visitMemoryAccess(opcode, memidx, align, offset); }
    @Override public void visitMemoryInsn(int opcode, int index, int index2) { next.visitMemoryInsn(opcode, index, index2); }
    @Override public void visitTableInsn(int opcode, int index, int index2) { next.visitTableInsn(opcode, index, index2); }
    @Override public void visitV128Const(byte[] bytes) { next.visitV128Const(bytes); }
    @Override public void visitShuffle(byte[] lanes) { next.visitShuffle(lanes); }
    @Override public void visitLane(int opcode, int lane) { next.visitLane(opcode, lane); }
    @Override public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) { next.visitMemoryLane(opcode, memidx, align, offset, lane); }
}
