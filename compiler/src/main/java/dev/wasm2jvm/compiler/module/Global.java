package dev.wasm2jvm.compiler.module;

/** A global defined by the module, with its initialiser. */
public record Global(GlobalType type, ConstExpr init) {}
