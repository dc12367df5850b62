package dev.wasm2jvm.compiler.code;

/**
 * A catch clause of a {@code try_table}: which exceptions it catches and the label it branches to
 * with their values.
 *
 * @param kind what the clause catches and passes: one of {@link #CATCH}, {@link #CATCH_REF},
 *     {@link #CATCH_ALL}, {@link #CATCH_ALL_REF}, the clause's encoding
 * @param tagidx the tag of {@code catch} and {@code catch_ref}, or -1
 * @param labelidx the label, counted from outside the {@code try_table}
 */
public record Catch(int kind, int tagidx, int labelidx) {
    /** Exceptions of the tag; the branch carries their values. */
    public static final int CATCH = 0;
    /** Exceptions of the tag; the branch carries their values and the {@code exnref}. */
    public static final int CATCH_REF = 1;
    /** Every exception; the branch carries nothing. */
    public static final int CATCH_ALL = 2;
    /** Every exception; the branch carries the {@code exnref}. */
    public static final int CATCH_ALL_REF = 3;

    /** Whether the clause catches exceptions of every tag. */
    public boolean all() {
        return kind >= CATCH_ALL;
    }

    /** Whether the branch carries the caught exception's reference. */
    public boolean ref() {
        return kind == CATCH_REF || kind == CATCH_ALL_REF;
    }
}
