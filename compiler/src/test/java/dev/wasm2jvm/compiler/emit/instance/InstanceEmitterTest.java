package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.split.CodeSizes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.text.Wat;
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
        // The segments' bytes, few enough to stay in the class, are a constant that the runtime decodes.
        assertEquals(Map.of(), compiled.resources());
        assertTrue(sizes.get("<clinit>") < 100, "<clinit> has " + sizes.get("<clinit>") + " bytes");
        sizes.forEach((method, size) -> assertTrue(size < 8000, method + " has " + size + " bytes of bytecode"));
    }

    @Test
    void extendedConstantExpressionsInitialiseGlobalsAndPlaceSegments() {
        Imports imports = new Imports();
        imports.add("env", "base", dev.wasm2jvm.runtime.Global.ofI32(1000, false));
        Instance instance = WasmCompiler.compile(Wat.toBinary("""
                (module
                  (import "env" "base" (global $base i32))
                  (global $stride i32 (i32.mul (i32.const 4) (i32.const 8)))
                  (global $end (export "end") i32 (i32.add (global.get $base) (global.get $stride)))
                  (global (export "big") i64 (i64.sub (i64.mul (i64.const 0x100000000) (i64.const 3)) (i64.const 1)))
                  (memory (export "memory") 1)
                  (data (i32.sub (global.get $end) (i32.const 4)) "\\2a"))
                """)).instantiate(imports);
        assertEquals(1032, instance.global("end").get());
        assertEquals(0x2_FFFF_FFFFL, instance.global("big").get());
        assertEquals(42, instance.memory("memory").readI32(1028));
    }
}
