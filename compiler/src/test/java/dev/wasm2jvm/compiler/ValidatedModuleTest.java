package dev.wasm2jvm.compiler;

import dev.wasm2jvm.compiler.ValidatedModule.ImportDescriptor;
import dev.wasm2jvm.compiler.ValidatedModule.MemoryDescriptor;
import dev.wasm2jvm.runtime.Imports;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidatedModuleTest {
    private static byte[] wat(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void importsAreListedInOrderWithTheJavaScriptApisKinds() {
        ValidatedModule module = WasmCompiler.validate(wat("""
                (module
                  (import "env" "f" (func (param i32)))
                  (import "env" "t" (table 1 funcref))
                  (import "wasi_snapshot_preview1" "m" (memory 1))
                  (import "env" "g" (global i32))
                  (import "env" "e" (tag (param i64))))
                """));

        assertEquals(List.of(new ImportDescriptor("env", "f", "function"), new ImportDescriptor("env", "t", "table"),
                new ImportDescriptor("wasi_snapshot_preview1", "m", "memory"), new ImportDescriptor("env", "g", "global"),
                new ImportDescriptor("env", "e", "tag")), module.imports());
    }

    @Test
    void theMemoriesItDefinesAreListedWithoutThoseItImports() {
        ValidatedModule module = WasmCompiler.validate(wat("""
                (module
                  (import "env" "m" (memory 3))
                  (memory 17 100 shared)
                  (memory 8))
                """));

        assertEquals(List.of(new MemoryDescriptor(17, 100, true), new MemoryDescriptor(8, -1, false)), module.memories());
        assertEquals(List.of(), WasmCompiler.validate(wat("(module)")).memories());
    }

    @Test
    void anInvalidModuleIsRefusedByValidation() {
        CompileException e = assertThrows(CompileException.class,
                () -> WasmCompiler.validate(wat("(module (func (result i32) (i64.const 1)))")));
        assertTrue(e.getMessage().contains("type mismatch"), e.getMessage());
    }

    @Test
    void aValidatedModuleCompilesToTheClassesOfItsBytes() {
        byte[] wasm = wat("(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))");

        CompiledModule fromBytes = WasmCompiler.compile(wasm, "t.Add");
        CompiledModule fromValidated = WasmCompiler.compile(WasmCompiler.validate(wasm), "t.Add", null, CompileProgress.NONE);

        assertEquals(fromBytes.classFiles().keySet(), fromValidated.classFiles().keySet());
        fromBytes.classFiles().forEach((name, bytes) -> assertArrayEquals(bytes, fromValidated.classFiles().get(name), name));
        assertEquals(3, fromValidated.instantiate(new Imports()).function("add").call(1, 2)[0]);
    }

    @Test
    void aValidatedModulesApiSourcesAreThoseOfItsBytes() {
        byte[] wasm = wat("(module (func (export \"twice\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))");
        ValidatedModule validated = WasmCompiler.validate(wasm);

        String facade = WasmCompiler.facadeSource(validated, "t.Twice");
        assertEquals(WasmCompiler.facadeSource(wasm, "t.Twice"), facade);
        assertTrue(facade.contains("public static int twice(") || facade.contains("public int twice("), facade);
        assertEquals(WasmCompiler.apiInterfaceSource(wasm, "t.Twice"), WasmCompiler.apiInterfaceSource(validated, "t.Twice"));
    }
}
