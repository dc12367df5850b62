/**
 * Running a compiled WASI command: {@link dev.wasm2jvm.runtime.command.CommandRunner} instantiates
 * it with a WASI host built from {@link dev.wasm2jvm.runtime.command.CommandSettings}, runs
 * {@code _start} on a thread of its own, and reports a trap with a wasm backtrace. The {@code main}
 * of generated command classes and {@code wasm2jvm run} both go through it.
 */
package dev.wasm2jvm.runtime.command;
