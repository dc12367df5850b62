package dev.wasm2jvm.compiler.module;

/** A custom section other than {@code name}, kept for tools (e.g. DWARF). */
public record CustomSection(String name, byte[] content, int offset) {}
