package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.Map;

/** CONTRACT PLACEHOLDER: being written. */
public final class ModuleEmitter {
    private ModuleEmitter() {}

    public static Map<String, byte[]> emit(WasmModule module, String className) {
        throw new UnsupportedOperationException("emitter not merged yet");
    }
}
