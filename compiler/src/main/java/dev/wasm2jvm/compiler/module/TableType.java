package dev.wasm2jvm.compiler.module;

/**
 * The type of a table: its element reference type, its limits and its address type.
 *
 * @param address64 whether indices are {@code i64} (table64) rather than {@code i32}
 */
public record TableType(ValType elemType, Limits limits, boolean address64) {
    /** A table with {@code i32} indices. */
    public TableType(ValType elemType, Limits limits) {
        this(elemType, limits, false);
    }

    /** The value type of an index into this table, and of its size and growth. */
    public ValType addressType() {
        return address64 ? ValType.I64 : ValType.I32;
    }
}
