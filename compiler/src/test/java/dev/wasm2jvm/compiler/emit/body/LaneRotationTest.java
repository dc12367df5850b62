package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.V128;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_OR;
import static dev.wasm2jvm.compiler.module.ValType.V128;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lane rotations lowered whole give what their seven instructions give one by one (a {@code nop}
 * between them, which no match passes over), for each lane width, both orders of the shifts, counts
 * from 0 to past the lane width, from a {@code local.tee} or a {@code local.get}, and a local in a
 * value array; and ChaCha's rotation stores nothing.
 */
class LaneRotationTest {
    private static final int NOP = 0x01;

    @Test
    void aRotationLoweredWholeGivesWhatItsInstructionsGive() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128), List.of(V128));
        List<ValType> locals = Collections.nCopies(600, V128);
        int[][] shifts = {{I32X4_SHL, I32X4_SHR_U}, {I32X4_SHR_U, I32X4_SHL}, {I16X8_SHL, I16X8_SHR_U}, {I8X16_SHR_U, I8X16_SHL}};
        int[][] counts = {{16, 16}, {7, 25}, {0, 32}, {3, 5}, {33, 1}, {-1, 8}};
        List<String> names = new ArrayList<>();
        for (int[] shift : shifts) {
            for (int[] count : counts) {
                String name = shift[0] + "_" + count[0] + "_" + count[1];
                for (int far : new int[] {1, 600}) {
                    b.exportFunction("tee" + far + name, b.function(type, locals, rotation(new Code().localGet(0).localTee(far), far, shift, count, false)));
                    b.exportFunction("tee" + far + name + "!", b.function(type, locals, rotation(new Code().localGet(0).localTee(far), far, shift, count, true)));
                    b.exportFunction("get" + far + name, b.function(type, locals, rotation(new Code().localGet(0).localSet(far).localGet(far), far, shift, count, false)));
                    b.exportFunction("get" + far + name + "!", b.function(type, locals, rotation(new Code().localGet(0).localSet(far).localGet(far), far, shift, count, true)));
                    names.add("tee" + far + name);
                    names.add("get" + far + name);
                }
            }
        }
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        Random random = new Random(3);
        for (int round = 0; round < 20; round++) {
            V128 x = new V128(random.nextLong(), random.nextLong());
            for (String name : names) assertEquals(instance.function(name + "!").call(x)[0], instance.function(name).call(x)[0], name);
        }
    }

    /** ChaCha's {@code local.tee; i32.const 16; i32x4.shl; local.get; i32.const 16; i32x4.shr_u; v128.or} stores only the local. */
    @Test
    void chachasRotationStoresOnlyItsLocal() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128), List.of(V128));
        b.exportFunction("f", b.function(type, List.of(V128),
                rotation(new Code().localGet(0).localTee(1), 1, new int[] {I32X4_SHL, I32X4_SHR_U}, new int[] {16, 16}, false)));
        int[] stores = {0};
        int[] pops = {0};
        for (byte[] classFile : WasmCompiler.compile(b.build()).classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        private boolean shifts;
                        private int ownStores;
                        private int ownPops;

                        @Override
                        public void visitInsn(int opcode) {
                            shifts |= opcode == Opcodes.LUSHR;
                            if (opcode == Opcodes.POP || opcode == Opcodes.POP2) ownPops++;
                        }

                        @Override
                        public void visitVarInsn(int opcode, int var) {
                            if (opcode == Opcodes.LSTORE) ownStores++;
                        }

                        @Override
                        public void visitEnd() {
                            if (!shifts) return;
                            stores[0] += ownStores;
                            pops[0] += ownPops;
                        }
                    };
                }
            }, 0);
        }
        assertEquals(2, stores[0], "the local's two halves");
        assertEquals(0, pops[0]);
    }

    /** The rotation of local {@code local} (on the stack and in it after {@code c}), then {@code v128.or}; with {@code nop}s between if {@code apart}. */
    private static Code rotation(Code c, int local, int[] shifts, int[] counts, boolean apart) {
        c.i32Const(counts[0]);
        if (apart) c.op(NOP);
        simd(c, shifts[0]).localGet(local);
        if (apart) c.op(NOP);
        c.i32Const(counts[1]);
        simd(c, shifts[1]);
        if (apart) c.op(NOP);
        return simd(c, V128_OR);
    }

    private static Code simd(Code c, int opcode) {
        return c.u8(0xFD).u32(opcode & 0xFFF);
    }
}
