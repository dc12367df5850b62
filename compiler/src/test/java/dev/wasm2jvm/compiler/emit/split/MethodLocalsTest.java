package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import java.util.BitSet;
import java.util.Collections;
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
        FlowInstructions flow = new FlowInstructions(body.offset());
        Region block = RegionScanner.scan(module, body, module.funcType(0), flow).children.getFirst();

        MethodLocals locals = new MethodLocals(flow, List.of(block), Map.of());

        assertEquals(bits(0, 1, 2, 3), locals.named(block));
        assertEquals(bits(0, 1, 2), locals.named(null), "the function's own method names what it reads and writes outside");
        // l1 is read before written, and written on one exit only: its value must reach every exit.
        assertEquals(bits(0, 1), locals.entering(block));
        // l3 is dead after the block.
        assertEquals(bits(1, 2), locals.leaving(block));
    }

    /**
     * {@code f(l0)} with locals l1, l2: a loop whose block writes l1 and reads it, then writes l2
     * from it; after the block, l1 gets l2 - 1, l0 gets l1, and the loop goes on while l0 is not
     * zero. Every read of l1 follows a write, as an interpreter's cases write what they read: l1
     * is dead where the block ends, though the loop reads it, and after the block too.
     */
    @Test
    void aPartInALoopHandsBackNothingThatEachIterationWritesFirst() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.LOOP, (ValType) null)
                .block(Opcodes.BLOCK, (ValType) null)
                .localGet(0).i32Const(1).op(Opcodes.I32_ADD).localSet(1)
                .localGet(1).i32Const(3).op(Opcodes.I32_MUL).localSet(2)
                .end()
                .localGet(2).i32Const(1).op(Opcodes.I32_SUB).localSet(1)
                .localGet(1).localSet(0)
                .localGet(0).brIf(0)
                .end()
                .localGet(0);
        Parsed f = parse(code, 2);
        Region block = f.root().children.getFirst().children.getFirst();
        MethodLocals locals = new MethodLocals(f.flow(), List.of(block), Map.of());

        assertEquals(bits(0), locals.entering(block));
        assertEquals(bits(2), locals.leaving(block));
    }

    /**
     * {@code f(l0)} with local l1: in a loop in a block, a block writes l1 and leaves the outer
     * block when l0 is not zero, after which l1 is read; past its end, l1 is written again before
     * the loop goes on. l1 is live where the branch goes, so the block hands it back.
     */
    @Test
    void aPartHandsBackWhatIsLiveWhereItsBranchesGo() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null)
                .block(Opcodes.LOOP, (ValType) null)
                .block(Opcodes.BLOCK, (ValType) null)
                .i32Const(7).localSet(1)
                .localGet(0).brIf(2)
                .localGet(0).i32Const(1).op(Opcodes.I32_SUB).localSet(0)
                .end()
                .i32Const(0).localSet(1)
                .br(0)
                .end()
                .end()
                .localGet(1);
        Parsed f = parse(code, 1);
        Region block = f.root().children.getFirst().children.getFirst().children.getFirst();
        MethodLocals locals = new MethodLocals(f.flow(), List.of(block), Map.of());

        assertEquals(bits(0, 1), locals.leaving(block));
    }

    /** A function's body, its regions and its flow instructions. */
    private record Parsed(FunctionBody body, Region root, FlowInstructions flow) {}

    /** {@code f(l0) -> i32} with {@code extra} more i32 locals and body {@code code}. */
    private static Parsed parse(ModuleBuilder.Code code, int extra) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, Collections.nCopies(extra, ValType.I32), code));
        WasmModule module = ModuleDecoder.decode(m.build());
        FunctionBody body = module.codes().getFirst();
        FlowInstructions flow = new FlowInstructions(body.offset());
        return new Parsed(body, RegionScanner.scan(module, body, module.funcType(0), flow), flow);
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) b.set(i);
        return b;
    }
}
