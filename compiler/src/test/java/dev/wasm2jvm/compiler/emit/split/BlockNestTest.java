package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chains of plain blocks that a nest is made of, each block the first instruction of the one before. */
class BlockNestTest {
    @Test
    void aChainRunsWhilePlainBlocksOpenOneAnother() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        // block b1 (block b2 (block b3 (local.get 0 drop))) (block c) end; block (result i32) d (local.get 0) end; drop
        ModuleBuilder.Code body = new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).block(Opcodes.BLOCK, (ValType) null).block(Opcodes.BLOCK, (ValType) null)
                .localGet(0).op(Opcodes.DROP).end().end()
                .block(Opcodes.BLOCK, (ValType) null).end()
                .end()
                .block(Opcodes.BLOCK, ValType.I32).localGet(0).end().op(Opcodes.DROP)
                .localGet(0);
        m.exportFunction("f", m.function(type, List.of(), body));
        WasmModule module = ModuleDecoder.decode(m.build());
        ModuleValidator.validate(module);
        FunctionBody code = module.codes().getFirst();
        Region root = RegionScanner.scan(module, code, module.funcType(0), new FlowInstructions(code.offset()));
        Region b1 = root.children.get(0);
        Region b2 = b1.children.get(0);
        Region b3 = b2.children.get(0);
        Region c = b1.children.get(1);
        Region d = root.children.get(1);

        assertEquals(List.of(b1, b2, b3), BlockNest.chain(b1));
        assertEquals(List.of(b2, b3), BlockNest.chain(b2));
        assertEquals(List.of(c), BlockNest.chain(c), "a block after the first instruction starts a chain of its own");
        assertEquals(List.of(), BlockNest.chain(d), "a block with a result is no plain block");
        for (Region r : root.subtree()) {
            assertEquals(BlockNest.chain(r).size(), BlockNest.chainLength(r), "region at " + r.start);
        }
    }
}
