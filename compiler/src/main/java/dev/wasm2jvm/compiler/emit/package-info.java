/**
 * Code generation with ASM, the pipeline: a validated module becomes a module class that extends
 * the runtime's {@code Instance} (and, for large modules, code classes beside it).
 * {@code ModuleEmitter} sequences the pipeline: it has every function planned, on several threads
 * ({@code split.FunctionPlanner}), decides which class holds each method ({@code ClassPartition}),
 * has each function's methods emitted ({@code split.FunctionMethods}) and drives the emitters of the
 * packages below it: {@code emit.layout} (what every emitter names), {@code emit.body} (function
 * bodies), {@code emit.split} (functions too large for one method), {@code emit.instance} (the
 * module class's other members) and {@code emit.facade} (the typed Java API). Those packages depend
 * on each other in that order, from {@code layout} up, and none of them on this one;
 * {@code PackageDependenciesTest} keeps it so.
 */
package dev.wasm2jvm.compiler.emit;
