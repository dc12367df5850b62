package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.body.EntryWrites;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A module of more code than one class should hold, with a table of all its functions and data
 * segments: its code spreads over code classes of bounded size, instantiating it (which fills the
 * table) loads none of them, a call loads only the class of its callee, and the data reach memory
 * from the resource beside the module class.
 */
class ClassPartitionTest {
    private static final int FUNCTIONS = 3_000;
    /** Pairs of i32.const and drop per body, so the code outgrows {@link ClassPartition#CODE_BYTES}. */
    private static final int PADDING = 40;
    /** Segments of 1 to 97 bytes, 100 bytes apart: more data than a class keeps ({@link DataResource#IN_CLASS_BYTES}). */
    private static final int SEGMENTS = 1_500;
    private static CompiledModule compiled;

    @BeforeAll
    static void compile() {
        ModuleBuilder m = new ModuleBuilder();
        int valueType = m.type(List.of(), List.of(ValType.I32));
        m.memory(3);
        int[] funcs = new int[FUNCTIONS];
        for (int k = 0; k < FUNCTIONS; k++) {
            ModuleBuilder.Code body = new ModuleBuilder.Code();
            for (int p = 0; p < PADDING; p++) body.i32Const(k * PADDING + p).op(0x1A);
            funcs[k] = m.function(valueType, List.of(), body.i32Const(value(k)));
        }
        m.table(funcs);
        for (int k : new int[] {0, FUNCTIONS - 1}) m.exportFunction("f" + k, funcs[k]);
        for (int s = 0; s < SEGMENTS; s++) m.data(s * 100, segment(s));
        compiled = WasmCompiler.compile(m.build(), "parts.Module");
    }

    private static int value(int k) {
        return k * 7_919 + 3;
    }

    private static byte[] segment(int s) {
        byte[] bytes = new byte[1 + s % 97];
        for (int b = 0; b < bytes.length; b++) bytes[b] = (byte) (s + b);
        return bytes;
    }

    @Test
    void codeClassesHoldAtMostTheirShareOfTheCode() {
        Map<String, byte[]> classes = compiled.classFiles();
        long codeClasses = classes.keySet().stream().filter(name -> name.startsWith("parts.Module$Code")).count();
        long code = (long) FUNCTIONS * (PADDING * 4 + 6);
        assertTrue(codeClasses >= code / ClassPartition.CODE_BYTES, codeClasses + " code classes");
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            assertTrue(c.getValue().length < 2_000_000, c.getKey() + " has " + c.getValue().length + " bytes");
        }
    }

    @Test
    void instantiationLoadsNoCodeClassAndACallLoadsOnlyItsCallee(@TempDir Path dir) throws Exception {
        compiled.writeTo(dir);
        try (RecordingLoader loader = new RecordingLoader(dir)) {
            Instance instance = (Instance) loader.loadClass("parts.Module").getConstructor(Imports.class).newInstance(new Imports());
            assertEquals(List.of(), loader.codeClasses(), "code classes loaded by instantiation");
            assertArrayEquals(new Object[] {value(FUNCTIONS - 1)}, instance.function("f" + (FUNCTIONS - 1)).call());
            assertEquals(1, loader.codeClasses().size(), loader.codeClasses().toString());
            assertArrayEquals(new Object[] {value(0)}, instance.function("f0").call());
            assertEquals(2, loader.codeClasses().size(), loader.codeClasses().toString());
        }
    }

    @Test
    void dataSegmentsComeFromTheResourceBesideTheModuleClass(@TempDir Path dir) throws Exception {
        assertEquals(List.of("parts/Module.data"), List.copyOf(compiled.resources().keySet()));
        compiled.writeTo(dir);
        assertTrue(Files.isRegularFile(dir.resolve("parts/Module.data")));
        try (RecordingLoader loader = new RecordingLoader(dir)) {
            Instance instance = (Instance) loader.loadClass("parts.Module").getConstructor(Imports.class).newInstance(new Imports());
            assertSegments(instance);
        }
        assertSegments(compiled.instantiate(new Imports()));
    }

    private static void assertSegments(Instance instance) {
        for (int s = 0; s < SEGMENTS; s++) {
            byte[] expected = segment(s);
            byte[] actual = new byte[expected.length];
            instance.memory("memory").readBytes(s * 100L, actual, 0, actual.length);
            assertArrayEquals(expected, actual, "segment " + s);
        }
    }

    /** Loads classes from a folder, itself rather than through its parent, noting the code classes it loads. */
    private static final class RecordingLoader extends URLClassLoader {
        private final List<String> loaded = Collections.synchronizedList(new ArrayList<>());

        RecordingLoader(Path dir) throws IOException {
            super(new URL[] {dir.toUri().toURL()}, ClassPartitionTest.class.getClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith("parts.Module$Code")) loaded.add(name);
            return super.findClass(name);
        }

        List<String> codeClasses() {
            return List.copyOf(loaded);
        }
    }

    /**
     * The count of a defined function that is not split reads its body once for its constants and
     * for the locals its entry code sets first, which its emission takes from there: the same locals
     * as a pass of {@link EntryWrites} of its own finds.
     */
    @Test
    void theCountOfAFunctionNotSplitFindsTheLocalsItsEntryCodeSetsFirst() {
        String wat = """
                (module
                  (import "env" "f" (func $f (param i32)))
                  (memory 1)
                  (func (param i32) (local i32 i32 i32)
                    (local.set 1 (i32.load (local.get 0)))
                    (block (local.set 2 (local.tee 0 (i32.const 4))))
                    (loop (local.set 3 (i32.const 1))))
                  (func (local i32 i32)
                    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                    (local.set 2 (i32.const 3))
                    (call $f (local.get 2))
                    (br_if 0 (local.get 2))
                    (local.set 0 (i32.const 5)))
                  (func (param i32) (local i32)
                    (if (local.get 0) (then (local.set 1 (i32.const 1))))))
                """;
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat.getBytes(StandardCharsets.UTF_8)));
        ClassPartition.Counter counter = new ClassPartition.Counter(module);
        assertNull(counter.count(0, null).entryWrites(), "an import has no body");
        List<BitSet> found = new ArrayList<>();
        for (int funcidx = 1; funcidx <= 3; funcidx++) {
            BitSet entryWrites = counter.count(funcidx, null).entryWrites();
            assertEquals(EntryWrites.of(module.codes().get(funcidx - 1)), entryWrites);
            found.add(entryWrites);
        }
        assertEquals(List.of(bits(1, 2), bits(2), bits()), found);
    }

    /**
     * The count's visitor hands {@link EntryWrites} only the visits EntryWrites overrides, so that
     * every other visit costs nothing more: a visit it gains must be handed over too, or the count's
     * answer would differ from its own pass's.
     */
    @Test
    void theCountHandsEntryWritesEveryVisitItOverrides() throws ClassNotFoundException {
        Class<?> tee = Class.forName(ClassPartition.class.getName() + "$UsesAndEntryWrites");
        for (java.lang.reflect.Method m : EntryWrites.class.getDeclaredMethods()) {
            if (!m.getName().startsWith("visit") || java.lang.reflect.Modifier.isStatic(m.getModifiers())) continue;
            assertDoesNotThrow(() -> tee.getDeclaredMethod(m.getName(), m.getParameterTypes()),
                    () -> "UsesAndEntryWrites does not hand EntryWrites." + m.getName() + " over");
        }
    }

    private static BitSet bits(int... set) {
        BitSet bits = new BitSet();
        for (int b : set) bits.set(b);
        return bits;
    }
}
