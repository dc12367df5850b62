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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wasi-threads program ends as a whole: when its main thread calls {@code proc_exit}, traps or
 * returns from {@code _start} while one thread is blocked in {@code memory.atomic.wait32} and one
 * spins in a loop, or when a spawned thread calls {@code proc_exit} while the main thread and
 * another spin, the run ends with the program's exit code and no thread of it is left running. The
 * spinning loops stop at their termination polls, which a module that spawns threads keeps.
 */
class TerminationTest {
    private static final Path MODULES = Path.of("src/test/resources/threads");

    @ParameterizedTest
    @CsvSource({"exit, 7", "trap, 134", "return, 0", "thread-exit, 5"})
    void endingTheProgramStopsEveryThread(String ending, int exitCode) throws Exception {
        CompiledModule compiled = WasmCompiler.compile(Files.readAllBytes(MODULES.resolve("termination-" + ending + ".wasm")),
                "threads.Termination" + ending.replace("-", ""));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int actual = new CommandRunner(compiled.className(), compiled::instantiate).run(
                WasiOptions.builder().args(List.of("termination.wasm")).stderr(stderr).build(),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(exitCode, actual, stderr.toString(StandardCharsets.UTF_8));
        List<String> running = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith("wasi-thread-")).toList();
        assertEquals(List.of(), running, "threads outlived their program");
        assertTrue(millis < 10_000, "the program took " + millis + " ms to end");
    }
}
