package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.internal.MemoryAccess;
import dev.wasm2jvm.runtime.internal.MemoryAccess64;
import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract between the memory emitter and the runtime's {@code MemoryAccess} helpers. */
class MemoryAccessHelpersTest {
    /** HotSpot's {@code C1MaxInlineSize}: C1 inlines no callee of more bytecode than this. */
    private static final int C1_MAX_INLINE_SIZE = 35;
    /** HotSpot's {@code FreqInlineSize}: C2 inlines hot callees of up to this much bytecode. */
    private static final int FREQ_INLINE_SIZE = 325;

    private static final int[] LOADS_AND_STORES = {
        Opcodes.I32_LOAD, Opcodes.I64_LOAD, Opcodes.F32_LOAD, Opcodes.F64_LOAD,
        Opcodes.I32_LOAD8_S, Opcodes.I32_LOAD8_U, Opcodes.I32_LOAD16_S, Opcodes.I32_LOAD16_U,
        Opcodes.I64_LOAD8_S, Opcodes.I64_LOAD8_U, Opcodes.I64_LOAD16_S, Opcodes.I64_LOAD16_U,
        Opcodes.I64_LOAD32_S, Opcodes.I64_LOAD32_U,
        Opcodes.I32_STORE, Opcodes.I64_STORE, Opcodes.F32_STORE, Opcodes.F64_STORE,
        Opcodes.I32_STORE8, Opcodes.I32_STORE16, Opcodes.I64_STORE8, Opcodes.I64_STORE16, Opcodes.I64_STORE32};

    @Test
    void everyLoadAndStoreHasAHelperNamedAfterIt() throws NoSuchMethodException {
        List<String> names = new ArrayList<>();
        for (int opcode : LOADS_AND_STORES) {
            String name = MemoryEmitter.helper(opcode).name();
            names.add(name);
            boolean store = Opcodes.name(opcode).contains("store");
            Method helper = store
                    ? findByName(name)
                    : MemoryAccess.class.getMethod(name, int.class, int.class, java.lang.foreign.MemorySegment.class);
            assertTrue(Modifier.isStatic(helper.getModifiers()), name);
        }
        assertEquals(List.of("i32Load", "i64Load", "f32Load", "f64Load", "i32Load8S", "i32Load8U", "i32Load16S",
                "i32Load16U", "i64Load8S", "i64Load8U", "i64Load16S", "i64Load16U", "i64Load32S", "i64Load32U",
                "i32Store", "i64Store", "f32Store", "f64Store", "i32Store8", "i32Store16", "i64Store8", "i64Store16",
                "i64Store32"), names);
    }

    /** Larger than C1 inlines, so C1's code grows with a method and not with its accesses; small enough for C2. */
    @Test
    void everyHelperIsCalledByC1AndInlinedByC2() throws IOException {
        Map<String, Integer> sizes = codeLengths(MemoryAccess.class);
        assertEquals(LOADS_AND_STORES.length, sizes.size(), sizes::toString);
        sizes.forEach((name, size) -> {
            assertTrue(size > C1_MAX_INLINE_SIZE, name + " has " + size + " bytes of code, which C1 inlines");
            assertTrue(size <= FREQ_INLINE_SIZE, name + " has " + size + " bytes of code, which C2 does not inline");
        });
    }

    /** The 64-bit twins, and the halves of v128.load/store, keep both limits; effectiveAddress is for inlining. */
    @Test
    void everyMemory64HelperIsATwinCalledByC1AndInlinedByC2() throws IOException {
        Map<String, Integer> sizes = codeLengths(MemoryAccess64.class);
        sizes.remove("effectiveAddress");
        assertEquals(LOADS_AND_STORES.length + 4, sizes.size(), sizes::toString);
        for (int opcode : LOADS_AND_STORES) {
            RuntimeRefs.RuntimeMethod twin = RuntimeRefs.address64(MemoryEmitter.helper(opcode));
            assertTrue(sizes.containsKey(twin.name()), twin.name());
            assertTrue(twin.descriptor().startsWith("(J"), twin.descriptor());
        }
        sizes.forEach((name, size) -> {
            assertTrue(size > C1_MAX_INLINE_SIZE, name + " has " + size + " bytes of code, which C1 inlines");
            assertTrue(size <= FREQ_INLINE_SIZE, name + " has " + size + " bytes of code, which C2 does not inline");
        });
    }

    @Test
    void aMemory64AccessPastTheEndTrapsNamingWhereItFell() {
        Instance instance = WasmCompiler.compile("""
                (module (memory i64 1)
                  (func (export "load") (param i64) (result i64) (i64.load offset=0xFFFF_FFFF_0000_0000 (local.get 0))))
                """.getBytes(StandardCharsets.UTF_8)).instantiate(new Imports());
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("load").call(1L << 32));
        assertEquals("out of bounds memory access: 8 bytes at 4294967296 + 18446744069414584320, memory size 65536",
                trap.getMessage());
    }

    @Test
    void anAccessPastTheEndTrapsNamingWhereItFell() {
        ModuleBuilder m = new ModuleBuilder();
        m.memory(1);
        int load = m.type(List.of(ValType.I32), List.of(ValType.I64));
        int store = m.type(List.of(ValType.I32, ValType.I32), List.of());
        m.exportFunction("load", m.function(load, List.of(), new ModuleBuilder.Code()
                .localGet(0).op(Opcodes.I64_LOAD).u32(3).u32(8)));
        m.exportFunction("store", m.function(store, List.of(), new ModuleBuilder.Code()
                .localGet(0).localGet(1).op(Opcodes.I32_STORE16).u32(1).u32(0)));
        Instance instance = TestModules.instantiate(m.build());

        assertEquals(0L, instance.function("load").call(65536 - 16)[0]);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("load").call(65536 - 15));
        assertEquals("out of bounds memory access: 8 bytes at 65521 + 8, memory size 65536", trap.getMessage());
        trap = assertThrows(WasmTrap.class, () -> instance.function("store").call(-1, 7));
        assertEquals("out of bounds memory access: 2 bytes at 4294967295, memory size 65536", trap.getMessage());
        instance.function("store").call(65534, 7);
    }

    private static Method findByName(String name) {
        for (Method method : MemoryAccess.class.getMethods()) {
            if (method.getName().equals(name)) return method;
        }
        throw new AssertionError("no helper " + name);
    }

    /** The bytecode length of each public static method of {@code type}. */
    private static Map<String, Integer> codeLengths(Class<?> type) throws IOException {
        byte[] classFile;
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            classFile = in.readAllBytes();
        }
        Map<String, Integer> all = CodeSizes.of(classFile);
        Map<String, Integer> lengths = new HashMap<>();
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && Modifier.isStatic(method.getModifiers())) {
                lengths.put(method.getName(), all.get(method.getName()));
            }
        }
        assertFalse(lengths.isEmpty(), type + " has no helpers");
        return lengths;
    }
}
