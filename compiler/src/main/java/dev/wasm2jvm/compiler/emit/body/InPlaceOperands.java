package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.Arrays;

import static org.objectweb.asm.Opcodes.LLOAD;

/**
 * The {@code v128} operands that a SIMD instruction reads where they are, in their locals' slots,
 * instead of from the JVM stack: a {@code local.get} of a {@code v128} local pushes its two halves,
 * which the instruction right after it would move off the stack again into scratch slots
 * ({@link SimdEmitter}'s "Lowering"); read in place, neither the loads nor the stores are emitted.
 * At such a {@code local.get}, {@link LookAhead} reads the instructions after it, and where one of
 * these follows, the gets are deferred to it:
 * <pre>
 *   local.get a  local.get b  OP      (a and b, OP's two top vector operands)
 *   local.get a  OP                   (a, OP's top vector operand)
 *   local.get a  i32.const c  SHIFT   (a, a lane shift by a constant count)
 * </pre>
 * where {@code OP} is an instruction whose lowering reads that many top operands in place
 * ({@link SimdEmitter#inPlaceReads}); and likewise from a {@code local.tee a} in place of the
 * first {@code local.get a}, which is then a {@code local.set a} and a deferred get: the value it
 * leaves on the stack is the local's, and duplicating a vector on the JVM stack took six bytecodes
 * and a scratch slot where the set takes two (clang's loops tee a result and read it back, as in
 * ChaCha's {@code local.tee 23; i32.const 16; i32x4.shl; local.get 23; i32.const 16; i32x4.shr_u;
 * v128.or}, whose every instruction but the last now reads the local in place). A tee right before
 * {@code i16x8.extend_low_i8x16_s} is left as it is: {@link MulPairs}'s idiom starts there with the
 * vector on the stack. Nothing between a deferred {@code local.get} and its
 * instruction writes a local, branches or calls, so the slot still holds the value the local had
 * at the get. The instructions of a match are one step for the body emitter: before those after
 * the first it neither settles the stack, nor reports to a probe, nor places a split function's
 * outlined code, so that a split plan (made from a probe's emission, which matches the same code)
 * never cuts between a deferred get and the instruction that reads it. The match depends on the
 * code and the locals' types alone; a local held in a value array rather than a slot is loaded
 * as a plain get would, and the instruction reads the operands above it in place.
 */
final class InPlaceOperands {
    private static final int[] NONE = {};
    private final MethodVisitor mv;
    private final Locals locals;
    private final OperandStack stack;
    private final LookAhead ahead;
    /** The slots of the deferred locals, the deepest first. */
    private final int[] slots = new int[2];
    private int count;
    /** The module offset after the current match's last instruction, or -1. */
    private int end = -1;

    InPlaceOperands(MethodVisitor mv, Locals locals, OperandStack stack, LookAhead ahead) {
        this.mv = mv;
        this.locals = locals;
        this.stack = stack;
        this.ahead = ahead;
    }

    /** The module offset after the current match, before which the body emitter visits instructions as one step. */
    int end() {
        return end;
    }

    /**
     * At {@code local.get localidx} or {@code local.tee localidx} ({@code opcode}), the instruction
     * at module offset {@code offset}: whether the local's value is deferred to the instruction
     * that reads it in place. If so, the caller emits a {@code local.tee} as a {@code local.set};
     * if not, it emits the instruction as it stands.
     */
    boolean defer(int opcode, int offset, int localidx) {
        if (ahead == null || locals.type(localidx) != ValType.V128) return false;
        if (offset >= end) {
            int matched = match(opcode, offset, localidx);
            if (matched < 0) return false;
            end = matched;
        }
        int slot = locals.slot(localidx);
        if (slot < 0) {
            flush();
            return false;
        }
        slots[count++] = slot;
        return true;
    }

    /** The module offset after a match starting at {@code opcode} of {@code localidx} at {@code offset}, or -1. */
    private int match(int opcode, int offset, int localidx) {
        LookAhead.Window w = ahead.window(offset, 3);
        if (w.size() < 2 || !w.is(0, opcode, localidx)) return -1;
        // MulPairs's idiom begins there, with the vector on the stack.
        if (opcode == Opcodes.LOCAL_TEE && w.is(1, SimdOpcodes.I16X8_EXTEND_LOW_I8X16_S)) return -1;
        if (w.size() == 3 && w.is(1, Opcodes.LOCAL_GET) && locals.type(w.local(1)) == ValType.V128
                && SimdEmitter.inPlaceReads(w.opcode(2)) == 2) {
            return w.end(2);
        }
        if (SimdEmitter.inPlaceReads(w.opcode(1)) >= 1) return w.end(1);
        if (w.size() == 3 && w.is(1, Opcodes.I32_CONST) && SimdEmitter.constantShift(w.opcode(2))) return w.end(2);
        return -1;
    }

    /** Emits the deferred gets, for an instruction that reads its operands from the stack. */
    void flush() {
        for (int i = 0; i < count; i++) {
            mv.visitVarInsn(LLOAD, slots[i]);
            mv.visitVarInsn(LLOAD, slots[i] + 2);
            stack.push(ValType.V128);
        }
        count = 0;
    }

    /**
     * Hands the deferred operands to the instruction that reads them: their first slots, the
     * deepest first; none if nothing is deferred.
     */
    int[] take() {
        if (count == 0) return NONE;
        int[] taken = Arrays.copyOf(slots, count);
        count = 0;
        return taken;
    }
}
