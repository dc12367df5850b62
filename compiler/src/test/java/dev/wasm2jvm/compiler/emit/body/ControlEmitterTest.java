package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.wasm2jvm.compiler.code.Opcodes.BLOCK;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.RETURN;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.GOTO;

/**
 * {@code br_table}s as {@link ControlEmitter} lowers them: a case that is a plain jump goes to its
 * block's own label, one that drops an operand to a trampoline, each distinct target once, in a
 * {@code tableswitch} or, past {@link JvmLimits#MAX_INLINE_TABLE} entries, through a map to the
 * targets' ordinals. The loops of a function entered once take {@link JvmLimits#ONCE_BACK_EDGES}
 * backward branches an iteration, those of one entered twice one.
 */
class ControlEmitterTest {

    /** Label {@code labelidx} of {@link #tableModule}'s br_table, whose case {@code i} it is. */
    private static int label(int i) {
        return (7 * i + i / 3) % 4;
    }

    /** What {@link #tableModule}'s function returns when its br_table goes to label {@code labelidx}. */
    private static int result(int labelidx) {
        return labelidx == 3 ? 13 : 1010 + labelidx;
    }

    @Test
    void tableSwitchOfRepeatedTargetsAndATrampoline() {
        check(5, 2);
        check(12, 3);
    }

    @Test
    void mappedSwitchOfRepeatedTargetsAndATrampoline() {
        check(JvmLimits.MAX_INLINE_TABLE + 476, 1);
        check(JvmLimits.MAX_INLINE_TABLE + 1, 3);
    }

    @Test
    void tableOfTheDefaultAlone() {
        check(0, 3);
        check(0, 0);
    }

    /** Calls {@link #tableModule}'s function at every index of its table and past its ends. */
    private static void check(int entries, int defaultLabel) {
        FuncRef f = WasmCompiler.compile(tableModule(entries, defaultLabel)).instantiate(new Imports()).function("f");
        for (int index = -2; index < entries + 3; index++) {
            int expected = result(index >= 0 && index < entries ? label(index) : defaultLabel);
            assertEquals(expected, (int) f.call(index)[0], "f(" + index + ") of " + entries + " entries");
        }
    }

    /**
     * {@code f(index)}: a br_table on {@code index} of {@code entries} cases to labels 0 to 3, each
     * block returning its own value after its end. Label 3's block holds an i32 (1000) under the
     * others, which a branch to it drops: the one target of the table that needs a trampoline.
     */
    private static byte[] tableModule(int entries, int defaultLabel) {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32), List.of(I32));
        int[] labels = new int[entries];
        for (int i = 0; i < entries; i++) labels[i] = label(i);
        Code c = new Code();
        c.block(BLOCK, null);
        c.i32Const(1000);
        c.block(BLOCK, null).block(BLOCK, null).block(BLOCK, null);
        c.localGet(0).brTable(labels, defaultLabel);
        c.end().i32Const(1010).op(RETURN);
        c.end().i32Const(1011).op(RETURN);
        c.end().i32Const(12).op(I32_ADD).op(RETURN);
        c.end().i32Const(13);
        b.exportFunction("f", b.function(type, List.of(), c));
        return b.build();
    }

    /**
     * A command whose {@code _start} calls {@code $once} once and {@code $twice} twice, each summing
     * {@code 0 + 1 + ... + n - 1} in a loop ({@code $once} then counts down in a second loop with a
     * value under it on the operand stack, where HotSpot does not compile on stack replacement), and stores the three sums, 10, 20 and 30 terms,
     * in {@code result} as {@code once * 1,000,000 + twice(20) * 1,000 + twice(30)}.
     */
    private static final String ONCE_AND_TWICE = """
            (module
              (global $result (export "result") (mut i32) (i32.const 0))
              (func $once (param $n i32) (result i32) (local $i i32) (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (local.get $i)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (i32.const 1000000)
                (loop $under
                  (local.set $i (i32.sub (local.get $i) (i32.const 1)))
                  (br_if $under (local.get $i)))
                (i32.mul (local.get $s)))
              (func $twice (param $n i32) (result i32) (local $i i32) (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (local.get $i)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $s))
              (func $_start (export "_start")
                (global.set $result (i32.add (call $once (i32.const 10))
                  (i32.add (i32.mul (call $twice (i32.const 20)) (i32.const 1000)) (call $twice (i32.const 30)))))))
            """;

    @Test
    void theLoopsOfAFunctionEnteredOnceTakeAChainOfBackwardJumps() {
        CompiledModule compiled = WasmCompiler.compile(Wat.toBinary(ONCE_AND_TWICE.getBytes(StandardCharsets.UTF_8)));
        Map<String, Integer> backwardGotos = backwardGotos(compiled);

        assertEquals(JvmLimits.ONCE_BACK_EDGES - 1, backwardGotos.get("once"), "$once's first loop alone");
        assertEquals(0, backwardGotos.get("twice"));
        Instance instance = compiled.instantiate(new Imports());
        instance.function("_start").call();
        assertEquals(45_000_000 + 190 * 1000 + 435, instance.global("result").get());
    }

    /** By method name, how many {@code goto}s of each method of {@code compiled} jump backward. */
    private static Map<String, Integer> backwardGotos(CompiledModule compiled) {
        Map<String, Integer> counts = new HashMap<>();
        for (byte[] bytes : compiled.classFiles().values()) {
            new ClassReader(bytes).accept(new ClassVisitor(ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    Set<Label> placed = new HashSet<>();
                    counts.put(name, 0);
                    return new MethodVisitor(ASM9) {
                        @Override
                        public void visitLabel(Label label) {
                            placed.add(label);
                        }

                        @Override
                        public void visitJumpInsn(int opcode, Label label) {
                            if (opcode == GOTO && placed.contains(label)) counts.merge(name, 1, Integer::sum);
                        }
                    };
                }
            }, 0);
        }
        return counts;
    }
}
