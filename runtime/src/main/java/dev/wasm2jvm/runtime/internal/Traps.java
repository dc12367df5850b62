package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.WasmTrap;

/**
 * The traps generated code raises itself rather than through a runtime helper that checks for
 * them: each is made here and thrown by the caller, {@code invokestatic} then {@code athrow}, so
 * that the verifier and the JIT still see the method end in a throw. That is 4 bytes of bytecode
 * where {@code new; dup; ldc; invokespecial; athrow} took 10, bytes that count against the JIT's
 * inlining limits of every method holding an {@code unreachable}: regex's code 0.987 of its bytes,
 * with 8 more methods within {@code FreqInlineSize} (325 bytes), blake3-scalar's 0.988, and whole
 * processes within their A/A spread (issue 12, session 28; {@code benchmarks/README.md}).
 *
 * <p>The trap's stack trace starts with the factory's frame, as a trap from a runtime helper
 * ({@code Numerics}, {@code MemoryAccess}) starts with the helper's; the wasm backtrace a command
 * prints lists the module's own classes only, so it starts at the wasm function as before.
 */
public final class Traps {
    private Traps() {}

    /** The trap of the {@code unreachable} instruction. */
    public static WasmTrap unreachable() {
        return new WasmTrap("unreachable");
    }

    /** The trap of a {@code call_indirect} whose table element has another function type. */
    public static WasmTrap indirectCallTypeMismatch() {
        return new WasmTrap("indirect call type mismatch");
    }
}
