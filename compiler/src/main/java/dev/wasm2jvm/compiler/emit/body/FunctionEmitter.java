package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.debug.SourceLine;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.OptionalInt;

import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.DUP2_X2;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNULL;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.POP2;
import static org.objectweb.asm.Opcodes.SWAP;

/**
 * Emits one expression, a function body or a constant expression, into a JVM method: it keeps the
 * operand stack's types, skips unreachable code, records line numbers, and hands each instruction
 * to the emitter of its concern (control, variables, memory, tables, calls, numerics). The wasm
 * operand stack is the JVM operand stack and wasm locals are JVM locals, save for what deep stacks
 * spill and the locals past the first ones ({@link OperandStack}, {@link Locals}): before each
 * instruction its operands are {@linkplain OperandStack#need loaded}.
 */
public final class FunctionEmitter extends InstructionVisitor {
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
    private final SimdEmitter simd;
    /** The {@code v128} locals that a {@code local.get} or {@code local.tee} defers to the SIMD instruction reading them in place. */
    private final InPlaceOperands inPlace;
    private final int funcidx;
    /** Whether the function loads or stores memory, so keeps memory 0's {@code Memory} in its local. */
    private final boolean accessesMemory;
    private final int lineBase;
    /** The pseudo-operations of the split function this method is part of, or {@code null} if the function is not split. */
    private final SplitMethod.Ops split;
    private int offset;
    /** The module offset of the instruction visited before the current one. */
    private int previousOffset = -1;
    /** The module offset of the last {@code i32.const} emitted, and its value. */
    private int constantOffset = -1;
    private int constantValue;
    /** The module offset of the last {@code local.tee} emitted, and its local. */
    private int teeOffset = -1;
    private int teeLocal;
    /** The code after the function's body's current instruction, for idioms; {@code null} for a constant expression. */
    private final LookAhead ahead;
    /** The multipliers the last {@link MulPairs} occurrence that computes them left, and where they hold. */
    private MulPairs.Magnitudes magnitudes;
    /** The loads and stores of the body that need no bounds check, once it has one ({@link #provenAccess}). */
    private ProvenAccesses provenAccesses;
    /** Whether the body's accesses call the compact helpers ({@link StraightLine}), once decided at its first access. */
    private Boolean compactAccesses;
    /** For an outlined part of a split function, the emitter of the function's own method, whose analyses it uses. */
    private FunctionEmitter function;
    /** The module offset after the last idiom lowered as a whole, whose instructions reading passes over. */
    private int idiomEnd = -1;
    /** The line of the last LineNumberTable entry, or 0. */
    private int line;
    /** The mark of every line entry, which {@link LineEntries} turns into a label where it places one. */
    private final Label lineMark = new LineEntries.LineLabel();
    private StackProbe probe;
    /** The start of the function's method, where a self tail call jumps, or {@code null} if the function is split. */
    private Label entry;
    /** The calls emitted so far, weighed as {@link JvmLimits#callWeight} says; the split plan bounds them per method. */
    private int callWeight;

    /**
     * Told, before each reachable instruction, its position in the body, the frame depth, the frame's
     * height on the JVM stack, the weight of the calls before it, the lowest height of the wasm
     * stack since the reachable instruction before it, and the wasm stack.
     */
    public interface StackProbe {
        void at(int position, int depth, int height, int calls, int lowWater, OperandStack.Value stack);
    }

    /**
     * Makes a {@code return_call} of this function itself a jump to {@code entry}, the start of its
     * method, before its locals are initialized: for a function that is one method.
     */
    public void selfTailCallEntry(Label entry) {
        this.entry = entry;
    }

    /** Makes every return of the function's method give back what its entry charged. */
    public void releaseOnReturn(HeapCharge charge) {
        control.releaseOnReturn(charge);
    }

    public void probe(StackProbe probe) {
        this.probe = probe;
    }

