package dev.wasm2jvm.compiler.module;

/** An export: a name bound to the index of a function, table, memory, global or tag. */
public record Export(String name, ExternKind kind, int index) {}
