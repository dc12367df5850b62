package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR_IF;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.BR_TABLE;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.ELSE;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.END;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.GET;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN_IF;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.OPEN_LOOP;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.SET;
import static dev.wasm2jvm.compiler.emit.split.FlowInstructions.STOP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The instructions that the locals' analyses follow, recorded as the region scan reads a body. */
class FlowInstructionsTest {
    /**
     * {@code f(l0)} with local l1: a loop holding a block and an {@code if}/{@code else}, a
     * {@code br_table} and a {@code return}; the calls and arithmetic between are not recorded.
     */
    @Test
    void theScanRecordsWhatAReadingOfItsOwnWould() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.LOOP, (ValType) null)
                .block(Opcodes.BLOCK, (ValType) null)
                .localGet(0).i32Const(1).op(Opcodes.I32_ADD).localSet(1)
                .localGet(1).brIf(1)
                .end()
                .localGet(0)
                .block(Opcodes.IF, (ValType) null)
                .i32Const(2).localTee(1).op(Opcodes.DROP)
                .op(Opcodes.ELSE)
                .localGet(1).brTable(new int[] {0, 1}, 0)
                .end()
                .end()
                .localGet(1).op(Opcodes.RETURN);
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, List.of(ValType.I32), code));
        WasmModule module = ModuleDecoder.decode(m.build());
        FunctionBody body = module.codes().getFirst();

        FlowInstructions scanned = new FlowInstructions(body.offset());
        RegionScanner.scan(module, body, module.funcType(0), scanned);
        FlowInstructions alone = new FlowInstructions(body.offset());
        CodeReader.read(body.code(), body.offset(), alone);

        int[] kinds = {OPEN_LOOP, OPEN, GET, SET, GET, BR_IF, END, GET, OPEN_IF, SET, ELSE, GET, BR_TABLE, END, END, GET, STOP, END};
        assertArrayEquals(kinds, Arrays.copyOf(scanned.kinds, scanned.count));
        assertArrayEquals(new int[] {0, 1, 0}, scanned.tables.getFirst(), "a br_table's labels, its default last");
        assertArrayEquals(Arrays.copyOf(alone.kinds, alone.count), Arrays.copyOf(scanned.kinds, scanned.count));
        assertArrayEquals(Arrays.copyOf(alone.positions, alone.count), Arrays.copyOf(scanned.positions, scanned.count));
        assertArrayEquals(Arrays.copyOf(alone.args, alone.count), Arrays.copyOf(scanned.args, scanned.count));
        assertEquals(0, scanned.positions[0], "positions count from the body's code");
    }
}
