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

    /**
     * Throws what {@code t}, caught where Java code called into wasm code, stands for: the JVM's own
     * failures that are wasm traps become {@code WasmTrap}s (a stack overflow is "call stack
     * exhausted", a memory segment's bounds check is "out of bounds memory access"); other unchecked
     * throwables are rethrown as they are, checked ones wrapped. Declared to return so that callers
     * can write {@code throw WasmTrap.propagate(t)}.
     */
    public static RuntimeException propagate(Throwable t) {
        Throwable translated = translate(t);
        if (translated instanceof RuntimeException r) throw r;
        throw (Error) translated;
    }

    /** What {@link #propagate} throws for {@code t}: a {@code RuntimeException} or an {@code Error}. */
    public static Throwable translate(Throwable t) {
        if (t instanceof StackOverflowError) return new WasmTrap("call stack exhausted", t);
        if (t instanceof IndexOutOfBoundsException) return new WasmTrap("out of bounds memory access", t);
        if (t instanceof RuntimeException || t instanceof Error) return t;
        return new WasmTrap("host function failed: " + t, t);
    }
}
