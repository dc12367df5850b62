package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiler's references into the runtime: each resolves, as the instruction that uses it links. */
class RuntimeRefsTest {
    @Test
    void everyReferencedMethodResolvesWithItsDescriptorAndInvocationKind() throws Exception {
        List<RuntimeRefs.RuntimeMethod> methods = constants(RuntimeRefs.RuntimeMethod.class);
        assertTrue(methods.size() > 100, "only " + methods.size() + " methods");
        for (RuntimeRefs.RuntimeMethod m : methods) {
            Class<?> owner = load(m.owner());
            Member member = m.name().equals("<init>")
                    ? Arrays.stream(owner.getDeclaredConstructors())
                            .filter(c -> Type.getConstructorDescriptor(c).equals(m.descriptor())).findFirst().orElse(null)
                    : Arrays.stream(owner.getDeclaredMethods())
                            .filter(x -> x.getName().equals(m.name()) && Type.getMethodDescriptor(x).equals(m.descriptor()))
                            .findFirst().orElse(null);
            assertTrue(member != null, m + " does not resolve");
            int expected = m.name().equals("<init>") ? Opcodes.INVOKESPECIAL
                    : Modifier.isStatic(member.getModifiers()) ? Opcodes.INVOKESTATIC
                    : owner.isInterface() ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL;
            assertEquals(expected, m.opcode(), m::toString);
            assertEquals(owner.isInterface(), m.isInterface(), m::toString);
            assertAccessible(member);
        }
    }

    @Test
    void everyReferencedFieldResolvesWithItsType() throws Exception {
        List<RuntimeRefs.RuntimeField> fields = constants(RuntimeRefs.RuntimeField.class);
        assertTrue(fields.size() >= 10, "only " + fields.size() + " fields");
        for (RuntimeRefs.RuntimeField f : fields) {
            Field field = load(f.owner()).getDeclaredField(f.name());
            assertEquals(Type.getDescriptor(field.getType()), f.descriptor(), f::toString);
            assertEquals(Modifier.isStatic(field.getModifiers()), f.isStatic(), f::toString);
            assertAccessible(field);
        }
    }

    @Test
    void everyReferencedClassIsPublic() throws Exception {
        for (String name : constants(String.class)) {
            Type type = name.endsWith(";") ? Type.getType(name) : Type.getObjectType(name);
            assertTrue(Modifier.isPublic(load(type.getInternalName()).getModifiers()), name);
        }
    }

    /**
     * Helpers of one descriptor share one string, as do the members of one class: the emitters'
     * table of descriptors and ASM's constant pool then find them by identity.
     */
    @Test
    void equalStringsAreOneInstance() {
        assertEquals(RuntimeRefs.I32_LOAD.descriptor(), RuntimeRefs.I32_LOAD8_U.descriptor());
        assertSame(RuntimeRefs.I32_LOAD.descriptor(), RuntimeRefs.I32_LOAD8_U.descriptor());
        assertSame(RuntimeRefs.I32_LOAD.owner(), RuntimeRefs.I32_LOAD16_S.owner());
        assertSame(RuntimeRefs.MEMORY, RuntimeRefs.MEMORY_GROW.owner());
        assertSame(RuntimeRefs.MEMORY_DESCRIPTOR, ("L" + RuntimeRefs.MEMORY + ";").intern());
        assertEquals(Type.getDescriptor(Memory.class), RuntimeRefs.MEMORY_DESCRIPTOR);
    }

    /** The contract stays in one place: no compiler source spells a runtime class's name in a string. */
    @Test
    void noCompilerSourceSpellsARuntimeClassName() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path p : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(p);
                if (source.contains("dev/wasm2jvm/runtime") || source.contains("\"dev.wasm2jvm.runtime")) offenders.add(p.toString());
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static void assertAccessible(Member member) {
        Class<?> owner = member.getDeclaringClass();
        int modifiers = member.getModifiers();
        assertTrue(Modifier.isPublic(owner.getModifiers()), owner + " is not public");
        assertTrue(Modifier.isPublic(modifiers) || owner == Instance.class && Modifier.isProtected(modifiers),
                member + " is not accessible to a generated class in another package");
    }

    private static Class<?> load(String internalName) throws ClassNotFoundException {
        return Class.forName(Type.getObjectType(internalName).getClassName(), false, RuntimeRefsTest.class.getClassLoader());
    }

    private static <T> List<T> constants(Class<T> type) throws IllegalAccessException {
        List<T> values = new ArrayList<>();
        for (Field f : RuntimeRefs.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == type) values.add(type.cast(f.get(null)));
        }
        return values;
    }
}
