package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame class of a split function, whose object every entry allocates: it declares the fields
 * its methods read or write and no others, and the function computes the same through them.
 */
class RegionFrameTest {
    /**
     * {@link HugeFunctionTest#exitsModule}, whose outlined blocks exit with an {@code i32} and an
     * {@code i64}: its frame has those value fields and no field of another type (an exit index had
     * eight fields, one per value type), and every field it declares is one the compiled code uses.
     */
    @Test
    void aFrameDeclaresOnlyTheFieldsItsMethodsUse() {
        CompiledModule compiled = WasmCompiler.compile(HugeFunctionTest.exitsModule());
        List<ClassNode> frames = compiled.classFiles().values().stream().map(RegionFrameTest::node)
                .filter(c -> c.name.equals(GeneratedNames.frameClass("wasm/Module", 0))).toList();
        assertEquals(1, frames.size(), "the split function's frame class");
        ClassNode frame = frames.getFirst();

        Set<String> used = new HashSet<>();
        for (byte[] c : compiled.classFiles().values()) {
            for (MethodNode m : node(c).methods) {
                for (var insn : m.instructions) {
                    if (insn instanceof FieldInsnNode f && f.owner.equals(frame.name)) used.add(f.name + ":" + f.desc);
                }
            }
        }
        Set<String> declared = new HashSet<>();
        for (FieldNode f : frame.fields) declared.add(f.name + ":" + f.desc);
        assertEquals(used, declared, "the fields declared are those the methods use");
        assertTrue(declared.stream().anyMatch(f -> f.startsWith("vi")), "an exit's i32 value has its field");
        assertTrue(declared.stream().anyMatch(f -> f.startsWith("vl")), "an exit's i64 value has its field");
        for (String unused : List.of("vf", "vd", "vv", "vr", "ve")) {
            assertFalse(declared.stream().anyMatch(f -> f.startsWith(unused)), "no " + unused + " field: " + declared);
        }

        FuncRef f = compiled.instantiate(new Imports()).function("f");
        for (int selector = 0; selector <= 3; selector++) {
            for (int x : new int[] {0, 17, -123_456}) {
                assertEquals(HugeFunctionTest.exitsModel(selector, x), (int) f.call(selector, x)[0], "f(" + selector + ", " + x + ")");
            }
        }
    }

    private static ClassNode node(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, ClassReader.SKIP_DEBUG);
        return node;
    }
}
