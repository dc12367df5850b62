package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.StraightLineSteps;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tail calls in functions too large for one method, which the compiler splits: a {@code return_call}
 * inside an outlined block, mutually recursive with a small function, and a self
 * {@code return_call} in a case of a switch run as a state machine, each a million calls deep on
 * the default thread stack. Each result is checked against a Java model of the same code.
 */
class TailCallSplitTest {
    /** Steps of straight-line code per outlined block: about ten thousand bytes of bytecode. */
    private static final int STEPS = 800;
    private static final int CASES = 12;
    private static final int CASE_STEPS = 150;
    private static final long DEPTH = 1_000_000L;

    private static String module() {
        StringBuilder sw = new StringBuilder("block $end\n");
        for (int i = CASES - 1; i >= 0; i--) sw.append("block $c").append(i).append('\n');
        sw.append("local.get $n i64.const ").append(CASES).append(" i64.rem_u i32.wrap_i64 br_table");
        for (int i = 0; i < CASES; i++) sw.append(" $c").append(i);
        sw.append(" $end\nend\n");
        for (int i = 0; i < CASES; i++) {
            sw.append(StraightLineSteps.wat(CASE_STEPS, 100 * i))
                    .append("(if (i64.ne (local.get $n) (i64.const 0)) (then (return_call $switch (i64.sub (local.get $n) (i64.const 1)) (local.get $acc))))\n")
                    .append("br $end\nend\n");
        }
        return """
                (module
                  (func $ping (export "ping") (param $n i64) (param $acc i32) (result i32)
                    (block
                      %s
                      (if (i64.ne (local.get $n) (i64.const 0))
                        (then (return_call $pong (i64.sub (local.get $n) (i64.const 1)) (local.get $acc)))))
                    (block
                      %s)
                    (local.get $acc))
                  (func $pong (param $n i64) (param $acc i32) (result i32)
                    (if (result i32) (i64.eqz (local.get $n))
                      (then (i32.xor (local.get $acc) (i32.const 1)))
                      (else (return_call $ping (i64.sub (local.get $n) (i64.const 1)) (i32.add (local.get $acc) (i32.const 3))))))
                  (func $switch (export "switch") (param $n i64) (param $acc i32) (result i32)
                    %s
                    (local.get $acc)))
                """.formatted(StraightLineSteps.wat(STEPS, 1), StraightLineSteps.wat(STEPS, 2), sw);
    }

    private static int pingModel(long n, int acc) {
        while (true) {
            acc = StraightLineSteps.model(acc, STEPS, 1);
            if (n == 0) return StraightLineSteps.model(acc, STEPS, 2);
            n--;
            if (n == 0) return acc ^ 1;
            n--;
            acc += 3;
        }
    }

    private static int switchModel(long n, int acc) {
        while (true) {
            acc = StraightLineSteps.model(acc, CASE_STEPS, 100 * (int) (n % CASES));
            if (n == 0) return acc;
            n--;
        }
    }

    private static Set<String> methodNames(CompiledModule compiled) {
        Set<String> names = new TreeSet<>();
        for (byte[] classFile : compiled.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    names.add(name);
                    return null;
                }
            }, ClassReader.SKIP_CODE);
        }
        return names;
    }

    @Test
    void tailCallsInSplitFunctionsRunInConstantStack() {
        CompiledModule compiled = WasmCompiler.compile(Wat.toBinary(module()));
        Set<String> methods = methodNames(compiled);
        assertTrue(methods.stream().anyMatch(m -> m.startsWith("ping") && !m.equals("ping") && !m.equals("ping$tail")),
                "ping is split: " + methods);
        assertTrue(methods.stream().anyMatch(m -> m.startsWith("switch") && !m.equals("switch") && !m.equals("switch$tail")),
                "switch is split: " + methods);
        Instance instance = compiled.instantiate(new Imports());
        for (long n : new long[] {0, 1, 2, 7, DEPTH, DEPTH + 1}) {
            assertArrayEquals(new Object[] {pingModel(n, 5)}, instance.function("ping").call(n, 5), "ping " + n);
            assertArrayEquals(new Object[] {switchModel(n, 5)}, instance.function("switch").call(n, 5), "switch " + n);
        }
    }
}
