/**
 * The runtime's API: {@link dev.wasm2jvm.runtime.Instance} (the superclass of every generated
 * module class), {@link dev.wasm2jvm.runtime.Imports}, and a module's entities,
 * {@link dev.wasm2jvm.runtime.Memory}, {@link dev.wasm2jvm.runtime.Table},
 * {@link dev.wasm2jvm.runtime.Global} and {@link dev.wasm2jvm.runtime.FuncRef}; traps are
 * {@link dev.wasm2jvm.runtime.WasmTrap}s. Some public members exist for generated code (the static
 * forms of the memory and table instructions, {@code Memory.base}, {@code Memory.byteLength}); the helpers only generated
 * code calls are in {@link dev.wasm2jvm.runtime.internal}.
 */
package dev.wasm2jvm.runtime;
