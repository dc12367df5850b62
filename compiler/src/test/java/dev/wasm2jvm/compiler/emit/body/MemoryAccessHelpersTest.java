package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.split.CodeSizes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract between the memory emitter and the runtime's {@code MemoryAccess} helpers. */
class MemoryAccessHelpersTest {
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

    /**
     * What C2 inlines of one access on the Unsafe path of a 32-bit memory, in bytecode bytes: the
     * helper, its address method and the segment's two accessors ({@code address}, {@code byteSize}),
     * which C2 counts against {@code DesiredMethodLimit}, 8000 bytes of inlined bytecode per method;
     * the FFM twin behind a static final C2 folds counts too, the Unsafe access and
     * {@code Preconditions.checkIndex} are intrinsics, which count nothing, and the trap is never
     * parsed. An access through the FFM API brought about 720 (ten accesses inlined per method, the
     * rest left as calls), a bounds check that caught an exception 117; at this budget a method
     * inlines at least 94.
     */
    private static final int INLINED_BYTES_PER_ACCESS = 85;

    /** The 64-bit twins, whose bounds checks are shared methods: at this budget a method inlines at least 57. */
    private static final int INLINED_BYTES_PER_ACCESS_64 = 140;

    /** HotSpot's {@code MaxInlineSize}: C2 inlines callees of up to this much bytecode at any call site that runs. */
    private static final int MAX_INLINE_SIZE = 35;

    /** The bytecode of {@code NativeMemorySegmentImpl.address()} and {@code byteSize()}, each a field read. */
    private static final int ACCESSOR_BYTES = 5;

    /**
     * The design the helpers' size serves: every access inlines in C2, wherever it runs, as a range
     * check and one Unsafe access: a helper small enough for a cold call site, whose address method,
     * the check written out flat, is a call C2 always finds frequent.
     */
    @Test
    void everyHelperIsAnUnsafeAccessAfterABoundsCheckSmallEnoughToInlineEverywhere() throws IOException {
        Map<String, Helper> helpers = helpers(MemoryAccess.class);
        assertEquals(LOADS_AND_STORES.length + 4L, publicCount(helpers), helpers::toString);
        assertTinyFastPaths(MemoryAccess.class, "dev/wasm2jvm/runtime/internal/MemoryAccessFfm", helpers,
                INLINED_BYTES_PER_ACCESS);
        String owner = Type.getInternalName(MemoryAccess.class);
        helpers.forEach((name, helper) -> {
            if (!helper.isPublic) return;
            assertTrue(helper.size <= MAX_INLINE_SIZE, name + " has " + helper.size + " bytes of code");
            List<String> own = helper.calls.stream().filter(call -> call.startsWith(owner + ".")).toList();
            assertEquals(1, own.size(), name + " calls " + own);
            Helper address = helpers.get(own.getFirst().substring(owner.length() + 1));
            assertTrue(address.calls.contains("jdk/internal/util/Preconditions.checkIndex"), name + " checks its bounds");
            assertTrue(address.calls.stream().noneMatch(call -> call.startsWith(owner + ".")), own + " calls on");
        });
    }

    /** The 64-bit twins and the halves of v128.load/store keep their budget; effectiveAddress is for inlining. */
    @Test
    void everyMemory64HelperIsATwinSmallEnoughToInlineEverywhere() throws IOException {
        Map<String, Helper> helpers = helpers(MemoryAccess64.class);
        for (int opcode : LOADS_AND_STORES) {
            RuntimeRefs.RuntimeMethod twin = RuntimeRefs.address64(MemoryEmitter.helper(opcode));
            assertTrue(helpers.containsKey(twin.name()), twin.name());
            assertTrue(twin.descriptor().startsWith("(J"), twin.descriptor());
        }
        assertTinyFastPaths(MemoryAccess64.class, "dev/wasm2jvm/runtime/internal/MemoryAccess64Ffm", helpers,
                INLINED_BYTES_PER_ACCESS_64);
        assertEquals(LOADS_AND_STORES.length + 5L, publicCount(helpers), helpers::toString);
    }

