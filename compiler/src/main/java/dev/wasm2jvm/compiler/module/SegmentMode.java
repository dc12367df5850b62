package dev.wasm2jvm.compiler.module;

/** How an element or data segment is used. */
public enum SegmentMode {
    /** Copied into a table or memory at instantiation. */
    ACTIVE,
    /** Used only by {@code table.init} / {@code memory.init}. */
    PASSIVE,
    /** Element segments only: declares functions that {@code ref.func} may reference. */
    DECLARATIVE
}
