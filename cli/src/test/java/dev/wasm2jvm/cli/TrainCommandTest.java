package dev.wasm2jvm.cli;

import dev.wasm2jvm.cli.Cli.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {
    @Test
    void writesACacheFromWhichTheJarRunsItsClasses(@TempDir Path dir) throws Exception {
        Path jar = compile(dir, "hello", RunCommandTest.HELLO_WAT);

        Outcome trained = Cli.run("train", jar.toString());
        Path cache = dir.resolve("hello.aot");
        Path log = dir.resolve("classes.log");
        Outcome cached = Cli.runJar(jar, List.of("-XX:AOTCache=" + cache, "-Xlog:class+load:file=" + log), Map.of());

        // The training run is the program's run, its status left to the message; stdout is its own.
        assertEquals(0, trained.exitCode(), trained.stderr());
        assertEquals("hello from text\n", trained.stdout());
        assertEquals("wasm2jvm: wrote " + cache + " (" + Files.size(cache) / 1_000_000 + " MB) from a training run that"
                + " ended with status 3; run the program with: java -XX:AOTCache=" + cache + " -jar " + jar + "\n",
                trained.stderr());
        assertEquals(new Outcome(3, "hello from text\n", ""), cached);
        assertTrue(Files.readString(log).contains("wasm.Module source: shared objects file"), "the module class came from the cache");
    }

    @Test
    void aJarCompiledAgainRefusesTheCacheOfItsOldBuild(@TempDir Path dir) throws Exception {
        Path jar = compile(dir, "hello", RunCommandTest.HELLO_WAT);
        assertEquals(0, Cli.run("train", "-o", dir.resolve("old.aot").toString(), jar.toString()).exitCode());
        compile(dir, "hello", CompileCommandTest.WRITE_ONLY_WAT);

        Outcome stale = Cli.runJar(jar, List.of("-XX:AOTCache=" + dir.resolve("old.aot")), Map.of());
        Outcome plain = Cli.runJar(jar, List.of(), Map.of());

        // Without the check the JDK would run the cached classes: "hello from text", status 3.
        assertEquals(new Outcome(1, "", "wasm2jvm: the JVM's class cache (-XX:AOTCache) was made from another build of "
                + jar + "; make it again (wasm2jvm train) or run without it\n"), stale);
        assertEquals(new Outcome(0, "only stdout\n", ""), plain);
    }

    @Test
    void aMissingJarIsAClearError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.jar");
        assertEquals(new Outcome(1, "", "wasm2jvm: " + missing + ": no such jar\n"), Cli.run("train", missing.toString()));
    }

    @Test
    void aCacheThatCannotBeWrittenIsAClearError(@TempDir Path dir) throws Exception {
        Path jar = compile(dir, "hello", RunCommandTest.HELLO_WAT);
        Path cache = dir.resolve("missing/hello.aot");
        Outcome outcome = Cli.run("train", "-o", cache.toString(), jar.toString());
        assertEquals(1, outcome.exitCode());
        assertEquals("", outcome.stdout());
        assertTrue(outcome.stderr().startsWith("wasm2jvm: " + cache + ": cannot write: "), outcome.stderr());
    }

    @Test
    void aJavaThatIsNotThereIsAClearError(@TempDir Path dir) throws Exception {
        Path jar = compile(dir, "hello", RunCommandTest.HELLO_WAT);
        Path java = dir.resolve("no-java");
        Outcome outcome = Cli.run("train", "--java", java.toString(), jar.toString());
        assertEquals(1, outcome.exitCode());
        assertTrue(outcome.stderr().startsWith("wasm2jvm: " + java + ": cannot run: "), outcome.stderr());
        assertEquals(List.of("hello.jar"), Files.list(dir).map(p -> p.getFileName().toString()).toList(),
                "no configuration left behind");
    }

    @Test
    void aJavaThatCannotTrainIsAClearError(@TempDir Path dir) throws Exception {
        Path jar = compile(dir, "hello", RunCommandTest.HELLO_WAT);
        // A "java" that ignores its options and writes nothing, as a JDK before 24 fails at -XX:AOTMode.
        Path java = Files.writeString(dir.resolve("java"), "#!/bin/sh\nexit 1\n");
        assertTrue(java.toFile().setExecutable(true));

        Outcome outcome = Cli.run("train", "--java", java.toString(), jar.toString());

        assertEquals(new Outcome(1, "", "wasm2jvm: " + jar + ": the training run (exit status 1) left no AOT configuration;"
                + " training needs the java of JDK 25 or later (" + java + ")\n"), outcome);
        assertEquals(List.of("hello.jar", "java"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList(),
                "no configuration or cache left behind");
    }

    @Test
    void theTrainingJvmsClosingLineIsTakenOutOfStdoutAndNothingElse() throws IOException {
        String tail = " AOTConfiguration recorded: /tmp/x.aotconf\n";
        assertEquals("out\n", copied("out\n" + tail, tail));
        assertEquals("out\n", copied("out\n" + tail.substring(1), tail));
        assertEquals("out\n AOTConfiguration rec", copied("out\n AOTConfiguration rec", tail));
        assertEquals(tail + "more\n", copied(tail + "more\n", tail));
        assertEquals("", copied("", tail));
    }

    @Test
    void outputThatCannotBeginTheClosingLineIsWrittenAtOnce() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // A prompt, then a stream that fails if read again before the prompt was written.
        InputStream in = new InputStream() {
            private final ByteArrayInputStream prompt = new ByteArrayInputStream("name? ".getBytes(StandardCharsets.UTF_8));
            private boolean sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!sent) {
                    sent = true;
                    return prompt.read(b, off, len);
                }
                assertEquals("name? ", out.toString(StandardCharsets.UTF_8));
                return -1;
            }
        };
        TrainCommand.copyWithoutTail(in, out, " AOTConfiguration recorded: /x\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("name? ", out.toString(StandardCharsets.UTF_8));
    }

    private static String copied(String stream, String tail) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8));
        TrainCommand.copyWithoutTail(in, out, tail.getBytes(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Path compile(Path dir, String name, String wat) throws IOException {
        Path source = Files.writeString(dir.resolve(name + ".wat"), wat);
        Path jar = dir.resolve(name + ".jar");
        assertEquals(new Outcome(0, "", ""), Cli.run("compile", source.toString(), "-o", jar.toString()));
        Files.delete(source);
        return jar;
    }
}
