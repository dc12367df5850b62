package dev.wasm2jvm.runtime.wasi;

/**
 * A failure that a WASI function reports to the guest as an errno. It unwinds the host code to
 * the function's boundary, where it becomes the return value; it never reaches the guest as an
 * exception, so it carries no stack trace.
 */
final class WasiError extends RuntimeException {
    final int errno;

    WasiError(int errno) {
        super("errno " + errno, null, false, false);
        this.errno = errno;
    }
}
