package dev.wasm2jvm.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampsTest {
    @TempDir
    Path directory;

    @Test
    void aModuleMatchesTheStampItWasCompiledWith() throws IOException {
        Stamps stamps = new Stamps(directory, "1.0");
        Path module = Path.of("sub", "hello.wasm");
        String stamp = stamps.stamp(new byte[] {0, 'a', 's', 'm'}, "com.example.Hello");
        assertFalse(stamps.matches(module, stamp));
        stamps.record(module, stamp);
        assertTrue(stamps.matches(module, stamp));
        assertFalse(stamps.matches(Path.of("hello.wasm"), stamp));
    }

    @Test
    void contentClassNameAndCompilerVersionChangeTheStamp() {
        Stamps stamps = new Stamps(directory, "1.0");
        byte[] wasm = {0, 'a', 's', 'm'};
        String stamp = stamps.stamp(wasm, "com.example.Hello");
        assertNotEquals(stamp, stamps.stamp(new byte[] {0, 'a', 's', 'm', 1}, "com.example.Hello"));
        assertNotEquals(stamp, stamps.stamp(wasm, "com.example.Greeter"));
        assertNotEquals(stamp, new Stamps(directory, "1.1").stamp(wasm, "com.example.Hello"));
    }
}
