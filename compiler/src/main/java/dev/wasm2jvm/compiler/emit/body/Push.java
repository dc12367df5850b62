package dev.wasm2jvm.compiler.emit.body;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The shortest bytecode for each constant, with NaN payloads kept bit for bit. */
public final class Push {
    private Push() {}

    public static void intConst(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(Opcodes.ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(Opcodes.BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(Opcodes.SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    /**
     * Pushes {@code v}, not negative, that the compiler made rather than the wasm code: past
     * {@code sipush}'s range it is computed, as a constant would take an entry in the constant pool,
     * which the class partition counts on for the code's own constants only.
     */
    static void intUnpooled(MethodVisitor mv, int v) {
        if (v <= Short.MAX_VALUE) {
            intConst(mv, v);
            return;
        }
        intConst(mv, v >>> 15);
        intConst(mv, 15);
        mv.visitInsn(Opcodes.ISHL);
        intConst(mv, v & Short.MAX_VALUE);
        mv.visitInsn(Opcodes.IOR);
    }

    public static void longConst(MethodVisitor mv, long v) {
        if (v == 0 || v == 1) mv.visitInsn(Opcodes.LCONST_0 + (int) v);
        else mv.visitLdcInsn(v);
    }

    static void floatConst(MethodVisitor mv, int bits) {
        float v = Float.intBitsToFloat(bits);
        if (Float.isNaN(v)) {
            // A float constant in the class file is not guaranteed to keep a signalling NaN's payload.
            intConst(mv, bits);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
        } else if (bits == 0 || v == 1f || v == 2f) {
            mv.visitInsn(Opcodes.FCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    static void doubleConst(MethodVisitor mv, long bits) {
        double v = Double.longBitsToDouble(bits);
        if (Double.isNaN(v)) {
            longConst(mv, bits);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
        } else if (bits == 0 || v == 1d) {
            mv.visitInsn(Opcodes.DCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }
}
