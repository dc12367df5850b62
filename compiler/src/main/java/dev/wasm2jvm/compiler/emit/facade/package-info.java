/**
 * The typed Java API of a module's class: {@code Facade} decides it once (a method per exported
 * function, accessors of exported memories, tables and globals, the {@code Imports} interface, the
 * records of multiple results, whether the module is a WASI command), {@code FacadeEmitter} emits
 * it and {@code FacadeSource} describes it as Java source, with Java identifiers from wasm names
 * ({@code JavaNames}). It depends on the packages below it: {@code emit.layout}, {@code emit.body},
 * {@code emit.split} and {@code emit.instance}.
 */
package dev.wasm2jvm.compiler.emit.facade;
