package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.V22;

/**
 * Decides how each defined function is emitted: whether it is split, and how ({@link Outlining}),
 * and the spill elements its value arrays need. A trial emission of the unsplit function into a
 * scratch class measures its method and what its spills need; a function too large for one method
 * then gets a plan per budget, from {@link JvmLimits#SPLIT_METHOD} down, each measured by a trial
 * emission of its methods, until the largest fits. A plan reads only the module and the layout's
 * names (trials request their helpers of {@link ModuleLayout#scratch}), so it is the same on any
 * thread and in any order.
 */
public final class FunctionPlanner {
    /** Wasm bodies smaller than this cannot reach the split budget, so they are not measured. */
    private static final int SMALL_BODY = 1000;

    /**
     * Past this many bytes of wasm, a function's unsplit trial also records the stack states that a
     * split needs ({@link #probe}), sparing a second emission: at the bytecode per wasm byte of
     * compiled C (below 2.1 for every unsplit function of Ruby), a body this long is near the split
     * threshold. Shorter bodies are split seldom enough (for their calls) that recording at every
     * trial would cost more than probing the few again.
     */
    private static final int PROBED_BODY = JvmLimits.HUGE_METHOD / 2;

    /** The budgets tried stop above this many bytes of bytecode. */
    private static final int LOWEST_BUDGET = 500;

    private FunctionPlanner() {}

    /**
     * How to emit a defined function: the outlining of its constructs, or {@code null}, with the
     * method budget it was planned for (0 when unsplit), and its value arrays' spill elements.
     */
    public record Plan(Outlining outlining, int budget, OperandStack.Spill spill) {}

