package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.internal.BoxedArguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Which parts of a function to outline into methods of their own so that every generated method
 * stays within a bytecode budget: under HotSpot's 8000-byte limit for JIT compilation and far under
 * the JVM's 64 KiB method limit. Whole constructs go first, largest first; a construct whose own
 * straight-line code is still too large is cut into sequences between points where its stack holds
 * few values, which the sequences take as operands and give back as results; a nest of blocks that
 * lowers a switch runs as a state machine whose cases are grouped into methods ({@link BlockNest}).
 * Loops that HotSpot should compile as methods are outlined whatever their size: a state machine's
 * loop, a loop of SIMD work and, in a function that does not fit one method or is entered once, a
 * large innermost loop. Code of loops is planned to a smaller budget than other code
 * ({@link JvmLimits#SPLIT_LOOP_METHOD}).
 * Sizes are estimated from wasm bytes times the bytecode-per-byte ratio measured for the function.
 *
 * <p>What the plan keeps per region of the tree it keeps in arrays by the region's index in the
 * tree's {@linkplain Region#subtree() subtree}, whose regions' children follow one another, and the
 * constructs it outlines in a bit set by start position: with maps keyed by region and a set of
 * boxed positions, their puts and lookups were 0.5% of the SQLite shell's compiling thread
 * (async-profiler, 20 rounds with {@code --library}).
 */
public final class SplitPlan {
    /** Exits dispatched at a call site: exits further out pass through one shared case. */
    private static final int NEAR_EXITS = 64;
    /** The most values a cut may leave on the stack: the cut sequence takes them as operands. */
    public static final int MAX_CARRIED = 4;
    /** The {@code largeLoop} of {@link #plan}: no loop is outlined for its size alone. */
    public static final int NO_LARGE_LOOPS = Integer.MAX_VALUE;
    /** Bytecode per state of a tableswitch that enters a state. */
    private static final int STATE_ENTRY = 4;
    /** Bytecode of a nest's dispatcher, besides its calls of groups. */
    private static final int DISPATCHER = 40;
    /** Bytecode of a dispatcher's call of a group of states. */
    private static final int GROUP_CALL = 80;

    /**
     * The state before one reachable instruction: the frame's depth, the weight of the calls before it,
     * the types of the frame's values on the JVM stack if there are at most {@link #MAX_CARRIED}
     * (else {@code null}; a deep frame has none there), the lowest height of the operand stack since
     * the reachable instruction before, the operand stack's height, and the code generator's own
     * record of the operand stack, {@code stack}, which the plan does not read.
     */
    public record Point<S>(int depth, int calls, List<ValType> operands, int lowWater, int height, S stack) {}

    /** The outcome: the start positions of outlined constructs, the outlined sequences, the nests run as state machines. */
    public record Plan(BitSet constructs, List<Region> sequences, List<BlockNest> nests) {
        /** Whether the plan leaves the function whole. */
        public boolean outlinesNothing() {
            return constructs.isEmpty() && sequences.isEmpty() && nests.isEmpty();
        }

        /**
         * Whether {@code other}, a plan of the same function, outlines the same parts: the same
         * constructs, sequences of the same ranges, and the same nests with the same groups of
         * states, so that the methods emitted for the two are the same.
         */
        public boolean outlinesAs(Plan other) {
            if (!constructs.equals(other.constructs) || sequences.size() != other.sequences.size()
                    || nests.size() != other.nests.size()) return false;
            for (int i = 0; i < sequences.size(); i++) {
                Region a = sequences.get(i);
                Region b = other.sequences.get(i);
                if (a.start != b.start || a.end != b.end) return false;
            }
            for (int i = 0; i < nests.size(); i++) {
                BlockNest a = nests.get(i);
                BlockNest b = other.nests.get(i);
                if (!a.blocks.equals(b.blocks) || a.groups.size() != b.groups.size()) return false;
                for (int g = 0; g < a.groups.size(); g++) {
                    if (a.groups.get(g).first() != b.groups.get(g).first() || a.groups.get(g).last() != b.groups.get(g).last()) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private final WasmModule module;
    private final FunctionBody body;
    private final NavigableMap<Integer, ? extends Point<?>> points;
    private final double bytecodePerByte;
    private final int budget;
    /** How many of the function's locals have slots: an outlined part copies those it touches. */
    private final int slotLocals;
    /**
     * The wasm bytes from which an innermost loop is outlined as a resumable method: {@link
     * JvmLimits#LARGE_LOOP} if the function does not fit one method, {@link JvmLimits#ONCE_LOOP} if it
     * is entered once, else {@link #NO_LARGE_LOOPS}.
     */
    private final int largeLoop;
    /** The start positions of the constructs outlined. */
    private final BitSet outlined = new BitSet();
    /** The outlined sequences, in the order cut. */
    private final List<Region> sequences = new ArrayList<>();
    /** The weight each of {@link #sequences} takes out of its region. */
    private final List<Double> sequenceSizes = new ArrayList<>();
    /** The regions of the tree, parents before children ({@link Region#subtree()}): the arrays below are by index in it. */
    private final List<Region> regions;
    /** The index of each region's first child; its other children follow it. */
    private final int[] firstChild;
    /**
     * Each planned region's wasm bytes left in its method, final once the region is planned; for a
     * block of a nest, without the blocks it encloses.
     */
    private final double[] planned;
    /** The blocks of the nest that each region heads, or 0. */
    private final int[] chainSize;
    /** For each block of a nest but the innermost, the next block (its first child), planned with the nest rather than on its own; else -1. */
    private final int[] chained;
    private final List<BlockNest> nests = new ArrayList<>();
    /** The budget of each region's own method: {@link #budget}, or less for one of loops ({@link #loopBudgets}). */
    private final int[] budgets;

    private SplitPlan(WasmModule module, FunctionBody body, Region root, NavigableMap<Integer, ? extends Point<?>> points,
                      double bytecodePerByte, int budget, int slotLocals, int largeLoop) {
        this.module = module;
        this.body = body;
        this.points = points;
        this.bytecodePerByte = bytecodePerByte;
        this.budget = budget;
        this.slotLocals = slotLocals;
        this.largeLoop = largeLoop;
        this.regions = root.subtree();
        int n = regions.size();
        this.firstChild = new int[n];
        this.planned = new double[n];
        this.chainSize = new int[n];
        this.chained = new int[n];
        this.budgets = new int[n];
        Arrays.fill(chained, -1);
        int child = 1;
        for (int i = 0; i < n; i++) {
            firstChild[i] = child;
            child += regions.get(i).children.size();
        }
    }

    /**
     * Plans the outlining of {@code root}'s function.
     *
     * @param points the frame before each reachable instruction, by position
     * @param bytecodePerByte bytecode bytes per wasm byte, measured on the unsplit function
     * @param budget the bytecode each method may have; a method of loops less ({@link #loopBudgets})
     * @param slotLocals how many of the function's locals (parameters first) have JVM local slots
     * @param largeLoop the wasm bytes from which an innermost loop is outlined as a resumable method:
     *     {@link JvmLimits#LARGE_LOOP} if the function does not fit one method, {@link
     *     JvmLimits#ONCE_LOOP} if it is entered once, else {@link #NO_LARGE_LOOPS}
     */
    public static Plan plan(WasmModule module, FunctionBody body, Region root, NavigableMap<Integer, ? extends Point<?>> points,
                            double bytecodePerByte, int budget, int slotLocals, int largeLoop) {
        SplitPlan plan = new SplitPlan(module, body, root, points, bytecodePerByte, budget, slotLocals, largeLoop);
        int n = plan.regions.size();
        // The frame depth of each region's body: the function body's is 1.
        int[] depths = new int[n];
        depths[0] = 1;
        for (int i = 0; i < n; i++) {
            int first = plan.firstChild[i];
            int children = plan.regions.get(i).children.size();
            for (int c = first; c < first + children; c++) {
                depths[c] = depths[i] + 1;
                if (plan.chained[i] != c) plan.findNest(c);
            }
        }
        plan.loopBudgets();
        // Children before their parents: a parent's decisions use its children's final sizes.
        for (int i = n - 1; i >= 0; i--) plan.fit(i, depths[i]);
        return new Plan(plan.outlined, List.copyOf(plan.sequences), plan.nests);
    }

    /**
     * Gives each region the budget of its own method: {@link JvmLimits#SPLIT_LOOP_METHOD} for a loop
     * or a region that holds one, so that each C2 compilation of a part of loops, and each
     * recompilation after an uncommon trap, is small; the plain budget for any other, for a region
     * of SIMD work ({@link JvmLimits#SIMD_LOOP} instructions or more, whose parts would pass their
     * {@code v128} values as pairs of {@code long}s), and for a region that holds a nest run as a
     * state machine or lies in one, whose groups and dispatch (an interpreter's, SQLite's VDBE) are
     * shaped by {@link JvmLimits#STATE_GROUP_METHOD} and {@link GroupDispatch}. A nest counts as run
     * so when it is larger than the budget before any outlining; a function planned for its loops
     * alone (an unbounded budget) stays so.
     */
    private void loopBudgets() {
        int n = regions.size();
        boolean[] machine = new boolean[n];
        for (int i = 0; i < n; i++) machine[i] = chainSize[i] > 0 && weight(regions.get(i)) * bytecodePerByte > budget;
        // Children follow their parents in the subtree: holding a machine is found children first,
        // lying in one parents first.
        boolean[] holdsMachine = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            holdsMachine[i] |= machine[i];
            int first = firstChild[i];
            for (int c = first; c < first + regions.get(i).children.size(); c++) holdsMachine[i] |= holdsMachine[c];
        }
        boolean[] inMachine = new boolean[n];
        int loopBudget = budget == Integer.MAX_VALUE ? budget : Math.min(budget, JvmLimits.SPLIT_LOOP_METHOD);
        for (int i = 0; i < n; i++) {
            Region r = regions.get(i);
            int first = firstChild[i];
            for (int c = first; c < first + r.children.size(); c++) inMachine[c] = inMachine[i] || machine[i];
            boolean loops = (r.opcode == Opcodes.LOOP || r.holdsLoop()) && r.simd < JvmLimits.SIMD_LOOP;
            budgets[i] = loops && !holdsMachine[i] && !inMachine[i] ? loopBudget : budget;
        }
    }

    /**
     * A nest inside a try construct stays whole: the nest makes methods of its groups whatever they
     * hold, and one could hold a rethrow or delegate naming a label outside it.
     */
    private void findNest(int head) {
        if (regions.get(head).catching) return;
        int size = BlockNest.chainLength(regions.get(head));
        if (size < BlockNest.MIN_BLOCKS) return;
        chainSize[head] = size;
        // Each block of the chain is the first child of the one before.
        for (int k = 1, block = head; k < size; k++, block = firstChild[block]) chained[block] = firstChild[block];
    }

    /**
     * Outlines parts of region {@code i}, whose body is at frame depth {@code depth} and whose
     * children are planned, until its own code fits its budget ({@link #budgets}).
     */
    private void fit(int i, int depth) {
        Region r = regions.get(i);
        int first = firstChild[i];
        double size = emittedSize(i);
        int limit = budgets[i];
        for (int c = 0; c < r.children.size(); c++) {
            Region child = r.children.get(c);
            if ((runsStateMachine(child) || resumes(child)) && !outlined.get(child.start) && !child.staysWithHandlers()
                    && fitsParameters(child)) {
                outlined.set(child.start);
                size -= planned[first + c] - callSize(child);
            }
        }
        if (size * bytecodePerByte > limit) {
            // The children's sizes are final, so one stable sort orders them as picking the first
            // largest again after each outlining would, without rescanning thousands of children.
            List<Integer> candidates = new ArrayList<>();
            for (int c = 0; c < r.children.size(); c++) {
                Region child = r.children.get(c);
                if (first + c != chained[i] && !child.staysWithHandlers() && fitsParameters(child)) candidates.add(first + c);
            }
            candidates.sort(Comparator.comparingDouble((Integer c) -> planned[c]).reversed());
            for (int c : candidates) {
                if (size * bytecodePerByte <= limit) break;
                Region largest = regions.get(c);
                if (outlined.get(largest.start)) continue;
                double largestSize = planned[c];
                if (largestSize <= 0 || largestSize <= callSize(largest)) break;
                outlined.set(largest.start);
                size -= largestSize - callSize(largest);
            }
        }
        // A legacy try's clauses follow its body in its straight-line code, where no sequence may straddle them.
        if (size * bytecodePerByte > limit && r.opcode != Opcodes.TRY) size = cut(i, depth, limit);
        planned[i] = size;
        // The nest's size counts its head's own, just planned.
        if (chainSize[i] > 0) planned[i] = nest(i);
    }

    /**
     * Whether {@code r} is the loop around a nest run as a state machine, as an interpreter's loop
     * around its switch: outlined whatever its size, such a loop is a method that returns to be
     * called again ({@code OutlinedCalls.resumable}), which HotSpot compiles as a method, rather than
     * a loop in a method entered once, which it compiles only on stack replacement and recompiles so
     * for every uncommon trap in it (SQLite's, with a nest that calls its small groups from one site).
     */
    private boolean runsStateMachine(Region r) {
        if (r.opcode != Opcodes.LOOP) return false;
        for (BlockNest nest : nests) {
            Region around = nest.block(1).parent;
            while (around != null && around.opcode != Opcodes.LOOP) around = around.parent;
            if (around == r) return true;
        }
        return false;
    }

    /**
     * Whether {@code r} is a loop of SIMD work ({@link JvmLimits#SIMD_LOOP}) or one of {@link #largeLoop}
     * bytes or more that holds no loop (the function does not fit one method or is entered once), outlined
     * whatever its size for the reason a state machine's loop is: as a resumable method, which
     * HotSpot compiles after some calls, where such a loop in a function called once would wait for
     * on-stack replacement. Only a loop without parameters resumes; and a call costs the locals it
     * touches a round trip through the frame at every entry and every resumption, which must cost
     * less than the loop's own code.
     */
    private boolean resumes(Region r) {
        return r.opcode == Opcodes.LOOP
                && (r.simd >= JvmLimits.SIMD_LOOP || r.size() >= largeLoop && !r.holdsLoop())
                && r.type.params().isEmpty() && points.containsKey(r.start) && weight(r) >= callSize(r);
    }

    /**
     * Plans the nest that region {@code head} heads, its blocks all planned, as a state machine if it
     * does not fit one method; returns the size left in the nest's method.
     */
    private double nest(int head) {
        List<Region> blocks = BlockNest.chain(regions.get(head));
        int n = blocks.size();
        // Each block's planned size, outermost first: each block is the first child of the one before.
        double[] sizes = new double[n];
        for (int k = 0, block = head; k < n; k++, block = firstChild[block]) sizes[k] = planned[block];
        double total = 0;
        for (double size : sizes) total += size;
        if (total * bytecodePerByte <= budget) return total;
        // State k's code is the rest of block k - 1 once block k ends; the entry is block n's body.
        double entry = sizes[n - 1] + DISPATCHER / bytecodePerByte;
        double stateSize = STATE_ENTRY / bytecodePerByte;
        // The nest's method keeps its entry and state 1, past the nest, and calls the groups, whose
        // states hold no code of it: a state's code there would make each trap in it throw away the
        // nest's method, often an interpreter's loop.
        BlockNest nest = new BlockNest(module, body, blocks, groups(sizes, 2, stateSize));
        nests.add(nest);
        int dispatch = GroupDispatch.inNestMethod(nest) ? nest.groups.size() * GroupDispatch.PER_GROUP_IN_NEST : 0;
        return entry + (GROUP_CALL + dispatch) / bytecodePerByte;
    }

    /**
     * Groups states {@code first..sizes.length} of a nest whose blocks' planned sizes are
     * {@code sizes}, in order, each group's code within the budget and {@link JvmLimits#STATE_GROUP_METHOD}.
     */
    private List<int[]> groups(double[] sizes, int first, double stateSize) {
        int groupBudget = Math.min(budget, JvmLimits.STATE_GROUP_METHOD);
        List<int[]> groups = new ArrayList<>();
        double size = 0;
        for (int k = first; k <= sizes.length; k++) {
            double state = sizes[k - 2] + stateSize;
            if (k > first && (size + state) * bytecodePerByte > groupBudget) {
                groups.add(new int[] {first, k - 1});
                first = k;
                size = 0;
            }
            size += state;
        }
        groups.add(new int[] {first, sizes.length});
        return groups;
    }

    /**
     * Cuts the straight-line code of region {@code i}, whose method may have {@code limit} bytes, into
     * sequences of about half that each, at positions of its body that carry few values on the
     * stack, never across an {@code else}; returns its size afterwards.
     */
    private double cut(int i, int depth, int limit) {
        Region r = regions.get(i);
        List<Integer> cuts = new ArrayList<>();
        int child = 0;
        // A block of a nest keeps the next one out of its sequences: its own code comes after it.
        int from = chained[i] >= 0 ? regions.get(chained[i]).end - 1 : r.start;
        NavigableMap<Integer, ? extends Point<?>> within = points.subMap(from, false, r.end, false);
        // The weight of the calls before each cut, which its point holds.
        int[] callsBefore = new int[within.size()];
        for (Map.Entry<Integer, ? extends Point<?>> e : within.entrySet()) {
            int p = e.getKey();
            while (child < r.children.size() && r.children.get(child).end <= p) child++;
            boolean insideChild = child < r.children.size() && p > r.children.get(child).start;
            Point<?> point = e.getValue();
            if (point.depth() == depth && point.operands() != null && p != r.elseAt && !insideChild) {
                callsBefore[cuts.size()] = point.calls();
                cuts.add(p);
            }
        }
        double[] sizes = prefixSizes(i, cuts, callsBefore);
        double target = limit / 2.0 / bytecodePerByte;
        int own = sequences.size();
        int run = -1;
        for (int k = 0; k + 1 < cuts.size(); k++) {
            if (r.elseAt > cuts.get(k) && r.elseAt < cuts.get(k + 1)) {
                if (run >= 0) close(r, cuts.get(run), cuts.get(k), sizes[k] - sizes[run]);
                run = -1;
                continue;
            }
            if (run < 0) run = k;
            if (sizes[k + 1] - sizes[run] < target) continue;
            // Among the cuts of the run's second half, the one that carries the fewest values.
            int best = k + 1;
            for (int j = k; j > run && sizes[j] - sizes[run] >= target / 2; j--) {
                if (carried(cuts.get(j)) < carried(cuts.get(best))) best = j;
            }
            close(r, cuts.get(run), cuts.get(best), sizes[best] - sizes[run]);
            run = best < k + 1 ? best : -1;
        }
        if (run >= 0) close(r, cuts.get(run), cuts.get(cuts.size() - 1), sizes[cuts.size() - 1] - sizes[run]);
        // The region's sequences are those just cut: each takes its weight out but for its call.
        double size = emittedSize(i);
        for (int s = own; s < sequences.size(); s++) size -= sequenceSizes.get(s) - callSize(sequences.get(s));
        return size;
    }

    private int carried(int position) {
        return points.get(position).operands().size();
    }

    /**
     * The weight of {@code r}'s body from {@code cuts[0]} to each cut once its outlined constructs are
     * calls: no child straddles a cut, so each one lies between two neighbouring cuts or outside them.
     * {@code callsBefore} holds the weight of the calls before each cut, from its point: looking each
     * cut's point up again, twice, was 0.6% of Sightglass {@code sqlite3}'s compiling thread.
     */
    private double[] prefixSizes(int region, List<Integer> cuts, int[] callsBefore) {
        Region r = regions.get(region);
        double[] sizes = new double[cuts.size()];
        int child = 0;
        for (int i = 1; i < cuts.size(); i++) {
            int a = cuts.get(i - 1);
            int b = cuts.get(i);
            double size = b - a + callWeight() * (callsBefore[i] - callsBefore[i - 1]);
            while (child < r.children.size() && r.children.get(child).start < a) child++;
            for (; child < r.children.size() && r.children.get(child).end <= b; child++) {
                size -= weight(r.children.get(child)) - contribution(firstChild[region] + child);
            }
            sizes[i] = sizes[i - 1] + size;
        }
        return sizes;
    }

    /** Outlines {@code [from, to)} of {@code r} as a sequence, if it is worth a call. */
    private void close(Region r, int from, int to, double size) {
        if (to <= from) return;
        FuncType type = new FuncType(points.get(from).operands(), points.get(to).operands());
        Region sequence = RegionScanner.scanSequence(module, body, r, from, to, type);
        if (size > callSize(sequence) && sequence.exceptionEscapes.isEmpty()) {
            sequences.add(sequence);
            sequenceSizes.add(size);
        }
    }

    /**
     * Whether {@code r}'s operands, which an outlined copy takes as parameters beside the frame and
     * the instance, fit a JVM method.
     */
    private static boolean fitsParameters(Region r) {
        int slots = 0;
        for (ValType t : r.operands()) slots += JvmLimits.slots(t);
        return slots <= BoxedArguments.MAX_SLOTS;
    }

    /** What one unit of call weight adds to a region's wasm bytes in the size estimates. */
    private double callWeight() {
        return (double) JvmLimits.SPLIT_METHOD / JvmLimits.MAX_CALLS / bytecodePerByte;
    }

    /** The wasm bytes of {@code r}, its calls and {@code br_table} instructions weighed in. */
    private double weight(Region r) {
        return r.size() + callWeight() * r.calls - r.tableBytes + r.tableCode / bytecodePerByte;
    }

    /**
     * The weight of region {@code i} left in its method once its outlined constructs are calls:
     * without the sequences cut out of it, which {@link #cut} takes out.
     */
    private double emittedSize(int i) {
        Region r = regions.get(i);
        double size = weight(r);
        for (int c = 0; c < r.children.size(); c++) {
            int child = firstChild[i] + c;
            size -= weight(r.children.get(c)) - (child == chained[i] ? 0 : contribution(child));
        }
        return size;
    }

    /** What region {@code i}, a child, leaves in its parent's method: its call if outlined, else its planned size. */
    private double contribution(int i) {
        Region child = regions.get(i);
        return outlined.get(child.start) ? callSize(child) : planned[i];
    }

    /**
     * The wasm-byte equivalent of the code that calls an outlined part, moves its locals and
     * dispatches on its exits (at most {@link #NEAR_EXITS} of them near the call).
     */
    private double callSize(Region r) {
        int exits = r.manyEscapes ? NEAR_EXITS : Math.min(NEAR_EXITS, r.escapes.cardinality());
        return (30 + 10.0 * r.touched().get(0, slotLocals).cardinality() + 12.0 * exits + 4.0 * r.operands().size()
                + 10.0 * r.type.results().size()) / bytecodePerByte;
    }
}
