package dev.wasm2jvm.cli;

/** A failure the user can fix, reported in one line without a stack trace. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
