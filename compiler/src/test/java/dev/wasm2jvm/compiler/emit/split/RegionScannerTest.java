package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The facts of a sequence or a group of states, scanned once the tree is whole: those of the code
 * directly in it and of the constructs of the tree it holds, which the scan passes over.
 */
class RegionScannerTest {
    /**
     * A function {@code [i32] -> [i32]} with locals 1 to 3, whose body is a nest of four blocks
     * {@code b1} to {@code b4} entered by a {@code br_table}; the code after {@code b4} holds a block
     * {@code c1} that reads local 1, calls and branches out of the function, the code after
     * {@code b3} reads local 2, writes local 3 and holds a block {@code c2} that calls and writes
     * local 3, and the code after {@code b2} reads local 0.
     */
    private record Nest(WasmModule module, FunctionBody body, Region b1, Region b2, Region b3, Region b4, Region c1) {
        static Nest of() {
            ModuleBuilder m = new ModuleBuilder();
            int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
            ModuleBuilder.Code code = new ModuleBuilder.Code()
                    .block(Opcodes.BLOCK, (ValType) null).block(Opcodes.BLOCK, (ValType) null)
                    .block(Opcodes.BLOCK, (ValType) null).block(Opcodes.BLOCK, (ValType) null)
                    .localGet(0).brTable(new int[] {0, 1, 2}, 3).end()
                    .block(Opcodes.BLOCK, (ValType) null)
                    .localGet(1).op(Opcodes.DROP).localGet(0).call(0).op(Opcodes.DROP)
                    .localGet(0).localGet(0).brIf(4).op(Opcodes.DROP)
                    .end()
                    .br(1).end()
                    .localGet(2).localSet(3)
                    .block(Opcodes.BLOCK, (ValType) null).localGet(0).call(0).localSet(3).end()
                    .end()
                    .localGet(0).op(Opcodes.DROP).end()
                    .localGet(0);
            m.exportFunction("f", m.function(type, List.of(ValType.I32, ValType.I32, ValType.I32), code));
            WasmModule module = ModuleDecoder.decode(m.build());
            ModuleValidator.validate(module);
            FunctionBody body = module.codes().getFirst();
            Region root = RegionScanner.scan(module, body, module.funcType(0), new FlowInstructions(body.offset()));
            Region b1 = root.children.getFirst();
            Region b2 = b1.children.getFirst();
            Region b3 = b2.children.getFirst();
            return new Nest(module, body, b1, b2, b3, b3.children.get(0), b3.children.get(1));
        }
    }

    private static BitSet locals(int... indices) {
        BitSet set = new BitSet();
        for (int i : indices) set.set(i);
        return set;
    }

    @Test
    void aGroupOfStatesHasTheFactsOfTheConstructsInItsCode() {
        Nest n = Nest.of();
        assertEquals(List.of(n.b1, n.b2, n.b3, n.b4), BlockNest.chain(n.b1));
        // States 2 to 4: the code from b4's end to b1's, which closes b1 to b3.
        Region group = RegionScanner.scanGroup(n.module, n.body, List.of(n.b1, n.b2, n.b3), n.b4.end, n.b1.end);
        assertEquals(n.b1.parent, group.parent);
        assertEquals(locals(0, 1, 2), group.reads);
        assertEquals(locals(3), group.writes);
        assertEquals(2 * JvmLimits.callWeight(Opcodes.CALL), group.calls);
        // c1's branch out of the function leaves the group for the label around b1, the function's;
        // the branch from b3's code to b2's end stays in it.
        assertEquals(locals(0), group.escapes);
        assertFalse(group.manyEscapes);
        assertEquals(n.b1.end, group.end);
    }

    @Test
    void aGroupOfOneStateHasTheFactsOfItsBlocksCodeAlone() {
        Nest n = Nest.of();
        // State 4 alone: the code from b4's end to b3's, which closes b3.
        Region group = RegionScanner.scanGroup(n.module, n.body, List.of(n.b3), n.b4.end, n.b3.end);
        assertEquals(locals(0, 1), group.reads);
        assertEquals(locals(), group.writes);
        assertEquals(JvmLimits.callWeight(Opcodes.CALL), group.calls);
        // A group is no frame: c1's branch out of the function is the third label out of it (b2's,
        // b1's, the function's), b3's own branch to b2's end the first.
        assertEquals(locals(0, 2), group.escapes);
    }

    @Test
    void aSequenceHasTheFactsOfTheConstructsInIt() {
        Nest n = Nest.of();
        Region sequence = RegionScanner.scanSequence(n.module, n.body, n.b3, n.b4.end, n.c1.end, FuncType.EMPTY);
        assertEquals(locals(0, 1), sequence.reads);
        assertEquals(JvmLimits.callWeight(Opcodes.CALL), sequence.calls);
        // A sequence is no frame: c1's branch out of the function is three labels out of b3's body.
        assertEquals(locals(3), sequence.escapes);
        assertEquals(List.of(n.c1), sequence.children);
    }
}
