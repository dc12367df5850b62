package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Data segments stay in the module class as a string constant up to {@link DataResource#IN_CLASS_BYTES}
 * of encoded data, and go to the resource beside it past that; either way they reach memory byte for
 * byte, every value from 0 to 255 included.
 */
class DataResourceTest {
    /** The bytes of a segment of {@code length} bytes: every byte value, over and over. */
    private static byte[] segment(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte) (i * 7 + seed);
        return bytes;
    }

    /** A module of two segments whose encoding is {@code encodedBytes} long: 12 bytes of counts and lengths, then their bytes. */
    private static CompiledModule compile(int encodedBytes) {
        ModuleBuilder m = new ModuleBuilder();
        m.memory(2);
        int data = encodedBytes - 12;
        m.data(0, segment(data / 2, 1));
        m.data(70_000, segment(data - data / 2, 2));
        return WasmCompiler.compile(m.build(), "data.Module");
    }

    private static void assertSegments(CompiledModule compiled, int encodedBytes) {
        Instance instance = compiled.instantiate(new Imports());
        int data = encodedBytes - 12;
        for (int[] s : List.of(new int[] {0, data / 2, 1}, new int[] {70_000, data - data / 2, 2})) {
            byte[] actual = new byte[s[1]];
            instance.memory("memory").readBytes(s[0], actual, 0, actual.length);
            assertArrayEquals(segment(s[1], s[2]), actual, "segment at " + s[0]);
        }
    }

    @Test
    void dataUpToTheLimitStaysInTheClass() {
        CompiledModule compiled = compile(DataResource.IN_CLASS_BYTES);
        assertEquals(Map.of(), compiled.resources());
        assertSegments(compiled, DataResource.IN_CLASS_BYTES);
    }

    @Test
    void dataPastTheLimitIsAResource() {
        CompiledModule compiled = compile(DataResource.IN_CLASS_BYTES + 1);
        assertEquals(List.of("data/Module.data"), List.copyOf(compiled.resources().keySet()));
        assertEquals(DataResource.IN_CLASS_BYTES + 1, compiled.resources().get("data/Module.data").length);
        assertSegments(compiled, DataResource.IN_CLASS_BYTES + 1);
    }
}
