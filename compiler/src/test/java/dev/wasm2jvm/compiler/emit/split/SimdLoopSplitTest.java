package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Loops of SIMD work outlined from a short function, each a resumable method, compute what the
 * function computes unsplit: nested loops that resume many times, a branch out of both, a return
 * from the outer one, and vector locals live across them all.
 */
class SimdLoopSplitTest {
    private static final String CLASS = "simd.Loops";
    /** The function index of {@code kernel}, after {@code fill}. */
    private static final int KERNEL = 1;

    private static final String WAT = """
            (module
              (memory (export "memory") 1)
              (func $fill (param $n i32) (local $i i32)
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                    (i32.store8 (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 37)) (i32.const 11)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l))))
              (func (export "kernel") (param $rows i32) (param $cols i32) (param $stop i32) (result i32)
                (local $r i32) (local $c i32) (local $p i32) (local $acc v128) (local $row v128)
                (call $fill (i32.mul (i32.mul (local.get $rows) (local.get $cols)) (i32.const 16)))
                (local.set $acc (v128.const i32x4 1 2 3 4))
                (block $out
                  (loop $rows
                    (local.set $c (i32.const 0))
                    (local.set $row (i32x4.splat (local.get $r)))
                    (loop $cols
                      (local.set $row (i32x4.add (local.get $row)
                        (i32x4.dot_i16x8_s (v128.load (local.get $p)) (i16x8.splat (i32.add (local.get $c) (i32.const 3))))))
                      (local.set $row (v128.xor (local.get $row) (i32x4.shl (local.get $row) (i32.const 3))))
                      (br_if $out (i32.eq (local.get $p) (local.get $stop)))
                      (local.set $p (i32.add (local.get $p) (i32.const 16)))
                      (local.set $c (i32.add (local.get $c) (i32.const 1)))
                      (br_if $cols (i32.lt_u (local.get $c) (local.get $cols))))
                    (local.set $acc (i32x4.add (local.get $acc) (local.get $row)))
                    (if (i32.eq (i32x4.extract_lane 0 (local.get $acc)) (local.get $stop))
                      (then (return (i32.const -1))))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br_if $rows (i32.lt_u (local.get $r) (local.get $rows)))))
                (local.set $acc (i32x4.add (local.get $acc) (local.get $row)))
                (i32.add
                  (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                  (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))
            """;

    @Test
    void outlinedSimdLoopsComputeWhatTheFunctionDoesUnsplit() {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(WasmCompiler.binary(WAT.getBytes(StandardCharsets.UTF_8))));
        ModuleLayout layout = new ModuleLayout(module, CLASS.replace('.', '/'));
        FunctionPlanner.Plan plan = FunctionPlanner.plan(layout, KERNEL);
        assertNotNull(plan.outlining(), "the kernel's loops are outlined");
        assertEquals(List.of(Opcodes.LOOP, Opcodes.LOOP), plan.outlining().regions().stream().map(r -> r.opcode).toList());
        assertNull(FunctionPlanner.plan(layout, 0).outlining(), "fill has no SIMD");

        Map<String, byte[]> split = ModuleEmitter.emit(module, CLASS);
        Instance outlined = CompiledModule.of(CLASS, split, Map.of()).instantiate(new Imports());
        Instance whole = CompiledModule.of(CLASS, unsplit(module, split, plan), Map.of()).instantiate(new Imports());
        // Enough rows and columns for both loops to resume (every RESUME_ITERATIONS iterations)
        // many times; a stop inside the inner loop, or one matching the sum of a row.
        int rows = 3 * JvmLimits.RESUME_ITERATIONS + 1;
        int cols = 2 * JvmLimits.RESUME_ITERATIONS + 5;
        for (int[] args : new int[][] {{rows, cols, -1}, {1, 1, -1}, {rows, cols, 16 * (cols * 7 + 3)}, {2, 3, 0}}) {
            Object[] expected = whole.function("kernel").call(args[0], args[1], args[2]);
            assertEquals(List.of(expected), List.of(outlined.function("kernel").call(args[0], args[1], args[2])),
                    () -> "kernel(" + args[0] + ", " + args[1] + ", " + args[2] + ")");
        }
        // A row sum the return catches: the first row's, as the unsplit function computed it.
        int firstRow = (int) whole.function("kernel").call(1, cols, -1)[0];
        assertEquals(List.of(whole.function("kernel").call(rows, cols, firstRow)), List.of(outlined.function("kernel").call(rows, cols, firstRow)));
    }

    /** {@code split}'s classes with the kernel's method emitted unsplit in place of its split one. */
    private static Map<String, byte[]> unsplit(WasmModule module, Map<String, byte[]> split, FunctionPlanner.Plan plan) {
        ModuleLayout layout = new ModuleLayout(module, CLASS.replace('.', '/'));
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        new ClassReader(split.get(CLASS)).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return name.equals(layout.bodyName(KERNEL)) ? null : super.visitMethod(access, name, descriptor, signature, exceptions);
            }

            @Override
            public void visitEnd() {
                FunctionMethods.emit(owner -> writer, layout, KERNEL, null, plan.spill(), null);
                super.visitEnd();
            }
        }, ClassReader.SKIP_FRAMES);
        Map<String, byte[]> classes = new HashMap<>(split);
        classes.put(CLASS, writer.toByteArray());
        return classes;
    }
}
