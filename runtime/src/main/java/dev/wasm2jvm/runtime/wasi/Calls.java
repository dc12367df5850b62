package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.channels.ClosedByInterruptException;

/**
 * The boundary between the guest and the host code of a WASI function: every failure becomes an
 * errno, except traps, {@link WasiExit} and interrupts, which unwind the guest, and errors of the
 * JVM itself, which the dispatch turns into traps ({@link #hostFailure}).
 */
final class Calls {
    /** The body of a function; it returns normally on success. */
    @FunctionalInterface
    interface Body {
        void run() throws IOException, InterruptedException;
    }

    private Calls() {}

    /**
     * Loads the classes that map failures to errnos before the guest runs. A guest that uses up the
     * process's file descriptors must still get {@code EMFILE}, and a class not yet loaded from a
     * class path directory could not be opened then.
     */
    static void prepare() {
        try {
            MethodHandles.lookup().ensureInitialized(Errno.class);
            MethodHandles.lookup().ensureInitialized(WasiError.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static int errno(Body body) {
        try {
            body.run();
            return Errno.SUCCESS;
        } catch (WasiError e) {
            return e.errno;
        } catch (ClosedByInterruptException | InterruptedException e) {
            throw interrupted(e);
        } catch (IOException e) {
            return Errno.of(e);
        } catch (WasmTrap | WasiExit e) {
            throw e;
        } catch (RuntimeException e) {
            return Errno.of(e);
        }
    }

    /**
     * An interrupted blocking call ends the guest thread with the trap {@code "interrupted"}; the
     * thread's interrupt status is set again for whoever catches it.
     */
    static WasmTrap interrupted(Exception cause) {
        Thread.currentThread().interrupt();
        return new WasmTrap("interrupted", cause);
    }

    /**
     * Throws the trap for an {@link Error} of the JVM that ended the WASI function {@code function}:
     * the host cannot go on with the call, and the guest could not handle an errno for it. A stack
     * overflow is the guest's own "call stack exhausted", which left no room for the call; the cause
     * is kept for diagnostics. Declared to return so that the dispatch can use it as a handler.
     */
    static Object hostFailure(String function, Error e) {
        String message = switch (e) {
            case StackOverflowError _ -> "call stack exhausted";
            case OutOfMemoryError _ -> "host out of memory in WASI function " + function;
            default -> "host failure in WASI function " + function;
        };
        throw new WasmTrap(message, e);
    }
}
