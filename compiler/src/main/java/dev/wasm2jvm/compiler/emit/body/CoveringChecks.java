package dev.wasm2jvm.compiler.emit.body;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The loads and stores of a function body whose bounds check an earlier access makes for them
 * (issue 12): where a stretch of straight-line code accesses a memory two or more times through the
 * same value of a local, with nothing between that may trap or that a trap would leave behind, the
 * stretch's first access checks the furthest extent of them all and the others are emitted without
 * a check, as {@link ProvenAccesses}' are; likewise through two locals, which compression functions
 * interleave (a state and a message block).
 *
 * <p><b>Why.</b> Each bounds check that C2 compiles is a branch to an uncommon trap whose debug
 * information names every live value of the method, so each splits those values' live ranges once
 * more for the register allocator, which is most of C2's time on generated code. With every check
 * of blake3-scalar's compression function ({@code func32}, 12 checks left by
 * {@link ProvenAccesses}) gone, C2 compiled it in 0.74 of the time into 0.59 of the code (benchmarks
 * README, "Bounds checks moved to the first access of a stretch").
 *
 * <p><b>Why the trap stays the same.</b> The check moves from an access to an earlier one of the
 * same stretch: code that has no branch, join or call, writes no global, memory or table, and runs
 * no instruction that may trap but the accesses through the stretch's locals (one or two, whose
 * values the first access reads: a second local joins only if the stretch has not written it). If
 * the check fails, the accesses it covers would have run in wasm up to the first of them out of
 * bounds, with only computations between, whose values the trap discards; so trapping at the check,
 * with the text of that first access out of bounds ({@code MemoryAccess.checkReach} finds it from
 * {@link Check#accesses}), leaves what wasm's trap leaves. A stretch ends at a store (after it), at a
 * write of one of its locals, and at an access that may trap through any other local, which wasm
 * would reach first. Accesses already proven are neither covered nor end a stretch: they cannot
 * trap.
 */
final class CoveringChecks {
    /**
     * The check of a stretch's first access: its local's value plus {@code reach} must lie within the
     * memory, and so must local {@code secondLocal}'s value plus {@code secondReach} where the stretch
     * accesses through a second local ({@code secondLocal} -1 where not); {@code accesses} lists
     * the stretch's accesses in order as {@code key:offset:width}, the key 0 for the first local
     * and 1 for the second, for the trap's text.
     */
    record Check(long reach, int secondLocal, long secondReach, String accesses) {}

    /** The covered accesses, by position in the body. */
    final BitSet covered = new BitSet();
    /** The checks of stretches' first accesses, by position in the body. */
    final Map<Integer, Check> checks = new HashMap<>();

    /** The open stretch: the keys it accesses through (one or two), each's reach, its accesses' positions. */
    private final long[] keys = new long[2];
    private final long[] reaches = new long[2];
    private int keyCount;
    private int[] positions = new int[8];
    private int count;
    private final StringBuilder accesses = new StringBuilder();
    /** The locals the open stretch wrote: none of them may become its second key, whose value its start reads. */
    private final BitSet written = new BitSet();

    private CoveringChecks() {}

    /** The covering checks of the body that {@code trace} follows, whose {@code proven} accesses need none. */
    static CoveringChecks of(AccessTrace trace, BitSet proven) {
        CoveringChecks stretches = new CoveringChecks();
        stretches.follow(trace, proven);
        return stretches;
    }

    private void follow(AccessTrace trace, BitSet proven) {
        int access = 0;
        for (int event = 0; event < trace.followed; event++) {
            int arg = trace.args[event];
            switch (trace.kinds[event]) {
                case AccessTrace.ACCESS -> {
                    if (!proven.get(arg)) access(arg, trace.keys[access], trace.extents[access], trace.widths[access]);
                    access++;
                }
                case AccessTrace.WRITE -> {
                    if (keyCount > 0 && ((int) keys[0] == arg || keyCount > 1 && (int) keys[1] == arg)) close();
                    else written.set(arg);
                }
                default -> close();
            }
        }
        close();
    }

    private void access(int position, long key, long extent, int width) {
        int k = keyIndex(key);
        if (k < 0) {
            // A second local joins if the stretch's start reads the value this access reads, in the same memory.
            boolean joins = keyCount == 1 && !written.get((int) key) && key >>> 32 == keys[0] >>> 32;
            if (!joins) close();
            k = keyCount++;
            keys[k] = key;
        }
        if (count == positions.length) positions = Arrays.copyOf(positions, 2 * count);
        positions[count++] = position;
        reaches[k] = Math.max(reaches[k], extent);
        if (!accesses.isEmpty()) accesses.append(',');
        accesses.append(k).append(':').append(extent - width).append(':').append(width);
    }

    private int keyIndex(long key) {
        for (int k = 0; k < keyCount; k++) {
            if (keys[k] == key) return k;
        }
        return -1;
    }

    private void close() {
        if (count > 1) {
            boolean two = keyCount > 1;
            checks.put(positions[0], new Check(reaches[0], two ? (int) keys[1] : -1, two ? reaches[1] : 0, accesses.toString()));
            for (int i = 1; i < count; i++) covered.set(positions[i]);
        }
        count = 0;
        keyCount = 0;
        reaches[0] = reaches[1] = 0;
        accesses.setLength(0);
        written.clear();
    }
}
