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
        Region block = RegionScanner.scan(module, body, module.funcType(0)).children.getFirst();

        MethodLocals locals = new MethodLocals(body, List.of(block), Map.of());

        assertEquals(bits(0, 1, 2, 3), locals.named(block));
        assertEquals(bits(0, 1, 2), locals.named(null), "the function's own method names what it reads and writes outside");
        // l1 is read before written, and written on one exit only: its value must reach every exit.
        assertEquals(bits(0, 1), locals.entering(block));
        // l3 is dead after the block.
        assertEquals(bits(1, 2), locals.leaving(block));
    }

    /**
     * The block writes l1 and l2; after it, l1 is written again before it is read: only l2's value
     * is live after the block, so only l2 is handed back (and nothing is taken, as the block reads
     * nothing it did not write).
     */
    @Test
    void aLocalWrittenAgainBeforeItIsReadAfterThePartIsNotHandedBack() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null)
                .localGet(0).localSet(1)
                .localGet(0).i32Const(3).op(Opcodes.I32_MUL).localSet(2)
                .end()
                .i32Const(9).localSet(1)
                .localGet(1).localGet(2).op(Opcodes.I32_ADD);
        Parts parts = parts(code, 2);
        Region block = parts.body.children.getFirst();

        MethodLocals locals = new MethodLocals(parts.function, List.of(block), Map.of());

        assertEquals(bits(2), locals.leaving(block));
        assertEquals(bits(0), locals.entering(block));
    }

    /**
     * In a loop, the block adds to l1, which the loop reads before the block on its next turn, and
     * writes l2, which the loop writes before reading and nothing reads after it: l1 is handed back,
     * l2 is not.
     */
    @Test
    void aLocalTheEnclosingLoopReadsBeforeThePartIsHandedBack() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.LOOP, (ValType) null)
                .i32Const(0).localSet(2)
                .localGet(1).localGet(2).op(Opcodes.I32_ADD).localSet(2)
                .block(Opcodes.BLOCK, (ValType) null)
                .localGet(1).i32Const(1).op(Opcodes.I32_ADD).localSet(1)
                .localGet(2).localSet(2)
                .end()
                .localGet(1).localGet(0).op(Opcodes.I32_LT_S).brIf(0)
                .end()
                .i32Const(0);
        Parts parts = parts(code, 2);
        Region block = parts.body.children.getFirst().children.getFirst();

        MethodLocals locals = new MethodLocals(parts.function, List.of(block), Map.of());

        assertEquals(bits(1), locals.leaving(block));
        assertEquals(bits(1, 2), locals.entering(block));
    }

    /**
     * The block writes l1 and leaves by a branch to the end of the block around it, after which l1
     * is read; falling through its end, l1 is written again first: l1 is handed back for the branch.
     */
    @Test
    void aBranchOutOfThePartHandsBackWhatIsLiveWhereItLeads() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null)
                .block(Opcodes.BLOCK, (ValType) null)
                .i32Const(5).localSet(1)
                .localGet(0).brIf(1)
                .end()
                .i32Const(7).localSet(1)
                .end()
                .localGet(1);
        Parts parts = parts(code, 1);
        Region inner = parts.body.children.getFirst().children.getFirst();

        MethodLocals locals = new MethodLocals(parts.function, List.of(inner), Map.of());

        assertEquals(bits(1), locals.leaving(inner));
    }

    /**
     * With an exception handler in the body, whose edges the liveness analysis does not follow,
     * every local the part writes and code after it reads is handed back, as live or not.
     */
    @Test
    void aBodyWithHandlersHandsBackEveryLocalReadAfterThePart() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.TRY, (ValType) null)
                .block(Opcodes.BLOCK, (ValType) null)
                .localGet(0).localSet(1)
                .end()
                .op(Opcodes.CATCH_ALL)
                .end()
                .i32Const(9).localSet(1)
                .localGet(1);
        Parts parts = parts(code, 1);
        Region block = parts.body.children.getFirst().children.getFirst();

        MethodLocals locals = new MethodLocals(parts.function, List.of(block), Map.of());

        assertEquals(bits(1), locals.leaving(block));
    }

    private record Parts(FunctionBody function, Region body) { }

    /** {@code f(l0) -> i32} with {@code extra} more i32 locals and {@code code} as its body. */
    private static Parts parts(ModuleBuilder.Code code, int extra) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, Collections.nCopies(extra, ValType.I32), code));
        WasmModule module = ModuleDecoder.decode(m.build());
        FunctionBody body = module.codes().getFirst();
        return new Parts(body, RegionScanner.scan(module, body, module.funcType(0)));
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) b.set(i);
        return b;
    }
}
