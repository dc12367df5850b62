package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;

/**
 * The emission's reading of a function body that is not split, handed to the bounds-check analysis's
 * {@link AccessTrace} and then to the {@link FunctionEmitter}, so that the analysis needs no reading
 * of its own: each visit goes to the trace first, which settles whether a load or store is proven
 * before the emitter asks. The emitter may pass over the instructions of an idiom it lowered as a
 * whole ({@link FunctionEmitter#resumeAt}); the trace reads those itself, so that it sees every
 * instruction, as its own reading would.
 */
final class AccessesAlong extends InstructionVisitor {
    private final FunctionBody body;
    private final AccessTrace trace;
    private final FunctionEmitter emitter;

    AccessesAlong(FunctionBody body, AccessTrace trace, FunctionEmitter emitter) {
        this.body = body;
        this.trace = trace;
        this.emitter = emitter;
    }

    /** Gives the trace the offset, which it takes from {@code visitOffset}: the reader makes one call before each instruction. */
    @Override
    public int resumeAt(int offset) {
        trace.visitOffset(offset);
        int resume = emitter.resumeAt(offset);
        if (resume > offset) {
            CodeReader.readPart(body.code(), offset - body.offset(), resume - body.offset(), body.offset(), 0, trace);
        }
        return resume;
    }

    @Override
    public void visitInsn(int opcode) {
        trace.visitInsn(opcode);
        emitter.visitInsn(opcode);
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        trace.visitBlock(opcode, blocktype);
        emitter.visitBlock(opcode, blocktype);
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        trace.visitTryTable(blocktype, catches);
        emitter.visitTryTable(blocktype, catches);
    }

    @Override
    public void visitThrow(int tagidx) {
        trace.visitThrow(tagidx);
        emitter.visitThrow(tagidx);
    }

    @Override
    public void visitCatch(int tagidx) {
        trace.visitCatch(tagidx);
        emitter.visitCatch(tagidx);
    }

    @Override
    public void visitDelegate(int labelidx) {
        trace.visitDelegate(labelidx);
        emitter.visitDelegate(labelidx);
    }

    @Override
    public void visitRethrow(int labelidx) {
        trace.visitRethrow(labelidx);
        emitter.visitRethrow(labelidx);
    }

    @Override
    public void visitElse() {
        trace.visitElse();
        emitter.visitElse();
    }

    @Override
    public void visitEnd() {
        trace.visitEnd();
        emitter.visitEnd();
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        trace.visitBranch(opcode, labelidx);
        emitter.visitBranch(opcode, labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        trace.visitBrTable(labels, defaultLabel);
        emitter.visitBrTable(labels, defaultLabel);
    }

    @Override
    public void visitCall(int funcidx) {
        trace.visitCall(funcidx);
        emitter.visitCall(funcidx);
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        trace.visitCallIndirect(typeidx, tableidx);
        emitter.visitCallIndirect(typeidx, tableidx);
    }

    @Override
    public void visitReturnCall(int funcidx) {
        trace.visitReturnCall(funcidx);
        emitter.visitReturnCall(funcidx);
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        trace.visitReturnCallIndirect(typeidx, tableidx);
        emitter.visitReturnCallIndirect(typeidx, tableidx);
    }

    @Override
    public void visitVariable(int opcode, int index) {
        trace.visitVariable(opcode, index);
        emitter.visitVariable(opcode, index);
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        trace.visitSelectTyped(types);
        emitter.visitSelectTyped(types);
    }

    @Override
    public void visitI32Const(int value) {
        trace.visitI32Const(value);
        emitter.visitI32Const(value);
    }

    @Override
    public void visitI64Const(long value) {
        trace.visitI64Const(value);
        emitter.visitI64Const(value);
    }

    @Override
    public void visitF32Const(int bits) {
        trace.visitF32Const(bits);
        emitter.visitF32Const(bits);
    }

    @Override
    public void visitF64Const(long bits) {
        trace.visitF64Const(bits);
        emitter.visitF64Const(bits);
    }

    @Override
    public void visitRefNull(ValType type) {
        trace.visitRefNull(type);
        emitter.visitRefNull(type);
    }

    @Override
    public void visitRefFunc(int funcidx) {
        trace.visitRefFunc(funcidx);
        emitter.visitRefFunc(funcidx);
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        trace.visitMemoryAccess(opcode, memidx, align, offset);
        emitter.visitMemoryAccess(opcode, memidx, align, offset);
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        trace.visitMemoryInsn(opcode, index, index2);
        emitter.visitMemoryInsn(opcode, index, index2);
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        trace.visitTableInsn(opcode, index, index2);
        emitter.visitTableInsn(opcode, index, index2);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        trace.visitV128Const(bytes);
        emitter.visitV128Const(bytes);
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        trace.visitShuffle(lanes);
        emitter.visitShuffle(lanes);
    }

    @Override
    public void visitLane(int opcode, int lane) {
        trace.visitLane(opcode, lane);
        emitter.visitLane(opcode, lane);
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        trace.visitMemoryLane(opcode, memidx, align, offset, lane);
        emitter.visitMemoryLane(opcode, memidx, align, offset, lane);
    }
}
