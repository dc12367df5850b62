package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.OldJava;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherTest {
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void onAnOldJavaTheCliSaysInOneLineWhichJavaItNeeds() throws Exception {
        assertTrue(Files.isRegularFile(CLASSES.resolve("dev/wasm2jvm/cli/Launcher.class")));

        assertEquals(OldJava.wrongJava(), OldJava.run("-cp", CLASSES.toString(), "dev.wasm2jvm.cli.Launcher", "--version"));
    }

    @Test
    void onJava22OrLaterItRunsTheCli() throws Exception {
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", CLASSES + File.pathSeparator + System.getProperty("java.class.path"),
                "dev.wasm2jvm.cli.Launcher", "--version").redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the CLI did not end");

        assertEquals(Version.text() + "\n",
                new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, java.exitValue());
    }
}
