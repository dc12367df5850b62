package dev.wasm2jvm.compiler.module;

/** The type of a table: its element reference type and its limits. */
public record TableType(ValType elemType, Limits limits) {}
