package dev.wasm2jvm.compiler.emit.facade;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.Preopen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code main} of a generated WASI command runs it with the settings given at compile time:
 * its program name, preopened directories and environment, in a JVM of its own.
 */
class FacadeMainTest {
    private static final Path SAMPLE = Path.of("../samples/wasi-cat").toAbsolutePath().normalize();

    @Test
    void mainRunsTheCommandWithTheCompiledSettings(@TempDir Path classes) throws Exception {
        CommandSettings settings = new CommandSettings("cat.wasm", List.of(Preopen.parse(SAMPLE + "::/data")),
                Map.of("GREETING", "hey", "EXIT_CODE", "5"));
        WasmCompiler.compile(Files.readAllBytes(SAMPLE.resolve("cat.wasm")), "facade.Cat", settings).writeTo(classes);

        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "facade.Cat", "/data/input.txt").redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the program did not end");
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(5, java.exitValue(), output);
        assertTrue(output.startsWith("hey from cat.wasm, with 1 file(s)\n== /data/input.txt\n   1  WebAssembly"), output);
    }

    @Test
    void mainCapsTheMemoryAtTheMaxMemoryProperty(@TempDir Path classes) throws Exception {
        WasmCompiler.compile(TestModules.resource("memory/grow-until-failure.wasm"), "facade.Grow",
                new CommandSettings("grow.wasm", List.of(), Map.of())).writeTo(classes);

        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dwasm2jvm.maxMemory=1m",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "facade.Grow").redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the program did not end");

        assertEquals("grew from 2 to 16 pages: memory.grow failed\n",
                new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, java.exitValue());
    }
}
