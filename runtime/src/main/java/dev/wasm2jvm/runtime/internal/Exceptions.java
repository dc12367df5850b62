package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Tag;
import dev.wasm2jvm.runtime.WasmException;
import dev.wasm2jvm.runtime.WasmTrap;

/** The exception handling instructions' helpers: making the exception of a {@code throw}, and {@code throw_ref}. */
public final class Exceptions {
    private Exceptions() {}

    /** The exception that {@code throw} of {@code tag} raises, with its operands boxed in {@code payload}. */
    public static WasmException create(Object[] payload, Tag tag) {
        return new WasmException(tag, payload);
    }

    /** The exception that {@code throw_ref} raises again: the one {@code exnref} references; null traps. */
    public static WasmException rethrow(Object exnref) {
        if (exnref == null) throw new WasmTrap("null exception reference");
        return (WasmException) exnref;
    }
}
