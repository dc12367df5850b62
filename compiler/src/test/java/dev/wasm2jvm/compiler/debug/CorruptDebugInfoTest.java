package dev.wasm2jvm.compiler.debug;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.module.CustomSection;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Debug information is advisory: whatever a {@code .debug_line} section holds, decoding it must not
 * throw, and the module must still compile.
 */
class CorruptDebugInfoTest {
    private static final long SEED = 0x5EED_D4A2FL;

    @Test
    void corruptedDebugLineNeverFailsDecoding() throws IOException {
        for (WasmModule module : List.of(ModuleValidator.validate(ModuleDecoder.decode(LineTableTest.resource("trap.wasm"))),
                LineTableTest.wasiModule("lseek.wasm"))) {
            byte[] debugLine = debugLine(module);
            Random random = new Random(SEED);
            for (int i = 0; i < 500; i++) {
                byte[] corrupt = debugLine.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
                }
                WasmModule changed = withDebugLine(module, corrupt);
                assertDoesNotThrow(() -> LineTable.of(changed), "corruption " + i);
            }
        }
    }

    @Test
    void corruptedDebugLineStillCompiles() throws IOException {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(LineTableTest.resource("trap.wasm")));
        byte[] debugLine = debugLine(module);
        Random random = new Random(SEED);
        for (int i = 0; i < 100; i++) {
            byte[] corrupt = debugLine.clone();
            corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            WasmModule changed = withDebugLine(module, corrupt);
            assertFalse(ModuleEmitter.emit(changed, "dwarf.Corrupt").isEmpty(), "corruption " + i);
        }
    }

    private static byte[] debugLine(WasmModule module) {
        return module.customs().stream().filter(c -> c.name().equals(".debug_line")).findFirst().orElseThrow()
                .content();
    }

    private static WasmModule withDebugLine(WasmModule m, byte[] debugLine) {
        List<CustomSection> customs = new ArrayList<>();
        for (CustomSection c : m.customs()) {
            customs.add(c.name().equals(".debug_line") ? new CustomSection(c.name(), debugLine, c.offset()) : c);
        }
        return new WasmModule(m.types(), m.imports(), m.functions(), m.tables(), m.memories(), m.globals(),
                m.exports(), m.start(), m.elements(), m.data(), m.dataCount(), m.codes(), m.names(), customs,
                m.codeSectionOffset());
    }
}
