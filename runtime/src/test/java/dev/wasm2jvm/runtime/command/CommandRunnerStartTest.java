package dev.wasm2jvm.runtime.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a compiled jar's {@code main} loads for a program that uses little: checked in a JVM of its
 * own, which reports the classes it loads. Each class a program does not use costs its start the
 * reading, verifying and initialising of it; a spun lambda costs more.
 */
class CommandRunnerStartTest {
    @TempDir
    Path dir;

    /**
     * A program with a preopened directory that it never uses, which neither reads its input nor
     * imports {@code thread-spawn}, loads neither the wasi-threads host, nor the pump of its
     * input, nor the holder of the native call, and closes nothing at its end, where the JDK would
     * spin a lambda's class to close the held directory.
     */
    @Test
    void aProgramThatUsesNeitherThreadsNorInputNorItsPreopensLoadsNoneOfTheirClasses() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:stderr", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), dir.toString()).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return child.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        String classes = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out + classes);
        assertEquals("returned", out, classes);
        assertTrue(classes.contains("dev.wasm2jvm.runtime.wasi.HostFd "), "the child held its preopen");
        for (String unused : List.of("dev.wasm2jvm.runtime.threads.WasiThreads ", "dev.wasm2jvm.runtime.wasi.InputPump ",
                "dev.wasm2jvm.runtime.internal.Syscall ", "sun.nio.fs.UnixSecureDirectoryStream$$Lambda")) {
            assertFalse(classes.contains(unused), unused + " was loaded");
        }
    }

    /** Runs {@link CommandRunnerExitTest.ExitZero} with its argument preopened; prints that main returned. */
    static final class Launcher {
        public static void main(String[] args) {
            CommandRunner.main(CommandRunnerExitTest.ExitZero.class,
                    new CommandSettings("start", List.of(new Preopen(args[0], ".")), Map.of()), new String[0]);
            System.out.print("returned");
            System.out.flush();
        }
    }
}
