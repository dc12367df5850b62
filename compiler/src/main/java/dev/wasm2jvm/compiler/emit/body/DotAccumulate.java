package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_ADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_DOT_I16X8_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_LOAD;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LSTORE;

/**
 * A dot product of a loaded vector added to an accumulator, each step of intgemm's 16-bit multiply
 * (SSE2's {@code pmaddwd} and {@code paddd}) as it reaches WebAssembly, recognised from its
 * {@code v128.load} and lowered as one call of {@code Simd.i32x4AddDotLoadLow} and one of
 * {@code High}. With a vector {@code a} and an address on the stack:
 * <pre>
 *   v128.load  i32x4.dot_i16x8_s  local.get acc  i32x4.add
 * </pre>
 * which leaves {@code acc} plus the dot product of {@code a} and the loaded vector on the stack.
 * Lowered one by one that is four calls (two load halves, two dot product halves) and eleven
 * bytecodes a half for the add; fused, two calls and none. No local is written between the
 * instructions, so reading {@code acc} at the load reads what {@code local.get} reads, and nothing
 * needs proving about what follows; the load traps before anything else, as {@code v128.load}
 * does, the low half's helper checking the whole vector first.
 *
 * <p>Only a 32-bit memory and an accumulator in a local slot of its own (not one of the value
 * arrays past {@code Locals.LOCAL_SLOTS}) fuse; elsewhere the instructions are lowered one by one.
 */
final class DotAccumulate {
    private DotAccumulate() {}

    /** The instructions of the idiom, its {@code v128.load} first. */
    private static final int LENGTH = 4;
    /** The helper calls {@link #emit} makes, one a half, which weigh against {@code JvmLimits.MAX_CALLS}. */
    static final int CALLS = 2;

    /** An occurrence: the accumulator's local, and the module offset of the code after it. */
    record Match(int accumulator, int end) {}

    /** The idiom at module offset {@code offset}, a {@code v128.load}, or {@code null} if it is not there. */
    static Match at(LookAhead ahead, int offset) {
        LookAhead.Window w = ahead.window(offset, LENGTH);
        if (w.size() < LENGTH || !w.is(0, V128_LOAD) || !w.is(1, I32X4_DOT_I16X8_S) || !w.is(2, Opcodes.LOCAL_GET)
                || !w.is(3, I32X4_ADD)) {
            return null;
        }
        return new Match(w.local(2), w.end(3));
    }

    /**
     * Lowers {@code match}, the vector {@code a} and the address of memory {@code memidx} (32-bit)
     * on top of the stack, in {@link #CALLS} helper calls; {@code offset} is the load's.
     */
    static void emit(MethodVisitor mv, Locals locals, OperandStack stack, MemoryEmitter memory, int memidx, long offset,
                     Match match) {
        stack.need(2);
        int accumulator = locals.slot(match.accumulator());
        int mark = locals.mark();
        int address = locals.borrow(ValType.I32);
        mv.visitVarInsn(ISTORE, address);
        int high = locals.borrow(ValType.I64);
        mv.visitVarInsn(LSTORE, high);
        mv.visitVarInsn(ILOAD, address);
        mv.visitVarInsn(LLOAD, accumulator);
        memory.callAccess(RuntimeRefs.I32X4_ADD_DOT_LOAD_LOW, memidx, offset);
        mv.visitVarInsn(LLOAD, high);
        mv.visitVarInsn(ILOAD, address);
        mv.visitVarInsn(LLOAD, accumulator + 2);
        memory.callAccess(RuntimeRefs.I32X4_ADD_DOT_LOAD_HIGH, memidx, offset);
        locals.release(mark);
        stack.pop(2);
        stack.push(ValType.V128);
    }
}
