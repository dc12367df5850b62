/**
 * WebAssembly instructions: the opcode constants ({@link dev.wasm2jvm.compiler.code.Opcodes},
 * {@link dev.wasm2jvm.compiler.code.SimdOpcodes}), the instruction table that describes each one
 * once ({@link dev.wasm2jvm.compiler.code.Instructions}: name, immediates, stack type, memory
 * width, atomic operation), and the decoder of expressions
 * ({@link dev.wasm2jvm.compiler.code.CodeReader}) that drives an
 * {@link dev.wasm2jvm.compiler.code.InstructionVisitor}, which the validator, the code generator
 * and the analyses of the split planner implement ({@link dev.wasm2jvm.compiler.code.InstructionScanner}
 * for those that look at a few kinds of instruction, {@link dev.wasm2jvm.compiler.code.LoopNesting}
 * for those that ask what lies inside a loop). A new instruction is a constant and a row.
 */
package dev.wasm2jvm.compiler.code;
