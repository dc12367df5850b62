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
 * a check, as {@link ProvenAccesses}' are.
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
 * no instruction that may trap but the accesses through the stretch's local. If the check fails,
 * the accesses it covers would have run in wasm up to the first of them out of bounds, with only
 * computations between, whose values the trap discards; so trapping at the check, with the text of
 * that first access out of bounds ({@code MemoryAccess.checkReach} finds it from
 * {@link Check#accesses}), leaves what wasm's trap leaves. A stretch ends at a store (after it), at a
 * write of its local, and at an access through another local that may trap, which wasm would reach
 * first. Accesses already proven are neither covered nor end a stretch: they cannot trap.
 */
final class CoveringChecks {
    /**
     * The check of a stretch's first access: its local's value plus {@code reach} must lie within the
     * memory; {@code accesses} lists the stretch's accesses in order as {@code offset:width}, for the
     * trap's text.
     */
    record Check(long reach, String accesses) {}

    /** The covered accesses, by position in the body. */
    final BitSet covered = new BitSet();
    /** The checks of stretches' first accesses, by position in the body. */
    final Map<Integer, Check> checks = new HashMap<>();

    /** The open stretch: its key, its first access's position, its accesses' positions and reach. */
    private long key;
    private int[] positions = new int[8];
    private int count;
    private long reach;
    private final StringBuilder accesses = new StringBuilder();

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
                    if (count > 0 && (int) key == arg) close();
                }
                default -> close();
            }
        }
        close();
    }

    private void access(int position, long key, long extent, int width) {
        if (count > 0 && key != this.key) close();
        if (count == 0) this.key = key;
        if (count == positions.length) positions = Arrays.copyOf(positions, 2 * count);
        positions[count++] = position;
        reach = Math.max(reach, extent);
        if (!accesses.isEmpty()) accesses.append(',');
        accesses.append(extent - width).append(':').append(width);
    }

    private void close() {
        if (count > 1) {
            checks.put(positions[0], new Check(reach, accesses.toString()));
            for (int i = 1; i < count; i++) covered.set(positions[i]);
        }
        count = 0;
        reach = 0;
        accesses.setLength(0);
    }
}
