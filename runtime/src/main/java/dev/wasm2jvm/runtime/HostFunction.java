package dev.wasm2jvm.runtime;

/**
 * A function implemented in Java and imported by a module. Arguments and results are boxed:
 * {@code Integer} for i32, {@code Long} for i64, {@code Float} for f32, {@code Double} for f64,
 * {@link V128} for v128, {@link FuncRef} or {@code null} for funcref, any object for externref.
 *
 * <p>Added to {@link Imports} as it is, a host function takes the type of the import it is linked
 * to; {@link FuncRef#host} gives it a type of its own, for tables and other modules. A function
 * that needs the instance calling it, to read and write its memory or call its exports, is a
 * {@link WithCaller}.
 */
@FunctionalInterface
public interface HostFunction {
    /** Runs the function; returns its results, or an empty array (or {@code null}) when it has none. */
    Object[] call(Object... args);

    /**
     * A host function that is given the instance importing it, on every call: its exports, among
     * them its memory, are there from the start, so the function may use them when the module's
     * start function or a reactor's {@code _initialize} calls it. Added to {@link Imports}, it is
     * bound to each instance made with those imports in turn:
     *
     * <pre>{@code
     * imports.add("env", "log", (caller, args) -> {
     *     Memory memory = caller.memory("memory");
     *     System.out.println(memory.readString((Integer) args[0], (Integer) args[1]));
     *     return null;
     * });
     * }</pre>
     *
     * <p>Calling an export of the caller from the host function is a nested call on the same
     * thread, which {@link Instance}'s one-thread rule allows.
     */
    @FunctionalInterface
    interface WithCaller {
        /**
         * Runs the function for {@code caller}; returns its results, or an empty array (or
         * {@code null}) when it has none.
         */
        Object[] call(Instance caller, Object... args);
    }
}
