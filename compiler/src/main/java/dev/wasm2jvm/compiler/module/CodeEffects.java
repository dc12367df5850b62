package dev.wasm2jvm.compiler.module;

/**
 * What a function body can do beyond its own computation: whom it calls directly, and whether it
 * calls through a table, accesses memory, makes tail calls, computes with SIMD or has
 * legacy catch clauses. Validation finds it in the pass that reads every body anyway (the code
 * generator builds the module's call graph from it, which otherwise took a pass over every body of
 * its own: 4 to 6% of compiling the Sightglass {@code sqlite3}, at ~9 ns per byte of code).
 *
 * @param callees the function index of each direct call ({@code call}, {@code return_call}), in
 *     order, repeats kept
 * @param callsIndirect whether the body has a {@code call_indirect} or {@code return_call_indirect}
 * @param accessesMemory whether it loads or stores linear memory (an instruction with a memarg)
 * @param tailCalls whether it has a {@code return_call} or {@code return_call_indirect}
 * @param simdWork how many SIMD instructions that compute it has: those without a memory access
 *     (shuffles, lane and other prefixed operations)
 * @param catchClauses whether it has a legacy {@code catch} or {@code catch_all}, whose code its
 *     method jumps back to from the handler after the construct, so that ASM computes its frames
 */
public record CodeEffects(int[] callees, boolean callsIndirect, boolean accessesMemory,
                          boolean tailCalls, int simdWork, boolean catchClauses) {
    /** The effects of a body with no call, memory, SIMD or catch instruction. */
    public static final CodeEffects NONE = new CodeEffects(new int[0], false, false, false, 0, false);

    public CodeEffects {
        callees = callees.clone();
    }

    /** A copy: the record's own array stays as validation found it. */
    @Override
    public int[] callees() {
        return callees.clone();
    }
}
