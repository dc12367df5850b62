package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
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

import static dev.wasm2jvm.compiler.code.Opcodes.BLOCK;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_EQ;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_MUL;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_WRAP_I64;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_XOR;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_EXTEND_I32_U;
import static dev.wasm2jvm.compiler.code.Opcodes.IF;
import static dev.wasm2jvm.compiler.code.Opcodes.RETURN;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame class of a split function, whose object every entry allocates: it declares the fields
 * its methods read or write and no others, and the function computes the same through them.
 */
class RegionFrameTest {
    /** Steps of each straight run of {@link #exitsModule}: enough to split the function. */
    private static final int FILL = 800;

    /**
     * A function whose outlined blocks exit with an {@code i32} and an {@code i64}: its frame has
     * those value fields and no field of another type (an exit index had eight fields, one per value
     * type), and every field it declares is one the compiled code uses.
     */
    @Test
    void aFrameDeclaresOnlyTheFieldsItsMethodsUse() {
        CompiledModule compiled = WasmCompiler.compile(exitsModule());
        List<ClassNode> frames = compiled.classFiles().values().stream().map(RegionFrameTest::node)
                .filter(c -> c.name.endsWith("$Frame")).toList();
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
                assertEquals(exitsModel(selector, x), (int) f.call(selector, x)[0], "f(" + selector + ", " + x + ")");
            }
        }
    }

    private static ClassNode node(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, ClassReader.SKIP_DEBUG);
        return node;
    }

    /**
     * {@code f(selector, x)}: long straight code in nested blocks, from which selector 1 leaves the
     * outermost block with an {@code i32} and an {@code i64} from inside an {@code if}, selector 2
     * returns from inside another, and selector 3 leaves the middle block.
     */
    private static byte[] exitsModule() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32, I32), List.of(I32));
        int pair = b.type(List.of(), List.of(I32, I64));
        Code c = new Code();
        c.localGet(1).localSet(2);
        c.block(BLOCK, pair).block(BLOCK, null).block(BLOCK, null);
        fill(c, 1);
        c.localGet(0).i32Const(1).op(I32_EQ).block(IF, null);
        fill(c, 2);
        c.localGet(2).localGet(2).op(I64_EXTEND_I32_U).i64Const(1L << 40).op(I64_ADD).br(3).end();
        fill(c, 3);
        c.localGet(0).i32Const(2).op(I32_EQ).block(IF, null);
        fill(c, 4);
        c.localGet(2).op(RETURN).end();
        fill(c, 5);
        c.localGet(0).i32Const(3).op(I32_EQ).brIf(1);
        fill(c, 6);
        c.end();
        c.localGet(2).i32Const(100).op(I32_ADD).localSet(2);
        c.end();
        c.localGet(2).i64Const(7).end();
        // [i32 a, i64 b] -> a * 7 + (i32) b
        c.localSet(3).i32Const(7).op(I32_MUL).localGet(3).op(I32_WRAP_I64).op(I32_ADD);
        b.exportFunction("f", b.function(type, List.of(I32, I64), c));
        return b.build();
    }

    private static void fill(Code c, int seed) {
        for (int j = 0; j < FILL; j++) c.localGet(2).i32Const(seed * 1000 + j).op(I32_MUL).i32Const(j).op(I32_XOR).localSet(2);
    }

    private static int fillModel(int v, int seed) {
        for (int j = 0; j < FILL; j++) v = (v * (seed * 1000 + j)) ^ j;
        return v;
    }

    private static int exitsModel(int selector, int x) {
        int v = fillModel(x, 1);
        if (selector == 1) {
            v = fillModel(v, 2);
            return v * 7 + (int) (Integer.toUnsignedLong(v) + (1L << 40));
        }
        v = fillModel(v, 3);
        if (selector == 2) return fillModel(v, 4);
        v = fillModel(v, 5);
        if (selector != 3) {
            v = fillModel(v, 6);
            v += 100;
        }
        return v * 7 + 7;
    }
}
