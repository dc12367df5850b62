package dev.wasm2jvm.compiler;

import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.Preopen;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.BIPUSH;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IF_ICMPGE;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V1_8;

/**
 * Writes launchers: classes whose {@code main} any JVM from Java 8 on can load, that check the
 * Java version before they call the {@code main} of a generated class. Generated classes are
 * Java 22 class files, which an older JVM refuses with an {@code UnsupportedClassVersionError} and
 * its stack trace; through a launcher it says instead, in one line on stderr, which Java the program
 * needs and which it found, and exits with status {@value #WRONG_JAVA_EXIT_CODE}:
 *
 * <pre>wasm2jvm: this program needs Java 22 or later, but runs on Java 17 (/usr/lib/jvm/java-17-openjdk-amd64)</pre>
 */
public final class Launcher {
    /** The oldest Java that runs generated classes and the wasm2jvm runtime. */
    public static final int REQUIRED_JAVA = 22;
    /** The exit status of a launcher on an older Java: that of a program that could not start. */
    public static final int WRONG_JAVA_EXIT_CODE = 1;

    /** Characters of a string constant: at most three bytes each of the class file's 65535. */
    private static final int MAX_CONSTANT_CHARS = 65535 / 3;
    private static final String FUNCTION = "java/util/function/Function";

    private Launcher() {}

