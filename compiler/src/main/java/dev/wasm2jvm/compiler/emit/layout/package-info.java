/**
 * What every emitter names, and nothing that emits code: where the module's parts live in the
 * generated classes ({@code ModuleLayout}: the class, name and descriptor of each function's
 * method, the fields of memories, tables, globals and imports; {@code ModuleClasses}), every
 * synthetic class and member name ({@code GeneratedNames}), every runtime class and member that
 * generated code refers to ({@code RuntimeRefs}), the JVM types of wasm values ({@code JvmType})
 * and HotSpot's and the class file's limits ({@code JvmLimits}). It depends on no other package of
 * the code generator: the pipeline tells {@code ModuleLayout} which code class holds each function
 * ({@code spread}), and {@code split.Outlining} places the parts of a split function.
 */
package dev.wasm2jvm.compiler.emit.layout;
