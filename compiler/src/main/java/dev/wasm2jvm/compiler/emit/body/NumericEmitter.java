package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;

import static dev.wasm2jvm.compiler.code.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits the numeric instructions: tests, comparisons, arithmetic, conversions, reinterpretations
 * and sign extensions. Operands and result live on the JVM operand stack as {@code int},
 * {@code long}, {@code float} or {@code double}; booleans are the {@code int}s 0 and 1.
 *
 * <p>Where a JVM bytecode (or a JDK method the JIT intrinsifies) has exactly the wasm semantics it
 * is used directly; everything else calls {@code dev.wasm2jvm.runtime.internal.Numerics}.
 */
final class NumericEmitter {
    private static final String INTEGER = "java/lang/Integer";
    private static final String LONG = "java/lang/Long";
    private static final String FLOAT = "java/lang/Float";
    private static final String DOUBLE = "java/lang/Double";

    private final MethodVisitor mv;
    /** A local slot free for one short spill of any value. */
    private final int spill;

    NumericEmitter(MethodVisitor mv, int spill) {
        this.mv = mv;
        this.spill = spill;
    }

    /**
     * Zero-extends the int on the stack to a long: {@code i64.extend_i32_u} and every memory address.
     * Bytecode rather than {@code Integer.toUnsignedLong}: in a large method the JIT stops inlining
     * plain calls once its graph passes a size cutoff, and an address computed by a real call costs
     * more than the access.
     */
    static void extendUnsigned(MethodVisitor mv) {
        mv.visitInsn(I2L);
        mv.visitLdcInsn(0xFFFF_FFFFL);
        mv.visitInsn(LAND);
    }

