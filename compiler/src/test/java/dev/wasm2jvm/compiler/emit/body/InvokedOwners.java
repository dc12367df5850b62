package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** How often a compiled module's code calls methods of each class: what the emitters chose, read back. */
final class InvokedOwners {
    private InvokedOwners() {}

    /** The number of method calls to each owner (internal name) in all of {@code module}'s classes. */
    static Map<String, Integer> count(CompiledModule module) {
        Map<String, Integer> calls = new TreeMap<>();
        for (byte[] classFile : module.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                            calls.merge(owner, 1, Integer::sum);
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        return calls;
    }
}
