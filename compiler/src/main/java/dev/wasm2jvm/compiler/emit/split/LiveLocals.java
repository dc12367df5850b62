package dev.wasm2jvm.compiler.emit.split;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR_IF;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR_TABLE;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.ELSE;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.END;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.GET;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN_IF;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN_LOOP;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.SET;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.STOP;

/**
 * The locals live where control leaves a region of a function without exception handlers: those
 * that some path from there reads before writing. Live-variable analysis over the instructions
 * {@link FlowInstructions} records, backward, with the blocks' ends and the loops' headers as the
 * targets of branches; a loop whose header changes has its own code followed again at once, until
 * its header holds, rather than the whole body once more (see {@link #pass}).
 *
 * <p>A region leaves at its end or by a branch to a construct around it, so what it must hand
 * back is what is live at its end or at any of those constructs' labels. The reads after its end
 * in code order, and all of the reads of the loops around it, would do, and did; but in an
 * interpreter's loop each case of the switch lies after the cases before it and writes most of
 * what it reads. In the SQLite shell this analysis took the frame accesses of the generated code
 * from 8,797 {@code getfield} and 7,795 {@code putfield} to 6,603 and 5,501 (counted in the class
 * files), and the VDBE's hottest group of states ({@code func475$states_4ff8e}, 2.5% of the
 * program thread's samples) from 15 locals taken and 10 handed back to 11 and 6: clang gives one
 * wasm local to values of several cases, so many stay live across the loop.
 */
final class LiveLocals {
    /**
     * The instructions the backward pass may step over, per instruction of the body, before it gives
     * up the fixpoint for every local read anywhere: an answer as correct, as a region hands back
     * whatever it is told is live, if slower. Each loop followed again follows the loops in it
     * again, so a body of nested loops that each change their header took steps quadratic in their
     * depth: 40,000 empty nested loops (120 KB of wasm) 10 s of CPU, 100,000 over 2 minutes.
     */
    static final int STEPS_PER_INSTRUCTION = 64;

    private final int[] kinds;
    private final int[] args;
    private final List<int[]> tables;
    private final int count;
    /** For each instruction, the {@code OPEN*} of the innermost construct around it, or -1. */
    private final int[] parent;
    /** For each {@code OPEN*} and {@code ELSE}, its construct's {@code END}; for each {@code END}, its {@code OPEN*}, or -1 for the body's. */
    private final int[] match;
    /** For each {@code OPEN_IF}, its {@code ELSE}, or -1. */
    private final int[] otherwise;
    /** What is live after each {@code END}, before each {@code ELSE}'s arm, and at each loop's header: by instruction. */
    private final BitSet[] at;
    /** What is live before each instruction asked for by {@link #at(int)}. */
    private final BitSet[] before;
    /**
     * The {@code END}s of the constructs around the instruction a backward pass is at, innermost
     * last, so that a branch finds its target by its depth at once: with a deque of boxed indices
     * that each branch walked, the passes were 1.6 to 2.1% of the SQLite shell's compiling thread,
     * 1.2 to 1.3% so (async-profiler, 30 rounds with {@code --library}).
     */
    private final int[] constructs;
    private int constructCount;

    /**
     * @param asked the instructions before which {@link #at(int)} will be asked
     */
    LiveLocals(int[] kinds, int[] args, List<int[]> tables, int count, BitSet asked) {
        this.kinds = kinds;
        this.args = args;
        this.tables = tables;
        this.count = count;
        this.parent = new int[count];
        this.match = new int[count];
        this.otherwise = new int[count];
        this.at = new BitSet[count];
        this.before = new BitSet[count + 1];
        this.constructs = new int[count];
        nest();
        pass(asked);
    }

    /** What is live before instruction {@code i}, one asked for; {@code count} is the body's end. */
    BitSet at(int i) {
        return i >= count ? new BitSet() : before[i];
    }

    /**
     * What is live at the labels of the constructs around instruction {@code i}: after each
     * block's or {@code if}'s end, at each loop's header.
     */
    BitSet aroundLabels(int i) {
        BitSet live = new BitSet();
        for (int c = parent[i]; c >= 0; c = parent[c]) live.or(label(c));
        return live;
    }

