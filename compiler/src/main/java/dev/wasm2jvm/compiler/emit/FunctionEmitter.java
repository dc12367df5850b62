package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.NEWARRAY;
import static org.objectweb.asm.Opcodes.T_LONG;
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
    private final TableEmitter tables;
    private final CallEmitter calls;
    private final NumericEmitter numeric;
    private final int funcidx;
    private final int lineBase;
    private final Outlining outlining;
    private final Region region;
    private int offset;
    /** Nesting depth inside an outlined construct being skipped, or 0. */
    private int outlinedDepth;

    /**
     * @param type the function's type, or {@code [] -> [t]} for a constant expression
     * @param expression whether the code is a constant expression, whose value is left on the stack
     * @param funcidx the function's index for error messages, or -1
     * @param lineBase the module offset that is line 1 of the method's line numbers, or -1 for none
     */
    FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, FuncType type, boolean expression,
                    int funcidx, int lineBase) {
        this(mv, layout, locals, funcidx, lineBase, null, null, type, expression);
    }

    /**
     * Emits a function body whose constructs in {@code outlining} become calls, or, when
     * {@code region} is given, the method of that outlined construct.
     */
    FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, int funcidx, Outlining outlining, Region region,
                    FuncType type) {
        this(mv, layout, locals, funcidx, outlining.body.offset(), outlining, region, type, false);
    }

    private FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, int funcidx, int lineBase,
                            Outlining outlining, Region region, FuncType type, boolean expression) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.outlining = outlining;
        this.region = region;
        this.stack = new OperandStack(mv, locals);
        this.control = region != null
                ? new ControlEmitter(mv, layout, locals, stack, outlining, region)
                : new ControlEmitter(mv, layout, locals, stack, type, expression);
        this.variables = new VariableEmitter(mv, layout, locals);
        this.memory = new MemoryEmitter(mv, layout, locals);
        this.tables = new TableEmitter(mv, layout, locals);
        this.calls = new CallEmitter(mv, layout, locals);
        this.numeric = new NumericEmitter(mv);
        this.funcidx = funcidx;
        this.lineBase = lineBase;
    }

    @Override
    public void visitOffset(int offset) {
        this.offset = offset;
        if (lineBase < 0 || skipping()) return;
        int line = offset - lineBase + 1;
        if (line > 0 && line <= 0xFFFF) {
            Label here = new Label();
            mv.visitLabel(here);
            mv.visitLineNumber(line, here);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (skipping()) return;
        switch (opcode) {
            case Opcodes.UNREACHABLE -> control.visitUnreachable();
            case Opcodes.NOP -> { }
            case Opcodes.RETURN -> control.visitReturn();
            case Opcodes.DROP -> JvmType.pop(mv, stack.pop());
            case Opcodes.SELECT -> select();
            case Opcodes.REF_IS_NULL -> refIsNull();
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
        if (outlinedDepth > 0) {
            outlinedDepth++;
            return;
        }
        Region outlined = outlining == null || control.skipping() ? null : outlining.at(offset - outlining.body.offset());
        if (outlined != null && outlined != region) {
            callOutlined(outlined);
            outlinedDepth = 1;
            return;
        }
        control.visitBlock(opcode, blocktype);
    }

    @Override
    public void visitElse() {
        if (outlinedDepth == 0) control.visitElse();
    }

    @Override
    public void visitEnd() {
        if (outlinedDepth > 0) {
            outlinedDepth--;
            return;
        }
        control.visitEnd();
    }

    private boolean skipping() {
        return outlinedDepth > 0 || control.skipping();
    }

    /**
     * Calls the method of outlined construct {@code r}: its operands are on the stack, the locals it
     * touches go through the frame, and its exit code says where control continues.
     */
    private void callOutlined(Region r) {
        RegionFrame frame = outlining.frame;
        frame.storeLocals(mv, locals, r.touched());
        mv.visitVarInsn(ALOAD, locals.frameSlot());
        mv.visitVarInsn(ALOAD, locals.refsSlot());
        locals.loadInstance(mv);
        mv.visitMethodInsn(INVOKESTATIC, layout.owner, outlining.methodName(r), outlining.methodDescriptor(r), false);
        frame.loadLocals(mv, locals, r.writes);
        memory.refreshSegment();
        stack.pop(r.operands().size());
        List<Integer> codes = Outlining.exitCodes(r);
        if (codes.isEmpty()) {
            mv.visitInsn(POP);
        } else {
            Label fallthrough = new Label();
            Label[] exits = new Label[codes.size()];
            int[] keys = new int[codes.size()];
            for (int i = 0; i < exits.length; i++) {
                exits[i] = new Label();
                keys[i] = codes.get(i);
            }
            mv.visitLookupSwitchInsn(fallthrough, keys, exits);
            for (int i = 0; i < exits.length; i++) {
                mv.visitLabel(exits[i]);
                int code = keys[i];
                List<ValType> values = code == RegionFrame.RETURN ? outlining.functionResults : control.labelTypes(code - 1);
                frame.loadValues(mv, locals, values);
                stack.pushAll(values);
                if (code == RegionFrame.RETURN) control.emitReturn();
                else control.branch(code - 1);
                stack.pop(values.size());
            }
            mv.visitLabel(fallthrough);
        }
        frame.loadValues(mv, locals, r.type.results());
        stack.pushAll(r.type.results());
    }

    /**
     * The prologue of an outlined construct's method: the locals it touches come from the frame, and
     * its operands go back on the stack for the construct's first instruction.
     */
    void enterRegion() {
        memory.refreshSegment();
        outlining.frame.loadLocals(mv, locals, region.touched());
        List<ValType> operands = region.operands();
        for (int i = 0; i < operands.size(); i++) {
            JvmType.load(mv, operands.get(i), locals.operandSlot(i));
            stack.push(operands.get(i));
        }
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        if (!skipping()) control.visitBranch(opcode, labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        if (!skipping()) control.visitBrTable(labels, defaultLabel, offset);
    }

    @Override
    public void visitCall(int funcidx) {
        if (skipping()) return;
        calls.visitCall(funcidx, stack);
        memory.refreshSegment();
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        if (skipping()) return;
        calls.visitCallIndirect(typeidx, tableidx, stack);
        memory.refreshSegment();
    }

    /**
     * The function's prologue: the termination poll, caching memory 0's segment, and the frame arrays
     * if constructs of the function are outlined.
     */
    void enterFunction() {
        control.pollTermination();
        memory.refreshSegment();
        if (outlining == null) return;
        Push.intConst(mv, outlining.frame.size());
        mv.visitIntInsn(NEWARRAY, T_LONG);
        mv.visitVarInsn(ASTORE, locals.frameSlot());
        if (outlining.hasRefs) {
            Push.intConst(mv, outlining.frame.size());
            mv.visitTypeInsn(ANEWARRAY, JvmType.OBJECT);
        } else {
            mv.visitInsn(ACONST_NULL);
        }
        mv.visitVarInsn(ASTORE, locals.refsSlot());
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (!skipping()) variables.visitVariable(opcode, index, stack);
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        if (!skipping()) select();
    }

    @Override
    public void visitI32Const(int value) {
        if (skipping()) return;
        Push.intConst(mv, value);
        stack.push(ValType.I32);
    }

    @Override
    public void visitI64Const(long value) {
        if (skipping()) return;
        Push.longConst(mv, value);
        stack.push(ValType.I64);
    }

    @Override
    public void visitF32Const(int bits) {
        if (skipping()) return;
        Push.floatConst(mv, bits);
        stack.push(ValType.F32);
    }

    @Override
    public void visitF64Const(long bits) {
        if (skipping()) return;
        Push.doubleConst(mv, bits);
        stack.push(ValType.F64);
    }

    @Override
    public void visitRefNull(ValType type) {
        if (skipping()) return;
        mv.visitInsn(ACONST_NULL);
        stack.push(type);
    }

    @Override
    public void visitRefFunc(int funcidx) {
        if (skipping()) return;
        locals.loadInstance(mv);
        Push.intConst(mv, funcidx);
        mv.visitMethodInsn(INVOKEVIRTUAL, layout.owner, ModuleEmitter.FUNC_REF_METHOD, "(I)L" + JvmType.FUNC_REF + ";", false);
        stack.push(ValType.FUNCREF);
    }

    @Override
    public void visitMemoryAccess(int opcode, int align, long offset) {
        if (skipping()) return;
        if (!memory.visitMemoryAccess(opcode, offset, stack)) throw unsupported(opcode);
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        if (!skipping()) memory.visitMemoryInsn(opcode, index, stack);
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        if (!skipping()) tables.visitTableInsn(opcode, index, index2, stack);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        if (!skipping()) throw simd("v128.const");
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        if (!skipping()) throw simd("i8x16.shuffle");
    }

    @Override
    public void visitLane(int opcode, int lane) {
        if (!skipping()) throw simd(Opcodes.name(opcode));
    }

    @Override
    public void visitMemoryLane(int opcode, int align, long offset, int lane) {
        if (!skipping()) throw simd(Opcodes.name(opcode));
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
        String feature = Opcodes.prefix(opcode) == Opcodes.PREFIX_ATOMIC ? "threads instruction " + name
                : Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD ? "SIMD instruction " + name : "instruction " + name;
        return CompileException.unsupported(feature, offset, funcidx);
    }

    private CompileException simd(String name) {
        return CompileException.unsupported("SIMD instruction " + name, offset, funcidx);
    }
}
