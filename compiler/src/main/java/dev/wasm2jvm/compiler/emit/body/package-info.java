/**
 * Function bodies: {@code FunctionEmitter} is the {@code InstructionVisitor} that lowers a body
 * (or a constant expression) into one JVM method, keeping the wasm operand stack on the JVM operand
 * stack ({@code OperandStack}) and wasm locals in JVM locals ({@code Locals}), through one concern
 * emitter per family of instructions: {@code NumericEmitter}, {@code MemoryEmitter},
 * {@code AtomicEmitter}, {@code SimdEmitter}, {@code TableEmitter}, {@code VariableEmitter},
 * {@code CallEmitter}, {@code ControlEmitter}; {@code BranchFusion} fuses a comparison with the
 * branch on it, and an idiom of several instructions is recognised from its first one through
 * {@code LookAhead}, which reads the straight-line code that follows ({@code MulPairs}, SSSE3's
 * {@code pmaddubsw} as intgemm writes it; {@code InPlaceOperands}, the {@code v128}
 * {@code local.get}s that a SIMD instruction right after reads from their slots). One function body is compiled as what it computes rather than instruction by
 * instruction: compiler-rt's {@code __multi3}, recognised by its exact code ({@code Multi3}). Of the code generator's packages it depends on {@code emit.layout} only. The
 * methods of a function split over several are lowered the same way: {@code SplitMethod} is the
 * seam through which {@code emit.split}, above this package, describes such a method and emits the
 * pseudo-operations of splitting (calling an outlined part, exiting it with a code, going to a
 * block whose end another method holds) where they are asked for: by {@code FunctionEmitter} where
 * the plan has something to do, and by {@code ControlEmitter} for a branch to a label that another
 * method holds, which is all it knows of splitting; the other emitters know nothing of it.
 * {@code StackMapFrames}, last before the class writer, gives the methods their stack map frames,
 * following the types of what the emitters write; the labels that code jumps back to are its
 * {@code LoopStart}s, which {@code Locals} makes for loops.
 */
package dev.wasm2jvm.compiler.emit.body;
