package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The transfer of locals between a split function's methods through its frame. */
class MethodLocalsTest {
    /**
     * {@code f(l0)} with locals l1..l3: l1 is set before the block; the block reads l1, writes l2
     * and l3, and on one exit only l1; after it, l1 and l2 are read.
     */
    @Test
    void aPartTakesWhatItMayReadFirstAndHandsBackWhatIsReadAfter() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .localGet(0).i32Const(1).op(Opcodes.I32_ADD).localSet(1)
                .block(Opcodes.BLOCK, (ValType) null)
                .localGet(1).i32Const(2).op(Opcodes.I32_MUL).localSet(2)
                .i32Const(5).localSet(3)
                .localGet(0).brIf(0)
                .i32Const(0).localSet(1)
                .end()
                .localGet(2).localGet(1).op(Opcodes.I32_ADD);
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, List.of(ValType.I32, ValType.I32, ValType.I32), code));
        WasmModule module = ModuleDecoder.decode(m.build());
        FunctionBody body = module.codes().getFirst();
        Region block = RegionScanner.scan(module, body, module.funcType(0)).children.getFirst();

        MethodLocals locals = new MethodLocals(body, List.of(block), Map.of());

        assertEquals(bits(0, 1, 2, 3), locals.named(block));
        assertEquals(bits(0, 1, 2), locals.named(null), "the function's own method names what it reads and writes outside");
        // l1 is read before written, and written on one exit only: its value must reach every exit.
        assertEquals(bits(0, 1), locals.entering(block));
        // l3 is dead after the block.
        assertEquals(bits(1, 2), locals.leaving(block));
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) b.set(i);
        return b;
    }
}
