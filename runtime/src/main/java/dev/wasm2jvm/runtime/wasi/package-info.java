/**
 * WASI preview1 and snapshot 0 ({@code wasi_unstable}) as host functions:
 * {@link dev.wasm2jvm.runtime.wasi.WasiPreview1} adds them to an {@code Imports}, configured by
 * {@link dev.wasm2jvm.runtime.wasi.WasiOptions} (arguments, environment, preopened directories,
 * limits). Everything else here is the host's implementation: descriptors, paths, clocks, polling.
 */
package dev.wasm2jvm.runtime.wasi;
