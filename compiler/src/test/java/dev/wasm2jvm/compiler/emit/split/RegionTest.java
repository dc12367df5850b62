package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facts a region gathers from its subtree: its regions in order, the widest label in it, its escapes. */
class RegionTest {
    /**
     * {@code block (loop (block [] -> [i32 i32 i32] ...)) (if ...)} in a function {@code [i32] -> [i32]}:
     * the three results of the innermost block are the widest label of every region around it, and
     * the {@code if} after them carries none.
     */
    private static Region scanned() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        int three = m.type(List.of(), List.of(ValType.I32, ValType.I32, ValType.I32));
        ModuleBuilder.Code body = new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).block(Opcodes.LOOP, (ValType) null)
                .block(Opcodes.BLOCK, three).i32Const(1).i32Const(2).i32Const(3).end()
                .op(Opcodes.DROP).op(Opcodes.DROP).op(Opcodes.DROP).end().end()
                .localGet(0).block(Opcodes.IF, (ValType) null).end()
                .localGet(0);
        m.exportFunction("f", m.function(type, List.of(), body));
        WasmModule module = ModuleDecoder.decode(m.build());
        ModuleValidator.validate(module);
        FunctionBody code = module.codes().getFirst();
        return RegionScanner.scan(module, code, module.funcType(0), new FlowInstructions(code.offset()));
    }

    @Test
    void theSubtreeListsParentsBeforeChildrenInOrderOnce() {
        Region root = scanned();
        List<Region> all = root.subtree();
        Region block = root.children.get(0);
        Region loop = block.children.get(0);
        assertEquals(List.of(root, block, root.children.get(1), loop, loop.children.get(0)), all);
        assertEquals(List.of(Opcodes.BLOCK, Opcodes.IF, Opcodes.LOOP, Opcodes.BLOCK),
                all.subList(1, all.size()).stream().map(r -> r.opcode).toList());
        assertSame(all, root.subtree());
    }

    @Test
    void theWidestLabelOfASubtreeIsFoldedInAsItsRegionsClose() {
        Region root = scanned();
        for (Region r : root.subtree()) {
            int widest = 0;
            for (Region inside : r.subtree()) {
                widest = Math.max(widest, Math.max(inside.type.params().size(), inside.type.results().size()));
            }
            assertEquals(widest, r.maxArity(), "region at " + r.start);
        }
        assertEquals(3, root.maxArity());
        assertEquals(0, root.children.get(1).maxArity());
    }

    @Test
    void aLoopInsideIsFoldedInAsItsRegionsClose() {
        Region root = scanned();
        for (Region r : root.subtree()) {
            boolean loop = r.subtree().stream().skip(1).anyMatch(inside -> inside.opcode == Opcodes.LOOP);
            assertEquals(loop, r.holdsLoop(), "region at " + r.start);
        }
        Region loop = root.children.get(0).children.get(0);
        assertTrue(root.holdsLoop() && root.children.get(0).holdsLoop());
        assertFalse(loop.holdsLoop(), "a loop holds none but those inside it");
        assertFalse(root.children.get(1).holdsLoop());
    }

    /**
     * {@code blocks} plain blocks, one inside the other, the innermost ending in a {@code br_table}
     * to its labels 1 to {@code targets} (default 0), in a function {@code [i32] -> [i32]}: the
     * region tree's chain from the outermost block in.
     */
    private static List<Region> nestBranchingOut(int blocks, int targets) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        ModuleBuilder.Code body = new ModuleBuilder.Code();
        for (int i = 0; i < blocks; i++) body.block(Opcodes.BLOCK, (ValType) null);
        int[] labels = new int[targets];
        for (int i = 0; i < targets; i++) labels[i] = i + 1;
        body.localGet(0).brTable(labels, 0);
        for (int i = 0; i < blocks; i++) body.end();
        body.localGet(0);
        m.exportFunction("f", m.function(type, List.of(), body));
        WasmModule module = ModuleDecoder.decode(m.build());
        ModuleValidator.validate(module);
        FunctionBody code = module.codes().getFirst();
        Region root = RegionScanner.scan(module, code, module.funcType(0), new FlowInstructions(code.offset()));
        return BlockNest.chain(root.children.get(0));
    }

    /**
     * The innermost block's branches to labels 1 to 64 are its 64 escapes, depths 0 to 63 from the
     * block around it; each block out holds them one depth less, its own label dropped.
     */
    @Test
    void escapesShiftByADepthAtEachConstructOut() {
        List<Region> chain = nestBranchingOut(70, Region.MAX_ESCAPES);
        for (int k = 0; k < chain.size(); k++) {
            Region r = chain.get(chain.size() - 1 - k);
            BitSet expected = new BitSet();
            expected.set(0, Math.max(0, Region.MAX_ESCAPES - k));
            assertEquals(expected, r.escapes, k + " blocks out from the innermost");
            assertFalse(r.manyEscapes);
        }
    }

    /** Past 64 labels, a region has many escapes and none recorded, as has every region around it. */
    @Test
    void pastSixtyFourLabelsEveryRegionAroundHasManyEscapes() {
        for (Region r : nestBranchingOut(70, Region.MAX_ESCAPES + 1)) {
            assertTrue(r.manyEscapes);
            assertEquals(0, r.escapes.cardinality());
        }
    }
}
