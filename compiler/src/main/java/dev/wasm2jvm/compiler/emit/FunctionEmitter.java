package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.DUP2_X2;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNULL;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.POP2;
import static org.objectweb.asm.Opcodes.SWAP;

/**
 * Emits one expression, a function body or a constant expression, into a JVM method: it keeps the
 * operand stack's types, skips unreachable code, records line numbers, and hands each instruction
 * to the emitter of its concern (control, variables, memory, tables, calls, numerics). The wasm
 * operand stack is the JVM operand stack and wasm locals are JVM locals.
 */
final class FunctionEmitter implements InstructionVisitor {
    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;
    private final OperandStack stack;
    private final ControlEmitter control;
    private final VariableEmitter variables;
    private final MemoryEmitter memory;
    private final AtomicEmitter atomics;
    private final TableEmitter tables;
    private final CallEmitter calls;
    private final NumericEmitter numeric;
    private final int funcidx;
    private final int lineBase;
    private int offset;

    /**
     * @param type the function's type, or {@code [] -> [t]} for a constant expression
     * @param expression whether the code is a constant expression, whose value is left on the stack
     * @param funcidx the function's index for error messages, or -1
     * @param lineBase the module offset that is line 1 of the method's line numbers, or -1 for none
     */
    FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, FuncType type, boolean expression,
                    int funcidx, int lineBase) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.stack = new OperandStack(mv, locals);
        this.control = new ControlEmitter(mv, layout, stack, type, expression);
        this.variables = new VariableEmitter(mv, layout, locals);
        this.memory = new MemoryEmitter(mv, layout, locals);
        this.atomics = new AtomicEmitter(mv, locals, memory);
        this.tables = new TableEmitter(mv, layout, locals);
        this.calls = new CallEmitter(mv, layout, locals);
        this.numeric = new NumericEmitter(mv);
        this.funcidx = funcidx;
        this.lineBase = lineBase;
    }

    @Override
    public void visitOffset(int offset) {
        this.offset = offset;
        if (lineBase < 0 || control.skipping()) return;
        int line = offset - lineBase + 1;
        if (line > 0 && line <= 0xFFFF) {
            Label here = new Label();
            mv.visitLabel(here);
            mv.visitLineNumber(line, here);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (control.skipping()) return;
        switch (opcode) {
            case Opcodes.UNREACHABLE -> control.visitUnreachable();
            case Opcodes.NOP -> { }
            case Opcodes.RETURN -> control.visitReturn();
            case Opcodes.DROP -> JvmType.pop(mv, stack.pop());
            case Opcodes.SELECT -> select();
            case Opcodes.REF_IS_NULL -> refIsNull();
            case Opcodes.ATOMIC_FENCE -> atomics.visitFence();
            default -> {
                FuncType sig = NumericTypes.signature(opcode);
                if (sig == null || !numeric.visitInsn(opcode)) throw unsupported(opcode);
                stack.pop(sig.params().size());
                stack.pushAll(sig.results());
            }
        }
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        control.visitBlock(opcode, blocktype);
    }

    @Override
    public void visitElse() {
        control.visitElse();
    }

    @Override
    public void visitEnd() {
        control.visitEnd();
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        if (!control.skipping()) control.visitBranch(opcode, labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        if (!control.skipping()) control.visitBrTable(labels, defaultLabel);
    }

    @Override
    public void visitCall(int funcidx) {
        if (control.skipping()) return;
        calls.visitCall(funcidx, stack);
        memory.refreshSegment();
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        if (control.skipping()) return;
        calls.visitCallIndirect(typeidx, tableidx, stack);
        memory.refreshSegment();
    }

    /** Caches memory 0's segment at function entry, if the function has the cache slot. */
    void enterFunction() {
        memory.refreshSegment();
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (!control.skipping()) variables.visitVariable(opcode, index, stack);
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        if (!control.skipping()) select();
    }

    @Override
    public void visitI32Const(int value) {
        if (control.skipping()) return;
        Push.intConst(mv, value);
        stack.push(ValType.I32);
    }

    @Override
    public void visitI64Const(long value) {
        if (control.skipping()) return;
        Push.longConst(mv, value);
        stack.push(ValType.I64);
    }

    @Override
    public void visitF32Const(int bits) {
        if (control.skipping()) return;
        Push.floatConst(mv, bits);
        stack.push(ValType.F32);
    }

    @Override
    public void visitF64Const(long bits) {
        if (control.skipping()) return;
        Push.doubleConst(mv, bits);
        stack.push(ValType.F64);
    }

    @Override
    public void visitRefNull(ValType type) {
        if (control.skipping()) return;
        mv.visitInsn(ACONST_NULL);
        stack.push(type);
    }

    @Override
    public void visitRefFunc(int funcidx) {
        if (control.skipping()) return;
        locals.loadInstance(mv);
        Push.intConst(mv, funcidx);
        mv.visitMethodInsn(INVOKEVIRTUAL, layout.owner, ModuleEmitter.FUNC_REF_METHOD, "(I)L" + JvmType.FUNC_REF + ";", false);
        stack.push(ValType.FUNCREF);
    }

    @Override
    public void visitMemoryAccess(int opcode, int align, long offset) {
        if (control.skipping()) return;
        if (Opcodes.prefix(opcode) == Opcodes.PREFIX_ATOMIC) atomics.visitAtomicAccess(opcode, offset, stack);
        else if (!memory.visitMemoryAccess(opcode, offset, stack)) throw unsupported(opcode);
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        if (!control.skipping()) memory.visitMemoryInsn(opcode, index, stack);
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        if (!control.skipping()) tables.visitTableInsn(opcode, index, index2, stack);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        if (!control.skipping()) throw simd("v128.const");
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        if (!control.skipping()) throw simd("i8x16.shuffle");
    }

    @Override
    public void visitLane(int opcode, int lane) {
        if (!control.skipping()) throw simd(Opcodes.name(opcode));
    }

    @Override
    public void visitMemoryLane(int opcode, int align, long offset, int lane) {
        if (!control.skipping()) throw simd(Opcodes.name(opcode));
    }

    /** {@code select}: keeps the first operand if the condition is non-zero, else the second. */
    private void select() {
        stack.pop();
        ValType t = stack.pop();
        Label second = new Label();
        Label end = new Label();
        mv.visitJumpInsn(IFEQ, second);
        JvmType.pop(mv, t);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(second);
        if (JvmType.size(t) == 2) {
            mv.visitInsn(DUP2_X2);
            mv.visitInsn(POP2);
            mv.visitInsn(POP2);
        } else {
            mv.visitInsn(SWAP);
            mv.visitInsn(POP);
        }
        mv.visitLabel(end);
    }

    private void refIsNull() {
        stack.pop();
        Label isNull = new Label();
        Label end = new Label();
        mv.visitJumpInsn(IFNULL, isNull);
        mv.visitInsn(ICONST_0);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(isNull);
        mv.visitInsn(ICONST_1);
        mv.visitLabel(end);
        stack.push(ValType.I32);
    }

    /** Whether the final {@code end} has been visited. */
    boolean finished() {
        return control.finished();
    }

    private CompileException unsupported(int opcode) {
        String name = Opcodes.name(opcode);
        String feature = Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD ? "SIMD instruction " + name : "instruction " + name;
        return CompileException.unsupported(feature, offset, funcidx);
    }

    private CompileException simd(String name) {
        return CompileException.unsupported("SIMD instruction " + name, offset, funcidx);
    }
}
