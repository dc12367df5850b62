package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which wasm locals move between the frame object and the methods of a split function.
 *
 * <p>A method keeps in its own slots only the locals that its own code names, outside the parts it
 * calls; the others live in the frame while it runs, where its callees read and write them. An
 * outlined part takes from the frame the locals it may read before writing them, and hands back
 * those it writes that code after it may read: the locals its method writes on some exit only are
 * taken too, so that every exit hands back their current values.
 *
 * <p>What code after a part may read is the locals live where its exits lead, by a liveness
 * analysis of the whole body. A local handed back is live in the part's method up to each of its
 * exits, which write it to the frame, and C2's register allocation pays for every value live at
 * each instruction: handing back every local read anywhere after the part instead, as an earlier
 * version did, kept 23 JVM locals live on average in the hottest outlined loop of SQLite's
 * speedtest, against 19 now, and its method was 14% larger (see benchmarks/README.md). A body
 * with exception handlers, whose throwing instructions the analysis does not follow to their
 * handlers, hands back every local read after the part or in a loop around it.
 */
public final class MethodLocals {
    private static final int GET = 0;
    private static final int SET = 1;
    private static final int OPEN = 2;
    private static final int OPEN_LOOP = 3;
    private static final int OPEN_IF = 4;
    private static final int ELSE = 5;
    private static final int END = 6;
    private static final int BR = 7;
    private static final int BR_IF = 8;
    private static final int BR_TABLE = 9;
    private static final int STOP = 10;
    /** A legacy {@code catch} or {@code catch_all}: the code before reaches the try's end, the clause starts as the try did. */
    private static final int CATCH = 11;

    /** The body's instructions that matter here, in order: position, kind, and local or label or table. */
    private int[] positions = new int[256];
    private int[] kinds = new int[256];
    private int[] args = new int[256];
    private int count;
    private final List<int[]> tables = new ArrayList<>();

    private final BitSet root = new BitSet();
    private final Map<Region, BitSet> named = new HashMap<>();
    private final Map<Region, BitSet> entering = new HashMap<>();
    private final Map<Region, BitSet> leaving = new HashMap<>();
    /** Whether the body has exception handlers ({@code try}, {@code try_table}). */
    private boolean handlers;

    /**
     * @param regions the outlined parts of {@code body}
     * @param prologues the blocks each group of states opens before its code, by region
     */
    public MethodLocals(FunctionBody body, List<Region> regions, Map<Region, Integer> prologues) {
        CodeReader.read(body.code(), body.offset(), new Recorder(body.offset()));
        attribute(regions);
        BitSet[] live = handlers ? readAround(regions) : liveAfter(regions);
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

    /** Attributes each local instruction to the innermost region around it, or to the function's own method. */
    private void attribute(List<Region> regions) {
        List<Region> sorted = new ArrayList<>(regions);
        // Outer before inner: a sequence that starts with a construct encloses it.
        sorted.sort(Comparator.<Region>comparingInt(r -> r.start).thenComparingInt(r -> -r.end)
                .thenComparingInt(r -> r.opcode == Region.SEQUENCE ? 0 : 1));
        for (Region r : sorted) named.put(r, new BitSet());
        Deque<Region> open = new ArrayDeque<>();
        int next = 0;
        for (int i = 0; i < count; i++) {
            if (kinds[i] != GET && kinds[i] != SET) continue;
            int position = positions[i];
            for (; next < sorted.size() && sorted.get(next).start <= position; next++) {
                Region r = sorted.get(next);
                while (!open.isEmpty() && open.peek().end <= r.start) open.pop();
                open.push(r);
            }
            while (!open.isEmpty() && open.peek().end <= position) open.pop();
            (open.isEmpty() ? root : named.get(open.peek())).set(args[i]);
        }
    }

    /** For each region, the locals read at or after its end, or in a loop around it. */
    private BitSet[] readAround(List<Region> regions) {
        BitSet[] after = readsAfter(regions);
        for (int i = 0; i < after.length; i++) {
            for (Region p = regions.get(i).parent; p != null; p = p.parent) {
                if (p.opcode == Opcodes.LOOP) after[i].or(p.reads);
            }
        }
        return after;
    }

    /** For each region, the locals live where its exits lead: read there before any write on some path. */
    private BitSet[] liveAfter(List<Region> regions) {
        int[][] successors = successors();
        BitSet[] liveIn = liveIn(successors);
        BitSet[] after = new BitSet[regions.size()];
        for (int k = 0; k < after.length; k++) {
            int first = firstAt(regions.get(k).start);
            int end = firstAt(regions.get(k).end);
            BitSet live = new BitSet();
            // A part with no event of its own falls through to what follows it.
            if (first == end) live.or(liveIn[end]);
            for (int i = first; i < end; i++) {
                for (int s : successors[i]) {
                    if (s < first || s >= end) live.or(liveIn[s]);
                }
            }
            after[k] = live;
        }
        return after;
    }

    /**
     * The events that control may reach next from each event ({@code count} past the body's end): a
     * branch goes to its block's {@code end} or its loop's start, a branch to the function's label
     * and {@code return} nowhere, an {@code if} to its first arm and to its {@code else} arm or end,
     * the end of a first arm to the {@code if}'s end.
     */
    private int[][] successors() {
        int[] end = new int[count];
        int[] elseAt = new int[count];
        Arrays.fill(elseAt, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            switch (kinds[i]) {
                case OPEN, OPEN_LOOP, OPEN_IF -> open.push(i);
                case ELSE -> elseAt[open.getFirst()] = i;
                case END -> {
                    if (!open.isEmpty()) end[open.pop()] = i;
                }
                default -> { }
            }
        }
        int[][] successors = new int[count][];
        List<Integer> stack = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            successors[i] = switch (kinds[i]) {
                case OPEN, OPEN_LOOP -> {
                    stack.add(i);
                    yield new int[] {i + 1};
                }
                case OPEN_IF -> {
                    stack.add(i);
                    yield new int[] {i + 1, elseAt[i] >= 0 ? elseAt[i] + 1 : end[i]};
                }
                case ELSE -> new int[] {end[stack.getLast()]};
                case END -> {
                    if (!stack.isEmpty()) stack.removeLast();
                    yield new int[] {i + 1};
                }
                case BR -> target(stack, end, args[i]);
                case BR_IF -> {
                    int[] taken = target(stack, end, args[i]);
                    int[] both = Arrays.copyOf(taken, taken.length + 1);
                    both[taken.length] = i + 1;
                    yield both;
                }
                case BR_TABLE -> Arrays.stream(tables.get(args[i])).flatMap(l -> Arrays.stream(target(stack, end, l)))
                        .distinct().toArray();
                case STOP -> new int[0];
                default -> new int[] {i + 1};
            };
        }
        return successors;
    }

