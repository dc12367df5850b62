package dev.wasm2jvm.compiler.module;

/**
 * A constant expression, kept as its encoded instructions (including the final {@code end}) so that
 * the validator and the code generator read it with the same {@code CodeReader} as function bodies.
 *
 * @param code the expression's bytes, ending with {@code 0x0B}
 * @param offset the byte offset of {@code code[0]} in the module
 */
public record ConstExpr(byte[] code, int offset) {}
