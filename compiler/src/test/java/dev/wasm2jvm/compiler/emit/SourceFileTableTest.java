package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table of source files the module class returns for wasm backtraces, on a C program of two
 * compilation units built with clang -g and wasi-libc (dwarf/two-units/build.sh).
 */
class SourceFileTableTest {
    @Test
    void namesTheFileOfEachFunctionFromItsOwnCompilationUnit() throws Exception {
        Imports imports = new Imports().provideMemories();
        new WasiPreview1(WasiOptions.builder().build()).addTo(imports);
        Class<?> moduleClass = WasmCompiler.compile(resource("/dwarf/two-units/backtrace.wasm"), "dwarf.TwoUnits")
                .instantiate(imports).getClass();
        List<String> rows = Arrays.asList(((String) moduleClass.getMethod(GeneratedNames.SOURCE_FILES_METHOD).invoke(null)).split("\n"));
        List<String> files = List.of(rows.getFirst().split("\t"));

        assertEquals("ratio.c", files.get(Integer.parseInt(row(rows, "divide")[1])));
        assertEquals("ratio.c", files.get(Integer.parseInt(row(rows, "checked_ratio")[1])));
        assertEquals("main.c", files.get(Integer.parseInt(row(rows, "__original_main")[1])));
        assertEquals("crt1-command.c", files.get(Integer.parseInt(row(rows, "_start")[1])));
    }

    @Test
    void isLeftOutWithoutDwarf() throws Exception {
        WasmModule m = ModuleValidator.validate(ModuleDecoder.decode(resource("/dwarf/two-units/backtrace.wasm")));
        WasmModule stripped = new WasmModule(m.types(), m.imports(), m.functions(), m.tables(), m.memories(), m.globals(),
                m.exports(), m.start(), m.elements(), m.data(), m.dataCount(), m.codes(), m.names(),
                m.customs().stream().filter(c -> !c.name().equals(".debug_line")).toList(), m.codeSectionOffset());
        byte[] withDwarf = ModuleEmitter.emit(m, "dwarf.TwoUnits").get("dwarf.TwoUnits");
        byte[] without = ModuleEmitter.emit(stripped, "dwarf.TwoUnits").get("dwarf.TwoUnits");

        assertTrue(contains(withDwarf, GeneratedNames.SOURCE_FILES_METHOD));
        assertFalse(contains(without, GeneratedNames.SOURCE_FILES_METHOD));
    }

    private static String[] row(List<String> rows, String function) {
        return rows.stream().skip(1).map(r -> r.split("\t")).filter(r -> r[0].equals(function)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + function + " in " + rows));
    }

    private static boolean contains(byte[] classFile, String name) {
        return new String(classFile, java.nio.charset.StandardCharsets.ISO_8859_1).contains(name);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SourceFileTableTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }
}
