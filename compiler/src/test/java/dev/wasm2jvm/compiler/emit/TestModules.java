package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compiles and instantiates modules for the emitter tests and benchmarks by decoding and emitting
 * directly, so that they do not depend on the validator; each module gets a class loader of its own.
 */
public final class TestModules {
    private static final AtomicInteger COUNTER = new AtomicInteger();

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
        return instantiate(wasm, new Imports());
    }

    public static Instance instantiate(byte[] wasm, Imports imports) {
        String className = "test.Module" + COUNTER.incrementAndGet();
        Map<String, byte[]> classes = ModuleEmitter.emit(ModuleDecoder.decode(wasm), className);
        ClassLoader loader = new ClassLoader("test-module", TestModules.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) throw new ClassNotFoundException(name);
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        try {
            return (Instance) loader.loadClass(className).getConstructor(Imports.class).newInstance(imports);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw WasmTrap.propagate(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
