/**
 * What every emitter names, and nothing that emits code: where the module's parts live in the
 * generated classes ({@code ModuleLayout}: the class, name and descriptor of each function's
 * method, the fields of memories, tables, globals and imports; {@code ModuleClasses}), every
 * synthetic class and member name ({@code GeneratedNames}), every runtime class and member that
 * generated code refers to ({@code RuntimeRefs}), the JVM types of wasm values ({@code JvmType})
 * and HotSpot's and the class file's limits ({@code JvmLimits}). It depends on no other package of
 * the code generator but the pipeline's {@code ClassPartition}, which {@code ModuleLayout} holds,
 * and {@code split.Region}, by which that partition places outlined parts.
 */
package dev.wasm2jvm.compiler.emit.layout;
