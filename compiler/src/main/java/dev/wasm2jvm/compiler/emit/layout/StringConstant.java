package dev.wasm2jvm.compiler.emit.layout;

import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEW;

/** Pushes strings of any length, although one class file constant holds at most {@link JvmLimits#MAX_UTF8_BYTES}. */
public final class StringConstant {
    /** Characters per constant: at most three bytes each in the class file's modified UTF-8, within {@link JvmLimits#MAX_UTF8_BYTES}. */
    public static final int CHUNK = 20_000;

    private StringConstant() {}

    public static void push(MethodVisitor mv, String s) {
        if (s.length() <= CHUNK) {
            mv.visitLdcInsn(s);
            return;
        }
        mv.visitTypeInsn(NEW, "java/lang/StringBuilder");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        for (int i = 0; i < s.length(); i += CHUNK) {
            mv.visitLdcInsn(s.substring(i, Math.min(s.length(), i + CHUNK)));
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "append", "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        }
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
    }

    /** Two chars per int, high half first: the encoding that {@code Constants.ints} decodes. */
    public static String ofInts(int[] values) {
        StringBuilder sb = new StringBuilder(values.length * 2);
        for (int v : values) sb.append((char) (v >>> 16)).append((char) v);
        return sb.toString();
    }
}
