package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Which accesses {@link CoveringChecks} lets an earlier one check, and that each still traps as wasm
 * has it, through one local or two. A body's accesses are written in order as {@code R} for the first of a stretch, which
 * checks the stretch's reach, {@code V} for one it covers, {@code P} for one that
 * {@link ProvenAccesses} proved and {@code C} for one that keeps its own check.
 */
class CoveringChecksTest {
    private static String accesses(String body) {
        String module = "(module (memory 1) (global $g (mut i32) (i32.const 0)) (func $f)"
                + " (func (param i32 i32) (local i32)\n" + body + "))";
        FunctionBody function = ModuleDecoder.decode(Wat.toBinary(module)).codes().get(1);
        ProvenAccesses proven = ProvenAccesses.of(function);
        StringBuilder kinds = new StringBuilder();
        CodeReader.read(function.code(), function.offset(), new InstructionScanner() {
            private int offset;

            @Override
            public void visitOffset(int offset) {
                this.offset = offset;
            }

            @Override
            public void visitMemoryAccess(int opcode, int memidx, int align, long memoryOffset) {
                if (MemoryEmitter.helper(opcode) == null) return;
                kinds.append(proven.covering(offset) != null ? 'R' : proven.covered(offset) ? 'V' : proven.proven(offset) ? 'P' : 'C');
            }
        });
        return kinds.toString();
    }

    @Test
    void theFirstAccessOfAStretchChecksTheFurthestOfItsAccessesThroughTheSameLocal() {
        assertEquals("RVC", accesses("""
                (drop (i32.load (local.get 0)))
                (drop (i64.load offset=8 (local.get 0)))
                (drop (i32.load8_u offset=3 (i32.const 0)))"""));
        assertEquals("RVP", accesses("""
                (drop (i32.load (local.get 0)))
                (drop (i64.load offset=8 (local.get 0)))
                (drop (i32.load8_u offset=3 (local.get 0)))"""));
        assertEquals("RV", accesses("(i32.store offset=4 (local.get 0) (i32.load (local.get 0)))"));
        assertEquals("RV", accesses("""
                (drop (i32.load (local.get 0)))
                (local.set 2 (i32.mul (local.get 1) (i32.const 3)))
                (drop (i32.load offset=4 (local.get 0)))"""));
        assertEquals("CP", accesses("(drop (i32.load offset=4 (local.get 0))) (drop (i32.load (local.get 0)))"));
    }

    @Test
    void aStretchAccessesThroughTwoLocalsAtMostWhoseValuesItsStartReads() {
        String first = "(drop (i32.load (local.get 0)))\n";
        String second = "\n(drop (i32.load offset=4 (local.get 0)))";
        assertEquals("RVV", accesses(first + "(drop (i32.load (local.get 1)))" + second));
        assertEquals("RVRV", accesses(first + "(drop (i32.load (local.get 1))) (drop (i32.load (local.get 2)))" + second));
        assertEquals("CRV", accesses(first + "(local.set 1 (i32.const 8)) (drop (i32.load (local.get 1)))" + second));
    }

    @Test
    void aStretchEndsWhereATrapOrWhatItLeavesCouldDiffer() {
        String first = "(drop (i32.load (local.get 0)))\n";
        String second = "\n(drop (i32.load offset=4 (local.get 0)))";
        assertEquals("CC", accesses("(i32.store (local.get 0) (i32.const 1))" + second));
        assertEquals("CCC", accesses(first + "(drop (i32.load (i32.add (local.get 1) (i32.const 4))))" + second));
        assertEquals("CC", accesses(first + "(local.set 0 (local.get 1))" + second));
        assertEquals("CC", accesses(first + "(call $f)" + second));
        assertEquals("CC", accesses(first + "(global.set $g (local.get 1))" + second));
        assertEquals("CC", accesses(first + "(drop (i32.div_u (local.get 1) (local.get 1)))" + second));
        assertEquals("CC", accesses(first + "(drop (i32.trunc_f32_s (f32.const 1)))" + second));
        assertEquals("CC", accesses(first + "(drop (memory.grow (i32.const 0)))" + second));
        assertEquals("CC", accesses(first + "(block (br_if 0 (local.get 1)))" + second));
        assertEquals("CC", accesses(first + "(if (local.get 1) (then (nop)))" + second));
    }

    private static final CompiledModule STRETCHES = WasmCompiler.compile("""
            (module
              (memory (export "memory") 1)
              (func (export "loads") (param $p i32) (result i32)
                (i32.add (i32.load (local.get $p)) (i32.load offset=8 (local.get $p))))
              (func (export "twoLocals") (param $p i32) (param $q i32) (result i32)
                (i32.add (i32.load (local.get $p)) (i32.add (i32.load (local.get $q)) (i32.load offset=8 (local.get $p)))))
              (func (export "storeThenLoad") (param $p i32) (result i32)
                (i32.store offset=4 (local.get $p) (i32.load (local.get $p)))
                (i32.load offset=8 (local.get $p))))
            """.getBytes(StandardCharsets.UTF_8));

    private final Instance instance = STRETCHES.instantiate(new Imports());

    private void assertTraps(String message, String function, Object... arguments) {
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function(function).call(arguments));
        assertEquals("out of bounds memory access: " + message, trap.getMessage());
    }

    @Test
    void aStretchTrapsAsItsFirstAccessOutOfBoundsWould() {
        instance.memory("memory").writeI32(65524, 5);
        instance.memory("memory").writeI32(65532, 6);
        assertEquals(11, (int) instance.function("loads").call(65524)[0]);
        assertTraps("4 bytes at 65528 + 8, memory size 65536", "loads", 65528);
        assertTraps("4 bytes at 65534, memory size 65536", "loads", 65534);
        assertTraps("4 bytes at 4294967295, memory size 65536", "loads", -1);
    }

    @Test
    void aStretchThroughTwoLocalsTrapsAsItsFirstAccessOutOfBoundsWould() {
        assertEquals(0, (int) instance.function("twoLocals").call(65524, 0)[0]);
        assertTraps("4 bytes at 65536, memory size 65536", "twoLocals", 0, 65536);
        assertTraps("4 bytes at 65528 + 8, memory size 65536", "twoLocals", 65528, 0);
        assertTraps("4 bytes at 70000, memory size 65536", "twoLocals", 65530, 70000);
        assertTraps("4 bytes at 65534, memory size 65536", "twoLocals", 65534, 70000);
    }

    @Test
    void aStoreEndsItsStretchAndStaysWhenALaterAccessTraps() {
        instance.memory("memory").writeI32(65528, 9);
        assertTraps("4 bytes at 65528 + 8, memory size 65536", "storeThenLoad", 65528);
        assertEquals(9, instance.memory("memory").readI32(65532));
    }

    @Test
    void theStretchesAreCompiledAsOneCheckAndUncheckedAccesses() {
        int[] checks = {0};
        for (byte[] classFile : STRETCHES.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                            if (method.equals("checkReach")) checks[0]++;
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        assertEquals(3, checks[0]);
    }
}
