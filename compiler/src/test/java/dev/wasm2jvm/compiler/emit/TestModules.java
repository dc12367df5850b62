package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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

    /** Instantiates {@code wasm}; a memory it imports is made with the import's limits. */
    public static Instance instantiate(byte[] wasm) {
        return WasmCompiler.compile(wasm).instantiate(new Imports().provideMemories());
    }

    /**
     * Instantiates {@code wasm} once per thread, {@code count} times: each instance gets the same
     * memories, made for the first, since an instance runs on one thread at a time.
     */
    public static List<Instance> instancesSharingMemory(byte[] wasm, int count) {
        CompiledModule compiled = WasmCompiler.compile(wasm);
        Imports shared = new Imports().provideMemories();
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) instances.add(compiled.instantiate(shared));
        return instances;
    }
}
