package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.command.CommandSettings;
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
 * {@code public static void main(String[] args) { CommandRunner.main(Module.class, CommandSettings.decode("..."), args); }},
 * the settings given at compile time as a constant. Reading them from the jar's resource instead
 * would cost a tenth of a second at each start: the class loader first looks for a resource in the
 * JDK's image, which sets up reflection and spins method handles. Settings too long for one class
 * file constant (an environment of tens of kilobytes) are read from the resource after all.
 */
final class MainClassWriter {
    private static final String COMMAND_RUNNER = "dev/wasm2jvm/runtime/command/CommandRunner";
    private static final String COMMAND_SETTINGS = "dev/wasm2jvm/runtime/command/CommandSettings";

    /** Characters of a string constant: at most three bytes each of the class file's 65535. */
    private static final int MAX_CONSTANT_CHARS = 65535 / 3;

    private MainClassWriter() {}

    static byte[] write(String mainClassName, String moduleClassName, CommandSettings settings) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName(mainClassName), null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitCode();
        mv.visitLdcInsn(Type.getObjectType(internalName(moduleClassName)));
        String encoded = settings.encode();
        if (encoded.length() <= MAX_CONSTANT_CHARS) {
            mv.visitLdcInsn(encoded);
            mv.visitMethodInsn(INVOKESTATIC, COMMAND_SETTINGS, "decode", "(Ljava/lang/String;)L" + COMMAND_SETTINGS + ";", false);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKESTATIC, COMMAND_RUNNER, "main",
                    "(Ljava/lang/Class;L" + COMMAND_SETTINGS + ";[Ljava/lang/String;)V", false);
        } else {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKESTATIC, COMMAND_RUNNER, "main", "(Ljava/lang/Class;[Ljava/lang/String;)V", false);
        }
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
