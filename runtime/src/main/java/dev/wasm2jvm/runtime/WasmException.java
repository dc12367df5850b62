package dev.wasm2jvm.runtime;

import dev.wasm2jvm.runtime.internal.BoxedArguments;

/**
 * A WebAssembly exception, thrown by {@code throw} and caught by {@code try_table} (and the legacy
 * {@code try}): its {@link Tag} and the values it carries, boxed as {@link HostFunction} describes
 * ({@code Integer} for i32 and so on). An exception that leaves an exported function reaches the
 * Java caller as this type; a host function throws one to raise a wasm exception in its caller,
 * which that caller's wasm code catches by its tag. An {@code exnref} is a reference to one.
 *
 * <p>It is control flow, not an error: no stack trace is captured (its {@link #getStackTrace()} is
 * empty) and nothing is suppressed. {@link WasmTrap}s and the exit of a WASI program are other
 * types, which no wasm {@code catch_all} catches.
 */
public final class WasmException extends RuntimeException {
    private final Tag tag;
    private final Object[] payload;

    /**
     * An exception of {@code tag} carrying {@code payload}.
     *
     * @throws IllegalArgumentException if {@code payload} does not match the tag's type
     */
    public WasmException(Tag tag, Object... payload) {
        super(null, null, false, false);
        this.tag = tag;
        this.payload = BoxedArguments.check(tag.type, payload).clone();
    }

    /** The exception's tag. */
    public Tag tag() {
        return tag;
    }

    /** The values the exception carries, boxed, in the order of its tag's type. */
    public Object[] payload() {
        return payload.clone();
    }

    /** Value {@code i} of the payload, boxed. */
    public Object value(int i) {
        return payload[i];
    }

    @Override
    public String getMessage() {
        return "uncaught wasm exception (" + tag + ")";
    }
}
