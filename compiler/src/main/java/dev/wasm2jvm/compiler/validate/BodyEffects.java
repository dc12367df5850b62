package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.module.CodeEffects;

import java.util.Arrays;

/**
 * The {@link CodeEffects} of one function body, gathered by its {@link ExpressionValidator} as it
 * reads the instructions: the decoder no longer reads bodies, and no later stage decodes every body
 * again to find them.
 */
final class BodyEffects {
    private int[] callees = new int[8];
    private int calls;
    private boolean callsIndirect;
    private boolean accessesMemory;
    private boolean tailCalls;
    private int simdWork;
    private boolean catchClauses;

    /** The effects of the instructions read. */
    CodeEffects effects() {
        return new CodeEffects(Arrays.copyOf(callees, calls), callsIndirect, accessesMemory, tailCalls,
                simdWork, catchClauses);
    }

    /** A {@code call} or {@code return_call} of function {@code funcidx}. */
    void call(int funcidx) {
        if (calls == callees.length) callees = Arrays.copyOf(callees, 2 * calls);
        callees[calls++] = funcidx;
    }

    /** A {@code call_indirect} or {@code return_call_indirect}. */
    void callIndirect() {
        callsIndirect = true;
    }

    /** A {@code return_call} or {@code return_call_indirect}. */
    void tailCall() {
        tailCalls = true;
    }

    /** An instruction with a memarg. */
    void accessMemory() {
        accessesMemory = true;
    }

    /** A SIMD instruction without a memory access. */
    void simd() {
        simdWork++;
    }

    /** A legacy {@code catch} or {@code catch_all}. */
    void catchClause() {
        catchClauses = true;
    }
}