    /**
     * Emits {@code opcode} if it is a numeric instruction.
     *
     * @return whether it was one; if not, nothing was emitted
     */
    boolean visitInsn(int opcode) {
        switch (opcode) {
            case I32_EQZ -> condition(IFEQ);
            case I32_EQ -> condition(IF_ICMPEQ);
            case I32_NE -> condition(IF_ICMPNE);
            case I32_LT_S -> condition(IF_ICMPLT);
            case I32_LT_U -> unsignedI32Condition(IF_ICMPLT);
            case I32_GT_S -> condition(IF_ICMPGT);
            case I32_GT_U -> unsignedI32Condition(IF_ICMPGT);
            case I32_LE_S -> condition(IF_ICMPLE);
            case I32_LE_U -> unsignedI32Condition(IF_ICMPLE);
            case I32_GE_S -> condition(IF_ICMPGE);
            case I32_GE_U -> unsignedI32Condition(IF_ICMPGE);

            case I64_EQZ -> {
                mv.visitInsn(LCONST_0);
                comparison(LCMP, IFEQ);
            }
            case I64_EQ -> comparison(LCMP, IFEQ);
            case I64_NE -> comparison(LCMP, IFNE);
            case I64_LT_S -> comparison(LCMP, IFLT);
            case I64_LT_U -> unsignedI64Condition(IFGT);
            case I64_GT_S -> comparison(LCMP, IFGT);
            case I64_GT_U -> unsignedI64Condition(IFLT);
            case I64_LE_S -> comparison(LCMP, IFLE);
            case I64_LE_U -> unsignedI64Condition(IFGE);
            case I64_GE_S -> comparison(LCMP, IFGE);
            case I64_GE_U -> unsignedI64Condition(IFLE);

            // fcmpl yields -1 and fcmpg yields 1 for an unordered pair; each comparison picks the
            // one that makes its test fail on NaN (and eq/ne are false/true either way).
            case F32_EQ -> comparison(FCMPL, IFEQ);
            case F32_NE -> comparison(FCMPL, IFNE);
            case F32_LT -> comparison(FCMPG, IFLT);
            case F32_GT -> comparison(FCMPL, IFGT);
            case F32_LE -> comparison(FCMPG, IFLE);
            case F32_GE -> comparison(FCMPL, IFGE);
            case F64_EQ -> comparison(DCMPL, IFEQ);
            case F64_NE -> comparison(DCMPL, IFNE);
            case F64_LT -> comparison(DCMPG, IFLT);
            case F64_GT -> comparison(DCMPL, IFGT);
            case F64_LE -> comparison(DCMPG, IFLE);
            case F64_GE -> comparison(DCMPL, IFGE);

            case I32_CLZ -> invoke(INTEGER, "numberOfLeadingZeros", "(I)I");
            case I32_CTZ -> invoke(INTEGER, "numberOfTrailingZeros", "(I)I");
            case I32_POPCNT -> invoke(INTEGER, "bitCount", "(I)I");
            case I32_ADD -> mv.visitInsn(IADD);
            case I32_SUB -> mv.visitInsn(ISUB);
            case I32_MUL -> mv.visitInsn(IMUL);
            case I32_DIV_S -> RuntimeRefs.I32_DIV_S.invoke(mv);
            case I32_DIV_U -> RuntimeRefs.I32_DIV_U.invoke(mv);
            case I32_REM_S -> RuntimeRefs.I32_REM_S.invoke(mv);
            case I32_REM_U -> RuntimeRefs.I32_REM_U.invoke(mv);
            case I32_AND -> mv.visitInsn(IAND);
            case I32_OR -> mv.visitInsn(IOR);
            case I32_XOR -> mv.visitInsn(IXOR);
            // The JVM masks an int shift count to 5 bits, as wasm does.
            case I32_SHL -> mv.visitInsn(ISHL);
            case I32_SHR_S -> mv.visitInsn(ISHR);
            case I32_SHR_U -> mv.visitInsn(IUSHR);
            case I32_ROTL -> rotateI32(ISHL, IUSHR);
            case I32_ROTR -> rotateI32(IUSHR, ISHL);

            case I64_CLZ -> {
                invoke(LONG, "numberOfLeadingZeros", "(J)I");
                mv.visitInsn(I2L);
            }
            case I64_CTZ -> {
                invoke(LONG, "numberOfTrailingZeros", "(J)I");
                mv.visitInsn(I2L);
            }
            case I64_POPCNT -> {
                invoke(LONG, "bitCount", "(J)I");
                mv.visitInsn(I2L);
            }
            case I64_ADD -> mv.visitInsn(LADD);
            case I64_SUB -> mv.visitInsn(LSUB);
            case I64_MUL -> mv.visitInsn(LMUL);
            case I64_DIV_S -> RuntimeRefs.I64_DIV_S.invoke(mv);
            case I64_DIV_U -> RuntimeRefs.I64_DIV_U.invoke(mv);
            case I64_REM_S -> RuntimeRefs.I64_REM_S.invoke(mv);
            case I64_REM_U -> RuntimeRefs.I64_REM_U.invoke(mv);
            case I64_AND -> mv.visitInsn(LAND);
            case I64_OR -> mv.visitInsn(LOR);
            case I64_XOR -> mv.visitInsn(LXOR);
            // An i64 shift count is a long; its low 6 bits survive l2i and the JVM's own masking.
            case I64_SHL -> shiftI64(LSHL);
            case I64_SHR_S -> shiftI64(LSHR);
            case I64_SHR_U -> shiftI64(LUSHR);
            case I64_ROTL -> rotateI64(LSHL, LUSHR);
            case I64_ROTR -> rotateI64(LUSHR, LSHL);

            case F32_ABS -> RuntimeRefs.F32_ABS.invoke(mv);
            case F32_NEG -> RuntimeRefs.F32_NEG.invoke(mv);
            case F32_CEIL -> RuntimeRefs.F32_CEIL.invoke(mv);
            case F32_FLOOR -> RuntimeRefs.F32_FLOOR.invoke(mv);
            case F32_TRUNC -> RuntimeRefs.F32_TRUNC.invoke(mv);
            case F32_NEAREST -> RuntimeRefs.F32_NEAREST.invoke(mv);
            case F32_SQRT -> RuntimeRefs.F32_SQRT.invoke(mv);
            case F32_ADD -> mv.visitInsn(FADD);
            case F32_SUB -> mv.visitInsn(FSUB);
            case F32_MUL -> mv.visitInsn(FMUL);
            case F32_DIV -> mv.visitInsn(FDIV);
            case F32_MIN -> RuntimeRefs.F32_MIN.invoke(mv);
            case F32_MAX -> RuntimeRefs.F32_MAX.invoke(mv);
            case F32_COPYSIGN -> RuntimeRefs.F32_COPYSIGN.invoke(mv);

            case F64_ABS -> RuntimeRefs.F64_ABS.invoke(mv);
            case F64_NEG -> RuntimeRefs.F64_NEG.invoke(mv);
            case F64_CEIL -> RuntimeRefs.F64_CEIL.invoke(mv);
            case F64_FLOOR -> RuntimeRefs.F64_FLOOR.invoke(mv);
            case F64_TRUNC -> RuntimeRefs.F64_TRUNC.invoke(mv);
            case F64_NEAREST -> RuntimeRefs.F64_NEAREST.invoke(mv);
            case F64_SQRT -> RuntimeRefs.F64_SQRT.invoke(mv);
            case F64_ADD -> mv.visitInsn(DADD);
            case F64_SUB -> mv.visitInsn(DSUB);
            case F64_MUL -> mv.visitInsn(DMUL);
            case F64_DIV -> mv.visitInsn(DDIV);
            case F64_MIN -> RuntimeRefs.F64_MIN.invoke(mv);
            case F64_MAX -> RuntimeRefs.F64_MAX.invoke(mv);
            case F64_COPYSIGN -> RuntimeRefs.F64_COPYSIGN.invoke(mv);

            case I32_WRAP_I64 -> mv.visitInsn(L2I);
            case I32_TRUNC_F32_S -> RuntimeRefs.I32_TRUNC_F32_S.invoke(mv);
            case I32_TRUNC_F32_U -> RuntimeRefs.I32_TRUNC_F32_U.invoke(mv);
            case I32_TRUNC_F64_S -> RuntimeRefs.I32_TRUNC_F64_S.invoke(mv);
            case I32_TRUNC_F64_U -> RuntimeRefs.I32_TRUNC_F64_U.invoke(mv);
            case I64_EXTEND_I32_S -> mv.visitInsn(I2L);
            case I64_EXTEND_I32_U -> extendUnsigned(mv);
            case I64_TRUNC_F32_S -> RuntimeRefs.I64_TRUNC_F32_S.invoke(mv);
            case I64_TRUNC_F32_U -> RuntimeRefs.I64_TRUNC_F32_U.invoke(mv);
            case I64_TRUNC_F64_S -> RuntimeRefs.I64_TRUNC_F64_S.invoke(mv);
            case I64_TRUNC_F64_U -> RuntimeRefs.I64_TRUNC_F64_U.invoke(mv);
            // The JVM's int/long to float conversions round to nearest even, as wasm's do.
            case F32_CONVERT_I32_S -> mv.visitInsn(I2F);
            case F32_CONVERT_I32_U -> RuntimeRefs.F32_CONVERT_I32_U.invoke(mv);
            case F32_CONVERT_I64_S -> mv.visitInsn(L2F);
            case F32_CONVERT_I64_U -> RuntimeRefs.F32_CONVERT_I64_U.invoke(mv);
            case F32_DEMOTE_F64 -> RuntimeRefs.F32_DEMOTE_F64.invoke(mv);
            case F64_CONVERT_I32_S -> mv.visitInsn(I2D);
            case F64_CONVERT_I32_U -> RuntimeRefs.F64_CONVERT_I32_U.invoke(mv);
            case F64_CONVERT_I64_S -> mv.visitInsn(L2D);
            case F64_CONVERT_I64_U -> RuntimeRefs.F64_CONVERT_I64_U.invoke(mv);
            case F64_PROMOTE_F32 -> RuntimeRefs.F64_PROMOTE_F32.invoke(mv);
            case I32_REINTERPRET_F32 -> invoke(FLOAT, "floatToRawIntBits", "(F)I");
            case I64_REINTERPRET_F64 -> invoke(DOUBLE, "doubleToRawLongBits", "(D)J");
            case F32_REINTERPRET_I32 -> invoke(FLOAT, "intBitsToFloat", "(I)F");
            case F64_REINTERPRET_I64 -> invoke(DOUBLE, "longBitsToDouble", "(J)D");

            case I32_EXTEND8_S -> mv.visitInsn(I2B);
            case I32_EXTEND16_S -> mv.visitInsn(I2S);
            case I64_EXTEND8_S -> extendI64(I2B);
            case I64_EXTEND16_S -> extendI64(I2S);
            case I64_EXTEND32_S -> {
                mv.visitInsn(L2I);
                mv.visitInsn(I2L);
            }

            // The JVM's float to int/long conversions saturate and map NaN to 0: exactly the
            // signed trunc_sat instructions.
            case I32_TRUNC_SAT_F32_S -> mv.visitInsn(F2I);
            case I32_TRUNC_SAT_F32_U -> RuntimeRefs.I32_TRUNC_SAT_F32_U.invoke(mv);
            case I32_TRUNC_SAT_F64_S -> mv.visitInsn(D2I);
            case I32_TRUNC_SAT_F64_U -> RuntimeRefs.I32_TRUNC_SAT_F64_U.invoke(mv);
            case I64_TRUNC_SAT_F32_S -> mv.visitInsn(F2L);
            case I64_TRUNC_SAT_F32_U -> RuntimeRefs.I64_TRUNC_SAT_F32_U.invoke(mv);
            case I64_TRUNC_SAT_F64_S -> mv.visitInsn(D2L);
            case I64_TRUNC_SAT_F64_U -> RuntimeRefs.I64_TRUNC_SAT_F64_U.invoke(mv);

            default -> {
                return false;
            }
        }
        return true;
    }

