package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The constructor and static initialiser of modules with thousands of globals, data segments and exports. */
class InstanceEmitterTest {
    private static final int ENTITIES = 3000;

    @Test
    void manyGlobalsSegmentsAndExportsAreInitialisedInSmallMethods() {
        ModuleBuilder m = new ModuleBuilder();
        m.memory(1);
        for (int i = 0; i < ENTITIES; i++) {
            m.globalI32(i % 2 == 0, i * 1_000_003, "g" + i);
            m.data(i * 7, new byte[] {(byte) i, (byte) (i >> 8), 42});
        }
        CompiledModule compiled = WasmCompiler.compile(m.build(), "many.Module");
        Instance instance = compiled.instantiate(new Imports());

        assertEquals(ENTITIES + 1, instance.exports().size());
        for (int i = 0; i < ENTITIES; i++) {
            assertEquals(i * 1_000_003, instance.global("g" + i).get(), "global " + i);
            assertEquals(i & 0xFFFF | 42 << 16, instance.memory("memory").readI32(i * 7L), "segment " + i);
        }
        Map<String, Integer> sizes = CodeSizes.of(compiled.classFiles().get("many.Module"));
        assertTrue(sizes.containsKey("init$1"), sizes.keySet().toString());
        // The segments' bytes are in a resource, not decoded by the class's static initialiser.
        assertTrue(compiled.resources().containsKey("many/Module.data"), compiled.resources().keySet().toString());
        assertTrue(sizes.get("<clinit>") < 100, "<clinit> has " + sizes.get("<clinit>") + " bytes");
        sizes.forEach((method, size) -> assertTrue(size < 8000, method + " has " + size + " bytes of bytecode"));
    }
}
