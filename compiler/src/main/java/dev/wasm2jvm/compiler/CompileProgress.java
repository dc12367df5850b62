package dev.wasm2jvm.compiler;

/**
 * Told how far a compilation has come, so that a tool can show progress on a long one. Called on
 * the compiling thread. Compiling a module's functions takes two steps per defined function: one
 * to plan it (measure it, and find how to split it if it is too large for one JVM method) and one
 * to emit it; planning takes most of the time for large functions, emitting for small ones.
 */
@FunctionalInterface
public interface CompileProgress {
    /** Progress that nobody watches. */
    CompileProgress NONE = (done, total) -> { };

    /**
     * {@code done} of the {@code total} steps of compiling the module's functions are done. The
     * steps start again, seldom, when the module is planned and emitted again: for a function whose
     * frames the emitters could not give ({@link #framesComputed}), or whose plan, taken without a
     * trial of its methods, made one too large for HotSpot to compile.
     */
    void advanced(int done, int total);

    /**
     * The compiler could not give the stack map frames of function {@code funcidx}'s methods, for
     * {@code reason}: a defect of the compiler worth reporting, with the module, though not of the
     * classes compiled, in which ASM computes that function's frames. The module is planned and
     * emitted again for it, so the steps counted by {@link #advanced} start again too.
     */
    default void framesComputed(int funcidx, String reason) { }
}
