package dev.wasm2jvm.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in this JVM, or a compiled jar in a new one, and captures what it did. */
final class Cli {
    /** What a run printed and how it ended. */
    record Outcome(int exitCode, String stdout, String stderr) {}

    /** The compiler's test inputs, which these tests share. */
    static final Path COMPILER_TESTS = fromRoot("compiler/src/test/resources");
    /** A WASI command importing from {@code wasi_unstable} and {@code wasi_snapshot_preview1}; it needs a directory as fd 3. */
    static final Path SNAPSHOT_0 = COMPILER_TESTS.resolve("wasi/snapshot0.wasm");
    /** What {@link #SNAPSHOT_0} prints when every check passes. */
    static final Path SNAPSHOT_0_OUTPUT = COMPILER_TESTS.resolve("wasi/snapshot0-output.txt");
    /** A C program that grows its memory, from 2 pages, until memory.grow fails, and prints how far it got. */
    static final Path GROW_UNTIL_FAILURE = COMPILER_TESTS.resolve("memory/grow-until-failure.wasm");

    private Cli() {}

    /** Runs the command line as {@code wasm2jvm} does: a cached run directly, anything else through picocli. */
    static Outcome run(String... args) {
        return run(Main::execute, args);
    }

    /** Runs the command line through picocli, even a run of a cached module. */
    static Outcome runWithPicocli(String... args) {
        return run(Main::executeWithPicocli, args);
    }

    /** Runs the command line as a cached run only; -1 for the exit code when it is left to picocli. */
    static Outcome runCached(String... args) {
        return run((streams, a) -> CachedRun.run(streams, a).orElse(-1), args);
    }

    private interface Execution {
        int execute(Streams streams, String... args);
    }

    private static Outcome run(Execution execution, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = execution.execute(new Streams(new ByteArrayInputStream(new byte[0]), out, err), args);
        return new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code java [jvmOptions] -jar jar args} on this test's JDK, with no option but those given:
     * whatever the jar needs must be in it.
     */
    static Outcome runJar(Path jar, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return runJava(command, environment);
    }

    /**
     * Runs {@code java -cp jar mainClass args} on this test's JDK: the jar's manifest, and so its
     * {@code Enable-Native-Access}, is ignored, as when a jar is one entry of an application's class path.
     */
    static Outcome runClass(Path jar, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-cp", jar.toString(), mainClass));
        command.addAll(List.of(args));
        return runJava(command, Map.of());
    }

    /** Runs {@code java} with {@code arguments} and nothing else on the command line. */
    static Outcome runJava(List<String> arguments, Map<String, String> environment)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("stdout", ".txt");
        Path err = Files.createTempFile("stderr", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /**
     * Runs {@code command} with its stdin, stdout and stderr on pipes, stdin closed at once, and
     * returns what it wrote on stdout and stderr together, once it has exited with status 0.
     */
    static String runThroughPipes(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " exited with "
                + process.exitValue() + ": " + output);
        return output;
    }

    /** The directory of the wasi-cat sample. */
    static Path sample() {
        return fromRoot("samples/wasi-cat");
    }

    /** The project's directory {@code relative}, found from the working directory up. */
    static Path fromRoot(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path found = dir.resolve(relative);
            if (Files.isDirectory(found)) return found;
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A module next to this class in the test resources. */
    static Path resource(String name) {
        try {
            return Path.of(Cli.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