    /** Compares the top two values with {@code compare}, then tests the result like {@code jump}. */
    private void comparison(int compare, int jump) {
        mv.visitInsn(compare);
        condition(jump);
    }

    /**
     * An unsigned i32 comparison as the signed comparison {@code if_icmp<jump>} of both operands with
     * their sign bits flipped, which orders them as unsigned values. Six plain bytecodes instead of a
     * call of {@code Integer.compareUnsigned}: the interpreter, which runs a medium function that is
     * called seldom until the JIT compiles it, pays a call into compiled code at every comparison,
     * which costs more than the six.
     */
    private void unsignedI32Condition(int jump) {
        mv.visitLdcInsn(Integer.MIN_VALUE);
        mv.visitInsn(IXOR);
        mv.visitInsn(SWAP);
        mv.visitLdcInsn(Integer.MIN_VALUE);
        mv.visitInsn(IXOR);
        mv.visitInsn(SWAP);
        condition(jump);
    }

    /**
     * An unsigned i64 comparison as {@link #unsignedI32Condition} does it: both operands' sign bits
     * flipped, the upper one first and then, swapped above it, the lower one, so that {@code lcmp}
     * compares them in reverse and {@code reversedJump}, the test with its operands exchanged
     * ({@code iflt} for {@code gt_u}), decides.
     */
    private void unsignedI64Condition(int reversedJump) {
        mv.visitLdcInsn(Long.MIN_VALUE);
        mv.visitInsn(LXOR);
        mv.visitInsn(DUP2_X2);
        mv.visitInsn(POP2);
        mv.visitLdcInsn(Long.MIN_VALUE);
        mv.visitInsn(LXOR);
        mv.visitInsn(LCMP);
        condition(reversedJump);
    }

