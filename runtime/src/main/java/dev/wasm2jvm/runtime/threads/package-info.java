/**
 * wasi-threads: {@link dev.wasm2jvm.runtime.threads.WasiThreads} provides {@code thread-spawn},
 * which starts a Java thread running the module's {@code wasi_thread_start} on a new instance that
 * shares the memory, through the {@code Runnable} the module class makes
 * ({@link dev.wasm2jvm.runtime.threads.WasiThreadStart}).
 */
package dev.wasm2jvm.runtime.threads;
