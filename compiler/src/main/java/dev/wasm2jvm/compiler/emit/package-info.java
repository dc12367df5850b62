/**
 * Code generation with ASM: a validated module becomes a module class that extends the runtime's
 * {@code Instance} (and, for large modules, code classes beside it). {@code ModuleEmitter} plans
 * and drives it; {@code FunctionEmitter} lowers each instruction, through the concern emitters
 * (numeric, memory, atomic, table, variable, call, control); {@code InstanceEmitter} writes
 * instantiation, {@code FacadeEmitter} the typed Java API, {@code HelperEmitter} dispatchers and
 * trampolines. The compiler names the runtime's members only through {@code RuntimeRefs}, HotSpot's
 * limits only through {@code JvmLimits}, and synthetic classes and members only through
 * {@code GeneratedNames}.
 *
 * <p><b>Splitting.</b> A function whose method would pass HotSpot's 8000-byte JIT limit
 * ({@code JvmLimits}) is split into several methods: the package {@code emit.split} plans which
 * parts go to methods of their own ({@code Outlining}); here {@code ModuleEmitter} measures the
 * candidates by trial emissions, {@code FunctionEmitter} calls each outlined part where it stands
 * and passes over its code, and {@code OutlinedCalls} and {@code RegionFrame} lower the calls, the
 * frame and the exit codes.
 */
package dev.wasm2jvm.compiler.emit;
