package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR_IF;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR_TABLE;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.CATCH;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.ELSE;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.END;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.GET;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN_IF;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN_LOOP;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.SET;

/**
 * Which wasm locals move between the frame object and the methods of a split function.
 *
 * <p>A method keeps in its own slots only the locals that its own code names, outside the parts it
 * calls; the others live in the frame while it runs, where its callees read and write them. An
 * outlined part takes from the frame the locals it may read before writing them, and hands back
 * those it writes that code after it may read: the locals its method writes on some exit only are
 * taken too, so that every exit hands back their current values.
 */
public final class MethodLocals {
    private final int[] positions;
    private final int[] kinds;
    private final int[] args;
    private final int count;
    private final List<int[]> tables;
    /** Whether the body has exception handlers, whose paths {@link LiveLocals} does not follow. */
    private final boolean handlers;

    private final BitSet root = new BitSet();
    private final Map<Region, BitSet> named = new HashMap<>();
    private final Map<Region, BitSet> entering = new HashMap<>();
    private final Map<Region, BitSet> leaving = new HashMap<>();
    /** {@link #loopExposed} of each loop around a part, computed once. */
    private final Map<Region, BitSet> loopsExposed = new HashMap<>();

    /**
     * @param flow the body's instructions that read or write locals or steer control flow
     * @param regions the outlined parts of the body
     * @param prologues the blocks each group of states opens before its code, by region
     */
    MethodLocals(FlowInstructions flow, List<Region> regions, Map<Region, Integer> prologues) {
        positions = flow.positions;
        kinds = flow.kinds;
        args = flow.args;
        count = flow.count;
        tables = flow.tables;
        handlers = flow.handlers;
        attribute(regions);
        BitSet[] live = handlers ? readsAfter(regions) : liveAfter(regions);
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            flow(r, prologues.getOrDefault(r, 0), live[i]);
        }
    }

    /** The locals that the method of {@code r}, or of the function's body if {@code null}, names itself. */
    public BitSet named(Region r) {
        return r == null ? root : named.get(r);
    }

    /** The locals that outlined part {@code r} takes from the frame when its method starts. */
    public BitSet entering(Region r) {
        return entering.get(r);
    }

    /** The locals that outlined part {@code r} hands back in the frame when it leaves other than by returning. */
    public BitSet leaving(Region r) {
        return leaving.get(r);
    }

    /**
     * Attributes each local instruction to the innermost region around it, or to the function's own
     * method. The open regions are a stack of indices into arrays of their ends and sets: with a deque
     * of regions and a map lookup of the innermost one's set at each instruction, this was 0.8 to 0.9%
     * of the SQLite shell's compiling thread, 0.5 to 0.7% so (async-profiler, 20 rounds with
     * {@code --library}).
     */
    private void attribute(List<Region> regions) {
        List<Region> sorted = new ArrayList<>(regions);
        // Outer before inner: a sequence that starts with a construct encloses it.
        sorted.sort(Comparator.<Region>comparingInt(r -> r.start).thenComparingInt(r -> -r.end)
                .thenComparingInt(r -> r.opcode == Region.SEQUENCE ? 0 : 1));
        int n = sorted.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        BitSet[] sets = new BitSet[n];
        for (int k = 0; k < n; k++) {
            Region r = sorted.get(k);
            starts[k] = r.start;
            ends[k] = r.end;
            sets[k] = new BitSet();
            named.put(r, sets[k]);
        }
        int[] open = new int[n];
        int depth = 0;
        int next = 0;
        for (int i = 0; i < count; i++) {
            if (kinds[i] != GET && kinds[i] != SET) continue;
            int position = positions[i];
            for (; next < n && starts[next] <= position; next++) {
                while (depth > 0 && ends[open[depth - 1]] <= starts[next]) depth--;
                open[depth++] = next;
            }
            while (depth > 0 && ends[open[depth - 1]] <= position) depth--;
            (depth == 0 ? root : sets[open[depth - 1]]).set(args[i]);
        }
    }

    /**
     * For each region, the locals live where it may leave: at its end, or at the label of any
     * construct around it ({@link LiveLocals}).
     */
    private BitSet[] liveAfter(List<Region> regions) {
        BitSet asked = new BitSet();
        for (Region r : regions) asked.set(firstAt(r.end));
        LiveLocals liveLocals = new LiveLocals(kinds, args, tables, count, asked);
        BitSet[] live = new BitSet[regions.size()];
        for (int i = 0; i < live.length; i++) {
            Region r = regions.get(i);
            int first = firstAt(r.start);
            live[i] = (BitSet) liveLocals.at(firstAt(r.end)).clone();
            if (first < count) live[i].or(liveLocals.aroundLabels(first));
        }
        return live;
    }

    /**
     * For each region, the locals read at or after its end, and, by {@link #flow}, what the loops
     * around it read: where exception handlers make paths that {@link LiveLocals} does not follow
     * (a handler's code lies after the code it catches from).
     */
    private BitSet[] readsAfter(List<Region> regions) {
        Integer[] byEnd = new Integer[regions.size()];
        for (int i = 0; i < byEnd.length; i++) byEnd[i] = i;
        Arrays.sort(byEnd, Comparator.comparingInt(i -> -regions.get(i).end));
        BitSet[] after = new BitSet[regions.size()];
        BitSet reads = new BitSet();
        int e = count - 1;
        for (int i : byEnd) {
            for (; e >= 0 && positions[e] >= regions.get(i).end; e--) {
                if (kinds[e] == GET) reads.set(args[e]);
            }
            after[i] = (BitSet) reads.clone();
        }
        return after;
    }

    /**
     * Sets what {@code r} takes and hands back, given {@code live}, what code after it may read: in
     * a body with exception handlers, also what any loop it lies in may read before writing it in an
     * iteration ({@link #loopExposed}).
     */
    private void flow(Region r, int prologue, BitSet live) {
        for (Region p = r.parent; handlers && p != null; p = p.parent) {
            if (p.opcode == Opcodes.LOOP) live.or(loopExposed(p));
        }
        Walk walk = walk(r, prologue);
        BitSet leaves = (BitSet) r.writes.clone();
        leaves.and(live);
        BitSet enters = (BitSet) leaves.clone();
        if (walk.written != null) enters.andNot(walk.written);
        enters.or(walk.exposed);
        enters.and(r.touched());
        entering.put(r, enters);
        leaving.put(r, leaves);
    }

    /**
     * The locals that loop {@code loop} may read before writing them, from its header: those live
     * there, which is all a branch back to it needs (each of its reads would do, but in an
     * interpreter's loop every case writes most of what it reads).
     */
    private BitSet loopExposed(Region loop) {
        return loopsExposed.computeIfAbsent(loop, l -> walk(l, 0).exposed);
    }

    /** What the code of a region reads before writing on some path, and writes on every path out of it ({@code null} if none). */
    private record Walk(BitSet exposed, BitSet written) {}

    /**
     * Follows {@code r}'s code, entered at its start or, past {@code prologue} blocks, at the end of
     * any of them, for the locals it reads before writing them on some path and those it has written
     * on every path that leaves it.
     */
    private Walk walk(Region r, int prologue) {
        BitSet exposed = new BitSet();
        // The region's own level, then its open constructs; a label reaching the region's own level leaves it.
        List<Level> open = new ArrayList<>();
        open.add(new Level(OPEN, new BitSet()));
        for (int k = 0; k < prologue; k++) {
            Level block = new Level(OPEN, new BitSet());
            // A group enters at the end of any of its blocks, where nothing is written yet.
            block.atLabel = new BitSet();
            open.add(block);
        }
        Exits exits = new Exits();
        for (int i = firstAt(r.start); i < count && positions[i] < r.end; i++) {
            Level level = open.get(open.size() - 1);
            switch (kinds[i]) {
                case GET -> {
                    if (level.defined != null && !level.defined.get(args[i])) exposed.set(args[i]);
                }
                case SET -> {
                    if (level.defined != null) level.defined.set(args[i]);
                }
                case OPEN, OPEN_LOOP, OPEN_IF -> open.add(new Level(kinds[i], copy(level.defined)));
                case CATCH -> {
                    level.atLabel = meet(level.atLabel, level.defined);
                    level.defined = copy(open.get(open.size() - 2).defined);
                }
                case ELSE -> {
                    level.thenEnd = level.defined;
                    level.hasElse = true;
                    level.defined = copy(open.get(open.size() - 2).defined);
                }
                case END -> {
                    open.remove(open.size() - 1);
                    Level outer = open.get(open.size() - 1);
                    outer.defined = level.after(outer.defined);
                }
                case BR, BR_IF -> {
                    branch(open, args[i], exits);
                    if (kinds[i] == BR) level.defined = null;
                }
                case BR_TABLE -> {
                    for (int label : tables.get(args[i])) branch(open, label, exits);
                    level.defined = null;
                }
                default -> level.defined = null;
            }
        }
        exits.meet(open.get(0).defined);
        return new Walk(exposed, exits.written);
    }

    /** A branch to {@code label} from the innermost of {@code open}: out of the region, or to a construct in it. */
    private static void branch(List<Level> open, int label, Exits exits) {
        BitSet defined = open.get(open.size() - 1).defined;
        int target = open.size() - 1 - label;
        if (target <= 0) {
            exits.meet(defined);
        } else if (open.get(target).kind != OPEN_LOOP) {
            open.get(target).atLabel = meet(open.get(target).atLabel, defined);
        }
    }

    /** The locals written on every path out of a region seen so far; {@code null} before any. */
    private static final class Exits {
        BitSet written;

        void meet(BitSet defined) {
            written = MethodLocals.meet(written, defined);
        }
    }

    /** The locals written on every path: {@code null} stands for no path (unreachable code). */
    private static BitSet meet(BitSet a, BitSet b) {
        if (a == null) return copy(b);
        if (b == null) return a;
        BitSet both = (BitSet) a.clone();
        both.and(b);
        return both;
    }

    private static BitSet copy(BitSet set) {
        return set == null ? null : (BitSet) set.clone();
    }

    private int firstAt(int position) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (positions[mid] < position) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * One open construct of a region, or the region's own level: the locals written on every path to
     * the current instruction, {@code null} where it is unreachable.
     */
    private static final class Level {
        final int kind;
        BitSet defined;
        /** The locals written on every branch to the construct's end so far, {@code null} if none. */
        BitSet atLabel;
        boolean hasElse;
        /** An {@code if}'s locals written on every path to the end of its first arm. */
        BitSet thenEnd;

        Level(int kind, BitSet defined) {
            this.kind = kind;
            this.defined = defined;
        }

        /** The locals written on every path past the construct's end, given those at its start. */
        BitSet after(BitSet atStart) {
            if (kind == OPEN_LOOP) return defined;
            BitSet after = meet(atLabel, defined);
            return kind == OPEN_IF ? meet(after, hasElse ? thenEnd : atStart) : after;
        }
    }
}