    /**
     * Makes this emitter, of an outlined part of a split function, use the analyses of the body that
     * {@code function}, the emitter of the function's own method, makes, so that the body is analysed
     * once for all of the function's methods.
     */
    public void partOf(FunctionEmitter function) {
        this.function = function;
    }

    /** What the spills of this method need of the function's value arrays. */
    public OperandStack.Spill spillNeeds() {
        return stack.spillNeeds();
    }

    /**
     * @param type the function's type, or {@code [] -> [t]} for a constant expression
     * @param expression whether the code is a constant expression, whose value is left on the stack
     * @param funcidx the function's index for error messages, or -1
     * @param lineBase the module offset that is line 1 of the method's line numbers when the module has
     *     no line table, or -1 for no line numbers
     */
    public FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, FuncType type, boolean expression,
                    int funcidx, int lineBase) {
        this(mv, layout, locals, funcidx, lineBase, null, type, expression);
    }

    /**
     * Emits a method of a split function, {@code method}: the function's own, whose outlined parts
     * become calls, or an outlined part's.
     *
     * @param type the function's type, or an outlined part's
     */
    public FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, int funcidx, SplitMethod method, FuncType type) {
        this(mv, layout, locals, funcidx, method.bodyOffset(), method, type, false);
    }

    private FunctionEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, int funcidx, int lineBase,
                            SplitMethod method, FuncType type, boolean expression) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.stack = new OperandStack(mv, locals, method == null ? 0 : method.stackBase());
        this.control = method != null && method.outlinedPart()
                ? ControlEmitter.enclosed(mv, layout, locals, stack)
                : new ControlEmitter(mv, layout, locals, stack, type, expression);
        this.variables = new VariableEmitter(mv, layout, locals);
        this.memory = new MemoryEmitter(mv, layout, locals);
        this.atomics = new AtomicEmitter(mv, locals, memory);
        this.tables = new TableEmitter(mv, layout, locals);
        this.calls = new CallEmitter(mv, layout, locals);
        this.numeric = new NumericEmitter(mv, locals.spill());
        this.split = method == null ? null : method.lower(mv, layout, locals, stack, control, memory);
        if (split != null) control.splitBy(split);
        this.funcidx = funcidx;
        this.ahead = funcidx < 0 ? null
                : new LookAhead(layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC)));
        this.inPlace = new InPlaceOperands(mv, locals, stack, ahead);
        this.simd = new SimdEmitter(mv, locals, memory, inPlace);
        this.accessesMemory = funcidx < 0 || layout.callEffects().accessesMemory(funcidx);
        this.lineBase = lineBase;
    }

    /**
     * Takes the instruction at {@code offset} as the current one and says where reading goes on:
     * there, or past an outlined construct or sequence just called, or an idiom lowered as a whole,
     * whose code its own method holds. It does what {@code visitOffset} would, which this emitter
     * leaves to it, so that the reader makes one call before each instruction, not two.
     */
    @Override
    public int resumeAt(int offset) {
        previousOffset = this.offset;
        this.offset = offset;
        if (offset < idiomEnd) return idiomEnd;
        // Inside a match of in-place operands: one step with the get that began it.
        if (offset < inPlace.end()) return offset;
        int position = offset - lineBase;
        int past = split == null ? -1 : split.passStates(position);
        if (past >= 0) return lineBase + past;
        if (control.skipping()) return offset;
        control.settle(offset);
        if (probe != null) {
            probe.at(position, control.depth(), control.jvmFrameHeight(), callWeight, stack.takeLowWater(), stack.snapshot());
        }
        int after = split == null ? -1 : split.callSequence(position);
        if (after >= 0) return lineBase + after;
        if (lineBase >= 0) lineEntry(offset);
        after = split == null ? -1 : split.callConstruct(position);
        return after >= 0 ? lineBase + after : offset;
    }

    /** A LineNumberTable entry for the instruction at {@code offset} if its line is new. */
    private void lineEntry(int offset) {
        int next = lineNumber(layout, offset, lineBase);
        // An entry holds until the next one, so only a change of line needs one.
        if (next > 0 && next <= 0xFFFF && next != line) {
            line = next;
            mv.visitLineNumber(line, lineMark);
        }
    }

    /**
     * The source line of the instruction at {@code offset}, else its offset from {@code lineBase}
     * counted from 1; 0 for none.
     */
    static int lineNumber(ModuleLayout layout, int offset, int lineBase) {
        if (layout.lines == null) return offset - lineBase + 1;
        SourceLine source = layout.lines.lookup(offset);
        return source == null ? 0 : source.line();
    }

    @Override
    public void visitInsn(int opcode) {
        if (skipping()) return;
        switch (opcode) {
            case Opcodes.UNREACHABLE -> control.visitUnreachable();
            case Opcodes.NOP -> { }
            case Opcodes.RETURN -> control.visitReturn();
            case Opcodes.DROP -> {
                stack.need(1);
                JvmType.pop(mv, stack.pop());
            }
            case Opcodes.SELECT -> select();
            case Opcodes.REF_IS_NULL -> refIsNull();
            case Opcodes.ATOMIC_FENCE -> atomics.visitFence();
            case Opcodes.THROW_REF -> control.visitThrowRef();
            default -> {
                if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) {
                    if (opcode == SimdOpcodes.I16X8_EXTEND_LOW_I8X16_S && mulPairs()) return;
                    if (!simd.visitInsn(opcode, stack, precedingConstant())) throw unsupported(opcode);
                    callWeight += simd.calls();
                    return;
                }
                Instruction insn = Instructions.of(opcode);
                if (insn.signature() == null) throw unsupported(opcode);
                FuncType sig = insn.type();
                stack.need(sig.params().size());
                if (!numeric.visitInsn(opcode)) throw unsupported(opcode);
                stack.pop(sig.params().size());
                stack.pushAll(sig.results());
            }
        }
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        // Only the try constructs of a split function reload locals in their handlers (enterCatching).
        if (split == null || control.skipping()) {
            control.visitBlock(opcode, blocktype);
            return;
        }
        split.openBlock(offset - lineBase, opcode, blocktype);
        if (opcode == Opcodes.TRY) enterCatching();
    }

    /** A {@code try_table}: never outlined itself ({@code emit.split.Region.staysWithHandlers}), but it may be in an outlined part. */
    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        boolean opens = !control.skipping();
        control.visitTryTable(blocktype, catches);
        if (opens) enterCatching();
    }

    /**
     * In a split function, after a try construct opened: the locals of this method that its body
     * writes go to the frame, where the body's code keeps them current, for its handler to reload.
     */
    private void enterCatching() {
        if (split == null) return;
        control.reloadOnCatch(split.enterTry(offset - lineBase));
    }

    /**
     * Whether a local this code sets goes to the frame too: in a split function, in the range of a
     * handler, or in an outlined part inside a try construct, whose handler is in a method above.
     */
    private boolean writesThrough() {
        return split != null && (split.catching() || control.inHandlerRange());
    }

    @Override
    public void visitThrow(int tagidx) {
        if (!skipping()) control.visitThrow(tagidx);
    }

    @Override
    public void visitCatch(int tagidx) {
        control.visitCatch(tagidx);
    }

    @Override
    public void visitDelegate(int labelidx) {
        control.visitDelegate(labelidx);
    }

    @Override
    public void visitRethrow(int labelidx) {
        if (!skipping()) control.visitRethrow(labelidx);
    }

    @Override
    public void visitElse() {
        control.visitElse();
    }

    @Override
    public void visitEnd() {
        control.visitEnd();
    }

    private boolean skipping() {
        return control.skipping();
    }

    /** The prologue of an outlined part's method. */
    public void enterPart() {
        split.enterPart();
    }

    /**
     * The end of an outlined part's method, after its own instructions, at position {@code end} of
     * the body: no instruction is there, but control falls through the end of the part's code if it
     * reaches it, and the part's exits follow.
     */
    public void endPart(int end) {
        if (!control.skipping()) {
            control.settle(offset);
            lineEntry(lineBase + end);
            split.exitEnd();
        }
        split.endPart();
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
        callWeight += JvmLimits.callWeight(Opcodes.CALL);
        FuncType type = layout.module.funcType(funcidx);
        if (!JvmType.isWide(type)) stack.need(type.params().size());
        calls.visitCall(funcidx, stack);
    }

    @Override
    public void visitReturnCall(int funcidx) {
        if (skipping()) return;
        callWeight += JvmLimits.callWeight(Opcodes.CALL);
        FuncType type = layout.module.funcType(funcidx);
        if (!JvmType.isWide(type)) stack.need(type.params().size());
        if (funcidx == this.funcidx && entry != null && !JvmType.isWide(type)) {
            // The values under the arguments are the caller's, which a return discards.
            int params = type.params().size();
            stack.dropUnder(params, stack.size() - params);
            for (int l = params - 1; l >= 0; l--) JvmType.store(mv, type.params().get(l), locals.slot(l));
            control.jumpToEntry(entry);
            return;
        }
        calls.visitReturnCall(funcidx, stack);
        control.visitReturn();
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        if (skipping()) return;
        callWeight += JvmLimits.callWeight(Opcodes.CALL_INDIRECT);
        FuncType type = layout.module.types().get(typeidx);
        stack.need(JvmType.isWide(type) ? 1 : type.params().size() + 1);
        calls.visitReturnCallIndirect(typeidx, tableidx, stack);
        control.visitReturn();
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        if (skipping()) return;
        callWeight += JvmLimits.callWeight(Opcodes.CALL_INDIRECT);
        FuncType type = layout.module.types().get(typeidx);
        stack.need(JvmType.isWide(type) ? 1 : type.params().size() + 1);
        calls.visitCallIndirect(typeidx, tableidx, stack);
    }

    /**
     * The function's prologue: the termination poll if the function is on a cycle of calls in a
     * module that polls ({@link dev.wasm2jvm.compiler.emit.layout.CallEffects}), caching memory 0's {@code Memory} if it accesses memory, and if parts of the
     * function are outlined the frame object, which takes the parameters the body's own code never names.
     */
    public void enterFunction(int params) {
        if (layout.callEffects().pollsOnEntry(funcidx)) control.pollTermination();
        if (accessesMemory) memory.cacheMemory();
        if (split != null) split.enterFunction(params);
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (skipping()) return;
        boolean tee = opcode == Opcodes.LOCAL_TEE;
        if ((opcode == Opcodes.LOCAL_GET || tee) && inPlace.defer(opcode, offset, index)) {
            if (!tee) return;
            // The value stays in the local, where the instruction after reads it.
            opcode = Opcodes.LOCAL_SET;
        }
        boolean pops = opcode == Opcodes.LOCAL_SET || tee || opcode == Opcodes.GLOBAL_SET;
        stack.need(pops ? 1 : 0);
        variables.visitVariable(opcode, index, stack);
        if (tee) {
            teeOffset = offset;
            teeLocal = index;
        }
        if ((opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) && writesThrough()) split.writeThrough(index);
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
        constantOffset = offset;
        constantValue = value;
    }

    /**
     * The value on top of the operand stack if the instruction right before this one was an
     * {@code i32.const}, which is then that constant's value however it reached the JVM stack.
     */
    private OptionalInt precedingConstant() {
        return previousOffset == constantOffset ? OptionalInt.of(constantValue) : OptionalInt.empty();
    }

    /**
     * Lowers the {@link MulPairs} idiom as a whole if it starts here, just after the {@code local.tee}
     * of its signed vector, after the instructions that compute its multipliers if it holds them,
     * and passes over the rest of its instructions.
     */
    private boolean mulPairs() {
        if (ahead == null || previousOffset != teeOffset) return false;
        MulPairs.Match match = MulPairs.at(ahead, offset, teeLocal, magnitudes);
        if (match == null) return false;
        MulPairs.computeMultipliers(match, this);
        // The multipliers' local.tee precedes no instruction: the next one's operand is the idiom's result.
        teeOffset = -1;
        MulPairs.emit(mv, locals, stack, match);
        callWeight += MulPairs.CALLS;
        idiomEnd = match.end();
        if (match.computed() != null) magnitudes = MulPairs.magnitudesAfter(ahead, match);
        return true;
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
        RuntimeRefs.INSTANCE_FUNC_REF.invokeOn(mv, layout.owner);
        stack.push(ValType.FUNCREF);
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        if (skipping()) return;
        if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) {
            simd.visitMemoryAccess(opcode, memidx, offset, stack);
            callWeight += simd.calls();
            return;
        }
        callWeight += JvmLimits.callWeight(opcode);
        stack.need(Instructions.of(opcode).operands());
        if (Instructions.of(opcode).atomic() != null) atomics.visitAtomicAccess(opcode, memidx, offset, stack);
        else if (!memory.visitMemoryAccess(opcode, memidx, offset, provenAccess(), compactAccesses(), stack)) throw unsupported(opcode);
    }

    /**
     * Whether an earlier access proved the current one in bounds; the body is analysed at its first
     * access. A probe's code is discarded, and either helper leaves the same stack and call weight.
     */
    private boolean provenAccess() {
        if (ahead == null || probe != null) return false;
        return provenAccesses().proven(offset);
    }

    /**
     * Whether the body's loads and stores call the compact helpers, chosen at the first access any of
     * the function's methods emits; a constant expression's never do.
     */
    private boolean compactAccesses() {
        if (function != null) return function.compactAccesses();
        if (compactAccesses == null) {
            compactAccesses = ahead != null && StraightLine.compact(layout.module,
                    layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC)));
        }
        return compactAccesses;
    }

    /** The body's proven accesses, analysed at the first access any of the function's methods emits. */
    private ProvenAccesses provenAccesses() {
        if (function != null) return function.provenAccesses();
        if (provenAccesses == null) {
            provenAccesses = ProvenAccesses.of(layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC)));
        }
        return provenAccesses;
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        if (skipping()) return;
        stack.need(Instructions.of(opcode).operands());
        memory.visitMemoryInsn(opcode, index, index2, stack);
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        if (skipping()) return;
        stack.need(Instructions.of(opcode).operands());
        tables.visitTableInsn(opcode, index, index2, stack);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        if (!skipping()) simd.visitV128Const(bytes, stack);
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        if (skipping()) return;
        simd.visitShuffle(lanes, stack);
        callWeight += simd.calls();
    }

    @Override
    public void visitLane(int opcode, int lane) {
        if (skipping()) return;
        simd.visitLane(opcode, lane, stack);
        callWeight += simd.calls();
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        if (skipping()) return;
        simd.visitMemoryLane(opcode, memidx, offset, lane, stack);
        callWeight += simd.calls();
    }

    /** {@code select}: keeps the first operand if the condition is non-zero, else the second. */
    private void select() {
        stack.need(3);
        stack.pop();
        ValType t = stack.pop();
        Label second = new Label();
        Label end = new Label();
        mv.visitJumpInsn(IFEQ, second);
        JvmType.pop(mv, t);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(second);
        if (t == ValType.V128) {
            int mark = locals.mark();
            int kept = locals.borrow(t);
            JvmType.store(mv, t, kept);
            JvmType.pop(mv, t);
            JvmType.load(mv, t, kept);
            locals.release(mark);
        } else if (JvmType.size(t) == 2) {
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
        stack.need(1);
        stack.pop();
        numeric.condition(IFNULL);
        stack.push(ValType.I32);
    }

    private CompileException unsupported(int opcode) {
        String name = Opcodes.name(opcode);
        String feature = Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD ? "SIMD instruction " + name : "instruction " + name;
        return CompileException.unsupported(feature, offset, funcidx);
    }
}
