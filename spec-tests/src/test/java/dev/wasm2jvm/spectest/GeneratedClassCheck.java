package dev.wasm2jvm.spectest;

import dev.wasm2jvm.compiler.CompiledModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * ASM's checks over every class the compiler generates for the conformance corpus: the structural
 * checks of {@link CheckClassAdapter}, and a data-flow verification of each method, which names the
 * method and instruction of a bytecode error where the JVM would only throw a {@code VerifyError} on
 * first load, and which also covers methods that a script never calls.
 */
final class GeneratedClassCheck {
    /**
     * Above this many frame slots times instructions a method is checked structurally only: the
     * analysis copies a frame per instruction, which takes minutes on the corpus' functions of a
     * thousand locals, and those run under the JVM's own verifier when their scripts load them.
     */
    private static final long DATA_FLOW_LIMIT = 20_000_000;

    private GeneratedClassCheck() {}

    /** Throws an {@link AssertionError} listing what the checks found wrong in {@code module}'s classes. */
    static void verify(CompiledModule module) {
        Map<String, byte[]> classFiles = module.classFiles();
        ClassLoader loader = new Generated(classFiles);
        List<String> errors = new ArrayList<>();
        for (byte[] classFile : classFiles.values()) {
            ClassNode node = new ClassNode();
            try {
                new ClassReader(classFile).accept(new CheckClassAdapter(node, false), 0);
            } catch (RuntimeException e) {
                errors.add(new ClassReader(classFile).getClassName() + ": " + e.getMessage());
                continue;
            }
            for (MethodNode method : node.methods) {
                if ((long) (method.maxLocals + method.maxStack) * method.instructions.size() > DATA_FLOW_LIMIT) continue;
                SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(node.name),
                        node.superName == null ? null : Type.getObjectType(node.superName),
                        node.interfaces.stream().map(Type::getObjectType).toList(),
                        (node.access & Opcodes.ACC_INTERFACE) != 0);
                verifier.setClassLoader(loader);
                try {
                    new Analyzer<BasicValue>(verifier).analyze(node.name, method);
                } catch (AnalyzerException e) {
                    errors.add(node.name + "." + method.name + method.desc + ": " + e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) throw new AssertionError("generated classes fail verification:\n" + String.join("\n", errors));
    }

    /** Resolves the module's own classes for the verifier's type checks, and everything else as the tests do. */
    private static final class Generated extends ClassLoader {
        private final Map<String, byte[]> classFiles;

        Generated(Map<String, byte[]> classFiles) {
            super(GeneratedClassCheck.class.getClassLoader());
            this.classFiles = classFiles;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] classFile = classFiles.get(name);
            if (classFile == null) throw new ClassNotFoundException(name);
            return defineClass(name, classFile, 0, classFile.length);
        }
    }
}
