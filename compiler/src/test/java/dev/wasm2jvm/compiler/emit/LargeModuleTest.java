package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.split.CodeSizes;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A module of more functions than one class holds: its code spreads over code classes, and runs as one. */
class LargeModuleTest {
    private static CompiledModule compiled;
    private static final AtomicInteger exitCode = new AtomicInteger(-1);
    private static Instance instance;

    @BeforeAll
    static void compile() {
        compiled = WasmCompiler.compile(LargeModule.build(), "large.Module");
        HostFunction procExit = args -> {
            exitCode.set((Integer) args[0]);
            return null;
        };
        instance = compiled.instantiate(new Imports().add("wasi_snapshot_preview1", "proc_exit", procExit));
    }

    @Test
    void functionsAreSpreadOverNestedCodeClasses() {
        Map<String, byte[]> classes = compiled.classFiles();
        assertTrue(classes.containsKey("large.Module$Code0"));
        assertTrue(classes.containsKey("large.Module$Code1"));
    }

    @Test
    void theOutlinedPartsOfOneFunctionSpreadOverClasses() {
        long classesWithPartsOfSum = compiled.classFiles().values().stream()
                .filter(c -> CodeSizes.of(c).keySet().stream().anyMatch(method -> method.startsWith("sum$seq_")))
                .count();
        assertTrue(classesWithPartsOfSum >= 2, classesWithPartsOfSum + " classes");
    }

    @Test
    void exportedFunctionsReturnTheirValues() {
        for (int k : new int[] {0, 12_345, LargeModule.VALUES - 1}) {
            assertArrayEquals(new Object[] {LargeModule.value(k)}, instance.function("value" + k).call());
        }
    }

    @Test
    void typedMethodsCallFunctionsInCodeClasses() throws ReflectiveOperationException {
        assertEquals(LargeModule.value(12_345), instance.getClass().getMethod("value12345").invoke(instance));
        assertEquals(LargeModule.sum(), instance.getClass().getMethod("sum").invoke(instance));
    }

    @Test
    void directCallsReachEveryFunction() {
        assertArrayEquals(new Object[] {LargeModule.sum()}, instance.function("sum").call());
    }

    @Test
    void indirectCallsReachEveryFunction() {
        for (int k = 0; k < LargeModule.VALUES; k++) {
            assertEquals(LargeModule.value(k), instance.function("byIndex").call(k)[0], "element " + k);
        }
    }

    /**
     * The dispatcher of {@code byIndex}'s type finds the helper of a function's class itself: no
     * method stands between them, whose C2 code an uncommon trap would throw away besides its own.
     */
    @Test
    void theDispatcherSearchesItsHelpersItself() {
        Map<String, Integer> module = CodeSizes.of(compiled.classFiles().get("large.Module"));
        assertTrue(module.keySet().stream().anyMatch(m -> m.startsWith("call_indirect$")), module.keySet().toString());
        for (byte[] c : compiled.classFiles().values()) {
            for (String method : CodeSizes.of(c).keySet()) assertFalse(method.contains("$direct"), method);
        }
        long helpers = compiled.classFiles().values().stream()
                .flatMap(c -> CodeSizes.of(c).keySet().stream())
                .filter(m -> m.matches("call_indirect\\$\\d+\\$\\d+\\$\\d+"))
                .count();
        assertTrue(helpers >= 2, helpers + " helpers");
    }

    @Test
    void startChecksItsCallsAndExits() {
        instance.function("_start").call();
        assertEquals(LargeModule.EXIT_OK, exitCode.get());
    }

    @Test
    void everyExportOfAModuleExportingAllItsFunctionsIsRegistered() {
        byte[] wasm = LargeModule.build(true);
        CompiledModule exportingAll = WasmCompiler.compile(wasm, "large.ExportingAll");
        Instance all = exportingAll.instantiate(new Imports().add("wasi_snapshot_preview1", "proc_exit", (HostFunction) args -> null));

        assertEquals(LargeModule.VALUES + 3, all.exports().size());
        for (int k = 0; k < LargeModule.VALUES; k += 997) {
            assertArrayEquals(new Object[] {LargeModule.value(k)}, all.function("value" + k).call());
        }
        assertThrows(NoSuchMethodException.class, () -> all.getClass().getMethod("value0"));
        String api = WasmCompiler.facadeSource(wasm, "large.ExportingAll");
        assertTrue(api.contains("20003 exported functions are too many for a method each"));
        assertFalse(api.contains("value0("));
        String apiInterface = WasmCompiler.apiInterfaceSource(wasm, "large.ExportingAll");
        assertTrue(apiInterface.contains("20003 exported functions are too many for a method each"));
        assertFalse(apiInterface.contains("value0("));
    }

    @Test
    void everyMethodIsSmallEnoughForTheJit() {
        for (Map.Entry<String, byte[]> c : compiled.classFiles().entrySet()) {
            CodeSizes.of(c.getValue()).forEach((method, size) ->
                    assertTrue(size < 8000, c.getKey() + "." + method + " has " + size + " bytes of bytecode"));
        }
    }
}
