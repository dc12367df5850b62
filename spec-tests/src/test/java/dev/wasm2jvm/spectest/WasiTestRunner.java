package dev.wasm2jvm.spectest;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.wasi.WasiOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a WASI test program as the suite's reference runner does: through {@link CommandRunner},
 * with its directories preopened from a scratch copy of the test's folder (programs create and
 * delete files there), stdin an open pipe that is never written, and a time limit; then compares
 * the exit code and, when the spec gives one, the start of stdout.
 */
final class WasiTestRunner {
    private final Duration timeout;

    WasiTestRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** The problems with the run, none when the test passed. */
    List<String> run(WasiTest test) throws Exception {
        Path scratch = Files.createTempDirectory("wasi-test-");
        try (PipedOutputStream neverWritten = new PipedOutputStream();
             PipedInputStream stdin = new PipedInputStream(neverWritten)) {
            WasiOptions.Builder options = WasiOptions.builder()
                    .args(args(test))
                    .env(test.env())
                    .stdin(stdin);
            for (String dir : test.dirs()) {
                copy(test.module().resolveSibling(dir), scratch.resolve(dir));
                options.preopenDirectory(scratch.resolve(dir), dir);
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            options.stdout(stdout).stderr(stderr);
            CompiledModule compiled = WasmCompiler.compile(Files.readAllBytes(test.module()), "wasitest." + javaName(test.name()));
            GeneratedClassCheck.verify(compiled);
            CommandRunner runner = new CommandRunner(compiled.className(), compiled::instantiate);
            int[] exitCode = {Integer.MIN_VALUE};
            Throwable[] failure = new Throwable[1];
            Thread thread = new Thread(() -> {
                try {
                    exitCode[0] = runner.run(options.build(), new PrintStream(stderr, true, StandardCharsets.UTF_8));
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, "wasi-test-" + test.name());
            thread.setDaemon(true);
            thread.start();
            thread.join(timeout.toMillis());
            List<String> problems = new ArrayList<>();
            if (thread.isAlive()) {
                thread.interrupt();
                problems.add("did not finish within " + timeout.toSeconds() + " s");
                return problems;
            }
            if (failure[0] != null) {
                problems.add("host failure: " + failure[0]);
                return problems;
            }
            if (exitCode[0] != test.exitCode()) {
                problems.add("exit code " + exitCode[0] + ", expected " + test.exitCode()
                        + stderrNote(stderr));
            }
            if (test.stdout() != null) {
                String out = stdout.toString(StandardCharsets.UTF_8);
                String start = out.substring(0, Math.min(out.length(), test.stdout().length()));
                if (!start.equals(test.stdout())) problems.add("stdout " + quote(out) + ", expected " + quote(test.stdout()));
            }
            return problems;
        } finally {
            delete(scratch);
        }
    }

    /** argv: the program's file name, then the spec's arguments. */
    private static List<String> args(WasiTest test) {
        List<String> args = new ArrayList<>();
        args.add(test.module().getFileName().toString());
        args.addAll(test.args());
        return args;
    }

    private static String javaName(String name) {
        StringBuilder sb = new StringBuilder("T");
        for (char c : name.toCharArray()) sb.append(Character.isJavaIdentifierPart(c) ? c : '_');
        return sb.toString();
    }

    private static String stderrNote(ByteArrayOutputStream stderr) {
        String text = stderr.toString(StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : " (stderr: " + quote(text.length() > 300 ? text.substring(0, 300) + "..." : text) + ")";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // Symlinks stay symlinks, so that tests of dangling and escaping links see them.
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
