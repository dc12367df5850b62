package dev.wasm2jvm.samples;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wasi-threads sample gives the same output and exit code however its threads are scheduled. */
class ThreadsSampleTest {
    private static final Path SAMPLE = Path.of("../samples/threads-c");
    private static final int RUNS = 50;

    @Test
    void sumIsTheSameInEveryRun() throws Exception {
        CompiledModule compiled = WasmCompiler.compile(Files.readAllBytes(SAMPLE.resolve("sum.wasm")), "samples.Sum");
        String expected = Files.readString(SAMPLE.resolve("expected-output.txt"));
        for (int run = 1; run <= RUNS; run++) {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exitCode = new CommandRunner(compiled.className(), compiled::instantiate)
                    .run(WasiOptions.builder().args(List.of("sum.wasm")).stdout(stdout).stderr(stderr).build(),
                            new PrintStream(stderr, true, StandardCharsets.UTF_8));
            assertEquals(0, exitCode, "run " + run + ": " + stderr.toString(StandardCharsets.UTF_8));
            assertEquals(expected, stdout.toString(StandardCharsets.UTF_8), "run " + run);
            assertEquals("", stderr.toString(StandardCharsets.UTF_8), "run " + run);
        }
    }
}
