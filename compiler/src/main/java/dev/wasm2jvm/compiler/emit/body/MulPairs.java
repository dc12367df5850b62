package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_ADD_SAT_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_HIGH_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_LOW_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_HIGH_I8X16_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_LOW_I8X16_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_ABS;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LSTORE;

/**
 * SSSE3's {@code pmaddubsw} as intgemm (through simde) writes it in WebAssembly, recognised across
 * its eleven instructions and four locals and lowered as one call of
 * {@code Simd.i16x8MulPairsAddSatS} a half. With the signed vector {@code s} just stored by
 * {@code local.tee x} and on the stack:
 * <pre>
 *   i16x8.extend_low_i8x16_s  local.get lo  i16x8.mul  local.tee p
 *   local.get x  i16x8.extend_high_i8x16_s  local.get hi  i16x8.mul  local.tee q
 *   i8x16.shuffle 0 1 4 5 ... 28 29  local.get p  local.get q  i8x16.shuffle 2 3 6 7 ... 30 31
 *   i16x8.add_sat_s
 * </pre>
 * that is, the even and the odd i16 lanes of the products {@code p} and {@code q} added with
 * saturation: each result lane the saturated sum of two adjacent bytes of {@code s}, signed, times
 * the i16 lanes of {@code lo} (the low result half) or {@code hi} (the high one) at the same
 * places, each product wrapped to 16 bits. The lowering computes that from {@code s} and the
 * locals {@code lo} and {@code hi} as they are at the idiom's start, so it holds where the code
 * reads what it wrote: {@code p} is neither {@code x}, whose second read must be {@code s}, nor
 * {@code q}, whose read must be the second product, nor {@code hi}, read after {@code p} is
 * written. It writes neither product: the code after the idiom must write {@code p} and {@code q}
 * before it reads them ({@link LookAhead#overwrittenBeforeRead}), else the instructions are lowered
 * one by one. {@code x} keeps {@code s}, which the {@code local.tee} before wrote: where {@code q}
 * is {@code x}, as in intgemm, that too must be dead. Where an {@code i16x8.add_sat_s} follows,
 * as in intgemm's loops, which add each result to an accumulator under {@code s} on the stack,
 * that is fused too: one call of {@code Simd.i16x8AddSatSMulPairs} a half.
 *
 * <p>The first step of each of intgemm's unrolled loops computes its multipliers between the
 * idiom's instructions, {@code local.get a  i8x16.abs  local.tee t  i16x8.extend_low_i8x16_u
 * local.tee lo} before the first {@code i16x8.mul} and {@code local.get t
 * i16x8.extend_high_i8x16_u  local.tee hi} before the second ({@link Multipliers}). Those
 * instructions are emitted as they stand, with {@code local.set} for the {@code tee}s, and the
 * idiom fused after them; exact where the idiom's reads see what they saw between its writes:
 * {@code t} is not {@code p}, {@code x} neither {@code t} nor {@code lo}, and {@code lo} is not
 * {@code hi}, whose write would come between. In intgemm-simd's 8-bit multiply ({@code func23})
 * the idiom is all 16 steps of its two unrolled loops, the last of each with its products live
 * across the loop's {@code br_if} back, which {@link LookAhead} follows. Lowered one by one a step
 * is ten helper calls and about 105 {@code long} operations a result half, twelve calls with its
 * accumulation; fused, two calls of about 70 operations each.
 *
 * <p><b>Multipliers known to be magnitudes.</b> The form that computes its multipliers makes each
 * i16 lane of {@code lo} and {@code hi} a byte of {@code |a|}, in [0, 128]; so do the later steps
 * of the same loop iteration, which read those locals in the straight-line code after it before
 * anything writes them ({@link Magnitudes}, {@link #magnitudesAfter}). Where that holds, no product
 * wraps and no pair's sum saturates, and the lowering calls {@code Simd.i16x8MulPairsByMagnitudes}
 * (or {@code i16x8AddSatSMulPairsByMagnitudes}), one 64-bit multiply a pair, about 45 operations a
 * half where the general helper takes about 70; all 16 of intgemm-simd's steps are such. Measured
 * (session 24, async-profiler, 32 interleaved runs of each jar, load average 10 to 14): the
 * helpers' own samples in {@code func23} 32.4 ms a run against 38.0 (means; medians 0.84),
 * {@code func23} 68.4 against 73.2; the program thread and the whole process within the
 * machine's noise (CPU 1.00 of the old, 30 pairs). {@code Simd.i16x8MulPairsByMagnitudes} has the
 * figures of the helper alone.
 *
 * <p>Measured (session 19, the three forms and the proof across branches together, on a 2-core
 * machine at load average 8 to 12): intgemm-simd's program thread 293 ms against 312 and 221
 * against 255 (medians of 10 interleaved runs, async-profiler, two rounds), {@code func23}'s inner
 * loop 75 against 96 and 57 against 82, whose C2 compilation took 208 to 290 ms against 540 to
 * 595; the whole process 0.965 and 0.971 of the CPU, 0.989 and 0.973 of the wall time (16 pairs a
 * round). {@code SimdEmitter}'s Javadoc has the profile.
 */
