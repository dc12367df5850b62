package dev.wasm2jvm.threads;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hand-written wasi-threads programs in the style of the well-known raw WebAssembly example, which
 * print through {@code wasi_unstable}, import a shared {@code env.memory} and export it again, and
 * join their spawned thread by spinning on a plain load or by {@code memory.atomic.wait32}: every
 * run prints the same two lines in the same order.
 */
class WasiUnstableThreadsTest {
    private static final Path MODULES = Path.of("src/test/resources/threads");
    private static final int RUNS = 50;

    @ParameterizedTest
    @CsvSource({"spin, which saw the flag", "wait, woken by the notify"})
    void everyRunPrintsTheSpawnedThreadsMessageThenTheMainThreads(String join, String mainSays) throws Exception {
        CompiledModule compiled = WasmCompiler.compile(Files.readAllBytes(MODULES.resolve("unstable-" + join + ".wasm")),
                "threads.Unstable" + join);
        String expected = "Hello from the spawned thread\nHello from the main thread, " + mainSays + "\n";
        for (int run = 1; run <= RUNS; run++) {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exitCode = new CommandRunner(compiled.className(), compiled::instantiate)
                    .run(WasiOptions.builder().args(List.of("unstable-" + join + ".wasm")).stdout(stdout).stderr(stderr).build(),
                            new PrintStream(stderr, true, StandardCharsets.UTF_8));
            assertEquals(0, exitCode, "run " + run + ": " + stderr.toString(StandardCharsets.UTF_8));
            assertEquals(expected, stdout.toString(StandardCharsets.UTF_8), "run " + run);
            assertEquals("", stderr.toString(StandardCharsets.UTF_8), "run " + run);
        }
    }
}
