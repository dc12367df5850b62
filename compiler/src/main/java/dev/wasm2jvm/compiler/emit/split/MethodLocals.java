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

    /**
     * @param regions the outlined parts of {@code body}
     * @param prologues the blocks each group of states opens before its code, by region
     */
    public MethodLocals(FunctionBody body, List<Region> regions, Map<Region, Integer> prologues) {
        CodeReader.read(body.code(), body.offset(), new Recorder(body.offset()));
        attribute(regions);
        BitSet[] readsAfter = readsAfter(regions);
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            flow(r, prologues.getOrDefault(r, 0), readsAfter[i]);
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
     * has written on every path that leaves it; code after it may read what it reads after its end
     * and, around it, what any loop it lies in reads.
     */
    private void flow(Region r, int prologue, BitSet live) {
        for (Region p = r.parent; p != null; p = p.parent) {
            if (p.opcode == Opcodes.LOOP) live.or(p.reads);
        }
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
            add(position, opcode == Opcodes.LOOP ? OPEN_LOOP : opcode == Opcodes.IF ? OPEN_IF : OPEN, 0);
        }

        /**
         * A {@code try_table}: a block whose clauses branch from anywhere in its body, so with no
         * more locals written than at its start.
         */
        @Override
        public void visitTryTable(BlockType blocktype, Catch[] catches) {
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