final class MulPairs {
    private MulPairs() {}

    private static final byte[] EVEN = {0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29};
    private static final byte[] ODD = {2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31};
    /** The straight-line instructions after an occurrence that {@link #magnitudesAfter} reads at most. */
    private static final int MAGNITUDES_REACH = 2048;
    /** The idiom's instructions after the {@code local.tee} that precedes it. */
    private static final int LENGTH = 14;
    /** The instructions of the form that computes its multipliers, besides the idiom's. */
    private static final int COMPUTING = 6;
    /** The helper calls {@link #emit} makes, one a half, which weigh against {@code JvmLimits.MAX_CALLS}. */
    static final int CALLS = 2;

    /**
     * An occurrence: the locals {@code lo} and {@code hi}, the instructions that compute them
     * inside it or {@code null}, whether {@code lo} and {@code hi} are known to hold
     * {@linkplain Magnitudes magnitudes}, whether it adds its result to an accumulator, and the
     * module offset of the code after it.
     */
    record Match(int low, int high, Multipliers computed, boolean byMagnitudes, boolean accumulates, int end) {}

    /**
     * Locals {@code lo} and {@code hi} holding the multipliers an occurrence that
     * {@linkplain Match#computed computes} them wrote, {@code i16x8.extend_*_i8x16_u} of
     * {@code i8x16.abs}, so each i16 lane is in [0, 128], from module offset {@code from} to
     * {@code until}: the straight-line code after that occurrence up to the first write of either.
     * Nothing else reaches that code (only a block's start, {@code else}, {@code end} or a
     * handler is a branch target, and each ends straight-line code), so every occurrence inside it
     * reads those values.
     */
    record Magnitudes(int low, int high, int from, int until) {}

    /**
     * The multipliers as the first step of intgemm's loops computes them between the idiom's
     * instructions: {@code lo} the i16 lanes of the low bytes of {@code |a|}, {@code hi} of the high
     * ones, {@code |a|} kept in local {@code t}.
     */
    record Multipliers(int source, int magnitude) {}

    /**
     * The idiom at module offset {@code offset}, which the code reads just after
     * {@code local.tee signed}, or {@code null} if it is not there or a local it writes is read later;
     * {@code known} are the magnitudes a previous occurrence left, or {@code null}.
     */
    static Match at(LookAhead ahead, int offset, int signed, Magnitudes known) {
        LookAhead.Window w = ahead.window(offset, LENGTH + COMPUTING + 1);
        if (w.size() < LENGTH) return null;
        Multipliers computed = null;
        int low = w.local(1);
        int product = w.local(3);
        int high = w.local(6);
        int tail = 7;
        boolean shaped = w.is(0, I16X8_EXTEND_LOW_I8X16_S) && w.is(1, Opcodes.LOCAL_GET);
        if (w.is(2, I8X16_ABS)) {
            if (w.size() < LENGTH + COMPUTING) return null;
            computed = new Multipliers(w.local(1), w.local(3));
            low = w.local(5);
            product = w.local(7);
            high = w.local(12);
            tail = 13;
            int t = computed.magnitude();
            shaped &= w.is(3, Opcodes.LOCAL_TEE) && w.is(4, I16X8_EXTEND_LOW_I8X16_U) && w.is(5, Opcodes.LOCAL_TEE)
                    && w.is(6, I16X8_MUL) && w.is(7, Opcodes.LOCAL_TEE) && w.is(8, Opcodes.LOCAL_GET, signed)
                    && w.is(9, I16X8_EXTEND_HIGH_I8X16_S) && w.is(10, Opcodes.LOCAL_GET, t)
                    && w.is(11, I16X8_EXTEND_HIGH_I8X16_U) && w.is(12, Opcodes.LOCAL_TEE)
                    // |a| read back from t, and s from x, after the writes before them; lo read after hi's.
                    && t != product && signed != t && signed != low && low != high;
        } else {
            shaped &= w.is(2, I16X8_MUL) && w.is(3, Opcodes.LOCAL_TEE) && w.is(4, Opcodes.LOCAL_GET, signed)
                    && w.is(5, I16X8_EXTEND_HIGH_I8X16_S) && w.is(6, Opcodes.LOCAL_GET);
        }
        int second = w.local(tail + 1);
        shaped &= w.is(tail, I16X8_MUL) && w.is(tail + 1, Opcodes.LOCAL_TEE) && w.isShuffle(tail + 2, EVEN)
                && w.is(tail + 3, Opcodes.LOCAL_GET, product) && w.is(tail + 4, Opcodes.LOCAL_GET, second)
                && w.isShuffle(tail + 5, ODD) && w.is(tail + 6, I16X8_ADD_SAT_S);
        if (!shaped || product == signed || product == second || product == high) return null;
        boolean accumulates = w.size() > tail + 7 && w.is(tail + 7, I16X8_ADD_SAT_S);
        int end = w.end(accumulates ? tail + 7 : tail + 6);
        if (!ahead.overwrittenBeforeRead(end, product, second)) return null;
        boolean byMagnitudes = computed != null || known != null && known.low() == low && known.high() == high
                && known.from() <= offset && end <= known.until();
        return new Match(low, high, computed, byMagnitudes, accumulates, end);
    }

