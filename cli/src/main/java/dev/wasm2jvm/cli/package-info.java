/**
 * The command line {@code wasm2jvm} (picocli): {@code run} compiles a module in memory, with a
 * cache of compiled classes, and runs it as a WASI command; {@code compile} writes a runnable or
 * library jar.
 */
package dev.wasm2jvm.cli;
