/**
 * The helpers that only generated code calls: loads and stores ({@link
 * dev.wasm2jvm.runtime.internal.MemoryAccess}), the narrow atomic read-modify-writes ({@link
 * dev.wasm2jvm.runtime.internal.AtomicAccess}), the numeric instructions the JVM has no bytecode
 * for ({@link dev.wasm2jvm.runtime.internal.Numerics}), the boxed calling convention of wide
 * functions ({@link dev.wasm2jvm.runtime.internal.BoxedArguments}), the exception instructions' helpers
 * ({@link dev.wasm2jvm.runtime.internal.Exceptions}), the traps generated code throws itself ({@link
 * dev.wasm2jvm.runtime.internal.Traps}), the decoders of constants
 * kept as strings ({@link dev.wasm2jvm.runtime.internal.Constants}), and the interfaces through which
 * generated code calls the runtime's WASI and wasi-threads hosts directly ({@link
 * dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1}, {@link dev.wasm2jvm.runtime.internal.WasiUnstable},
 * {@link dev.wasm2jvm.runtime.internal.WasiThreadSpawn}).
 *
 * <p><b>Not API.</b> The package is exported only so that generated classes can call it from any
 * module: the application's own named module when the Maven plugin or {@code wasm2jvm compile}
 * put them there, or the unnamed module of a class loader when a program compiles at run time. A
 * qualified export cannot name modules the runtime does not know, and an unexported package would
 * be unreachable from all of them. Its members change with the compiler that calls them, with no
 * compatibility between releases; applications use {@link dev.wasm2jvm.runtime} instead. The
 * compiler refers to these members through one table derived from the classes themselves
 * ({@code RuntimeRefs}), so a renamed or retyped helper fails the compiler's tests, not a
 * generated class at run time.
 */
package dev.wasm2jvm.runtime.internal;
