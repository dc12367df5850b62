package dev.wasm2jvm.compiler.emit.split;

import org.objectweb.asm.ClassReader;

import java.util.HashMap;
import java.util.Map;

/** Reads the bytecode length of each method of a class file: the size that the JVM's limits apply to. */
public final class CodeSizes {
    private CodeSizes() {}

    /** Bytecode bytes by method name (the last one wins for overloads, which generated code has not). */
    public static Map<String, Integer> of(byte[] classFile) {
        ClassReader cr = new ClassReader(classFile);
        char[] buf = new char[cr.getMaxStringLength()];
        int at = cr.header + 6;
        at += 2 + 2 * cr.readUnsignedShort(at);
        at = skipMembers(cr, at, buf, null);
        Map<String, Integer> sizes = new HashMap<>();
        skipMembers(cr, at, buf, sizes);
        return sizes;
    }

    /** Walks fields or methods from {@code at}; records methods' code lengths into {@code sizes} if given. */
    private static int skipMembers(ClassReader cr, int at, char[] buf, Map<String, Integer> sizes) {
        int count = cr.readUnsignedShort(at);
        at += 2;
        for (int i = 0; i < count; i++) {
            String name = cr.readUTF8(at + 2, buf);
            int attributes = cr.readUnsignedShort(at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) {
                int length = cr.readInt(at + 2);
                if (sizes != null && "Code".equals(cr.readUTF8(at, buf))) sizes.put(name, cr.readInt(at + 10));
                at += 6 + length;
            }
        }
        return at;
    }
}
