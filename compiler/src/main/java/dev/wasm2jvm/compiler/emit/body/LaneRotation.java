package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;

/**
 * A lane rotation by constants as clang writes one for ChaCha, BLAKE2 and BLAKE3, recognised from
 * the {@code local.get x} or {@code local.tee x} that starts it:
 * <pre>
 *   local.tee x  i32.const c  i32x4.shl  local.get x  i32.const d  i32x4.shr_u  v128.or
 * </pre>
 * (or {@code shr_u} first, or i16 or i8 lanes alike), which {@link SimdEmitter#rotate} lowers as
 * each half of {@code x}, read in place, shifted both ways, masked and or-ed: eleven bytecodes a half
 * and no scratch slot, where its seven instructions one by one took about 34 bytecodes with their
 * operands read in place ({@link InPlaceOperands}): the two counts pushed and popped, and the
 * {@code or} of two vectors on the stack setting one half aside. It is exact whatever the counts:
 * each shift takes its count modulo the lane width, as the instruction does.
 */
final class LaneRotation {
    private LaneRotation() {}

    private static final int LENGTH = 7;

    /** An occurrence: the local, the lane width, the left and the right shift's counts, and the module offset after it. */
    record Match(int local, int laneBits, int left, int right, int end) {}

    /** The rotation starting at module offset {@code offset}, a {@code local.get} or {@code local.tee} ({@code opcode}) of {@code local}, or {@code null}. */
    static Match at(LookAhead ahead, int offset, int opcode, int local) {
        LookAhead.Window w = ahead.window(offset, LENGTH);
        if (w.size() < LENGTH || !w.is(0, opcode, local) || !w.is(1, Opcodes.I32_CONST) || !w.is(3, Opcodes.LOCAL_GET, local)
                || !w.is(4, Opcodes.I32_CONST) || !w.is(6, SimdOpcodes.V128_OR)) {
            return null;
        }
        int bits = laneBits(w.opcode(2));
        if (bits == 0 || laneBits(w.opcode(5)) != bits || left(w.opcode(2)) == left(w.opcode(5))) return null;
        int first = w.constant(1) & (bits - 1);
        int second = w.constant(4) & (bits - 1);
        boolean leftFirst = left(w.opcode(2));
        return new Match(local, bits, leftFirst ? first : second, leftFirst ? second : first, w.end(6));
    }

    private static int laneBits(int opcode) {
        return switch (opcode) {
            case SimdOpcodes.I8X16_SHL, SimdOpcodes.I8X16_SHR_U -> 8;
            case SimdOpcodes.I16X8_SHL, SimdOpcodes.I16X8_SHR_U -> 16;
            case SimdOpcodes.I32X4_SHL, SimdOpcodes.I32X4_SHR_U -> 32;
            default -> 0;
        };
    }

    private static boolean left(int opcode) {
        return opcode == SimdOpcodes.I8X16_SHL || opcode == SimdOpcodes.I16X8_SHL || opcode == SimdOpcodes.I32X4_SHL;
    }
}