    /** Replaces the operands of the conditional jump {@code jump} by 1 if it would jump, else 0. */
    void condition(int jump) {
        Label isTrue = new Label();
        Label end = new Label();
        mv.visitJumpInsn(jump, isTrue);
        mv.visitInsn(ICONST_0);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(isTrue);
        mv.visitInsn(ICONST_1);
        mv.visitLabel(end);
    }

    /**
     * {@code x n} to {@code (x toward n) | (x away -n)}: the shift pair the JIT compiles to one rotate,
     * inline for the same reason as {@link #extendUnsigned}. The JVM masks both counts as wasm does.
     */
    private void rotateI32(int toward, int away) {
        mv.visitInsn(DUP2);
        mv.visitInsn(toward);
        mv.visitInsn(DUP_X2);
        mv.visitInsn(POP);
        mv.visitInsn(INEG);
        mv.visitInsn(away);
        mv.visitInsn(IOR);
    }

    /** As {@link #rotateI32} for an i64 {@code x}; the count's low 6 bits survive l2i. */
    private void rotateI64(int toward, int away) {
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, spill);
        mv.visitInsn(DUP2);
        mv.visitVarInsn(ILOAD, spill);
        mv.visitInsn(toward);
        mv.visitInsn(DUP2_X2);
        mv.visitInsn(POP2);
        mv.visitVarInsn(ILOAD, spill);
        mv.visitInsn(INEG);
        mv.visitInsn(away);
        mv.visitInsn(LOR);
    }

    private void shiftI64(int shift) {
        mv.visitInsn(L2I);
        mv.visitInsn(shift);
    }

    /** Sign-extends the low bits of an i64 with the int narrowing {@code narrow}. */
    private void extendI64(int narrow) {
        mv.visitInsn(L2I);
        mv.visitInsn(narrow);
        mv.visitInsn(I2L);
    }

    private void invoke(String owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, descriptor, false);
    }
}
