package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads, compiles and instantiates the modules of the emitter tests and benchmarks. */
public final class TestModules {
    private TestModules() {}

    /** The bytes of the test resource {@code name}. */
    public static byte[] resource(String name) {
        try (InputStream in = TestModules.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Instance instantiate(byte[] wasm) {
        return WasmCompiler.compile(wasm).instantiate(new Imports());
    }
}
