package dev.wasm2jvm.cli;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V22;

/**
 * Generates the class a compiled jar's launcher calls:
 * {@code public static void main(String[] args) { CommandRunner.main(Module.class, args); }}.
 */
final class MainClassWriter {
    private static final String COMMAND_RUNNER = "dev/wasm2jvm/runtime/command/CommandRunner";

    private MainClassWriter() {}

    static byte[] write(String mainClassName, String moduleClassName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName(mainClassName), null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitCode();
        mv.visitLdcInsn(Type.getObjectType(internalName(moduleClassName)));
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESTATIC, COMMAND_RUNNER, "main", "(Ljava/lang/Class;[Ljava/lang/String;)V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static String internalName(String binaryName) {
        return binaryName.replace('.', '/');
    }
}
