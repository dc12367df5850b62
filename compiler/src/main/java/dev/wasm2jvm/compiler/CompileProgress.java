package dev.wasm2jvm.compiler;

/**
 * Told how far a compilation has come, so that a tool can show progress on a long one. Called on
 * the compiling thread, after each defined function is compiled.
 */
@FunctionalInterface
public interface CompileProgress {
    /** Progress that nobody watches. */
    CompileProgress NONE = (done, total) -> { };

    /** {@code done} of the module's {@code total} defined functions are compiled. */
    void functionsCompiled(int done, int total);
}
