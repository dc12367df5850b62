package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.internal.BoxedArguments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Which parts of a function to outline into methods of their own so that every generated method
 * stays within a bytecode budget: under HotSpot's 8000-byte limit for JIT compilation and far under
 * the JVM's 64 KiB method limit. Whole constructs go first, largest first; a construct whose own
 * straight-line code is still too large is cut into sequences between points where its stack holds
 * few values, which the sequences take as operands and give back as results; a nest of blocks that
 * lowers a switch runs as a state machine whose cases are grouped into methods ({@link BlockNest}).
 * Loops that HotSpot should compile as methods are outlined whatever their size: a state machine's
 * loop, a loop of SIMD work and, in a function that does not fit one method or is entered once, a
 * large innermost loop.
 * Sizes are estimated from wasm bytes times the bytecode-per-byte ratio measured for the function.
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
    public record Plan(Set<Integer> constructs, List<Region> sequences, List<BlockNest> nests) {
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
    private final Set<Integer> outlined = new HashSet<>();
    /** The outlined sequences, each with the weight it takes out of its region. */
    private final Map<Region, Double> sequences = new LinkedHashMap<>();
    /**
     * Each planned region's wasm bytes left in its method, final once the region is planned; for a
     * block of a nest, without the blocks it encloses.
     */
    private final Map<Region, Double> planned = new HashMap<>();
    /** The nests of blocks, by their outermost block. */
    private final Map<Region, List<Region>> chains = new HashMap<>();
    /** Each block of a nest but the innermost: the next block, planned with the nest rather than on its own. */
    private final Map<Region, Region> chained = new HashMap<>();
    private final List<BlockNest> nests = new ArrayList<>();

    private SplitPlan(WasmModule module, FunctionBody body, Region root, NavigableMap<Integer, ? extends Point<?>> points,
                      double bytecodePerByte, int budget, int slotLocals, int largeLoop) {
        this.module = module;
        this.body = body;
        this.points = points;
        this.bytecodePerByte = bytecodePerByte;
        this.budget = budget;
        this.slotLocals = slotLocals;
        this.largeLoop = largeLoop;
    }

    /**
     * Plans the outlining of {@code root}'s function.
     *
     * @param points the frame before each reachable instruction, by position
     * @param bytecodePerByte bytecode bytes per wasm byte, measured on the unsplit function
     * @param budget the bytecode each method may have
     * @param slotLocals how many of the function's locals (parameters first) have JVM local slots
     * @param largeLoop the wasm bytes from which an innermost loop is outlined as a resumable method:
     *     {@link JvmLimits#LARGE_LOOP} if the function does not fit one method, {@link
     *     JvmLimits#ONCE_LOOP} if it is entered once, else {@link #NO_LARGE_LOOPS}
     */
    public static Plan plan(WasmModule module, FunctionBody body, Region root, NavigableMap<Integer, ? extends Point<?>> points,
                            double bytecodePerByte, int budget, int slotLocals, int largeLoop) {
        SplitPlan plan = new SplitPlan(module, body, root, points, bytecodePerByte, budget, slotLocals, largeLoop);
        List<Region> regions = root.subtree();
        // The frame depth of each region's body, by its index in the subtree, whose regions' children
        // follow in order: the function body's is 1.
        int[] depths = new int[regions.size()];
        depths[0] = 1;
        int child = 1;
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            for (int c = 0; c < r.children.size(); c++) depths[child++] = depths[i] + 1;
            if (r != root && plan.chained.get(r.parent) != r) plan.findNest(r);
        }
        // Children before their parents: a parent's decisions use its children's final sizes.
        for (int i = regions.size() - 1; i >= 0; i--) plan.fit(regions.get(i), depths[i]);
        return new Plan(plan.outlined, new ArrayList<>(plan.sequences.keySet()), plan.nests);
    }

    /**
     * A nest inside a try construct stays whole: the nest makes methods of its groups whatever they
     * hold, and one could hold a rethrow or delegate naming a label outside it.
     */
    private void findNest(Region head) {
        if (head.catching) return;
        List<Region> chain = BlockNest.chain(head);
        if (chain.size() < BlockNest.MIN_BLOCKS) return;
        chains.put(head, chain);
        for (int k = 0; k + 1 < chain.size(); k++) chained.put(chain.get(k), chain.get(k + 1));
    }

    /**
     * Outlines parts of {@code r}, whose body is at frame depth {@code depth} and whose children are
     * planned, until its own code fits.
     */
    private void fit(Region r, int depth) {
        double size = emittedSize(r);
        for (Region child : r.children) {
            if ((runsStateMachine(child) || resumes(child)) && !outlined.contains(child.start) && !child.staysWithHandlers()
                    && fitsParameters(child)) {
                outlined.add(child.start);
                size -= planned.get(child) - callSize(child);
            }
        }
        if (size * bytecodePerByte > budget) {
            // The children's sizes are final, so one stable sort orders them as picking the first
            // largest again after each outlining would, without rescanning thousands of children.
            List<Region> candidates = new ArrayList<>();
            for (Region child : r.children) {
                if (child != chained.get(r) && !child.staysWithHandlers() && fitsParameters(child)) candidates.add(child);
            }
            candidates.sort(Comparator.comparingDouble((Region c) -> planned.get(c)).reversed());
            for (Region largest : candidates) {
                if (size * bytecodePerByte <= budget) break;
                if (outlined.contains(largest.start)) continue;
                double largestSize = planned.get(largest);
                if (largestSize <= 0 || largestSize <= callSize(largest)) break;
                outlined.add(largest.start);
                size -= largestSize - callSize(largest);
            }
        }
        // A legacy try's clauses follow its body in its straight-line code, where no sequence may straddle them.
        if (size * bytecodePerByte > budget && r.opcode != Opcodes.TRY) size = cut(r, depth);
        planned.put(r, size);
        if (chains.containsKey(r)) planned.put(r, nest(chains.get(r)));
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
     * Plans the nest of {@code blocks}, all planned, as a state machine if it does not fit one
     * method; returns the size left in the nest's method.
     */
    private double nest(List<Region> blocks) {
        int n = blocks.size();
        double total = 0;
        for (Region b : blocks) total += planned.get(b);
        if (total * bytecodePerByte <= budget) return total;
        // State k's code is the rest of block k - 1 once block k ends; the entry is block n's body.
        double entry = planned.get(blocks.get(n - 1)) + DISPATCHER / bytecodePerByte;
        double stateSize = STATE_ENTRY / bytecodePerByte;
        // The nest's method keeps its entry and state 1, past the nest, and calls the groups, whose
        // states hold no code of it: a state's code there would make each trap in it throw away the
        // nest's method, often an interpreter's loop.
        BlockNest nest = new BlockNest(module, body, blocks, groups(blocks, 2, stateSize));
        nests.add(nest);
        int dispatch = GroupDispatch.inNestMethod(nest) ? nest.groups.size() * GroupDispatch.PER_GROUP_IN_NEST : 0;
        return entry + (GROUP_CALL + dispatch) / bytecodePerByte;
    }

    /** Groups states {@code first..blocks.size()} in order, each group's code within the budget and {@link JvmLimits#STATE_GROUP_METHOD}. */
    private List<int[]> groups(List<Region> blocks, int first, double stateSize) {
        int groupBudget = Math.min(budget, JvmLimits.STATE_GROUP_METHOD);
        List<int[]> groups = new ArrayList<>();
        double size = 0;
        for (int k = first; k <= blocks.size(); k++) {
            double state = planned.get(blocks.get(k - 2)) + stateSize;
            if (k > first && (size + state) * bytecodePerByte > groupBudget) {
                groups.add(new int[] {first, k - 1});
                first = k;
                size = 0;
            }
            size += state;
        }
        groups.add(new int[] {first, blocks.size()});
        return groups;
    }

    /**
     * Cuts the straight-line code of {@code r} into sequences of about half the budget each, at
     * positions of its body that carry few values on the stack, never across an {@code else};
     * returns r's size afterwards.
     */
    private double cut(Region r, int depth) {
        List<Integer> cuts = new ArrayList<>();
        int child = 0;
        // A block of a nest keeps the next one out of its sequences: its own code comes after it.
        int from = chained.containsKey(r) ? chained.get(r).end - 1 : r.start;
        for (Map.Entry<Integer, ? extends Point<?>> e : points.subMap(from, false, r.end, false).entrySet()) {
            int p = e.getKey();
            while (child < r.children.size() && r.children.get(child).end <= p) child++;
            boolean insideChild = child < r.children.size() && p > r.children.get(child).start;
            Point<?> point = e.getValue();
            if (point.depth() == depth && point.operands() != null && p != r.elseAt && !insideChild) cuts.add(p);
        }
        double[] sizes = prefixSizes(r, cuts);
        double target = budget / 2.0 / bytecodePerByte;
        int run = -1;
        for (int i = 0; i + 1 < cuts.size(); i++) {
            if (r.elseAt > cuts.get(i) && r.elseAt < cuts.get(i + 1)) {
                if (run >= 0) close(r, cuts.get(run), cuts.get(i), sizes[i] - sizes[run]);
                run = -1;
                continue;
            }
            if (run < 0) run = i;
            if (sizes[i + 1] - sizes[run] < target) continue;
            // Among the cuts of the run's second half, the one that carries the fewest values.
            int best = i + 1;
            for (int j = i; j > run && sizes[j] - sizes[run] >= target / 2; j--) {
                if (carried(cuts.get(j)) < carried(cuts.get(best))) best = j;
            }
            close(r, cuts.get(run), cuts.get(best), sizes[best] - sizes[run]);
            run = best < i + 1 ? best : -1;
        }
        if (run >= 0) close(r, cuts.get(run), cuts.get(cuts.size() - 1), sizes[cuts.size() - 1] - sizes[run]);
        return emittedSize(r);
    }

    private int carried(int position) {
        return points.get(position).operands().size();
    }

    /**
     * The weight of {@code r}'s body from {@code cuts[0]} to each cut once its outlined constructs are
     * calls: no child straddles a cut, so each one lies between two neighbouring cuts or outside them.
     */
    private double[] prefixSizes(Region r, List<Integer> cuts) {
        double[] sizes = new double[cuts.size()];
        int child = 0;
        for (int i = 1; i < cuts.size(); i++) {
            int a = cuts.get(i - 1);
            int b = cuts.get(i);
            double size = b - a + callWeight() * (callsBefore(b) - callsBefore(a));
            while (child < r.children.size() && r.children.get(child).start < a) child++;
            for (; child < r.children.size() && r.children.get(child).end <= b; child++) {
                Region c = r.children.get(child);
                size -= weight(c) - contribution(c);
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
        if (size > callSize(sequence) && sequence.exceptionEscapes.isEmpty()) sequences.put(sequence, size);
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

    /** The weight of the calls before position {@code p}, or at the last reachable position before it. */
    private int callsBefore(int p) {
        Map.Entry<Integer, ? extends Point<?>> point = points.floorEntry(p);
        return point == null ? 0 : point.getValue().calls();
    }

    /** What one unit of call weight adds to a region's wasm bytes in the size estimates. */
    private double callWeight() {
        return (double) JvmLimits.SPLIT_METHOD / JvmLimits.MAX_CALLS / bytecodePerByte;
    }

    /** The wasm bytes of {@code r}, its calls and {@code br_table} instructions weighed in. */
    private double weight(Region r) {
        return r.size() + callWeight() * r.calls - r.tableBytes + r.tableCode / bytecodePerByte;
    }

    /** The weight of {@code r} left in its method once its outlined parts are calls. */
    private double emittedSize(Region r) {
        double size = weight(r);
        for (Region child : r.children) size -= weight(child) - (child == chained.get(r) ? 0 : contribution(child));
        for (Map.Entry<Region, Double> s : sequences.entrySet()) {
            if (s.getKey().parent == r) size -= s.getValue() - callSize(s.getKey());
        }
        return size;
    }

    private double contribution(Region child) {
        return outlined.contains(child.start) ? callSize(child) : planned.get(child);
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
