package dev.wasm2jvm.runtime.internal;

/**
 * The function of wasi-threads, {@code wasi} {@code thread-spawn}, as its host implements it:
 * generated code calls it directly as it does WASI preview 1's ({@link WasiSnapshotPreview1}).
 */
public interface WasiThreadSpawn {
    /** Starts a thread running {@code wasi_thread_start(tid, startArg)}; returns its id, or a negated errno. */
    int thread_spawn(int startArg);
}
