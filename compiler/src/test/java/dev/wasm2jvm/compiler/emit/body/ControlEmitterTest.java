package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.wasm2jvm.compiler.code.Opcodes.BLOCK;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.RETURN;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code br_table}s as {@link ControlEmitter} lowers them: a case that is a plain jump goes to its
 * block's own label, one that drops an operand to a trampoline, each distinct target once, in a
 * {@code tableswitch} or, past {@link JvmLimits#MAX_INLINE_TABLE} entries, through a map to the
 * targets' ordinals.
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
}
