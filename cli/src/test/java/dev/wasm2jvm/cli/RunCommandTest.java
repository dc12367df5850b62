package dev.wasm2jvm.cli;

import dev.wasm2jvm.cli.Cli.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {
    private static final Path SAMPLE = Cli.sample();
    /** A C program of two compilation units, with DWARF, that traps in the second (compiler tests, dwarf/two-units/build.sh). */
    static final Path BACKTRACE = Cli.COMPILER_TESTS.resolve("dwarf/two-units/backtrace.wasm");

    @Test
    void runsTheSampleWithItsDirectoryArgumentsAndEnvironment() throws IOException {
        Outcome outcome = Cli.run("run", "--dir", SAMPLE + "::/data", "--env", "GREETING=hi",
                SAMPLE.resolve("cat.wasm").toString(), "/data/input.txt");

        assertEquals(new Outcome(0, Files.readString(SAMPLE.resolve("expected-output.txt")), ""), outcome);
    }

    @Test
    void passesOptionLikeArgumentsAfterTheModuleToTheProgram() {
        Outcome outcome = Cli.run("run", "--dir", SAMPLE + "::/data", SAMPLE.resolve("cat.wasm").toString(),
                "--verbose");

        assertEquals(1, outcome.exitCode());
        assertTrue(outcome.stdout().startsWith("hello from cat.wasm, with 1 file(s)\n== --verbose\n"), outcome.stdout());
        assertEquals("--verbose: cannot open: Capabilities insufficient\n", outcome.stderr());
    }

    @Test
    void takesTheModuleAfterTheEndOfOptions() {
        Outcome outcome = Cli.run("run", "--env", "GREETING=hey", "--", SAMPLE.resolve("cat.wasm").toString());

        assertEquals(new Outcome(0, "hey from cat.wasm, with 0 file(s)\n0 line(s)\n", ""), outcome);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''  | divide  | integer divide by zero",
        "x   | load    | out of bounds memory access: 4 bytes at 65536, memory size 65536",
        "x y | recurse | call stack exhausted"})
    void reportsATrapInOneLineNamingTheFunctionWithQuietTraps(String args, String function, String trap) {
        List<String> command = new ArrayList<>(List.of("run", "--quiet-traps", Cli.resource("trap.wasm").toString()));
        if (!args.isEmpty()) command.addAll(List.of(args.split(" ")));

        Outcome outcome = Cli.run(command.toArray(String[]::new));

        assertEquals(new Outcome(134, "before the trap\n", "wasm2jvm: trap in wasm function " + function + ": " + trap + "\n"),
                outcome);
    }

    @Test
    void reportsATrapsWasmBacktraceWithTheSourceFileAndLineOfEachFrame() {
        Outcome outcome = Cli.run("run", "--no-cache", BACKTRACE.toString());

        // Built with clang -g from main.c and ratio.c: main's second call traps in ratio.c's divide
        // (line 2); _start, in crt1-command.c, and its export wrapper are wasi-libc's.
        assertEquals(new Outcome(134, "ratio 4\n", """
                wasm2jvm: trap in wasm function divide: unreachable
                wasm backtrace:
                  0: divide at ratio.c:2
                  1: checked_ratio at ratio.c:7
                  2: __original_main at main.c:7
                  3: _start at crt1-command.c:12
                  4: _start_command_export
                """), outcome);
    }

    @Test
    void quietTrapsLeavesTheOneLineAlone() {
        assertEquals(new Outcome(134, "ratio 4\n", "wasm2jvm: trap in wasm function divide: unreachable\n"),
                Cli.run("run", "--no-cache", "--quiet-traps", BACKTRACE.toString()));
    }

    @Test
    void backtraceWithoutDwarfNamesTheFunctions() {
        assertEquals(new Outcome(134, "before the trap\n", """
                wasm2jvm: trap in wasm function divide: integer divide by zero
                wasm backtrace:
                  0: divide
                  1: main
                """), Cli.run("run", "--no-cache", Cli.resource("trap.wasm").toString()));
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.wasm");

        assertEquals(new Outcome(1, "", "wasm2jvm: " + missing + ": no such file\n"), Cli.run("run", missing.toString()));
    }

    /** A WASI command in the text format: prints its greeting and exits with status 3. */
    static final String HELLO_WAT = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello from text\\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))  ;; iovec: buffer
                (i32.store (i32.const 4) (i32.const 16))  ;; iovec: length
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $proc_exit (i32.const 3))))
            """;

    /** The exceptions sample: a text module whose errors are wasm exceptions, thrown deep and caught in _start. */
    @Test
    void runsTheExceptionsSample() throws IOException {
        Path sample = Cli.fromRoot("samples/exceptions-wat");
        Outcome outcome = Cli.run("run", "--no-cache", sample.resolve("calc.wat").toString(), "1+2*3", "2*(3+4)-5", "(1+2",
                "7/(3-3)", "-(2+3)*4", "12 + x", "((((9))))", "2*((1+(8/0))");

        assertEquals(new Outcome(4, Files.readString(sample.resolve("expected-output.txt")), ""), outcome);
    }

    /** A wasm exception that leaves _start uncaught ends the program as a trap does, reported by its tag. */
    @Test
    void reportsAnUncaughtWasmException(@TempDir Path dir) throws IOException {
        Path thrower = Files.writeString(dir.resolve("thrower.wat"), """
                (module
                  (tag $e (param i32))
                  (memory (export "memory") 1)
                  (func (export "_start") (throw $e (i32.const 42))))
                """);

        assertEquals(new Outcome(134, "", "wasm2jvm: uncaught wasm exception (tag i:)\n"),
                Cli.run("run", "--no-cache", thrower.toString()));
    }

    @Test
    void runsATextModule(@TempDir Path dir) throws IOException {
        Path hello = Files.writeString(dir.resolve("hello.wat"), HELLO_WAT);

        assertEquals(new Outcome(3, "hello from text\n", ""), Cli.run("run", "--no-cache", hello.toString()));
    }

    @Test
    void reportsMalformedTextWithTheLineAndColumn(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.wat"), "(module\n  (func (i32.const0)))\n");

        assertEquals(new Outcome(1, "", "wasm2jvm: " + bad + ": malformed text at line 2, column 10: unknown operator i32.const0\n"),
                Cli.run("run", bad.toString()));
    }

    @Test
    void reportsAMalformedModuleWithTheOffset(@TempDir Path dir) throws IOException {
        Path bad = Files.write(dir.resolve("bad.wasm"), new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0});

        assertEquals(new Outcome(1, "", "wasm2jvm: " + bad + ": malformed module at offset 0x4: unknown binary version\n"),
                Cli.run("run", bad.toString()));
    }

    @Test
    void reportsAnInvalidModuleWithTheFunctionAndOffset(@TempDir Path dir) throws IOException {
        // (func (export "_start") (i32.const 1)): the body leaves a value where none is expected.
        Path invalid = Files.write(dir.resolve("invalid.wasm"), new byte[] {
            0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
            7, 10, 1, 6, '_', 's', 't', 'a', 'r', 't', 0, 0, 10, 6, 1, 4, 0, 0x41, 1, 0x0b});

        assertEquals(new Outcome(1, "", "wasm2jvm: " + invalid + ": invalid module in function 0 at offset 0x25: type mismatch\n"),
                Cli.run("run", invalid.toString()));
    }

    @Test
    void reportsAnUnknownImport() {
        assertEquals(new Outcome(1, "", "wasm2jvm: unknown import: \"env\" \"missing\"\n"),
                Cli.run("run", Cli.resource("unknown-import.wasm").toString()));
    }

    @Test
    void runsAProgramImportingFromWasiSnapshot0AndPreview1(@TempDir Path dir) throws IOException {
        Outcome outcome = Cli.run("run", "--dir", dir + "::/data", Cli.SNAPSHOT_0.toString());

        assertEquals(new Outcome(0, Files.readString(Cli.SNAPSHOT_0_OUTPUT), ""), outcome);
        assertEquals("hello world", Files.readString(dir.resolve("data.txt")));
    }

    @Test
    void runsTheHandWrittenThreadsExampleThatPrintsThroughWasiUnstable() {
        Outcome outcome = Cli.run("run", Cli.COMPILER_TESTS.resolve("threads/unstable-spin.wasm").toString());

        assertEquals(new Outcome(0, "Hello from the spawned thread\nHello from the main thread, which saw the flag\n", ""),
                outcome);
    }

    @Test
    void reportsAPreopenedDirectoryThatDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("missing");

        Outcome outcome = Cli.run("run", "--dir", missing + "::/data", SAMPLE.resolve("cat.wasm").toString());

        assertEquals(new Outcome(1, "", "wasm2jvm: cannot preopen directory " + missing + ": no such directory\n"), outcome);
    }

    @Test
    void rejectsAMalformedOptionWithAUsageError() {
        Outcome outcome = Cli.run("run", "--env", "GREETING", SAMPLE.resolve("cat.wasm").toString());

        assertEquals(2, outcome.exitCode());
        assertEquals("wasm2jvm: Invalid value for option '--env' (NAME=VALUE): invalid variable \"GREETING\": expected NAME=VALUE\n"
                + "Try 'wasm2jvm run --help' for more information.\n", outcome.stderr());
    }

    @Test
    void limitsTheProgramsDescriptorsToMaxFds() throws IOException {
        String module = SAMPLE.resolve("cat.wasm").toString();
        // The three standard streams and the directory take the four descriptors allowed.
        Outcome limited = Cli.run("run", "--max-fds", "4", "--dir", SAMPLE + "::/data", module, "/data/input.txt");
        Outcome roomy = Cli.run("run", "--max-fds", "5", "--dir", SAMPLE + "::/data", module, "/data/input.txt");
        Outcome invalid = Cli.run("run", "--max-fds", "0", module);

        assertEquals(1, limited.exitCode());
        assertEquals("/data/input.txt: cannot open: No file descriptors available\n", limited.stderr());
        assertEquals(0, roomy.exitCode(), roomy.stderr());
        assertEquals(2, invalid.exitCode());
        assertTrue(invalid.stderr().startsWith("wasm2jvm: Invalid value for option '--max-fds': invalid limit \"0\": expected a positive number\n"),
                invalid.stderr());
    }

    @Test
    void maxMemoryCapsHowFarTheProgramsMemoryGrows() {
        String module = Cli.GROW_UNTIL_FAILURE.toString();

        assertEquals(new Outcome(0, "grew from 2 to 16 pages: memory.grow failed\n", ""),
                Cli.run("run", "--max-memory", "1m", module));
        assertEquals(new Outcome(0, "grew from 2 to 32 pages: memory.grow failed\n", ""),
                Cli.run("run", "--max-memory", "2048K", module));
    }

    @Test
    void aMaxMemoryBelowTheProgramsInitialMemoryFailsInOneLine() {
        Outcome outcome = Cli.run("run", "--max-memory", "65536", Cli.GROW_UNTIL_FAILURE.toString());

        assertEquals(new Outcome(1, "", "wasm2jvm: memory 0 needs 2 pages (128 KiB) from the start,"
                + " more than the memory limit of 1 page (64 KiB)\n"), outcome);
    }

    @Test
    void anInvalidMaxMemoryIsAUsageError() {
        Outcome outcome = Cli.run("run", "--max-memory", "lots", Cli.GROW_UNTIL_FAILURE.toString());

        assertEquals(new Outcome(2, "", "wasm2jvm: Invalid value for option '--max-memory': invalid memory size \"lots\":"
                + " expected bytes, or a number with k, m or g, such as 64m\n"
                + "Try 'wasm2jvm run --help' for more information.\n"), outcome);
    }

    /** wasi-libc's poll() on stdout for reading and stdin for writing: POLLNVAL at once, with or without a timeout. */
    @Test
    void pollOnDescriptorsThatCanNeverBeReadyReturnsAtOnce() {
        Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Cli.run("run", Cli.resource("poll-never-ready.wasm").toString()));

        assertEquals(new Outcome(0, "2 1 1\n1 1\n", ""), outcome);
    }

    /**
     * wasi-libc's isatty() is false for the program's stdin and stdout when they are Java streams,
     * as in these tests, and when they are the process's own on pipes.
     */
    @Test
    void aProgramsPipedStdioIsNoTerminal() throws Exception {
        String module = Cli.resource("isatty.wasm").toString();
        String java = ProcessHandle.current().info().command().orElseThrow();

        assertEquals(new Outcome(0, "0 0\n", ""), Cli.run("run", module));
        assertEquals("0 0\n", Cli.runThroughPipes(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", module));
    }

    /** A C program opening until it fails gets EMFILE at the limit, and can open again after a close. */
    @Test
    void openingPastMaxFdsIsEmfileToAProgram(@TempDir Path dir) {
        Outcome outcome = Cli.run("run", "--max-fds", "50", "--dir", dir + "::/d",
                Cli.resource("open-until-emfile.wasm").toString(), "/d/f");

        // 50 descriptors: the three streams, the directory and 46 opens.
        assertEquals(new Outcome(0, "opened 46, then No file descriptors available; after a close, reopened\n", ""),
                outcome);
    }

    @Test
    void describesItselfWithHelpAndVersion() {
        Outcome help = Cli.run("run", "--help");
        Outcome version = Cli.run("--version");

        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().startsWith("Usage: wasm2jvm run [-hV] [--no-cache] [--progress] [--quiet-traps] [--verbose]"), help.stdout());
        assertTrue(help.stdout().contains("--cache-dir=DIR"), help.stdout());
        assertTrue(help.stdout().contains("--dir=HOST[::GUEST]"), help.stdout());
        assertTrue(help.stdout().contains("--max-threads=N"), help.stdout());
        assertTrue(help.stdout().contains("--max-fds=N"), help.stdout());
        assertTrue(help.stdout().contains("--progress"), help.stdout());
        assertTrue(help.stdout().contains("--quiet-traps"), help.stdout());
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().matches("wasm2jvm \\d+\\.\\d+\\.\\d+.*\n"), version.stdout());
    }

    @Test
    void givesTheProgramAListeningLoopbackSocket() {
        Outcome outcome = Cli.run("run", "--listen", "0", "--env", "GREETING=hey", SAMPLE.resolve("cat.wasm").toString());

        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.stderr().startsWith("wasm2jvm: listening on /127.0.0.1:"), outcome.stderr());
    }
}
