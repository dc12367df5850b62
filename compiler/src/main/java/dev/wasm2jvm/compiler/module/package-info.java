/**
 * The decoded module, as immutable records named after the spec's abstract syntax: types, imports,
 * functions (their bodies as bytes), tables, memories, globals, exports, element and data
 * segments, and the custom sections the compiler uses (names, DWARF).
 */
package dev.wasm2jvm.compiler.module;
