package dev.wasm2jvm.compiler.debug;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the line tables of real modules and checks them against {@code llvm-dwarfdump-16}. Each
 * expected pair was obtained with {@code llvm-dwarfdump-16 --lookup=ADDRESS MODULE}, whose address
 * is relative to the code section's content; the module offsets below add the code section's
 * content offset that {@code wasm-objdump -h MODULE} reports ({@code Code start=...}).
 */
class LineTableTest {
    private static final Path WASI_TESTS = Path.of(System.getProperty("wasm2jvm.shared", "../shared"),
            "wasi-testsuite/tests/c/testsuite/wasm32-wasip1");

    /** {@code Code start=0x000002af} in lseek.wasm, built by wasi-sdk 27 with DWARF 4. */
    private static final int LSEEK_CODE = 0x2af;

    /** {@code Code start=0x00000041} in trap.wasm, built by build.sh with DWARF 5. */
    private static final int TRAP_CODE = 0x41;

    @Test
    void decoderRecordsWhereCodeAddressesStart() throws IOException {
        assertEquals(LSEEK_CODE, wasiModule("lseek.wasm").codeSectionOffset());
        assertEquals(TRAP_CODE, ModuleDecoder.decode(resource("trap.wasm")).codeSectionOffset());
    }

    @Test
    void dwarf4LinesOfWasiSdkModule() throws IOException {
        LineTable table = LineTable.of(wasiModule("lseek.wasm")).orElseThrow();
        // The first row of the first sequence, and the row of the final instruction of _start.
        assertEquals(new SourceLine("crt1-command.c", 27), table.lookup(LSEEK_CODE + 0xc));
        assertEquals(new SourceLine("crt1-command.c", 51), table.lookup(LSEEK_CODE + 0x50));
        // Rows of wasi-libc's lseek.c: at a row's address, and inside a row's range.
        assertEquals(new SourceLine("lseek.c", 17), table.lookup(LSEEK_CODE + 0x873));
        assertEquals(new SourceLine("lseek.c", 19), table.lookup(LSEEK_CODE + 0x885));
        assertEquals(new SourceLine("lseek.c", 22), table.lookup(LSEEK_CODE + 0x8a0));
        // A row whose file is the program's second entry of file_names.
        assertEquals(new SourceLine("__wasilibc_real.c", 132), table.lookup(LSEEK_CODE + 0x8b8));
        assertEquals(new SourceLine("__wasilibc_real.c", 133), table.lookup(LSEEK_CODE + 0x8c5));
        assertEquals(new SourceLine("fwrite.c", 25), table.lookup(LSEEK_CODE + 0x3f15));
    }

    @Test
    void lineZeroAndUncoveredCodeHaveNoSourceLine() throws IOException {
        LineTable table = LineTable.of(wasiModule("lseek.wasm")).orElseThrow();
        // llvm-dwarfdump reports line 0, "no source line", at these addresses.
        assertNull(table.lookup(LSEEK_CODE + 0x4d));
        assertNull(table.lookup(LSEEK_CODE + 0x89f));
        // __wasm_call_ctors, synthesised by the linker, has no rows; nor does the section's header.
        assertNull(table.lookup(LSEEK_CODE + 0x3));
        assertNull(table.lookup(LSEEK_CODE - 1));
    }

    @Test
    void primaryFileIsTheFirstCompilationUnits() throws IOException {
        LineTable table = LineTable.of(wasiModule("lseek.wasm")).orElseThrow();
        assertEquals("crt1-command.c", table.primaryFile());
    }

    @Test
    void everyWasiSdkModuleHasALineTable() throws IOException {
        try (Stream<Path> modules = Files.list(WASI_TESTS)) {
            List<Path> wasm = modules.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
            assertFalse(wasm.isEmpty());
            for (Path p : wasm) {
                LineTable table = LineTable.of(ModuleDecoder.decode(Files.readAllBytes(p))).orElse(null);
                assertNotNull(table, p.getFileName().toString());
                // wasi-sdk links crt1-command.o first, so its unit comes first.
                assertEquals("crt1-command.c", table.primaryFile(), p.getFileName().toString());
            }
        }
    }

    @Test
    void dwarf5LinesWithLineStrpNamesAndMd5() throws IOException {
        LineTable table = LineTable.of(ModuleDecoder.decode(resource("trap.wasm"))).orElseThrow();
        assertEquals("trap.c", table.primaryFile());
        assertEquals(new SourceLine("trap.c", 10), table.lookup(TRAP_CODE + 0x2));
        assertEquals(new SourceLine("trap.c", 11), table.lookup(TRAP_CODE + 0x40));
        assertEquals(new SourceLine("trap.c", 12), table.lookup(TRAP_CODE + 0x61));
        assertEquals(new SourceLine("trap.c", 3), table.lookup(TRAP_CODE + 0x79));
        assertEquals(new SourceLine("trap.c", 5), table.lookup(TRAP_CODE + 0xaa));
        assertEquals(new SourceLine("trap.c", 7), table.lookup(TRAP_CODE + 0xc4));
        // The end of the last sequence, one past the final end.
        assertNull(table.lookup(TRAP_CODE + 0xc5));
    }

    @Test
    void moduleWithoutDebugLineHasNoTable() throws IOException {
        byte[] wasm = resource("trap.wasm");
        WasmModule module = ModuleDecoder.decode(wasm);
        WasmModule stripped = new WasmModule(module.types(), module.imports(), module.functions(), module.tables(),
                module.memories(), module.globals(), module.exports(), module.start(), module.elements(),
                module.data(), module.dataCount(), module.codes(), module.names(),
                module.customs().stream().filter(c -> !c.name().equals(".debug_line")).toList(),
                module.codeSectionOffset());
        assertTrue(LineTable.of(stripped).isEmpty());
    }

    static WasmModule wasiModule(String name) throws IOException {
        return ModuleDecoder.decode(Files.readAllBytes(WASI_TESTS.resolve(name)));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = LineTableTest.class.getResourceAsStream("/dwarf/" + name)) {
            if (in == null) throw new IOException("missing test resource /dwarf/" + name);
            return in.readAllBytes();
        }
    }
}