    /** Pairs each construct's start, {@code else} and end, and gives each instruction its construct. */
    private void nest() {
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            parent[i] = open.isEmpty() ? -1 : open.peek();
            switch (kinds[i]) {
                case OPEN, OPEN_LOOP, OPEN_IF -> {
                    open.push(i);
                    otherwise[i] = -1;
                }
                case ELSE -> otherwise[open.peek()] = i;
                case END -> {
                    int start = open.isEmpty() ? -1 : open.pop();
                    match[i] = start;
                    if (start >= 0) match[start] = i;
                }
                default -> { }
            }
        }
        for (int i = 0; i < count; i++) {
            if (kinds[i] == ELSE) match[i] = match[parent[i]];
        }
    }

    /**
     * The backward pass, to the fixpoint. A loop's branches back read its header as it stood before
     * the pass reached it; where the header changes, the pass goes back to the loop's end and
     * follows the loop's code again, and the loops in it with it, until its header holds. The code
     * around a loop never reads its header, so nothing else is followed again. Passes over the
     * whole body, repeated while some header changed, reach the same fixpoint and took a third to a
     * half more: the SQLite shell's 87 split functions 11.8 to 12.3 ms against 8.9 to 9.3, Ruby's
     * 266 40.7 against 26.7 (thread CPU of the analysis alone, every instruction asked, median of 41
     * and 11 rounds).
     * Each header only grows, so a loop is followed again at most once per local added to one.
     */
    private void pass(BitSet asked) {
        BitSet live = new BitSet();
        constructCount = 0;
        long steps = (long) count * STEPS_PER_INSTRUCTION;
        for (int i = count - 1; i >= 0; i--) {
            if (--steps < 0) {
                everyReadLive(asked);
                return;
            }
            switch (kinds[i]) {
                case GET -> live.set(args[i]);
                case SET -> live.clear(args[i]);
                case STOP -> live.clear();
                case BR -> live = copy(target(args[i]));
                case BR_IF -> live.or(target(args[i]));
                case BR_TABLE -> {
                    live = new BitSet();
                    for (int label : tables.get(args[i])) live.or(target(label));
                }
                case END -> {
                    at[i] = copy(live);
                    constructs[constructCount++] = i;
                }
                case ELSE -> {
                    at[i] = live;
                    live = copy(at[match[i]]);
                }
                case OPEN_IF -> {
                    constructCount--;
                    live.or(otherwise[i] >= 0 ? at[otherwise[i]] : at[match[i]]);
                }
                case OPEN -> constructCount--;
                case OPEN_LOOP -> {
                    constructCount--;
                    if (!live.equals(at[i])) {
                        at[i] = copy(live);
                        // From the loop's end again, with what was live after it: the loop's next step is its end.
                        int end = match[i];
                        live = copy(at[end]);
                        i = end + 1;
                        continue;
                    }
                }
                default -> { }
            }
            if (asked.get(i)) before[i] = copy(live);
        }
    }

    /** Every local the body reads, live before each instruction asked for and at every label. */
    private void everyReadLive(BitSet asked) {
        BitSet read = new BitSet();
        for (int i = 0; i < count; i++) {
            if (kinds[i] == GET) read.set(args[i]);
        }
        Arrays.fill(at, read);
        for (int i = asked.nextSetBit(0); i >= 0 && i < count; i = asked.nextSetBit(i + 1)) before[i] = read;
    }

    /** What is live at the label {@code depth} constructs out, as the backward pass stands: none past the body's. */
    private BitSet target(int depth) {
        if (depth >= constructCount) return new BitSet();
        int end = constructs[constructCount - 1 - depth];
        return match[end] < 0 ? new BitSet() : label(match[end]);
    }

    /** What is live at the label of the construct that starts at {@code open}: its header if a loop, else after its end. */
    private BitSet label(int open) {
        BitSet live = kinds[open] == OPEN_LOOP ? at[open] : at[match[open]];
        return live == null ? new BitSet() : live;
    }

    private static BitSet copy(BitSet set) {
        return (BitSet) set.clone();
    }
}
