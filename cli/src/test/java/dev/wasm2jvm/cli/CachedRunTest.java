package dev.wasm2jvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.cli.Cli.Outcome;
import dev.wasm2jvm.compiler.WasmCompiler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The cached run against picocli's path: it reads a command line as picocli does or leaves it to
 * picocli, and a run of a cached module prints and ends the same either way, loading no class of
 * the compiler or picocli.
 */
class CachedRunTest {
    private static final Path SAMPLE = Cli.sample();
    private static final Path CAT = SAMPLE.resolve("cat.wasm");
    private static final Streams NO_STREAMS =
            new Streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), new ByteArrayOutputStream());

    /** {@code line} split at spaces, with {@code CAT} for the sample's module. */
    private static String[] args(String line) {
        return Arrays.stream(line.split(" ")).map(a -> a.equals("CAT") ? CAT.toString() : a).toArray(String[]::new);
    }

    /** What a run command line sets, as one string to compare. */
    private static String describe(RunCommand run, boolean verbose) {
        return "dirs=" + run.wasi.dirs + " env=" + run.wasi.env + " maxThreads=" + run.wasi.maxThreads
                + " maxFds=" + run.wasi.maxFds + " maxMemory=" + run.wasi.maxMemory + " progress=" + run.progress.lines
                + " listen=" + run.listen + " noCache=" + run.noCache + " cacheDir=" + run.cacheDir
                + " quietTraps=" + run.quietTraps + " module=" + run.module + " args=" + run.args + " verbose=" + verbose;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "run CAT",
        "run --dir /tmp --dir /a::/b --env A=1 --env=B=2=3 --max-threads 3 --max-fds 10 --max-memory 64m --progress"
                + " --quiet-traps --no-cache --verbose --listen 0 --listen=8080 --cache-dir /c CAT x y",
        "run --dir=/a --max-fds=7 --max-memory=65536 --max-threads=0 --cache-dir=/c -- CAT -- --dir z",
        "run --env A= -- -odd.wasm",
        "run CAT --help -V --dir --max-fds 0 run compile",
        "run --env GREETING=hi CAT /data/input.txt --",
    })
    void readsACommandLineAsPicocliDoes(String line) {
        CachedRun.Parsed parsed = CachedRun.parse(NO_STREAMS, args(line));
        assertNotNull(parsed, line);

        CommandLine cli = Main.commandLine(NO_STREAMS);
        CommandLine.ParseResult result = cli.parseArgs(args(line));
        RunCommand picocli = result.subcommand().commandSpec().commandLine().getCommand();
        Main main = cli.getCommand();
        assertEquals(describe(picocli, main.verbose), describe(parsed.command(), parsed.verbose()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "run", "run --help", "run -h", "run -V", "run --version", "run -hV CAT", "compile CAT", "--verbose run CAT",
        "run @args", "run CAT @args", "run --env @A=1 CAT", "run --max-fds 0 CAT", "run --max-fds -1 CAT",
        "run --max-threads +1 CAT", "run --max-threads 1234567890 CAT", "run --max-memory 1q CAT",
        "run --env NAME CAT", "run --env =v CAT", "run --no-cache=true CAT", "run --quiet-traps --quiet-traps CAT",
        "run --max-fds 3 --max-fds 4 CAT", "run --cache-dir /a --cache-dir /b CAT", "run --dir", "run --dir -x CAT",
        "run --unknown CAT", "run - CAT", "run --", "run --listen 99999999999 CAT", "run --listen x CAT",
    })
    void leavesToPicocliWhatItCannotReadForCertain(String line) {
        assertNull(CachedRun.parse(NO_STREAMS, args(line)), line);
        assertEquals(new Outcome(-1, "", ""), Cli.runCached(args(line)));
    }

    @Test
    void aCachedRunPrintsAndEndsAsThePicocliPath(@TempDir Path dir) throws IOException {
        String cache = dir.resolve("cache").toString();
        Path trap = Cli.resource("trap.wasm");
        Path emfile = Cli.resource("open-until-emfile.wasm");
        Path grow = Cli.GROW_UNTIL_FAILURE;
        for (Path module : List.of(CAT, trap, emfile, grow)) {
            assertNotEquals(-1, Cli.runWithPicocli("run", "--cache-dir", cache, module.toString()).exitCode());
        }
        List<List<String>> lines = List.of(
                List.of("--dir", SAMPLE + "::/data", "--env", "GREETING=hi", CAT.toString(), "/data/input.txt"),
                List.of("--dir=" + SAMPLE + "::/data", CAT.toString(), "--verbose"),
                List.of("--env=GREETING=hey", "--", CAT.toString()),
                List.of("--quiet-traps", trap.toString()),
                List.of(trap.toString(), "x"),
                List.of(trap.toString(), "x", "y"),
                List.of("--max-fds", "50", "--dir", dir + "::/d", emfile.toString(), "/d/f"),
                List.of("--max-memory", "256k", grow.toString()),
                List.of("--max-memory", "64k", grow.toString()));
        for (List<String> line : lines) {
            String[] args = Stream.concat(Stream.of("run", "--cache-dir", cache), line.stream()).toArray(String[]::new);
            Outcome cached = Cli.runCached(args);
            assertNotEquals(-1, cached.exitCode(), line.toString());
            assertEquals(Cli.runWithPicocli(args), cached, line.toString());
        }
    }

    /**
     * A module whose entry is larger than what is read into the heap: its entry is mapped, and its
     * classes and its 1.5 MB data segment come from the mapping.
     */
    @Test
    void aLargeEntryIsMappedAndRunsAsCompiled(@TempDir Path dir) throws IOException {
        int size = 1_500_000;
        Path module = dir.resolve("large.wat");
        Files.writeString(module, """
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 32)
                  (data (i32.const 16) "%s")
                  (func (export "_start")
                    (i32.store (i32.const 0) (i32.const %d))
                    (i32.store (i32.const 4) (i32.const 6))
                    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
                """.formatted("a".repeat(size - 6) + "-end\\0a", 16 + size - 7));
        Path wasm = dir.resolve("large.wasm");
        Files.write(wasm, WasmCompiler.binary(Files.readAllBytes(module)));
        Path cache = dir.resolve("cache");
        String[] run = {"run", "--cache-dir", cache.toString(), wasm.toString()};
        Outcome expected = new Outcome(0, "a-end\n", "");

        assertEquals(expected, Cli.run(run));
        try (Stream<Path> files = Files.list(cache)) {
            long entry = files.filter(f -> f.toString().endsWith(".classes")).findFirst().orElseThrow().toFile().length();
            assertTrue(entry > 1 << 20, "entry of " + entry + " bytes");
        }
        assertEquals(expected, Cli.runCached(run));
    }

    @Test
    void aMissIsLeftToPicocliHavingPrintedNothing(@TempDir Path cache) {
        String[] run = {"run", "--cache-dir", cache.toString(), "--env", "GREETING=hey", CAT.toString()};
        Outcome greeting = new Outcome(0, "hey from cat.wasm, with 0 file(s)\n0 line(s)\n", "");

        assertEquals(new Outcome(-1, "", ""), Cli.runCached(run));
        assertEquals(greeting, Cli.run(run));
        assertEquals(greeting, Cli.runCached(run));
    }

    @Test
    void aDamagedEntryIsLeftToPicocliWhichCompilesAgain(@TempDir Path cache) throws IOException {
        String[] run = {"run", "--cache-dir", cache.toString(), "--env", "GREETING=hey", CAT.toString()};
        Outcome greeting = Cli.run(run);
        Path entry;
        try (Stream<Path> files = Files.list(cache)) {
            entry = files.filter(f -> f.toString().endsWith(".classes")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 3] ^= 1;
        Files.write(entry, bytes);

        assertEquals(new Outcome(-1, "", ""), Cli.runCached(run));
        assertEquals(greeting, Cli.run(run));
        assertEquals(greeting, Cli.runCached(run));
    }

    @Test
    void noCacheAMissingFileAndATextModuleAreLeftToPicocli(@TempDir Path dir) throws IOException {
        String cache = dir.resolve("cache").toString();
        Cli.run("run", "--cache-dir", cache, CAT.toString());
        Path text = dir.resolve("hello.wat");
        Files.writeString(text, RunCommandTest.HELLO_WAT);
        Path missing = dir.resolve("missing.wasm");

        assertEquals(new Outcome(-1, "", ""), Cli.runCached("run", "--cache-dir", cache, "--no-cache", CAT.toString()));
        assertEquals(new Outcome(-1, "", ""), Cli.runCached("run", "--cache-dir", cache, missing.toString()));
        assertEquals(new Outcome(1, "", "wasm2jvm: " + missing + ": no such file\n"),
                Cli.run("run", "--cache-dir", cache, missing.toString()));
        // A text module is converted by the compiler, on picocli's path.
        assertEquals(new Outcome(-1, "", ""), Cli.runCached("run", "--cache-dir", cache, text.toString()));
        assertEquals(new Outcome(3, "hello from text\n", ""), Cli.run("run", "--cache-dir", cache, text.toString()));
    }

    /**
     * A module read from a pipe is left to picocli's path, which reads it once: had the cached run
     * read it first, a miss would leave picocli's path nothing to compile.
     */
    @Test
    void aModuleFromAPipeIsLeftToPicocli(@TempDir Path dir) throws Exception {
        String cache = dir.resolve("cache").toString();
        List<String> command = List.of("sh", "-c", "cat \"$0\" | \"$@\"", CAT.toString(),
                ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--cache-dir", cache, "--env", "GREETING=hey", "/dev/stdin");

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();

        assertEquals("hey from stdin, with 0 file(s)\n0 line(s)\n",
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, process.waitFor());
        assertNull(ModuleDigests.state(Path.of("/dev/null")));
    }

    /**
     * The classes a run loads, in a JVM of its own as {@code wasm2jvm run} is: on a miss the
     * compiler and picocli, on a hit neither (nor ASM), and the module's class from the entry.
     */
    @Test
    void aCachedRunLoadsNoClassOfTheCompilerNorOfPicocli(@TempDir Path dir) throws Exception {
        List<String> run = List.of(Main.class.getName(), "run", "--cache-dir", dir.resolve("cache").toString(),
                "--env", "GREETING=hey", CAT.toString());
        Outcome greeting = new Outcome(0, "hey from cat.wasm, with 0 file(s)\n0 line(s)\n", "");

        List<String> miss = classesLoaded(dir.resolve("miss.log"), run, greeting);
        List<String> hit = classesLoaded(dir.resolve("hit.log"), run, greeting);

        assertTrue(miss.stream().anyMatch(c -> c.startsWith("dev.wasm2jvm.compiler.")), "a miss compiles");
        assertTrue(miss.stream().anyMatch(c -> c.startsWith("picocli.")), "a miss is picocli's");
        assertEquals(List.of(), hit.stream().filter(c -> c.startsWith("dev.wasm2jvm.compiler.")
                || c.startsWith("picocli.") || c.startsWith("org.objectweb.asm.")).toList());
        assertTrue(hit.contains(WasmCompiler.DEFAULT_CLASS_NAME), hit.toString());
    }

    private static List<String> classesLoaded(Path log, List<String> run, Outcome expected) throws Exception {
        List<String> java = Stream.concat(Stream.of("--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load:file=" + log + ":none", "-cp", System.getProperty("java.class.path")),
                run.stream()).toList();
        assertEquals(expected, Cli.runJava(java, Map.of()));
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(l -> l.substring(0, l.indexOf(' '))).toList();
        }
    }
}
