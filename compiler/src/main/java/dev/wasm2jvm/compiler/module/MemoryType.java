package dev.wasm2jvm.compiler.module;

/** The type of a linear memory: its limits in pages. */
public record MemoryType(Limits limits) {}
