/**
 * The binary format's values (bytes, LEB128 integers, lengths, names): what both the module decoder
 * ({@code decode}) and the expression decoder ({@code code.CodeReader}) read their input with, kept
 * apart so that neither of those packages depends on the other's internals.
 */
package dev.wasm2jvm.compiler.binary;
