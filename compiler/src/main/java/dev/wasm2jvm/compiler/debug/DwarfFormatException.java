package dev.wasm2jvm.compiler.debug;

/**
 * Debug information that cannot be decoded. It never reaches the compiler's callers: a module whose
 * DWARF is malformed is compiled as if it had none.
 */
final class DwarfFormatException extends RuntimeException {
    DwarfFormatException(String message) {
        super(message, null, false, false);
    }
}
