/**
 * The module class's members that are not wasm functions: the constructor that links imports and
 * initialises memories, tables, globals and segments ({@code InstanceEmitter}, whose constant
 * expressions the function body emitters lower), the import trampolines, {@code call_indirect}
 * dispatchers and function reference factories ({@code HelperEmitter}, with {@code BuiltinImports}
 * for imports the runtime's own hosts implement), and the {@code Runnable} of wasi-threads
 * ({@code ThreadStartEmitter}). It depends on {@code emit.layout}, {@code emit.body} and
 * {@code emit.split}'s {@code StepMethods}.
 */
package dev.wasm2jvm.compiler.emit.instance;
