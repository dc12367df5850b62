package dev.wasm2jvm.compiler.module;

/** The type of a global: its value type and mutability. */
public record GlobalType(ValType valType, boolean mutable) {}
