package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A counter stepped by {@code local.get x; i32.const k; i32.add (or i32.sub); local.set x (or
 * local.tee x)} is one {@code iinc} and gives what the instructions alone give (the reference
 * has a {@code nop} before the {@code local.set}); only where it is exactly that, with {@code k}
 * within {@code iinc}'s 16 bits.
 */
class IncrementTest {
    /** A local past the parameter, the counter. */
    private static final int X = 1;
    private static final int[] VALUES = {0, 1, -1, 5, 0x7FFF, 0x7FFF_FFFF, Integer.MIN_VALUE, -32768};

    @Test
    void aStepOfACounterIsOneIinc() {
        for (int k : new int[] {1, -1, 4, 127, 128, -128, 32767, -32768}) {
            for (int op : new int[] {Opcodes.I32_ADD, Opcodes.I32_SUB}) {
                // i32.sub of -32768 adds 32768, past iinc's 16 bits.
                boolean fits = !(op == Opcodes.I32_SUB && k == -32768);
                for (boolean tee : new boolean[] {false, true}) {
                    assertSameAndIincs(fits ? 1 : 0, k, op, tee, X);
                }
            }
        }
    }

    @Test
    void anotherLocalOrAWideStepIsNoIinc() {
        assertSameAndIincs(0, 1, Opcodes.I32_ADD, false, 2);
        assertSameAndIincs(0, 40_000, Opcodes.I32_ADD, true, X);
        assertSameAndIincs(0, Integer.MIN_VALUE, Opcodes.I32_SUB, false, X);
    }

    private static void assertSameAndIincs(int iincs, int k, int op, boolean tee, int target) {
        CompiledModule subject = module(k, op, tee, target, false);
        CompiledModule reference = module(k, op, tee, target, true);
        String what = Opcodes.name(op) + " " + k + (tee ? ", tee" : "") + " into local " + target;
        assertEquals(iincs, iincs(subject), what);
        assertEquals(0, iincs(reference), what);
        Instance actual = subject.instantiate(new Imports());
        Instance expected = reference.instantiate(new Imports());
        for (int x : VALUES) {
            assertEquals(expected.function("f").call(x)[0], actual.function("f").call(x)[0], what + " of " + x);
        }
    }

    /**
     * {@code (p) -> x = p; (x op k) into target; x * 3 + target}, with the step's result also
     * added for a tee; in a loop run twice, as a counter steps.
     */
    private static CompiledModule module(int k, int op, boolean tee, int target, boolean nop) {
        ModuleBuilder b = new ModuleBuilder();
        int typeidx = b.type(List.of(ValType.I32), List.of(ValType.I32));
        int ran = 3;
        Code c = new Code();
        c.localGet(0).localSet(X);
        c.block(Opcodes.LOOP, null);
        c.localGet(X).i32Const(k).op(op);
        if (nop) c.op(Opcodes.NOP);
        if (tee) c.localTee(target).localGet(2).op(Opcodes.I32_ADD).localSet(2);
        else c.localSet(target);
        c.localGet(ran).op(Opcodes.I32_EQZ).localGet(ran).i32Const(1).op(Opcodes.I32_OR).localSet(ran).brIf(0);
        c.end();
        c.localGet(X).i32Const(3).op(Opcodes.I32_MUL).localGet(2).op(Opcodes.I32_ADD);
        b.exportFunction("f", b.function(typeidx, List.of(ValType.I32, ValType.I32, ValType.I32), c));
        return WasmCompiler.compile(b.build());
    }

    private static int iincs(CompiledModule compiled) {
        int[] count = {0};
        for (byte[] bytes : compiled.classFiles().values()) {
            new ClassReader(bytes).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitIincInsn(int varIndex, int increment) {
                            count[0]++;
                        }
                    };
                }
            }, 0);
        }
        return count[0];
    }
}
