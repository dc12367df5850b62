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
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
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
 * scratch class measures its method and what its spills need (a body too short to be near the split
 * threshold, with few calls, is only bounded: first from its code alone, {@link StaticBound}, then
 * by an emission into {@link CodeBound}; within the limit, it stays whole);
 * a function too large for one method
 * then gets a plan per budget, from {@link JvmLimits#SPLIT_METHOD} down, each measured by a trial
 * emission of its methods, until the largest fits (or, for a module's first pass, the first
 * budget's plan unmeasured, its methods measured as they are written: {@link #plan(ModuleLayout, int,
 * boolean)}). A plan reads only the module and the layout's
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

    /**
     * From this many bytes of wasm, an unsplit trial records its method's jumps, so that a method
     * past a short jump's reach has its size without the class written, read back and written again
     * to widen them ({@link WidenedLength}). Every unsplit method past the reach measured had 1.07
     * to 1.47 bytes of bytecode per wasm byte (Sightglass {@code sqlite3}'s three, the SQLite
     * shell's one, of 22,587 to 49,225 bytes of wasm); a shorter method that passes it has its class
     * written, as before.
     */
    static final int FAR_BODY = Short.MAX_VALUE / 2;

    /** The budgets tried stop above this many bytes of bytecode. */
    private static final int LOWEST_BUDGET = 500;

    /** A function's weighed calls before a pass has counted them. */
    private static final int UNCOUNTED = -1;

    private FunctionPlanner() {}

    /**
     * How to emit a defined function: the outlining of its constructs, or {@code null}, with the
     * method budget it was planned for (0 when unsplit), its value arrays' spill elements, and
     * whether its methods were measured to fit: an outlining planned without measuring its methods
     * ({@link #plan(ModuleLayout, int, boolean)}) must have them bounded as they are emitted.
     */
    public record Plan(Outlining outlining, int budget, OperandStack.Spill spill, boolean measured) {
        /** A plan whose methods were measured to fit, or that splits nothing. */
        Plan(Outlining outlining, int budget, OperandStack.Spill spill) {
            this(outlining, budget, spill, true);
        }
    }

    /**
     * How to emit defined function {@code funcidx}: the constructs to outline into methods of their
     * own, when it would otherwise exceed {@link JvmLimits#SPLIT_METHOD} (a trial emission measures the
     * bytecode per wasm byte, and the plan is tightened until every method fits), and the spill
     * elements its value arrays need, which the trial finds out when the function may deepen its
     * operand stack.
     */
    public static Plan plan(ModuleLayout layout, int funcidx) {
        return plan(layout, funcidx, true);
    }

    /**
     * As {@link #plan(ModuleLayout, int)}, but unless {@code measure}, the outlining planned for
     * {@link JvmLimits#SPLIT_METHOD} is taken without a trial of its methods: on the modules
     * measured, every split function's plan fits at that first budget (the SQLite shell's 87, Ruby's
     * 266, regex's 26; largest method 6,440 bytes), and that trial was 7 to 10% of the compiling
     * thread. Such a plan is not {@linkplain Plan#measured measured}: its methods are bounded as they
     * are emitted, and a function whose methods do not fit is planned again with {@code measure}.
     */
    public static Plan plan(ModuleLayout layout, int funcidx, boolean measure) {
        FunctionBody body = layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC));
        boolean large = body.code().length >= SMALL_BODY;
        boolean probed = body.code().length >= PROBED_BODY;
        boolean simdLoop = layout.callEffects().mayHoldSimdLoop(funcidx) && RegionScanner.holdsSimdLoop(body);
        // A function entered once may have a large innermost loop to outline however small it is.
        boolean once = body.code().length >= JvmLimits.ONCE_LOOP && layout.enteredOnce().test(funcidx);
        boolean loops = simdLoop || once;
        if (!large && !loops && !mayDeepen(layout, funcidx, body)) return new Plan(null, 0, OperandStack.Spill.NONE);
        // Of a function that will not be split, only its spill needs and that it fits are asked: a
        // bound of its bytecode answers, without the class a trial writes for the exact size. Too
        // many calls split a function whatever its size, and a body near the split threshold is
        // measured exactly at once.
        // A body with a static bound spills nothing, and if the bound fits, with few calls, it stays
        // whole without a trial at all.
        int calls = UNCOUNTED;
        if (large && !loops && !probed) {
            StaticBound.Bound bound = StaticBound.of(layout, funcidx, body);
            if (bound.size() <= JvmLimits.HUGE_METHOD && bound.calls() <= JvmLimits.MAX_CALLS) {
                return new Plan(null, 0, OperandStack.Spill.NONE);
            }
            // A bounded body was read to its end, its calls counted as RegionScanner.calls counts them.
            calls = bound.size() != StaticBound.UNBOUNDED ? bound.calls() : RegionScanner.calls(body);
            if (calls <= JvmLimits.MAX_CALLS) {
                Trial bounded = bound(layout, funcidx, null, OperandStack.Spill.ANY);
                if (bounded.sizes().get(layout.bodyName(funcidx)) <= JvmLimits.HUGE_METHOD) {
                    return new Plan(null, 0, bounded.spill());
                }
            }
        } else if (!large && !loops) {
            return new Plan(null, 0, bound(layout, funcidx, null, OperandStack.Spill.ANY).spill());
        }
        // The states before each instruction, which a split needs, are recorded by the trial of a
        // function that will be split (for a loop of SIMD work or entered once, or too many calls)
        // or may well be (past PROBED_BODY bytes), sparing an emission of it to probe them after.
        Recording recording = probed || loops || calls > JvmLimits.MAX_CALLS ? new Recording(body) : null;
        Trial unsplit = trial(layout, funcidx, null, OperandStack.Spill.ANY, recording);
        int size = unsplit.sizes().getOrDefault(layout.bodyName(funcidx), Integer.MAX_VALUE);
        return outline(layout, funcidx, body, size, calls, unsplit.spill(), recording, simdLoop, once, measure);
    }

    /**
     * How to split function {@code funcidx}, whose unsplit method has {@code size} bytes, if it need
     * be, or if it has a loop of SIMD work ({@code simdLoop}, which {@link SplitPlan} outlines when it
     * is worth a call); a function that does not fit one method, or is entered once ({@code once},
     * {@link dev.wasm2jvm.compiler.emit.layout.EnteredOnce}), has its large innermost loops outlined
     * too ({@link JvmLimits#LARGE_LOOP}, {@link JvmLimits#ONCE_LOOP}); {@code calls} are its weighed calls
     * ({@link RegionScanner#calls}), or {@link #UNCOUNTED}; {@code probed} holds the states its
     * unsplit trial recorded, or is {@code null} if it recorded none. Of the budgets tried, the
     * first whose largest method fits wins, else the one whose largest method is smallest; a budget
     * whose plan outlines what the one before did is not measured again. Unless {@code measure}, the
     * first budget's plan is taken unmeasured.
     */
    private static Plan outline(ModuleLayout layout, int funcidx, FunctionBody body, int size, int calls,
                                OperandStack.Spill spill, Recording probed, boolean simdLoop, boolean once,
                                boolean measure) {
        boolean sizeFits = size <= JvmLimits.HUGE_METHOD;
        // A function planned for its loops has its region tree scanned whatever it holds, and the
        // tree counts its calls; another one's calls are counted without the tree, which it may not need.
        if (sizeFits && !simdLoop && !once && (calls != UNCOUNTED ? calls : RegionScanner.calls(body)) <= JvmLimits.MAX_CALLS) {
            return new Plan(null, 0, spill);
        }
        WasmModule module = layout.module;
        FlowInstructions flow = new FlowInstructions(body.offset());
        Region root = RegionScanner.scan(module, body, module.funcType(funcidx), flow);
        boolean fits = sizeFits && root.calls <= JvmLimits.MAX_CALLS;
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = probed != null ? probed.points() : probe(layout, funcidx, spill);
        double ratio = (double) size / body.code().length;
        List<ValType> locals = FunctionMethods.allLocals(module, funcidx, body);
        int slotLocals = Locals.slotLocals(locals);
        Outlining outlining = null;
        int chosen = 0;
        int best = Integer.MAX_VALUE;
        SplitPlan.Plan previous = null;
        // A function that fits, entered once, is planned for its large loops alone: at the split
        // budget, one of 7,000 to 8,000 bytes would have a construct outlined as well.
        int first = fits && !simdLoop ? Integer.MAX_VALUE : JvmLimits.SPLIT_METHOD;
        // A split function keeps 300 bytes (250 was measured and not kept); one entered once that fits
        // outlines loops from 200 (EnteredOnce has the figures of both thresholds).
        int largeLoop = !fits ? JvmLimits.LARGE_LOOP : once ? JvmLimits.ONCE_LOOP : SplitPlan.NO_LARGE_LOOPS;
        for (int budget = first; budget > LOWEST_BUDGET && best > JvmLimits.HUGE_METHOD; budget = budget * 2 / 3) {
            SplitPlan.Plan plan = SplitPlan.plan(module, body, root, points, ratio, budget, slotLocals, largeLoop);
            // A function that fits, planned for its loops, stays whole when none is worth a call.
            if (fits && plan.outlinesNothing()) return new Plan(null, 0, spill);
            if (previous != null && plan.outlinesAs(previous)) continue;
            previous = plan;
            Outlining candidate = new Outlining(layout, funcidx, body, root, flow, plan, locals, points);
            if (!measure) return new Plan(candidate, budget, spill, false);
            int largest = largestWithinLimit(layout, funcidx, candidate, spill);
            if (largest < best) {
                best = largest;
                outlining = candidate;
                chosen = budget;
            }
        }
        return new Plan(outlining, chosen, spill);
    }

    /**
     * The bytecode of the largest method of function {@code funcidx} emitted as {@code outlining}
     * says, or a bound of it ({@link CodeBound}) that is within {@link JvmLimits#HUGE_METHOD}. The
     * budgets tried stop at the first whose methods fit, and only compare the sizes of candidates
     * that do not, so either answer makes the same choice; the bound spares writing a class.
     */
    private static int largestWithinLimit(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill) {
        int largest = bound(layout, funcidx, outlining, spill).sizes().values().stream().max(Integer::compare).orElse(0);
        return largest <= JvmLimits.HUGE_METHOD ? largest : largestMethod(layout, funcidx, outlining, spill);
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
        MethodVisitor discard = new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) { };
        Locals locals = Locals.function(type, FunctionMethods.allLocals(module, funcidx, body), module.memoryCount() > 0, false, spill);
        FunctionEmitter emitter = new FunctionEmitter(discard, layout.scratch(), locals, type, false, funcidx, body.offset());
        Recording recording = new Recording(body);
        emitter.probe(recording);
        CodeReader.read(body.code(), body.offset(), emitter);
        return recording.points();
    }

    /**
     * A probe that records the state before each instruction. The states depend on the wasm code
     * alone, not on the method visitor or on the spill arrays' sizes, so an unsplit trial records
     * the same ones as {@link #probe}. Most functions whose trial records them are not split, so
     * they are kept as they come, in arrays, and made points only for a function that is. The arrays
     * are sized for one state per byte of the body, which no emission passes (an instruction takes a
     * byte at least, and its state is recorded once): grown by doubling from 256 states, their
     * copies were 0.6% of the SQLite shell's compiling thread.
     */
    private static final class Recording implements FunctionEmitter.StackProbe {
        private int count;
        private final int[] states;
        private final OperandStack.Value[] stacks;

        /** A recording of the states of {@code body}'s instructions. */
        Recording(FunctionBody body) {
            states = new int[5 * body.code().length];
            stacks = new OperandStack.Value[body.code().length];
        }

        @Override
        public void at(int position, int depth, int jvmHeight, int calls, int lowWater, OperandStack.Value stack) {
            int at = 5 * count;
            states[at] = position;
            states[at + 1] = depth;
            states[at + 2] = jvmHeight;
            states[at + 3] = calls;
            states[at + 4] = lowWater;
            stacks[count++] = stack;
        }

        /**
         * The state before each reachable instruction, by position; a position recorded again keeps
         * its last state. Each is made a point when the plan first asks for it ({@link PositionMap}).
         */
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points() {
            int[] positions = new int[count];
            int[] recorded = new int[count];
            int n = 0;
            for (int i = 0; i < count; i++) {
                int position = states[5 * i];
                // Reading goes forward, so positions only grow, unless one is recorded again.
                if (n > 0 && position < positions[n - 1]) return unordered();
                if (n == 0 || position > positions[n - 1]) n++;
                positions[n - 1] = position;
                recorded[n - 1] = i;
            }
            return new PositionMap<>(positions, n, k -> point(recorded[k]));
        }

        /** The points put one by one, for states recorded out of order. */
        private NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> unordered() {
            NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = new TreeMap<>();
            for (int i = 0; i < count; i++) points.put(states[5 * i], point(i));
            return points;
        }

        /** The point of the {@code i}th state recorded. */
        private SplitPlan.Point<OperandStack.Value> point(int i) {
            int at = 5 * i;
            return FunctionPlanner.point(states[at + 1], states[at + 2], states[at + 3], states[at + 4], stacks[i]);
        }
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

    /**
     * Emits function {@code funcidx} as {@link #trial} does, but only bounds its methods' bytecode
     * ({@link CodeBound}): the sizes are at least the exact ones, and the spill needs are the same,
     * which depend on the wasm code alone.
     */
    private static Trial bound(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill) {
        CodeBound bound = new CodeBound();
        // The end label is not placed by a bound, which passes no visit on.
        OperandStack.Spill needs = FunctionMethods.measure(owner -> bound, layout.scratch(), funcidx, outlining, spill, null,
                new Label());
        return new Trial(bound.bounds(), needs);
    }

    /**
     * Emits function {@code funcidx} (and its outlined constructs) alone, telling {@code probe}, if
     * any, of its method's states. Unsplit, only the size of the function's own method is asked for,
     * and may be the only one given.
     */
    private static Trial trial(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill,
                               FunctionEmitter.StackProbe probe) {
        ClassWriter trial = new ClassWriter(0);
        trial.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, null);
        Label end = new Label();
        String name = layout.bodyName(funcidx);
        int wasm = layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC)).code().length;
        WidenedLength widened = outlining == null && wasm >= FAR_BODY ? new WidenedLength(trial, name) : null;
        ClassVisitor written = widened != null ? widened : trial;
        OperandStack.Spill needs = FunctionMethods.measure(owner -> written, layout.scratch(), funcidx, outlining, spill, probe, end);
        // A method within a short offset's reach has no jump to widen, so its end as written is its
        // size, without the class written and read back (0.3% of the SQLite shell's compiling thread).
        if (outlining == null && end.getOffset() <= Short.MAX_VALUE) return new Trial(Map.of(name, end.getOffset()), needs);
        if (widened != null) return new Trial(Map.of(name, widened.length(end.getOffset())), needs);
        trial.visitEnd();
        try {
            return new Trial(CodeSizes.of(trial.toByteArray()), needs);
        } catch (MethodTooLargeException e) {
            return new Trial(Map.of(e.getMethodName(), e.getCodeSize()), needs);
        }
    }
}
