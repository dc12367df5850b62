/**
 * DWARF line information: the {@code .debug_line} program of a module built with debug info,
 * decoded into a table from code offsets to source lines, which the code generator turns into JVM
 * line numbers and the table of source files that wasm backtraces name.
 */
package dev.wasm2jvm.compiler.debug;
