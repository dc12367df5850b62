/**
 * Function bodies: {@code FunctionEmitter} is the {@code InstructionVisitor} that lowers a body
 * (or a constant expression) into one JVM method, keeping the wasm operand stack on the JVM operand
 * stack ({@code OperandStack}) and wasm locals in JVM locals ({@code Locals}), through one concern
 * emitter per family of instructions: {@code NumericEmitter}, {@code MemoryEmitter},
 * {@code AtomicEmitter}, {@code SimdEmitter}, {@code TableEmitter}, {@code VariableEmitter},
 * {@code CallEmitter}, {@code ControlEmitter}; {@code BranchFusion} fuses a comparison with the
 * branch on it. It depends on {@code emit.layout}, and still on {@code emit.split} where
 * {@code FunctionEmitter} and {@code ControlEmitter} call the outlined parts of a split function
 * and reach its frame.
 */
package dev.wasm2jvm.compiler.emit.body;