    private static void assertTinyFastPaths(Class<?> type, String fallback, Map<String, Helper> all, int budget) {
        String owner = Type.getInternalName(type);
        all.forEach((name, helper) -> {
            if (!helper.isPublic || name.equals("effectiveAddress")) return;
            assertTrue(helper.calls.contains(fallback + "." + name), name + " falls back on its FFM twin");
            int inlined = helper.size;
            for (String call : helper.calls) {
                boolean unsafe = call.startsWith("jdk/internal/misc/Unsafe.");
                boolean bits = call.matches("java/lang/(Float|Double)\\.\\w+Bits\\w*");
                boolean intrinsic = call.equals("jdk/internal/util/Preconditions.checkIndex");
                boolean accessor = isAccessor(call);
                boolean check = call.startsWith(owner + ".");
                assertTrue(unsafe || bits || intrinsic || accessor || check || call.equals(fallback + "." + name),
                        name + " calls " + call);
                if (accessor) inlined += ACCESSOR_BYTES;
                if (check) inlined += boundsCheckSize(call, owner, all);
            }
            assertTrue(inlined <= budget, name + " inlines " + inlined + " bytes");
            assertTrue(accessesThroughUnsafe(helper, owner, all), name + " accesses memory through Unsafe");
        });
    }

    /** Whether {@code call} reads the segment's address or size. */
    private static boolean isAccessor(String call) {
        return call.matches("java/lang/foreign/MemorySegment\\.(address|byteSize)");
    }

    /** Whether {@code helper}, or one of its class's methods it calls, gets or puts through Unsafe. */
    private static boolean accessesThroughUnsafe(Helper helper, String owner, Map<String, Helper> all) {
        for (String call : helper.calls) {
            if (call.matches("jdk/internal/misc/Unsafe\\.(get|put)\\w+")) return true;
            Helper callee = call.startsWith(owner + ".") ? all.get(call.substring(owner.length() + 1)) : null;
            if (callee != null && callee != helper && accessesThroughUnsafe(callee, owner, all)) return true;
        }
        return false;
    }

    /** The bytecode a bounds check inlines: itself and what it calls in the same classes, but not the trap. */
    private static int boundsCheckSize(String call, String owner, Map<String, Helper> all) {
        String name = call.substring(call.indexOf('.') + 1);
        if (name.equals("outOfBounds")) return 0;
        Helper helper = all.get(name);
        if (helper == null) return 0;
        int size = helper.size;
        for (String inner : helper.calls) {
            if (inner.startsWith(owner + ".") && !inner.equals(call)) size += boundsCheckSize(inner, owner, all);
            if (isAccessor(inner)) size += ACCESSOR_BYTES;
        }
        return size;
    }

    /** The FFM fallbacks are the helpers of before, which C2 inlines when hot. */
    @Test
    void everyFfmFallbackIsInlinedByC2() throws IOException, ClassNotFoundException {
        for (String name : List.of("MemoryAccessFfm", "MemoryAccess64Ffm")) {
            Class<?> type = Class.forName("dev.wasm2jvm.runtime.internal." + name);
            Map<String, Helper> helpers = helpers(type);
            assertTrue(helpers.size() >= LOADS_AND_STORES.length, name);
            helpers.forEach((method, helper) -> assertTrue(helper.size <= FREQ_INLINE_SIZE,
                    name + "." + method + " has " + helper.size + " bytes of code, which C2 does not inline"));
        }
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
        assertEquals("out of bounds memory access: 8 bytes at 65529, memory size 65536", trap.getMessage());
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

    private static long publicCount(Map<String, Helper> helpers) {
        return helpers.values().stream().filter(Helper::isPublic).count();
    }

    /** A method's bytecode length, whether it is public, and the methods it invokes as owner.name. */
    private record Helper(int size, boolean isPublic, Set<String> calls) {}

    /** Every static method of {@code type}, by name (the class has no overloads). */
    private static Map<String, Helper> helpers(Class<?> type) throws IOException {
        byte[] classFile;
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            classFile = in.readAllBytes();
        }
        Map<String, Integer> sizes = CodeSizes.of(classFile);
        Map<String, Helper> helpers = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if ((access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0 || name.startsWith("<")) return null;
                Set<String> calls = new HashSet<>();
                helpers.put(name, new Helper(sizes.get(name), (access & org.objectweb.asm.Opcodes.ACC_PUBLIC) != 0, calls));
                return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        calls.add(owner + "." + method);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
        assertFalse(helpers.isEmpty(), type + " has no helpers");
        return helpers;
    }
}
