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
 * every local and scratch slot taken as needing a {@code wide} form, every constant an
 * {@code ldc_w}), and a branch the values it drops as the operand stack's height says. A function
 * whose bound is within {@link JvmLimits#HUGE_METHOD} fits one method without a trial emission;
 * only the rest are bounded by {@link CodeBound} or measured.
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
final class StaticBound implements InstructionVisitor {
    /** The bound of a function whose code this class does not bound. */
    static final int UNBOUNDED = Integer.MAX_VALUE;

    /** A {@code xload}/{@code xstore} of any slot: {@code wide} and a two-byte index. */
    private static final int VAR = 4;
    /** The instance's {@code aload} and a field or method reference. */
    private static final int INSTANCE_REF = VAR + 3;
    /** Reloading memory 0's cached segment: the memory field, its segment field, the store ({@code MemoryEmitter.refreshSegment}). */
    private static final int REFRESH_SEGMENT = INSTANCE_REF + 3 + VAR;
    /** The termination poll: the instance's termination field and its call ({@code ControlEmitter.pollTermination}). */
    private static final int POLL = INSTANCE_REF + 3;
    /**
     * The value arrays a trial's spill placeholder makes, one per kind ({@code Locals.initialize}):
     * {@code iconst_1}, {@code newarray} or {@code anewarray}, {@code astore}.
     */
    private static final int SPILL_ARRAYS = Locals.KINDS.size() * (1 + 3 + VAR);
    /** Zeroing a declared local: its default's constant and the store. */
    private static final int LOCAL_ZERO = 1 + VAR;
    /**
     * The longest numeric instruction ({@code NumericEmitter}): {@code i64.rotl} with its count
     * through the spill slot (20 bytes); an unsigned {@code i64} comparison to 0 or 1 takes 19.
     */
    private static final int NUMERIC = 20;
    /** A constant: {@code ldc_w}, or for a NaN its bits pushed and a call ({@code Push}). */
    private static final int CONST = 3 + 3;
    /** {@code global.get/set} of a boxed global of a number type ({@code VariableEmitter}): the instance, two fields, the bits' conversion, a stack shuffle. */
    private static final int GLOBAL = INSTANCE_REF + 3 + 3 + 2;
    /**
     * A load or store ({@code MemoryEmitter.callAccess}): the memarg offset's constant, the segment
     * (of another memory: its field and the segment field), the helper's call.
     */
    private static final int MEMORY_ACCESS = 3 + INSTANCE_REF + 3 + 3;
    /** {@code memory.*} and {@code data.drop}: two memories' fields or a data segment's array, the call, the segment reloaded. */
    private static final int MEMORY_INSN = 2 * INSTANCE_REF + 3 + 3 + REFRESH_SEGMENT;
    /** A call or {@code call_indirect}: the instance, the call, the segment reloaded after it. */
    private static final int CALL = INSTANCE_REF + REFRESH_SEGMENT;
    /** {@code unreachable}: {@code new}, {@code dup}, {@code ldc_w}, {@code invokespecial}, {@code athrow}. */
    private static final int TRAP = 3 + 1 + 3 + 3 + 1;
    /** {@code select}: the jump on the condition, a {@code pop} and a {@code goto}, then the swap and pop of the other path. */
    private static final int SELECT = 3 + 1 + 3 + 3;
    /** A comparison's 0 or 1 from a jump ({@code NumericEmitter.condition}). */
    private static final int CONDITION = 3 + 1 + 3 + 1;
    /** {@code ref.func}: the instance, the index, the call. */
    private static final int REF_FUNC = VAR + 3 + 3;
    /** A jump. */
    private static final int JUMP = 3;
    /**
     * Dropping the values under a branch's label value ({@code OperandStack.dropUnder}): the label
     * value stored and loaded again around one {@code pop} or {@code pop2} per value dropped.
     */
    private static final int DROP_UNDER = 2 * VAR;
    /** A {@code br_table} beyond its cases: the mapped switch's range check and map lookup, a tableswitch's padding and header. */
    private static final int BR_TABLE = 1 + 3 + 3 + 3 + 3 + 1 + 1 + 1 + 3 + 3 + 16;

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

    private StaticBound(WasmModule module) {
        this.module = module;
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
        StaticBound bound = new StaticBound(module);
        bound.size = SPILL_ARRAYS + (long) LOCAL_ZERO * body.locals().size() + POLL + REFRESH_SEGMENT;
        bound.open(false, type.results().size());
        CodeReader.read(body.code(), body.offset(), bound);
        return new Bound(bound.unbounded || bound.size > UNBOUNDED - 1 ? UNBOUNDED : (int) bound.size, bound.calls);
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
        return JUMP + (drop > 0 ? DROP_UNDER + drop : 0);
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
                size += NUMERIC;
                stack(insn.operands(), insn.type().results().size());
            }
        }
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
                size += POLL;
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
        size += CALL;
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
                size += VAR;
                stack(0, 1);
            }
            case Opcodes.LOCAL_SET -> {
                size += VAR;
                stack(1, 0);
            }
            case Opcodes.LOCAL_TEE -> size += 1 + VAR;
            case Opcodes.GLOBAL_GET -> {
                size += GLOBAL;
                stack(0, 1);
            }
            default -> {
                size += GLOBAL;
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
        constant();
    }

    @Override
    public void visitI64Const(long value) {
        constant();
    }

    @Override
    public void visitF32Const(int bits) {
        constant();
    }

    @Override
    public void visitF64Const(long bits) {
        constant();
    }

    private void constant() {
        if (skipping()) return;
        size += CONST;
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
        size += REF_FUNC;
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
        size += MEMORY_ACCESS;
        stack(insn.operands(), insn.type(ValType.I32).results().size());
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        if (skipping()) return;
        Instruction insn = Instructions.of(opcode);
        size += MEMORY_INSN;
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
