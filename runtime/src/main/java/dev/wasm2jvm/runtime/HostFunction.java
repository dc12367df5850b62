package dev.wasm2jvm.runtime;

/**
 * A function implemented in Java and imported by a module. Arguments and results are boxed:
 * {@code Integer} for i32, {@code Long} for i64, {@code Float} for f32, {@code Double} for f64,
 * {@link V128} for v128, {@link FuncRef} or {@code null} for funcref, any object for externref.
 */
@FunctionalInterface
public interface HostFunction {
    /** Runs the function; returns its results, or an empty array (or {@code null}) when it has none. */
    Object[] call(Object... args);
}