    /**
     * The magnitudes {@code match} leaves in its locals if it {@linkplain Match#computed computes}
     * them, else {@code null}: up to the first write of {@code lo} or {@code hi} in the
     * straight-line code after it, or where that code ends.
     */
    static Magnitudes magnitudesAfter(LookAhead ahead, Match match) {
        if (match.computed() == null) return null;
        LookAhead.Window w = ahead.window(match.end(), MAGNITUDES_REACH);
        int until = match.end();
        for (int i = 0; i < w.size(); i++) {
            boolean writes = w.is(i, Opcodes.LOCAL_SET) || w.is(i, Opcodes.LOCAL_TEE);
            if (writes && (w.local(i) == match.low() || w.local(i) == match.high())) break;
            until = w.end(i);
        }
        return new Magnitudes(match.low(), match.high(), match.end(), until);
    }

    /**
     * Has {@code code} compute {@code match}'s multipliers, if it {@linkplain Match#computed
     * computes} them, as its own instructions do, less the products between them: {@code local.get
     * a; i8x16.abs; local.tee t; i16x8.extend_low_i8x16_u; local.set lo; local.get t;
     * i16x8.extend_high_i8x16_u; local.set hi}, above the signed vector on the stack. Through the
     * body emitter, so that its locals' writes are those of any other instruction.
     */
    static void computeMultipliers(Match match, InstructionVisitor code) {
        Multipliers m = match.computed();
        if (m == null) return;
        code.visitVariable(Opcodes.LOCAL_GET, m.source());
        code.visitInsn(I8X16_ABS);
        code.visitVariable(Opcodes.LOCAL_TEE, m.magnitude());
        code.visitInsn(I16X8_EXTEND_LOW_I8X16_U);
        code.visitVariable(Opcodes.LOCAL_SET, match.low());
        code.visitVariable(Opcodes.LOCAL_GET, m.magnitude());
        code.visitInsn(I16X8_EXTEND_HIGH_I8X16_U);
        code.visitVariable(Opcodes.LOCAL_SET, match.high());
    }

    /**
     * Lowers {@code match}, the signed vector on top of the stack (above the accumulator where it
     * {@linkplain Match#accumulates accumulates}), in {@link #CALLS} helper calls.
     */
    static void emit(MethodVisitor mv, Locals locals, OperandStack stack, Match match) {
        int operands = match.accumulates() ? 2 : 1;
        stack.need(operands);
        int mark = locals.mark();
        int signedHigh = locals.borrow(ValType.I64);
        mv.visitVarInsn(LSTORE, signedHigh);
        int accumulatorHigh = -1;
        String helper = match.byMagnitudes() ? "i16x8MulPairsByMagnitudes" : "i16x8MulPairsAddSatS";
        String descriptor = "(JJJ)J";
        if (match.accumulates()) {
            int signedLow = locals.borrow(ValType.I64);
            mv.visitVarInsn(LSTORE, signedLow);
            accumulatorHigh = locals.borrow(ValType.I64);
            mv.visitVarInsn(LSTORE, accumulatorHigh);
            mv.visitVarInsn(LLOAD, signedLow);
            helper = match.byMagnitudes() ? "i16x8AddSatSMulPairsByMagnitudes" : "i16x8AddSatSMulPairs";
            descriptor = "(JJJJ)J";
        }
        locals.load(mv, match.low());
        mv.visitMethodInsn(INVOKESTATIC, RuntimeRefs.SIMD, helper, descriptor, false);
        if (match.accumulates()) mv.visitVarInsn(LLOAD, accumulatorHigh);
        mv.visitVarInsn(LLOAD, signedHigh);
        locals.load(mv, match.high());
        mv.visitMethodInsn(INVOKESTATIC, RuntimeRefs.SIMD, helper, descriptor, false);
        locals.release(mark);
        stack.pop(operands);
        stack.push(ValType.V128);
    }
}
