package dev.wasm2jvm.runtime;

/**
 * A WebAssembly trap. The message is the spec's trap text ({@code "integer divide by zero"},
 * {@code "out of bounds memory access"}, ...). The stack trace names the wasm functions that were
 * running, by their names from the module's name section.
 */
public class WasmTrap extends RuntimeException {
    public WasmTrap(String message) {
        super(message);
    }

    public WasmTrap(String message, Throwable cause) {
        super(message, cause);
    }
}
