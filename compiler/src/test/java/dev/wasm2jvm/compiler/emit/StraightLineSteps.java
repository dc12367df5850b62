package dev.wasm2jvm.compiler.emit;

/**
 * Straight-line wasm code that the split tests use to make blocks large enough to outline, with
 * the Java model of what it computes: {@code n} times {@code acc = acc * 31 + (seed + k)} on an
 * i32 local {@code $acc}.
 */
public final class StraightLineSteps {
    private StraightLineSteps() {}

    /** The steps as flat wat instructions, one per line. */
    public static String wat(int n, int seed) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
            sb.append("local.get $acc i32.const 31 i32.mul i32.const ").append(seed + k).append(" i32.add local.set $acc\n");
        }
        return sb.toString();
    }

    /** What the steps leave in {@code $acc} when it starts as {@code acc}. */
    public static int model(int acc, int n, int seed) {
        for (int k = 0; k < n; k++) acc = acc * 31 + seed + k;
        return acc;
    }
}
