package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.BoxedArguments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which parts of a function to outline into methods of their own so that every generated method
 * stays within a bytecode budget: under HotSpot's 8000-byte limit for JIT compilation and far under
 * the JVM's 64 KiB method limit. Whole constructs go first, largest first; a construct whose own
 * straight-line code is still too large is cut into sequences between points where its stack is
 * empty. Sizes are estimated from wasm bytes times the bytecode-per-byte ratio measured for the
 * function.
 */
final class SplitPlan {
    /** The bytecode an outlined method may have: below {@code DontCompileHugeMethods}' 8000 bytes. */
    static final int BUDGET = 7000;
    /**
     * The memory accesses a method may have in a row. Each inlines var handle code with branches
     * and an array read into C1's intermediate form; a few hundred in one method make C1's range
     * check elimination, which recurses along the dominator tree, overflow the compiler thread's
     * stack and kill the JVM. Each access therefore weighs as much as {@link #BUDGET} over this.
     */
    static final int MAX_ACCESSES = 96;
    /** Exits dispatched at a call site: exits further out pass through one shared case. */
    private static final int NEAR_EXITS = 64;

    /** The outcome: the start positions of outlined constructs, and the outlined sequences. */
    record Plan(Set<Integer> constructs, List<Region> sequences) {}

    private final WasmModule module;
    private final FunctionBody body;
    private final Map<Integer, int[]> heights;
    private final double bytecodePerByte;
    private final int budget;
    /** How many of the function's locals have slots: an outlined part copies those it touches. */
    private final int slotLocals;
    private final Set<Integer> outlined = new HashSet<>();
    private final List<Region> sequences = new ArrayList<>();
    /** Each planned region's wasm bytes left in its method, final once the region is planned. */
    private final Map<Region, Double> planned = new HashMap<>();

    private SplitPlan(WasmModule module, FunctionBody body, Region root, Map<Integer, int[]> heights,
                      double bytecodePerByte, int budget) {
        this.module = module;
        this.body = body;
        this.heights = heights;
        this.bytecodePerByte = bytecodePerByte;
        this.budget = budget;
        List<ValType> locals = new ArrayList<>(root.type.params());
        locals.addAll(body.locals());
        this.slotLocals = Locals.slotLocals(locals);
    }

    /**
     * Plans the outlining of {@code root}'s function.
     *
     * @param heights for each reachable instruction's position: its frame depth and the frame's height
     *     on the JVM stack (none when the frame is deep: its values are spilled)
     * @param bytecodePerByte bytecode bytes per wasm byte, measured on the unsplit function
     * @param budget the bytecode each method may have
     */
    static Plan plan(WasmModule module, FunctionBody body, Region root, Map<Integer, int[]> heights,
                     double bytecodePerByte, int budget) {
        SplitPlan plan = new SplitPlan(module, body, root, heights, bytecodePerByte, budget);
        List<Region> regions = root.subtree();
        Map<Region, Integer> depths = new HashMap<>();
        depths.put(root, 1);
        for (Region r : regions) {
            for (Region c : r.children) depths.put(c, depths.get(r) + 1);
        }
        // Children before their parents: a parent's decisions use its children's final sizes.
        for (int i = regions.size() - 1; i >= 0; i--) plan.fit(regions.get(i), depths.get(regions.get(i)));
        return new Plan(plan.outlined, plan.sequences);
    }

    /**
     * Outlines parts of {@code r}, whose body is at frame depth {@code depth} and whose children are
     * planned, until its own code fits.
     */
    private void fit(Region r, int depth) {
        double size = emittedSize(r);
        while (size * bytecodePerByte > budget) {
            Region largest = null;
            double largestSize = 0;
            for (Region child : r.children) {
                if (outlined.contains(child.start) || !fitsParameters(child)) continue;
                double s = planned.get(child);
                if (s > largestSize) {
                    largest = child;
                    largestSize = s;
                }
            }
            if (largest == null || largestSize <= callSize(largest)) break;
            outlined.add(largest.start);
            size -= largestSize - callSize(largest);
        }
        if (size * bytecodePerByte > budget) size = cut(r, depth);
        planned.put(r, size);
    }

