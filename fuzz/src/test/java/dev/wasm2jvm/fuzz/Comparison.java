package dev.wasm2jvm.fuzz;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares two transcripts of one module (node's and one JVM tier's) and tells apart agreement, a
 * disagreement, and a difference that is an artefact of the harness, not a bug. This is the one
 * place where differences are filtered; each filter says why (the NaN filter, {@link #withoutNans},
 * needs a second run of the module, which {@code Campaign} makes).
 *
 * <p>What is not filtered, because both engines must agree on it exactly: every call's results
 * (integers bit for bit, floats by value with -0 distinct from 0), whether it traps and the class
 * of the trap, every logged value in order, and the final exported globals, tables and memories.
 * NaN is compared as NaN (both transcripts show any NaN as {@code nan}): the spec lets an operation
 * return any canonical NaN for non-NaN operands and any arithmetic NaN for NaN operands, and V8
 * and HotSpot differ in sign and payload, both correctly.
 */
record Comparison(Verdict verdict, String detail, boolean maybeNanBits) {
    enum Verdict { AGREE, DISAGREE, ARTEFACT }

    /**
     * A verdict whose difference, if any, NaN bits may explain: all but a disagreement in a logged
     * vector's lanes that are not NaNs on both sides (see {@link #maybeNanBits(String, String)}).
     */
    Comparison(Verdict verdict, String detail) {
        this(verdict, detail, true);
    }

    static Comparison of(List<String> node, List<String> jvm) {
        int n = Math.min(node.size(), jvm.size());
        int k = 0;
        while (k < n && equivalent(node.get(k), jvm.get(k))) k++;
        if (k == node.size() && k == jvm.size()) {
            // Both stopped by the time limit at the same point: equal so far, but not run to the end.
            return node.contains("timeout") ? new Comparison(Verdict.ARTEFACT, "time limit; both at line " + k)
                    : new Comparison(Verdict.AGREE, "");
        }
        // binaryen 132's -ttf emits `ref.as_non_null` (typed function references, not enabled) in
        // some modules with reference types on; V8 and wasm2jvm both reject those modules, with
        // their own messages. Rejected by one engine only is a disagreement.
        if (!node.isEmpty() && !jvm.isEmpty() && node.get(0).equals("compile-error") && jvm.get(0).equals("compile-error")) {
            return new Comparison(Verdict.ARTEFACT, "rejected by both; node `" + node.get(node.size() - 1)
                    + "`, wasm2jvm `" + jvm.get(jvm.size() - 1) + "`");
        }
        String where = "line " + (k + 1) + ": node `" + (k < node.size() ? node.get(k) : "<end>")
                + "`, wasm2jvm `" + (k < jvm.size() ? jvm.get(k) : "<end>") + "`";
        // A stack overflow happens at a depth that depends on the engine's frame sizes and stack
        // size, so what a program logs and stores before it overflows differs, and so does all
        // that follows. Both engines trap with the spec's "call stack exhausted" class; the
        // transcripts are compared up to the call in which either overflowed.
        if (upTo(node, k + 1).anyMatch(Comparison::exhausted) || upTo(jvm, k + 1).anyMatch(Comparison::exhausted)
                || exhaustedInCall(node, k) || exhaustedInCall(jvm, k)) {
            return new Comparison(Verdict.ARTEFACT, "stack exhaustion; " + where);
        }
        // A module that runs past the time limit (binaryen's -ttf does not bound every loop) cannot
        // be compared beyond the point where it was stopped; up to there it can.
        if (k < node.size() && node.get(k).equals("timeout") || k < jvm.size() && jvm.get(k).equals("timeout")) {
            return new Comparison(Verdict.ARTEFACT, "time limit; " + where);
        }
        return new Comparison(Verdict.DISAGREE, where,
                k >= node.size() || k >= jvm.size() || maybeNanBits(node.get(k), jvm.get(k)));
    }

    /**
     * Whether two lines at the same place may differ by NaN bits alone. Any may but two logged
     * vectors: they may only where every 32-bit lane that differs is an f32 NaN on both sides, or
     * every 64-bit lane that differs an f64 NaN on both. The {@code --denan} re-check cannot tell
     * for vectors: binaryen's pass zeroes every v128 value with a lane that reads as a NaN, integer
     * vectors too, so it changes what integer SIMD code computes, and a miscompilation that goes
     * away with it would be taken for NaN bits (as one planted in a saturating subtraction was).
     * The price: NaN bits that bitwise operations mix with a number's in one lane show as a
     * disagreement, to be looked at (seed 11767 of the SIMD campaign, once in 1,100 modules).
     */
    static boolean maybeNanBits(String node, String jvm) {
        if (!node.startsWith("log v128 ") || !jvm.startsWith("log v128 ")) return true;
        long[] a = vector(node);
        long[] b = vector(jvm);
        boolean f32 = true;
        boolean f64 = true;
        for (int half = 0; half < 2; half++) {
            if (a[half] != b[half]) f64 &= isNaN(a[half]) && isNaN(b[half]);
            for (int shift = 0; shift < 64; shift += 32) {
                int x = (int) (a[half] >>> shift);
                int y = (int) (b[half] >>> shift);
                if (x != y) f32 &= Float.isNaN(Float.intBitsToFloat(x)) && Float.isNaN(Float.intBitsToFloat(y));
            }
        }
        return f32 || f64;
    }

    private static long[] vector(String line) {
        String[] parts = line.split(" ");
        return new long[] {Long.parseUnsignedLong(parts[2], 16), Long.parseUnsignedLong(parts[3], 16)};
    }

    private static boolean isNaN(long bits) {
        return Double.isNaN(Double.longBitsToDouble(bits));
    }

    private static Stream<String> upTo(List<String> lines, int end) {
        return lines.subList(0, Math.min(end, lines.size())).stream();
    }

    /** Whether the call that line {@code k} belongs to overflowed the stack (later in that call). */
    private static boolean exhaustedInCall(List<String> lines, int k) {
        for (int i = k; i < lines.size() && !lines.get(i).startsWith("call "); i++) {
            if (exhausted(lines.get(i))) return true;
        }
        return false;
    }

    /**
     * Whether two lines at the same place say the same. An atomic access both misaligned and out of
     * bounds traps as "unaligned atomic" in wasm2jvm, which checks alignment first as the threads
     * proposal's reference interpreter does, and as out of bounds in V8, which checks bounds first;
     * the spec does not order the two checks, and the access has no effect either way.
     */
    private static boolean equivalent(String node, String jvm) {
        return node.equals(jvm) || node.equals("trap memory") && jvm.equals("trap unaligned");
    }

    /**
     * The verdicts of a disagreeing module, given those of the same module after binaryen's
     * {@code --denan} pass (every NaN a float expression makes becomes 0): if that run disagrees
     * nowhere, the disagreements become artefacts. The spec lets an operation return any canonical
     * NaN for non-NaN operands and any arithmetic NaN for NaN operands, and V8 and HotSpot differ in
     * sign and payload, both correctly. Transcripts show a float NaN as {@code nan}, but NaN bits
     * also reach integers (reinterpretation) and memory (stores). A miscompilation that needs a NaN
     * to show is missed by this filter; one that does not still shows after {@code --denan}, but
     * for vector code, which the pass changes: a disagreement NaN bits cannot explain
     * ({@link #maybeNanBits()} false) stays one.
     */
    static Map<String, Comparison> withoutNans(Map<String, Comparison> verdicts, Map<String, Comparison> denan) {
        if (denan.values().stream().anyMatch(c -> c.verdict() == Verdict.DISAGREE)) return verdicts;
        Map<String, Comparison> filtered = new TreeMap<>();
        verdicts.forEach((tier, c) -> filtered.put(tier,
                c.verdict() == Verdict.DISAGREE && c.maybeNanBits() ? new Comparison(Verdict.ARTEFACT, "NaN bits; " + c.detail()) : c));
        return filtered;
    }

    /** Whether a transcript line records a stack overflow. */
    private static boolean exhausted(String line) {
        return line.equals("exhausted") || line.equals("trap stack");
    }
}
