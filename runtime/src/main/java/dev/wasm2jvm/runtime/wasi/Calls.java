package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.channels.ClosedByInterruptException;

/**
 * The boundary between the guest and the host code of a WASI function: every failure becomes an
 * errno, except traps, {@link WasiExit} and interrupts, which unwind the guest, and errors of the
 * JVM itself, which become traps naming the function ({@link #hostFailure}).
 */
final class Calls {
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

    /**
     * The errno of {@code thrown}, the failure of a function's body, or what it unwinds the guest
     * with. Each function catches its own failures and hands them here, rather than passing its
     * body as a lambda, which the JVM would spin a class for at the first call of each function.
     */
    static int errno(Throwable thrown) {
        if (thrown instanceof WasiError e) return e.errno;
        if (thrown instanceof ClosedByInterruptException || thrown instanceof InterruptedException) {
            throw interrupted((Exception) thrown);
        }
        if (thrown instanceof IOException e) return Errno.of(e);
        if (thrown instanceof WasmTrap e) throw e;
        if (thrown instanceof WasiExit e) throw e;
        if (thrown instanceof RuntimeException e) return Errno.of(e);
        if (thrown instanceof Error e) throw hostFailure(e);
        throw new IllegalStateException("undeclared checked exception", thrown);
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
     * The trap for an {@link Error} of the JVM that ended the WASI function {@code function}: the
     * host cannot go on with the call, and the guest could not handle an errno for it. A stack
     * overflow is the guest's own "call stack exhausted", which left no room for the call; the cause
     * is kept for diagnostics.
     */
    static WasmTrap hostFailure(String function, Error e) {
        // Plain tests, not a pattern switch: its bootstrap could fail in the very condition reported.
        if (e instanceof StackOverflowError) return new WasmTrap("call stack exhausted", e);
        if (e instanceof OutOfMemoryError) return new WasmTrap("host out of memory in WASI function " + function, e);
        return new WasmTrap("host failure in WASI function " + function, e);
    }

    /**
     * As {@link #hostFailure(String, Error)} within {@link #errno}, whose caller is always the WASI
     * function itself, named as the function: the name is found on the stack only when a call fails,
     * so that binding a function needs no handler made for it.
     */
    private static WasmTrap hostFailure(Error e) {
        if (e instanceof StackOverflowError) return hostFailure("", e);
        String function = "?";
        try {
            StackTraceElement[] stack = new Throwable().getStackTrace();
            for (int i = 0; i + 1 < stack.length; i++) {
                if (stack[i].getClassName().equals(Calls.class.getName()) && stack[i].getMethodName().equals("errno")) {
                    function = stack[i + 1].getMethodName();
                    break;
                }
            }
        } catch (OutOfMemoryError stillOutOfMemory) {
            // The trap is still due; only its message lacks the name.
        }
        return hostFailure(function, e);
    }
}
