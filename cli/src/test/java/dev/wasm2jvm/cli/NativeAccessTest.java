package dev.wasm2jvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasm2jvm.cli.Cli.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated code on a class path without {@code --enable-native-access}, as a library user runs it:
 * the JVM prints no warning about restricted methods, and memories are still reserved and grown.
 * The same two runs cover both paths of {@code MemoryAccess}: on the class path the JDK does not
 * export {@code jdk.internal.misc} (the FFM path), under {@code java -jar} the manifest does (Unsafe).
 */
class NativeAccessTest {
    @Test
    void aCommandRunsWithoutNativeAccessAndTheJvmPrintsNothing(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("hello.jar");
        assertEquals(0, Cli.run("compile", Cli.resource("grow-memory.wasm").toString(), "-o", jar.toString()).exitCode());
        Outcome outcome = Cli.runClass(jar, "wasm.ModuleMain");
        assertEquals("", outcome.stderr());
        assertEquals("grown by 8388608 bytes, sum 14336\n", outcome.stdout());
        assertEquals(0, outcome.exitCode());
    }

    @Test
    void theSameCommandWithNativeAccessPrintsTheSame(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("hello.jar");
        assertEquals(0, Cli.run("compile", Cli.resource("grow-memory.wasm").toString(), "-o", jar.toString()).exitCode());
        Outcome outcome = Cli.runJar(jar, List.of(), Map.of());
        assertEquals("", outcome.stderr());
        assertEquals("grown by 8388608 bytes, sum 14336\n", outcome.stdout());
        assertEquals(0, outcome.exitCode());
    }
}
