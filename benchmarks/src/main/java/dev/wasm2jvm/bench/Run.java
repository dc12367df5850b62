package dev.wasm2jvm.bench;

/**
 * What one execution of a workload produced.
 *
 * @param timedNanos the region between {@code bench.start} and {@code bench.end}
 * @param totalNanos the whole program: instantiation and {@code _start} (for native code, the process)
 * @param exitCode   the WASI exit status
 */
record Run(long timedNanos, long totalNanos, int exitCode, byte[] stdout, byte[] stderr) {}
