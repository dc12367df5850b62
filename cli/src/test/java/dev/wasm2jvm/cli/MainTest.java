package dev.wasm2jvm.cli;

import dev.wasm2jvm.cli.Cli.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the command line reports of a failure no command handles. */
class MainTest {
    @TempDir
    Path dir;

    /**
     * A module larger than the JVM's heap: one line and exit status 1, where the
     * {@code OutOfMemoryError} ended the JVM with its stack trace.
     */
    @Test
    void aModuleLargerThanTheHeapIsReportedInOneLine() throws IOException, InterruptedException {
        Path module = dir.resolve("huge.wasm");
        try (RandomAccessFile file = new RandomAccessFile(module.toFile(), "rw")) {
            file.setLength(64 << 20);
        }
        Outcome outcome = Cli.runJava(List.of("-Xmx32m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "compile", module.toString(), "-o", dir.resolve("huge.jar").toString()), Map.of());

        assertEquals(new Outcome(1, "", "wasm2jvm: out of memory: Java heap space (java -Xmx gives the JVM a larger heap)\n"),
                outcome);
    }
}