    /**
     * The class file of launcher {@code launcherClassName}, whose {@code main(String[])} calls
     * {@code mainClassName.main(String[])} on Java {@value #REQUIRED_JAVA} or later.
     *
     * @param launcherClassName the binary name of the launcher, e.g. {@code com.example.HelloMain}
     * @param mainClassName the binary name of the class whose {@code main} it calls
     */
    public static byte[] classFile(String launcherClassName, String mainClassName) {
        return classFile(launcherClassName, mv -> {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKESTATIC, internalName(mainClassName), "main", "([Ljava/lang/String;)V", false);
        });
    }

    /**
     * The class file of the main class of a compiled command's jar, {@code launcherClassName},
     * whose {@code main(String[] args)} runs, on Java {@value #REQUIRED_JAVA} or later,
     * {@code CommandRunner.main(new Launcher(), moduleClassName, codeClasses, program, dirs, env, maxFds, maxMemory, args)}:
     * the module class {@code moduleClassName} of the launcher's own class loader, which has
     * {@code codeClasses} code classes, with the settings given at compile time,
     * {@code encodedSettings} ({@code CommandSettings.encode()}), as constants of their values, which
     * a start that nothing overrides uses without loading {@code CommandSettings} or parsing them
     * (some 2 ms of the launching thread's CPU, before the program's thread starts). The module class is
     * named, not a class constant, so that the launching thread loads it while the program's thread
     * sets up its host, rather than before either starts. Reading the settings from the jar's
     * resource instead would cost a tenth of a second at each start: the class loader first looks
     * for a resource in the JDK's image, which sets up reflection and spins method handles. Settings
     * too long for one class file constant (an environment of tens of kilobytes) are read from the
     * resource after all ({@code CommandRunner.main(Module.class, args)}). One class, not a launcher
     * and a class that it calls: every class a jar's class loader reads costs the start of every
     * program some tenths of a millisecond. First of all it has {@code CommandRunner.checkClassCache}
     * compare {@code build}, which names the build of the jar's classes, with the jar's resource of it,
     * when the JVM runs with a class cache; before that, {@code StartClasses.define} defines the
     * runtime's classes every start loads from the jar's resource of them, where the jar has it.
     *
     * <p>The launcher is also the module's constructor for the runtime: a
     * {@code java.util.function.Function} whose {@code apply(imports)} is
     * {@code new Module((Imports) imports)}. A method handle found by the runtime instead costs
     * every start its lookup, its adaptation and its first linkage: 0.42 ms of thread CPU against
     * 0.07 ms for this call (a fresh JVM that has made its first memory segment, medians of 7
     * runs); core reflection spins the classes of an adapted handle. Neither method resolves a
     * class of the runtime or the module until it runs, so an old JVM still loads and verifies the
     * launcher.
     */
    public static byte[] commandClassFile(String launcherClassName, String moduleClassName, int codeClasses,
                                          String encodedSettings, String build) {
        boolean constant = encodedSettings.length() <= MAX_CONSTANT_CHARS;
        String launcher = internalName(launcherClassName);
        ClassWriter cw = classWriter(launcherClassName, constant ? new String[] {FUNCTION} : null, mv -> {
            mv.visitLdcInsn(Type.getObjectType(launcher));
            RuntimeRefs.START_CLASSES_DEFINE.invoke(mv);
            mv.visitLdcInsn(Type.getObjectType(launcher));
            mv.visitLdcInsn(build);
            RuntimeRefs.COMMAND_RUNNER_CHECK_CLASS_CACHE.invoke(mv);
            if (constant) {
                mv.visitTypeInsn(NEW, launcher);
                mv.visitInsn(DUP);
                mv.visitMethodInsn(INVOKESPECIAL, launcher, "<init>", "()V", false);
                mv.visitLdcInsn(moduleClassName);
                mv.visitLdcInsn(codeClasses);
                CommandSettings settings = CommandSettings.decode(encodedSettings);
                mv.visitLdcInsn(settings.program());
                List<String> dirs = new ArrayList<>();
                for (Preopen dir : settings.dirs()) {
                    dirs.add(dir.host());
                    dirs.add(dir.guest());
                }
                stringArray(mv, dirs);
                List<String> env = new ArrayList<>();
                for (Map.Entry<String, String> variable : settings.env().entrySet()) {
                    env.add(variable.getKey());
                    env.add(variable.getValue());
                }
                stringArray(mv, env);
                mv.visitLdcInsn(settings.maxFds());
                mv.visitLdcInsn(settings.maxMemory());
                mv.visitVarInsn(ALOAD, 0);
                RuntimeRefs.COMMAND_RUNNER_LAUNCH.invoke(mv);
            } else {
                mv.visitLdcInsn(Type.getObjectType(internalName(moduleClassName)));
                mv.visitVarInsn(ALOAD, 0);
                RuntimeRefs.COMMAND_RUNNER_MAIN_WITH_RESOURCE.invoke(mv);
            }
        });
        if (constant) {
            MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(ALOAD, 0);
            init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            init.visitInsn(RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            // Object apply(Object imports) { return new Module((Imports) imports); }
            String module = internalName(moduleClassName);
            MethodVisitor apply = cw.visitMethod(ACC_PUBLIC, "apply", "(Ljava/lang/Object;)Ljava/lang/Object;", null, null);
            apply.visitCode();
            apply.visitTypeInsn(NEW, module);
            apply.visitInsn(DUP);
            apply.visitVarInsn(ALOAD, 1);
            apply.visitTypeInsn(CHECKCAST, RuntimeRefs.IMPORTS);
            RuntimeRefs.INSTANCE_INIT.invokeOn(apply, module);
            apply.visitInsn(ARETURN);
            apply.visitMaxs(0, 0);
            apply.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** A launcher whose {@code main} runs the instructions {@code body} writes once the Java version is checked. */
    private static byte[] classFile(String launcherClassName, Consumer<MethodVisitor> body) {
        ClassWriter cw = classWriter(launcherClassName, null, body);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A launcher, implementing {@code interfaces}, whose {@code main} runs the instructions
     * {@code body} writes once the Java version is checked; the caller may add methods and ends it.
     */
    private static ClassWriter classWriter(String launcherClassName, String[] interfaces, Consumer<MethodVisitor> body) {
        // Java 8's class file version and no stack map frame the verifier would need a class for:
        // the launcher itself must load and verify where the classes it calls cannot.
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(V1_8, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName(launcherClassName), null, "java/lang/Object", interfaces);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitCode();
        // String version = System.getProperty("java.specification.version"): "1.8" on Java 8, "17" after.
        mv.visitLdcInsn("java.specification.version");
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "getProperty", "(Ljava/lang/String;)Ljava/lang/String;", false);
        mv.visitVarInsn(ASTORE, 1);
        Label old = new Label();
        Label run = new Label();
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn("1.");
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/String", "startsWith", "(Ljava/lang/String;)Z", false);
        mv.visitJumpInsn(IFNE, old);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "parseInt", "(Ljava/lang/String;)I", false);
        mv.visitIntInsn(BIPUSH, REQUIRED_JAVA);
        mv.visitJumpInsn(IF_ICMPGE, run);

        mv.visitLabel(old);
        mv.visitFieldInsn(GETSTATIC, "java/lang/System", "err", "Ljava/io/PrintStream;");
        mv.visitTypeInsn(NEW, "java/lang/StringBuilder");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("wasm2jvm: this program needs Java " + REQUIRED_JAVA + " or later, but runs on Java ");
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitVarInsn(ALOAD, 1);
        append(mv);
        mv.visitLdcInsn(" (");
        append(mv);
        mv.visitLdcInsn("java.home");
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "getProperty", "(Ljava/lang/String;)Ljava/lang/String;", false);
        append(mv);
        mv.visitLdcInsn(")");
        append(mv);
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/io/PrintStream", "println", "(Ljava/lang/String;)V", false);
        mv.visitIntInsn(BIPUSH, WRONG_JAVA_EXIT_CODE);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        mv.visitInsn(RETURN);

        // Resolved only when reached: an old JVM never loads the classes it names.
        mv.visitLabel(run);
        body.accept(mv);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return cw;
    }

    /** Pushes a new {@code String[]} of {@code strings}. */
    private static void stringArray(MethodVisitor mv, List<String> strings) {
        mv.visitLdcInsn(strings.size());
        mv.visitTypeInsn(ANEWARRAY, "java/lang/String");
        for (int i = 0; i < strings.size(); i++) {
            mv.visitInsn(DUP);
            mv.visitLdcInsn(i);
            mv.visitLdcInsn(strings.get(i));
            mv.visitInsn(AASTORE);
        }
    }

    private static void append(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
    }

    private static String internalName(String binaryName) {
        return binaryName.replace('.', '/');
    }
}
