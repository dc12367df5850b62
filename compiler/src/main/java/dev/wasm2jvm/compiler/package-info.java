/**
 * The compiler's API: {@link dev.wasm2jvm.compiler.WasmCompiler} compiles a WebAssembly module to
 * JVM classes ({@link dev.wasm2jvm.compiler.CompiledModule}), which link against the runtime,
 * {@code dev.wasm2jvm.runtime}. Failures are {@link dev.wasm2jvm.compiler.CompileException}s with
 * the spec's message and the offending offset. The other packages are the compiler's stages and
 * are not exported by its module: {@code decode} and {@code code} read the binary format,
 * {@code validate} type-checks, {@code emit} generates bytecode (see {@code compiler/ARCHITECTURE.md}).
 */
package dev.wasm2jvm.compiler;
