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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * targets' ordinals. And the jumps of a {@code br_if} to a loop: one backward conditional jump to
 * an innermost loop, a forward one over a {@code goto} back to a loop that holds a loop.
 */
class ControlEmitterTest {
    /**
     * {@code sumBelow}: a loop nest whose inner loop's latch and outer loop's latch are each a
     * {@code br_if}, and a {@code br_if} from the inner loop on to the outer loop's next iteration
     * (skipping odd {@code i}); {@code countDown}: one loop.
     */
    private static final String LOOPS = """
            (module
              (func (export "sumBelow") (param $n i32) (result i32)
                (local $i i32) (local $j i32) (local $sum i32)
                (block $done
                  (br_if $done (i32.eqz (local.get $n)))
                  (loop $outer
                    (local.set $j (i32.const 0))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (loop $inner
                      (br_if $outer (i32.and (local.get $i) (i32.const 1)))
                      (local.set $sum (i32.add (local.get $sum) (local.get $j)))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
                    (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
                (local.get $sum))
              (func (export "countDown") (param $n i32) (result i32)
                (loop $down
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $down (i32.gt_s (local.get $n) (i32.const 0))))
                (local.get $n)))
            """;

    @Test
    void aBranchToALoopHoldingALoopIsAForwardJumpOverAGotoBack() {
        CompiledModule module = WasmCompiler.compile(Wat.toBinary(LOOPS.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> jumps = backwardJumps(module.classFiles().values());

        assertEquals("[goto, if, goto]", jumps.get("sumBelow"), "the branch on from the inner loop, the inner latch, the outer latch");
        assertEquals("[if]", jumps.get("countDown"));
        Instance instance = module.instantiate(new Imports());
        for (int n = 0; n <= 9; n++) {
            // The loop nest ends at the first even i not below n.
            int expected = 0;
            for (int i = 2; n > 0 && i <= n + (n & 1); i += 2) expected += i * (i - 1) / 2;
            assertEquals(expected, (int) instance.function("sumBelow").call(n)[0], "sumBelow(" + n + ")");
        }
        assertEquals(0, (int) instance.function("countDown").call(5)[0]);
    }

    /**
     * The backward jumps of each method that has any, in order, {@code if} for a conditional one,
     * by method name (an exported function's method takes its export's name).
     */
    private static Map<String, String> backwardJumps(Iterable<byte[]> classFiles) {
        Map<String, String> byMethod = new TreeMap<>();
        for (byte[] bytes : classFiles) {
            new ClassReader(bytes).accept(new ClassVisitor(ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    Set<Label> seen = new HashSet<>();
                    List<String> backward = new ArrayList<>();
                    return new MethodVisitor(ASM9) {
                        @Override
                        public void visitLabel(Label label) {
                            seen.add(label);
                        }

                        @Override
                        public void visitJumpInsn(int opcode, Label label) {
                            if (seen.contains(label)) backward.add(opcode == GOTO ? "goto" : "if");
                        }

                        @Override
                        public void visitEnd() {
                            if (!backward.isEmpty()) byMethod.put(name, backward.toString());
                        }
                    };
                }
            }, 0);
        }
        return byMethod;
    }

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
}
