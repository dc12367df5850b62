/**
 * Validation, the spec's algorithm: {@link dev.wasm2jvm.compiler.validate.ModuleValidator} checks
 * the module's definitions and, with an expression validator per body and constant expression, its
 * instructions, typed by their rows in {@code code.Instructions}. It is the first reading of the
 * function bodies, which the decoder only records: it rejects malformed code too, and gives each
 * body its {@code module.CodeEffects}. Code generation assumes a valid module.
 */
package dev.wasm2jvm.compiler.validate;
