package dev.wasm2jvm.runtime.wasi;

/**
 * Thrown by {@code proc_exit}: the guest asked to end with {@link #exitCode()}. It unwinds every
 * wasm frame of the calling thread; the embedder catches it where it called into the module.
 */
public final class WasiExit extends RuntimeException {
    private final int exitCode;

    public WasiExit(int exitCode) {
        super("proc_exit(" + exitCode + ")", null, false, false);
        this.exitCode = exitCode;
    }

    /** The status the guest passed to {@code proc_exit}. */
    public int exitCode() {
        return exitCode;
    }
}
