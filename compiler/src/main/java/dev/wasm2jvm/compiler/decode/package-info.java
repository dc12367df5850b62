/**
 * The binary format: {@link dev.wasm2jvm.compiler.decode.ModuleDecoder} reads a module's sections
 * into a {@link dev.wasm2jvm.compiler.module.WasmModule}, reporting malformed input with the
 * spec's messages; function bodies stay bytes until the validator and the code generator read them
 * with {@code code.CodeReader}.
 */
package dev.wasm2jvm.compiler.decode;
