package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.List;

/**
 * Validates a constant expression: only {@code t.const}, {@code ref.null}, {@code ref.func},
 * {@code global.get} of an immutable global in scope, and the extended constant instructions
 * {@code i32.add}, {@code i32.sub}, {@code i32.mul}, {@code i64.add}, {@code i64.sub} and
 * {@code i64.mul} may occur; the rest is typed like any expression. Each instruction's constness is checked before its type, as the spec tests expect
 * ({@code (global i32 (nop))} is "constant expression required", not a type mismatch).
 */
final class ConstantExpressionValidator extends InstructionVisitor {
    private final Context context;
    private final ExpressionValidator.Located types;
    private final int globalScope;

    /** @param globalScope how many globals (from index 0) {@code global.get} may read */
    ConstantExpressionValidator(Context context, ValType type, int globalScope) {
        this.context = context;
        this.globalScope = globalScope;
        this.types = new ExpressionValidator.Located(context, new FuncType(List.of(), List.of(type)), List.of());
    }

    int offset() {
        return types.offset();
    }

    @Override
    public void visitOffset(int offset) {
        types.visitOffset(offset);
    }

    @Override
    public void visitEnd() {
        types.visitEnd();
    }

    @Override
    public void visitI32Const(int value) {
        types.visitI32Const(value);
    }

    @Override
    public void visitI64Const(long value) {
        types.visitI64Const(value);
    }

    @Override
    public void visitF32Const(int bits) {
        types.visitF32Const(bits);
    }

    @Override
    public void visitF64Const(long bits) {
        types.visitF64Const(bits);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        types.visitV128Const(bytes);
    }

    @Override
    public void visitRefNull(ValType type) {
        types.visitRefNull(type);
    }

    /** Mentioning a function here declares it for {@code ref.func} in function bodies (C.refs). */
    @Override
    public void visitRefFunc(int funcidx) {
        context.declare(funcidx);
        types.visitRefFunc(funcidx);
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (opcode != Opcodes.GLOBAL_GET) throw required();
        if (context.constantGlobal(index, globalScope).mutable()) throw required();
        types.visitVariable(opcode, index);
    }

    @Override
    public void visitInsn(int opcode) {
        switch (opcode) {
            case Opcodes.I32_ADD, Opcodes.I32_SUB, Opcodes.I32_MUL,
                 Opcodes.I64_ADD, Opcodes.I64_SUB, Opcodes.I64_MUL -> types.visitInsn(opcode);
            default -> throw required();
        }
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        throw required();
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        throw required();
    }

    @Override
    public void visitThrow(int tagidx) {
        throw required();
    }

    @Override
    public void visitCatch(int tagidx) {
        throw required();
    }

    @Override
    public void visitDelegate(int labelidx) {
        throw required();
    }

    @Override
    public void visitRethrow(int labelidx) {
        throw required();
    }

    @Override
    public void visitElse() {
        throw required();
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        throw required();
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        throw required();
    }

    @Override
    public void visitCall(int funcidx) {
        throw required();
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        throw required();
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        throw required();
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        throw required();
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        throw required();
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        throw required();
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        throw required();
    }

    @Override
    public void visitLane(int opcode, int lane) {
        throw required();
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        throw required();
    }

    private static ValidationFailure required() {
        return new ValidationFailure("constant expression required");
    }
}
