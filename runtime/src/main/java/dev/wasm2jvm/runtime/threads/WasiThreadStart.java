package dev.wasm2jvm.runtime.threads;

/**
 * Implemented by the generated class of every module that exports
 * {@code wasi_thread_start: (i32, i32) -> ()}, the entry point of a wasi-threads thread.
 */
public interface WasiThreadStart {
    /**
     * A runnable that calls this instance's {@code wasi_thread_start(tid, startArg)} directly (the
     * generated runnable invokes the function's static method; no reflection, no method handle).
     */
    Runnable wasiThreadStart(int tid, int startArg);
}