    /**
     * How to emit defined function {@code funcidx}: the constructs to outline into methods of their
     * own, when it would otherwise exceed {@link JvmLimits#SPLIT_METHOD} (a trial emission measures the
     * bytecode per wasm byte, and the plan is tightened until every method fits), and the spill
     * elements its value arrays need, which the trial finds out when the function may deepen its
     * operand stack.
     */
    public static Plan plan(ModuleLayout layout, int funcidx) {
        FunctionBody body = layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC));
        boolean large = body.code().length >= SMALL_BODY;
        if (!large && !mayDeepen(layout, funcidx, body)) return new Plan(null, 0, OperandStack.Spill.NONE);
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = body.code().length >= PROBED_BODY ? new TreeMap<>() : null;
        Trial unsplit = trial(layout, funcidx, null, OperandStack.Spill.ANY, points == null ? null : recorder(points));
        int size = unsplit.sizes().getOrDefault(layout.bodyName(funcidx), Integer.MAX_VALUE);
        if (!large) return new Plan(null, 0, unsplit.spill());
        return outline(layout, funcidx, body, size, unsplit.spill(), points);
    }

    /**
     * How to split function {@code funcidx}, whose unsplit method has {@code size} bytes, if it need
     * be; {@code probed} holds the states its unsplit trial recorded, or is {@code null} if it
     * recorded none. Of the budgets tried, the first whose largest method fits wins, else the one
     * whose largest method is smallest.
     */
    private static Plan outline(ModuleLayout layout, int funcidx, FunctionBody body, int size, OperandStack.Spill spill,
                                NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> probed) {
        WasmModule module = layout.module;
        Region root = RegionScanner.scan(module, body, module.funcType(funcidx));
        if (size <= JvmLimits.HUGE_METHOD && root.calls <= JvmLimits.MAX_CALLS) return new Plan(null, 0, spill);
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = probed != null ? probed : probe(layout, funcidx, spill);
        double ratio = (double) size / body.code().length;
        List<ValType> locals = FunctionMethods.allLocals(module, funcidx, body);
        int slotLocals = Locals.slotLocals(locals);
        Outlining outlining = null;
        int chosen = 0;
        int best = Integer.MAX_VALUE;
        for (int budget = JvmLimits.SPLIT_METHOD; budget > LOWEST_BUDGET && best > JvmLimits.HUGE_METHOD; budget = budget * 2 / 3) {
            Outlining candidate = new Outlining(layout, funcidx, body, root,
                    SplitPlan.plan(module, body, root, points, ratio, budget, slotLocals), locals, points);
            int largest = largestMethod(layout, funcidx, candidate, spill);
            if (largest < best) {
                best = largest;
                outlining = candidate;
                chosen = budget;
            }
        }
        return new Plan(outlining, chosen, spill);
    }

    /** The bytecode of the largest method of function {@code funcidx} emitted as {@code outlining} says. */
    static int largestMethod(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill) {
        return trial(layout, funcidx, outlining, spill, null).sizes().values().stream().max(Integer::compare).orElse(0);
    }

    /**
     * Whether {@code body}, of function {@code funcidx}, might take the JVM operand stack past
     * {@link OperandStack#SPILL_THRESHOLD} slots. An instruction that pushes without popping takes
     * two bytes at least and pushes one value: at most one slot per byte, but two for a
     * {@code local.get} or {@code global.get} of a {@code v128} (four slots); a call pushes its
     * results, at most {@link ModuleLayout#maxResultSlots} slots for two bytes.
     */
    private static boolean mayDeepen(ModuleLayout layout, int funcidx, FunctionBody body) {
        boolean v128 = layout.v128Global() || body.locals().contains(ValType.V128)
                || layout.module.funcType(funcidx).params().contains(ValType.V128);
        int slotsPerByte = Math.max(v128 ? 2 : 1, (layout.maxResultSlots() + 1) / 2);
        return (long) body.code().length * slotsPerByte > OperandStack.SPILL_THRESHOLD;
    }

    /**
     * Emits function {@code funcidx} of {@code module}, which must be valid, unsplit, and returns the
     * state before each reachable instruction by position: what {@link SplitPlan#plan} takes.
     */
    public static NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> probe(WasmModule module, int funcidx) {
        return probe(new ModuleLayout(module, "Probe"), funcidx, OperandStack.Spill.ANY);
    }

    /** Emits function {@code funcidx} unsplit, and returns the state before each reachable instruction by position. */
    private static NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> probe(ModuleLayout layout, int funcidx,
                                                                                  OperandStack.Spill spill) {
        WasmModule module = layout.module;
        FunctionBody body = module.codes().get(funcidx - module.importCount(ExternKind.FUNC));
        FuncType type = module.funcType(funcidx);
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = new TreeMap<>();
        MethodVisitor discard = new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) { };
        Locals locals = Locals.function(type, FunctionMethods.allLocals(module, funcidx, body), module.memoryCount() > 0, false, spill);
        FunctionEmitter emitter = new FunctionEmitter(discard, layout.scratch(), locals, type, false, funcidx, body.offset());
        emitter.probe(recorder(points));
        CodeReader.read(body.code(), body.offset(), emitter);
        return points;
    }

    /**
     * A probe that puts the state before each instruction into {@code points}. The states depend on
     * the wasm code alone, not on the method visitor or on the spill arrays' sizes, so an unsplit
     * trial records the same ones as {@link #probe}.
     */
    private static FunctionEmitter.StackProbe recorder(NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points) {
        return (position, depth, height, calls, lowWater, stack) ->
                points.put(position, point(depth, height, calls, lowWater, stack));
    }

    /** The state before an instruction, with the types of the frame's {@code jvmHeight} values on the JVM stack if they are few. */
    private static SplitPlan.Point<OperandStack.Value> point(int depth, int jvmHeight, int calls, int lowWater,
                                                            OperandStack.Value stack) {
        List<ValType> operands = null;
        if (jvmHeight <= SplitPlan.MAX_CARRIED) {
            ValType[] types = new ValType[jvmHeight];
            OperandStack.Value v = stack;
            for (int i = jvmHeight - 1; i >= 0; i--, v = v.below()) types[i] = v.type();
            operands = List.of(types);
        }
        return new SplitPlan.Point<>(depth, calls, operands, lowWater, stack == null ? 0 : stack.height(), stack);
    }

    /** The outcome of a trial emission: the methods' sizes, and what the function's spills need. */
    private record Trial(Map<String, Integer> sizes, OperandStack.Spill spill) {}

    /** Emits function {@code funcidx} (and its outlined constructs) alone, telling {@code probe}, if any, of its method's states. */
    private static Trial trial(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill,
                               FunctionEmitter.StackProbe probe) {
        ClassWriter trial = new ClassWriter(0);
        trial.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, null);
        OperandStack.Spill needs = FunctionMethods.emit(owner -> trial, layout.scratch(), funcidx, outlining, spill, probe);
        trial.visitEnd();
        try {
            return new Trial(CodeSizes.of(trial.toByteArray()), needs);
        } catch (MethodTooLargeException e) {
            return new Trial(Map.of(e.getMethodName(), e.getCodeSize()), needs);
        }
    }
}
