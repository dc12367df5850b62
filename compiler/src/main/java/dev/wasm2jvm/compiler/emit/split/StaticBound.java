package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * An upper bound of the bytecode of a function's unsplit method, summed from its wasm code without
 * running an emitter: each instruction counts the longest sequence its emitter writes for it (with
 * every local and scratch slot taken as needing a {@code wide} form if the method may have slots
 * past 255, every constant an {@code ldc_w}), and a branch the values it drops as the operand
 * stack's height says. A function whose bound is within {@link JvmLimits#HUGE_METHOD} fits one
 * method without a trial emission; only the rest are bounded by {@link CodeBound} or measured.
 *
 * <p>It covers the code of compiled C and Rust: numeric, variable, memory and call instructions and
 * control flow whose blocks take no parameters and give at most one result, in a function whose
 * locals all have slots and whose operand stack stays within {@link OperandStack#SPILL_THRESHOLD}
 * JVM slots (two per value at most), so that it spills nothing. Anything else (SIMD and
 * {@code v128} values, atomics, tables, exception handling, tail calls, multiple values, boxed
 * arguments, a deep stack) has no static bound here: a function using it is
 * {@linkplain #UNBOUNDED unbounded}, and a trial decides.
 *
 * <p>The sizes below are read off the body emitters; {@code StaticBoundTest} holds the bound at or
 * above the exact size of every function of real modules, so an emitter that grows an
 * instruction's code past its size here fails it.
 */
final class StaticBound extends InstructionVisitor {
    /** The bound of a function whose code this class does not bound. */
    static final int UNBOUNDED = Integer.MAX_VALUE;

    /**
     * The scratch slots that emitters borrow past a function's locals, at most, with room to spare:
     * a branch's label value ({@code OperandStack.dropUnder}), and nothing this bound covers borrows
     * more than a few.
     */
    private static final int SCRATCH_SLOTS = 64;
    /** {@code unreachable}: {@code invokestatic} of its trap's factory, {@code athrow}. */
    private static final int TRAP = 3 + 1;
    /** {@code select}: the jump on the condition, a {@code pop} and a {@code goto}, then the swap and pop of the other path. */
    private static final int SELECT = 3 + 1 + 3 + 3;
    /** A comparison's 0 or 1 from a jump ({@code NumericEmitter.condition}). */
    private static final int CONDITION = 3 + 1 + 3 + 1;
    /** A jump. */
    private static final int JUMP = 3;
    /** A {@code br_table} beyond its cases: the mapped switch's range check and map lookup, a tableswitch's padding and header. */
    private static final int BR_TABLE = 1 + 3 + 3 + 3 + 3 + 1 + 1 + 1 + 3 + 3 + 16;
    /** {@code wide} and a two-byte index: a local slot past 255. */
    private static final int WIDE_VAR = 4;
    /** The longest numeric instruction ({@code NumericEmitter.rotateI64}): its count through the spill slot, loaded twice. */
    private static final int ROTATE_I64 = 8 + 3 * WIDE_VAR;
    /** An unsigned {@code i64} comparison: both operands' sign bits flipped, {@code lcmp}, the condition. */
    private static final int UNSIGNED_I64_COMPARISON = 3 + 1 + 1 + 1 + 3 + 1 + 1 + 8;
    /** An unsigned {@code i32} comparison: both operands' sign bits flipped around swaps, the condition. */
    private static final int UNSIGNED_I32_COMPARISON = 3 + 1 + 1 + 3 + 1 + 1 + 8;
    /** Any other comparison or test: an {@code lcmp} or {@code fcmp}, an {@code lconst_0} for {@code i64.eqz}, the condition. */
    private static final int COMPARISON = 1 + 1 + 8;
    /** {@code i32.rotl/rotr}: the shift pair of {@code NumericEmitter.rotateI32}. */
    private static final int ROTATE_I32 = 7;
    /** {@code i64.extend_i32_u}: {@code i2l}, {@code ldc2_w} of the mask, {@code land}. */
    private static final int EXTEND_UNSIGNED = 5;
    /** Every other numeric instruction: a bytecode or two, a call, or a call and a conversion ({@code i64.clz}). */
    private static final int NUMERIC = 4;
    /** An integer constant: {@code ldc_w} ({@code Push}). */
    private static final int CONST = 3;
    /** A float constant, which for a NaN is its bits pushed and a call ({@code Push}). */
    private static final int FLOAT_CONST = 3 + 3;

    /** An {@code xload}/{@code xstore} of any slot of the function: two bytes, or four when a slot may be past 255. */
    private final int var;
    /** The instance's {@code aload} and a field or method reference. */
    private final int instanceRef;
    /** Caching memory 0's {@code Memory} at entry: the memory field, the store ({@code MemoryEmitter.cacheMemory}). */
    private final int cacheMemory;
    /** {@code global.get/set} of a boxed global of a number type ({@code VariableEmitter}): the instance, two fields, the bits' conversion, a stack shuffle. */
    private final int global;
    /**
     * A load or store of memory 0 ({@code MemoryEmitter.callAccess}): the memarg offset's constant,
     * the {@code Memory} from its local, the helper's call.
     */
    private final int memoryAccess;
    /** A load or store of a memory other than memory 0: its field instead of the local. */
    private final int otherMemoryAccess;
    /** {@code memory.*} and {@code data.drop}: two memories' fields or a data segment's array, the call. */
    private final int memoryInsn;
    /** A call or {@code call_indirect}: the instance and the call. */
    private final int call;
    /** {@code ref.func}: the instance, the index, the call. */
    private final int refFunc;
    /**
     * Dropping the values under a branch's label value ({@code OperandStack.dropUnder}): the label
     * value stored and loaded again around one {@code pop} or {@code pop2} per value dropped.
     */
    private final int dropUnder;

    private final WasmModule module;
    /** Bytes so far, as a long: it is compared once, at the end. */
    private long size;
    private boolean unbounded;
    /** The height of the wasm operand stack. */
    private int height;
    /** Per open frame: the stack height under it, its results, whether it is a loop, whether the code in it is unreachable. */
    private int[] bases = new int[16];
    private int[] results = new int[16];
    private boolean[] loops = new boolean[16];
    private boolean[] unreachable = new boolean[16];
    private int frames;
    /** Blocks opened in unreachable code and not yet closed, which the emitter skips. */
    private int skipped;
    private int calls;
    private final BitSet targets = new BitSet();

    /** @param slots the JVM local slots of the function's method before any scratch slot */
    private StaticBound(WasmModule module, int slots) {
        this.module = module;
        var = slots + SCRATCH_SLOTS <= 256 ? 2 : WIDE_VAR;
        instanceRef = var + 3;
        cacheMemory = instanceRef + var;
        global = instanceRef + 3 + 3 + 2;
        memoryAccess = 3 + var + 3;
        otherMemoryAccess = 3 + instanceRef + 3;
        memoryInsn = 2 * instanceRef + 3 + 3;
        call = instanceRef;
        refFunc = var + 3 + 3;
        dropUnder = 2 * var;
    }

    /** What {@link #of} finds: the bound of the function's method's bytecode, and its calls weighed as {@link JvmLimits#callWeight} says. */
    record Bound(int size, int calls) {}

    /**
     * The bound of the bytecode of function {@code funcidx}'s unsplit method as a trial emits it
     * (with {@code OperandStack.Spill.ANY}), or {@link #UNBOUNDED}, and its calls; {@code body}, its
     * code, must be valid. A bounded function spills nothing: its spill needs are
     * {@link OperandStack.Spill#NONE}.
     */
    static Bound of(ModuleLayout layout, int funcidx, FunctionBody body) {
        WasmModule module = layout.module;
        FuncType type = module.funcType(funcidx);
        List<ValType> locals = FunctionMethods.allLocals(module, funcidx, body);
        if (layout.v128Global() || layout.makesTailCalls(funcidx) || JvmType.isWide(type) || type.results().size() > 1
                || locals.contains(ValType.V128) || Locals.slotLocals(locals) < locals.size()) {
            return new Bound(UNBOUNDED, 0);
        }
        // The parameters, the instance, memory 0's Memory, the spill slots, the declared locals and
        // the value arrays of a trial's spill placeholder (Locals).
        int slots = 1 + 1 + 2 + Locals.KINDS.size();
        for (ValType t : locals) slots += JvmType.size(t);
        StaticBound bound = new StaticBound(module, slots);
        bound.size = bound.prologue(body.locals().size());
        bound.open(false, type.results().size());
        CodeReader.read(body.code(), body.offset(), bound);
        return new Bound(bound.unbounded || bound.size > UNBOUNDED - 1 ? UNBOUNDED : (int) bound.size, bound.calls);
    }

    /**
     * The method's prologue and its entry: zeroing {@code declared} locals (a constant and a store
     * each), the value arrays of a trial's spill placeholder ({@code iconst_1}, {@code newarray} or
     * {@code anewarray}, {@code astore} per kind), the termination poll, the {@code Memory}'s load.
     */
    private long prologue(int declared) {
        return (long) declared * (1 + var) + Locals.KINDS.size() * (1 + 3 + var) + poll() + cacheMemory;
    }

    /**
     * The termination poll ({@code ControlEmitter.pollTermination}): the call site's target read and
     * compared (two {@code getstatic}s, a call, a branch), then the instance's termination field and
     * its call.
     */
    private int poll() {
        return 3 + 3 + 3 + 3 + instanceRef + 3;
    }

    private void open(boolean loop, int arity) {
        if (frames == bases.length) {
            bases = Arrays.copyOf(bases, 2 * frames);
            results = Arrays.copyOf(results, 2 * frames);
            loops = Arrays.copyOf(loops, 2 * frames);
            unreachable = Arrays.copyOf(unreachable, 2 * frames);
        }
        bases[frames] = height;
        results[frames] = arity;
        loops[frames] = loop;
        unreachable[frames] = false;
        frames++;
    }

    /** Whether the emitter skips the current instruction: it is unreachable, or nothing is bounded any more. */
    private boolean skipping() {
        return unbounded || unreachable[frames - 1];
    }

    private void markUnreachable() {
        unreachable[frames - 1] = true;
    }

    private void unbounded() {
        unbounded = true;
    }

    /**
     * Pops {@code pops} values and pushes {@code pushes}. A stack that may take more than
     * {@link OperandStack#SPILL_THRESHOLD} JVM slots goes deep and spills, which this does not bound.
     */
    private void stack(int pops, int pushes) {
        height += pushes - pops;
        if (2 * height > OperandStack.SPILL_THRESHOLD) unbounded();
    }

    /** A jump to label {@code labelidx} with its values on top of the stack, the others under them dropped. */
    private int branch(int labelidx) {
        int frame = frames - 1 - labelidx;
        // A branch to the function's label returns, which leaves what is under the results.
        if (frame == 0) return 1;
        // A loop's label takes its parameters, of which it has none; a block's its results.
        int drop = height - bases[frame] - (loops[frame] ? 0 : results[frame]);
        return JUMP + (drop > 0 ? dropUnder + drop : 0);
    }

    /** The results of a block of type {@code blocktype}, or -1 if this bound does not cover its form. */
    private int arity(BlockType blocktype) {
        FuncType type = blocktype.resolve(module);
        if (!type.params().isEmpty() || type.results().size() > 1 || type.results().contains(ValType.V128)) return -1;
        return type.results().size();
    }

    /** Whether a call of type {@code type} has a form this bound covers: a slot per parameter, at most one result, no v128. */
    private static boolean plainCall(FuncType type) {
        return !JvmType.isWide(type) && type.results().size() <= 1 && !type.params().contains(ValType.V128)
                && !type.results().contains(ValType.V128);
    }

    @Override
    public void visitInsn(int opcode) {
        // SIMD weighs in the calls even where unreachable (RegionScanner.calls), and is not bounded here.
        if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) unbounded();
        if (skipping()) return;
        switch (opcode) {
            case Opcodes.UNREACHABLE -> {
                size += TRAP;
                markUnreachable();
            }
            case Opcodes.NOP -> { }
            case Opcodes.RETURN -> {
                size += 1;
                markUnreachable();
            }
            case Opcodes.DROP -> {
                size += 1;
                stack(1, 0);
            }
            case Opcodes.SELECT -> {
                size += SELECT;
                stack(3, 1);
            }
            case Opcodes.REF_IS_NULL -> {
                size += CONDITION;
                stack(1, 1);
            }
            default -> {
                int prefix = Opcodes.prefix(opcode);
                Instruction insn = Instructions.of(opcode);
                if (prefix == Opcodes.PREFIX_ATOMIC || insn.signature() == null) {
                    unbounded();
                    return;
                }
                size += numeric(opcode);
                stack(insn.operands(), insn.type().results().size());
            }
        }
    }

    /** The longest lowering of numeric instruction {@code opcode} ({@code NumericEmitter}). */
    private int numeric(int opcode) {
        return switch (opcode) {
            case Opcodes.I64_ROTL, Opcodes.I64_ROTR -> ROTATE_I64;
            case Opcodes.I64_LT_U, Opcodes.I64_GT_U, Opcodes.I64_LE_U, Opcodes.I64_GE_U -> UNSIGNED_I64_COMPARISON;
            case Opcodes.I32_LT_U, Opcodes.I32_GT_U, Opcodes.I32_LE_U, Opcodes.I32_GE_U -> UNSIGNED_I32_COMPARISON;
            case Opcodes.I32_ROTL, Opcodes.I32_ROTR -> ROTATE_I32;
            case Opcodes.I64_EXTEND_I32_U -> EXTEND_UNSIGNED;
            default -> opcode >= Opcodes.I32_EQZ && opcode <= Opcodes.F64_GE ? COMPARISON : NUMERIC;
        };
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        if (skipping()) {
            skipped++;
            return;
        }
        int arity = opcode == Opcodes.TRY ? -1 : arity(blocktype);
        if (arity < 0) {
            unbounded();
            return;
        }
        switch (opcode) {
            case Opcodes.LOOP -> {
                size += poll();
                open(true, arity);
            }
            case Opcodes.IF -> {
                size += JUMP;
                stack(1, 0);
                open(false, arity);
            }
            default -> open(false, arity);
        }
    }

    @Override
    public void visitElse() {
        if (unbounded || skipped > 0) return;
        int frame = frames - 1;
        if (!unreachable[frame]) size += JUMP;
        unreachable[frame] = false;
        height = bases[frame];
    }

    @Override
    public void visitEnd() {
        if (unbounded) return;
        if (skipped > 0) {
            skipped--;
            return;
        }
        int frame = --frames;
        if (frame == 0) {
            if (!unreachable[0]) size += 1;
            return;
        }
        // Code after the end counts as reachable: the bound then covers what the emitter may skip.
        height = bases[frame] + results[frame];
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        if (skipping()) return;
        if (opcode == Opcodes.BR) {
            size += branch(labelidx);
            markUnreachable();
            return;
        }
        stack(1, 0);
        size += JUMP + branch(labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        if (skipping()) return;
        stack(1, 0);
        targets.clear();
        targets.set(defaultLabel);
        for (int l : labels) targets.set(l);
        size += BR_TABLE + 4L * (labels.length + 1);
        for (int l = targets.nextSetBit(0); l >= 0; l = targets.nextSetBit(l + 1)) size += branch(l);
        markUnreachable();
    }

    @Override
    public void visitCall(int funcidx) {
        // Calls are counted where unreachable too, as RegionScanner.calls counts them.
        calls += JvmLimits.callWeight(Opcodes.CALL);
        if (skipping()) return;
        call(module.funcType(funcidx), 0);
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        calls += JvmLimits.callWeight(Opcodes.CALL_INDIRECT);
        if (skipping()) return;
        if (module.tableType(tableidx).address64()) {
            unbounded();
            return;
        }
        call(module.types().get(typeidx), 1);
    }

    /** A call of a function of type {@code type}, with {@code index} operands more (a table element's index). */
    private void call(FuncType type, int index) {
        if (!plainCall(type)) {
            unbounded();
            return;
        }
        size += call;
        stack(type.params().size() + index, type.results().size());
    }

    @Override
    public void visitReturnCall(int funcidx) {
        unbounded();
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        unbounded();
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (skipping()) return;
        switch (opcode) {
            case Opcodes.LOCAL_GET -> {
                size += var;
                stack(0, 1);
            }
            case Opcodes.LOCAL_SET -> {
                size += var;
                stack(1, 0);
            }
            case Opcodes.LOCAL_TEE -> size += 1 + var;
            case Opcodes.GLOBAL_GET -> {
                size += global;
                stack(0, 1);
            }
            default -> {
                size += global;
                stack(1, 0);
            }
        }
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        if (skipping()) return;
        if (types.length != 1 || types[0] == ValType.V128) {
            unbounded();
            return;
        }
        size += SELECT;
        stack(3, 1);
    }

    @Override
    public void visitI32Const(int value) {
        constant(CONST);
    }

    @Override
    public void visitI64Const(long value) {
        constant(CONST);
    }

    @Override
    public void visitF32Const(int bits) {
        constant(FLOAT_CONST);
    }

    @Override
    public void visitF64Const(long bits) {
        constant(FLOAT_CONST);
    }

    private void constant(int bytes) {
        if (skipping()) return;
        size += bytes;
        stack(0, 1);
    }

    @Override
    public void visitRefNull(ValType type) {
        if (skipping()) return;
        size += 1;
        stack(0, 1);
    }

    @Override
    public void visitRefFunc(int funcidx) {
        if (skipping()) return;
        size += refFunc;
        stack(0, 1);
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        calls += JvmLimits.callWeight(opcode);
        Instruction insn = Instructions.of(opcode);
        if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) unbounded();
        if (skipping()) return;
        if (insn.atomic() != null) {
            unbounded();
            return;
        }
        size += memidx == 0 ? memoryAccess : otherMemoryAccess;
        stack(insn.operands(), insn.type(ValType.I32).results().size());
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        if (skipping()) return;
        Instruction insn = Instructions.of(opcode);
        size += memoryInsn;
        stack(insn.operands(), insn.type(ValType.I32).results().size());
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        if (!skipping()) unbounded();
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        unbounded();
    }

    @Override
    public void visitThrow(int tagidx) {
        if (!skipping()) unbounded();
    }

    @Override
    public void visitCatch(int tagidx) {
        unbounded();
    }

    @Override
    public void visitDelegate(int labelidx) {
        unbounded();
    }

    @Override
    public void visitRethrow(int labelidx) {
        if (!skipping()) unbounded();
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        unbounded();
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        unbounded();
    }

    @Override
    public void visitLane(int opcode, int lane) {
        unbounded();
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        unbounded();
    }
}
