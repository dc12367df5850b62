package dev.wasm2jvm.compiler.validate;

/**
 * A broken validation rule, carrying only the spec's message: the code that finds it rarely knows
 * the byte offset or the function, so {@link ModuleValidator} adds them when it converts the failure
 * into a {@link dev.wasm2jvm.compiler.CompileException}.
 */
final class ValidationFailure extends RuntimeException {
    ValidationFailure(String specMessage) {
        super(specMessage, null, false, false);
    }
}
