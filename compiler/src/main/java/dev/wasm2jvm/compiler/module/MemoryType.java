package dev.wasm2jvm.compiler.module;

/**
 * The type of a linear memory: its limits in pages and its address type.
 *
 * @param address64 whether addresses are {@code i64} (memory64) rather than {@code i32}
 */
public record MemoryType(Limits limits, boolean address64) {
    /** A memory with {@code i32} addresses. */
    public MemoryType(Limits limits) {
        this(limits, false);
    }

    /** The value type of an address into this memory, and of its size and growth in pages. */
    public ValType addressType() {
        return address64 ? ValType.I64 : ValType.I32;
    }
}