    /**
     * Cuts the straight-line code of {@code r} into sequences of about half the budget each, at the
     * positions of its body where the stack is empty, never across an {@code else}; returns r's size
     * afterwards.
     */
    private double cut(Region r, int depth) {
        List<Integer> cuts = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : heights.entrySet()) {
            int p = e.getKey();
            if (e.getValue()[0] == depth && e.getValue()[1] == 0 && p > r.start && p < r.end && !insideChild(r, p)) {
                cuts.add(p);
            }
        }
        cuts.sort(null);
        double target = budget / 2.0 / bytecodePerByte;
        int from = -1;
        double run = 0;
        for (int i = 0; i + 1 < cuts.size(); i++) {
            int a = cuts.get(i);
            int b = cuts.get(i + 1);
            if (r.elseAt > a && r.elseAt < b) {
                close(r, from, a, run);
                from = -1;
                run = 0;
                continue;
            }
            if (from < 0) from = a;
            run += rangeSize(r, a, b);
            if (run >= target) {
                close(r, from, b, run);
                from = -1;
                run = 0;
            }
        }
        if (from >= 0) close(r, from, cuts.get(cuts.size() - 1), run);
        return emittedSize(r);
    }

    /** Outlines {@code [from, to)} of {@code r} as a sequence, if it is worth a call. */
    private void close(Region r, int from, int to, double size) {
        if (from < 0 || to <= from) return;
        Region sequence = RegionScanner.scanSequence(module, body, r, from, to);
        if (size <= callSize(sequence)) return;
        sequences.add(sequence);
    }

    /**
     * Whether {@code r}'s operands, which an outlined copy takes as parameters beside the frame and
     * the instance, fit a JVM method.
     */
    private static boolean fitsParameters(Region r) {
        int slots = 0;
        for (ValType t : r.operands()) slots += JvmType.size(t);
        return slots <= BoxedArguments.MAX_SLOTS;
    }

    private static boolean insideChild(Region r, int position) {
        for (Region c : r.children) {
            if (position > c.start && position < c.end) return true;
        }
        return false;
    }

    /** The weight of {@code [a, b)} in {@code r}'s body once its outlined constructs are calls. */
    private double rangeSize(Region r, int a, int b) {
        double size = b - a + accessWeight() * (accessesBefore(b) - accessesBefore(a));
        for (Region c : r.children) {
            if (c.start >= a && c.end <= b) size -= weight(c) - contribution(c);
        }
        return size;
    }

    /** The memory accesses before position {@code p}, or at the last reachable position before it. */
    private int accessesBefore(int p) {
        for (int q = p; q >= 0; q--) {
            int[] h = heights.get(q);
            if (h != null) return h[2];
        }
        return 0;
    }

    /** What one memory access adds to a region's wasm bytes in the size estimates. */
    private double accessWeight() {
        return (double) BUDGET / MAX_ACCESSES / bytecodePerByte;
    }

    /** The wasm bytes of {@code r}, its memory accesses weighed in. */
    private double weight(Region r) {
        return r.size() + accessWeight() * r.accesses;
    }

    /** The weight of {@code r} left in its method once its outlined parts are calls. */
    private double emittedSize(Region r) {
        double size = weight(r);
        for (Region child : r.children) size -= weight(child) - contribution(child);
        for (Region s : sequences) {
            if (s.parent == r) size -= rangeSize(r, s.start, s.end) - callSize(s);
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
        int exits = r.manyEscapes ? NEAR_EXITS : Math.min(NEAR_EXITS, r.escapes.size());
        return (30 + 10.0 * r.touched().get(0, slotLocals).cardinality() + 12.0 * exits) / bytecodePerByte;
    }
}