    /** Where a branch to {@code label} goes, given the open constructs: none for the function's label. */
    private int[] target(List<Integer> open, int[] end, int label) {
        if (label >= open.size()) return new int[0];
        int construct = open.get(open.size() - 1 - label);
        return new int[] {kinds[construct] == OPEN_LOOP ? construct : end[construct]};
    }

    /** The locals live at each event, and none past the body's end. */
    private BitSet[] liveIn(int[][] successors) {
        BitSet[] live = new BitSet[count + 1];
        for (int i = 0; i <= count; i++) live[i] = new BitSet();
        BitSet next = new BitSet();
        // Backward over the events, again until the loops' back edges bring nothing new.
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = count - 1; i >= 0; i--) {
                next.clear();
                for (int s : successors[i]) next.or(live[s]);
                if (kinds[i] == SET) next.clear(args[i]);
                if (kinds[i] == GET) next.set(args[i]);
                if (!next.equals(live[i])) {
                    live[i].clear();
                    live[i].or(next);
                    changed = true;
                }
            }
        }
        return live;
    }

    /** For each region, the locals read at or after its end. */
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
     * Follows {@code r}'s code for the locals it reads before writing them on some path, and those it
     * has written on every path that leaves it; code after it may read {@code live}.
     */
    private void flow(Region r, int prologue, BitSet live) {
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
        BitSet leaves = (BitSet) r.writes.clone();
        leaves.and(live);
        BitSet enters = (BitSet) leaves.clone();
        if (exits.written != null) enters.andNot(exits.written);
        enters.or(exposed);
        enters.and(r.touched());
        entering.put(r, enters);
        leaving.put(r, leaves);
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

    private void add(int position, int kind, int arg) {
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
            args = Arrays.copyOf(args, count * 2);
        }
        positions[count] = position;
        kinds[count] = kind;
        args[count] = arg;
        count++;
    }

    /** Records the instructions that read or write locals or steer control flow. */
    private final class Recorder extends InstructionScanner {
        private final int base;
        private int position;

        Recorder(int base) {
            this.base = base;
        }

        @Override
        public void visitOffset(int offset) {
            position = offset - base;
        }

        @Override
        public void visitVariable(int opcode, int index) {
            if (opcode == Opcodes.LOCAL_GET) add(position, GET, index);
            if (opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) add(position, SET, index);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN || opcode == Opcodes.UNREACHABLE || opcode == Opcodes.THROW_REF) add(position, STOP, 0);
        }

        @Override
        public void visitBlock(int opcode, BlockType blocktype) {
            if (opcode == Opcodes.TRY) handlers = true;
            add(position, opcode == Opcodes.LOOP ? OPEN_LOOP : opcode == Opcodes.IF ? OPEN_IF : OPEN, 0);
        }

        /**
         * A {@code try_table}: a block whose clauses branch from anywhere in its body, so with no
         * more locals written than at its start.
         */
        @Override
        public void visitTryTable(BlockType blocktype, Catch[] catches) {
            handlers = true;
            add(position, OPEN, 0);
            for (Catch c : catches) add(position, BR_IF, c.labelidx() + 1);
        }

        @Override
        public void visitCatch(int tagidx) {
            add(position, CATCH, 0);
        }

        @Override
        public void visitDelegate(int labelidx) {
            add(position, END, 0);
        }

        @Override
        public void visitThrow(int tagidx) {
            add(position, STOP, 0);
        }

        @Override
        public void visitRethrow(int labelidx) {
            add(position, STOP, 0);
        }

        @Override
        public void visitElse() {
            add(position, ELSE, 0);
        }

        @Override
        public void visitEnd() {
            add(position, END, 0);
        }

        @Override
        public void visitBranch(int opcode, int labelidx) {
            add(position, opcode == Opcodes.BR ? BR : BR_IF, labelidx);
        }

        @Override
        public void visitBrTable(int[] labels, int defaultLabel) {
            int[] all = Arrays.copyOf(labels, labels.length + 1);
            all[labels.length] = defaultLabel;
            add(position, BR_TABLE, tables.size());
            tables.add(all);
        }
    }
}
