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

    /** {@code done} of the {@code total} steps of compiling the module's functions are done. */
    void advanced(int done, int total);
}
