package dev.wasm2jvm.compiler.validate;

/**
 * A broken validation rule, carrying only the spec's message: the code that finds it rarely knows
 * the byte offset or the function, so {@link ModuleValidator} adds them when it converts the failure
 * into a {@link dev.wasm2jvm.compiler.CompileException}. A few rules of the binary format are found
 * only by reading the instructions, which validation does: their failures are {@link Malformed}.
 */
class ValidationFailure extends RuntimeException {
    ValidationFailure(String specMessage) {
        super(specMessage, null, false, false);
    }

    /** A rule of the binary format broken, which makes the module malformed rather than invalid. */
    static final class Malformed extends ValidationFailure {
        Malformed(String specMessage) {
            super(specMessage);
        }
    }
}
