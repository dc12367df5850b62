package dev.wasm2jvm.compiler.module;

/** The kind of an import or export (externtype). */
public enum ExternKind {
    FUNC, TABLE, MEMORY, GLOBAL, TAG
}
