/**
 * The wasm2jvm compiler as a library: {@link dev.wasm2jvm.compiler.WasmCompiler} turns a
 * WebAssembly module into JVM classes that link against {@code dev.wasm2jvm.runtime}, which this
 * module re-exports because its API hands out the runtime's {@code Instance} and takes its
 * {@code Imports}. Decoding, validation and code generation are implementation, not exported.
 */
module dev.wasm2jvm.compiler {
    requires transitive dev.wasm2jvm.runtime;
    requires org.objectweb.asm;

    exports dev.wasm2jvm.compiler;
}
