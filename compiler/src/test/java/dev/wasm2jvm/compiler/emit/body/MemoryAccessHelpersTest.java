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
import dev.wasm2jvm.runtime.internal.CompactAccess;
import dev.wasm2jvm.runtime.internal.CompactUncheckedAccess;
import dev.wasm2jvm.runtime.internal.MemoryAccess;
import dev.wasm2jvm.runtime.internal.MemoryAccess64;
import dev.wasm2jvm.runtime.internal.UncheckedAccess;
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
                    : MemoryAccess.class.getMethod(name, int.class, int.class, dev.wasm2jvm.runtime.Memory.class);
            assertTrue(Modifier.isStatic(helper.getModifiers()), name);
        }
        assertEquals(List.of("i32Load", "i64Load", "f32Load", "f64Load", "i32Load8S", "i32Load8U", "i32Load16S",
                "i32Load16U", "i64Load8S", "i64Load8U", "i64Load16S", "i64Load16U", "i64Load32S", "i64Load32U",
                "i32Store", "i64Store", "f32Store", "f64Store", "i32Store8", "i32Store16", "i64Store8", "i64Store16",
                "i64Store32"), names);
    }

    /**
     * What C2 inlines of one access on the Unsafe path, in bytecode bytes: the helper and the bounds
     * check it calls in its own class (the FFM twin is behind a static final C2 folds; the trap is
     * never parsed; Unsafe's accessors and {@code Objects.checkIndex} are intrinsics). C2 stops
     * inlining into a method past {@code DesiredMethodLimit}, 8000 bytes of inlined bytecode: an
     * access through the FFM API brought about 720 (ten accesses inlined per method, the rest left
     * as calls); at this budget a method inlines at least 60.
     */
    private static final int INLINED_BYTES_PER_ACCESS = 128;

    /**
     * The design the helpers' size serves: every access inlines in C2 as a range check and one
     * Unsafe access. C1 calls the checked helpers (their stack is beyond its inlining limit, and
     * inlined they measured slower: {@code MemoryAccess.i32Load}'s comment); what made C1 give up on
     * access-dense methods ("out of virtual registers") was the FFM API's var handle tree it inlined
     * per access, not a few bytes of Unsafe access.
     */
    @Test
    void everyHelperIsAnUnsafeAccessAfterABoundsCheckSmallEnoughToInlineEverywhere() throws IOException {
        Map<String, Helper> helpers = helpers(MemoryAccess.class);
        assertEquals(LOADS_AND_STORES.length + 4L, publicCount(helpers), helpers::toString);
        assertTinyFastPaths(MemoryAccess.class, "dev/wasm2jvm/runtime/internal/MemoryAccessFfm", helpers);
    }

    /**
     * The 64-bit twins and the halves of v128.load/store keep the same budget and take the
     * {@code Memory} as the 32-bit helpers do; effectiveAddress is for inlining.
     */
    @Test
    void everyMemory64HelperIsATwinSmallEnoughToInlineEverywhere() throws IOException {
        Map<String, Helper> helpers = helpers(MemoryAccess64.class);
        for (int opcode : LOADS_AND_STORES) {
            RuntimeRefs.RuntimeMethod twin = RuntimeRefs.address64(MemoryEmitter.helper(opcode));
            assertTrue(helpers.containsKey(twin.name()), twin.name());
            assertTrue(twin.descriptor().startsWith("(J"), twin.descriptor());
            assertTrue(twin.descriptor().contains("JLdev/wasm2jvm/runtime/Memory;)"), twin.descriptor());
        }
        assertTinyFastPaths(MemoryAccess64.class, "dev/wasm2jvm/runtime/internal/MemoryAccess64Ffm", helpers);
        assertEquals(LOADS_AND_STORES.length + 5L, publicCount(helpers), helpers::toString);
    }

    /**
     * HotSpot's {@code C1InlineStackLimit} in tiered runs, less the one entry HotSpot counts beyond
     * a method's declared {@code max_stack}: C1 inlines no callee whose stack and locals beyond its
     * parameters hold more.
     */
    private static final int C1_STACK_ENTRIES = 4;

    /** What C2 inlines of a proven access: the twin and its address, at most half a checked access. */
    private static final int INLINED_BYTES_PER_PROVEN_ACCESS = INLINED_BYTES_PER_ACCESS / 2;

    /**
     * The twins of proven accesses ({@code ProvenAccesses}): one per load and store, named after it
     * and with its operands, no bounds check on the Unsafe path (the FFM path keeps its own), half
     * the bytecode of a checked access or less against C2's inlining budget, and, like the checked
     * helpers, beyond what C1 inlines: twins that C1 inlined doubled C1's code ({@code UncheckedAccess}
     * has the figures).
     */
    @Test
    void everyUncheckedTwinIsAnUnsafeAccessWithoutACheckThatC1Calls() throws IOException {
        Map<String, Helper> helpers = helpers(UncheckedAccess.class);
        Map<String, Integer> entries = stackEntries(UncheckedAccess.class);
        for (int opcode : LOADS_AND_STORES) {
            RuntimeRefs.RuntimeMethod twin = RuntimeRefs.unchecked(MemoryEmitter.helper(opcode));
            assertEquals(MemoryEmitter.helper(opcode).descriptor(), twin.descriptor(), twin.name());
        }
        assertEquals(LOADS_AND_STORES.length, publicCount(helpers), helpers::toString);
        String owner = Type.getInternalName(UncheckedAccess.class);
        helpers.forEach((name, helper) -> {
            if (!helper.isPublic) return;
            assertTrue(helper.calls.contains("dev/wasm2jvm/runtime/internal/MemoryAccessFfm." + name), name);
            assertTrue(accessesThroughUnsafe(helper, owner, helpers), name + " accesses memory through Unsafe");
            assertTrue(entries.get(name) > C1_STACK_ENTRIES, name + " holds " + entries.get(name));
            int inlined = helper.size;
            for (String call : helper.calls) {
                assertFalse(call.contains("checkIndex") || call.endsWith("nativeAddress"), name + " calls " + call);
                if (call.startsWith(owner + ".")) inlined += helpers.get(call.substring(owner.length() + 1)).size;
            }
            assertTrue(inlined <= INLINED_BYTES_PER_PROVEN_ACCESS, name + " inlines " + inlined + " bytes");
        });
    }

    /**
     * The compact helpers of bodies without branches ({@code StraightLine}): one per load and store
     * with the operands of its {@code MemoryAccess} twin but a {@code long} offset, each one flat
     * method (nothing of its own class to inline), smaller than what C2 inlines of its twin (87 bytes
     * for {@code MemoryAccess.i64Load} with {@code nativeAddress} and {@code Objects.checkIndex}, 59
     * for {@code UncheckedAccess.i64Load} with its address and {@code Integer.toUnsignedLong}),
     * falling back on that twin where {@code Unsafe} is not exported, and beyond what C1 inlines.
     */
    @Test
    void everyCompactHelperIsOneFlatMethodThatC1Calls() throws IOException {
        checkCompact(CompactAccess.class, false, "dev/wasm2jvm/runtime/internal/MemoryAccess", 70, 1);
        checkCompact(CompactUncheckedAccess.class, true, "dev/wasm2jvm/runtime/internal/UncheckedAccess", 45, 0);
    }

    /** {@code __multi3}'s two stores in one, with one bounds check: smaller than two compact stores. */
    @Test
    void theI128StoreIsSmallerThanTwoCompactStores() throws IOException {
        Map<String, Helper> helpers = helpers(CompactAccess.class);
        assertTrue(helpers.get("i128Store").size < helpers.get("i64Store").size + helpers(CompactUncheckedAccess.class).get("i64Store").size);
        assertEquals("(IJJLdev/wasm2jvm/runtime/Memory;)V", RuntimeRefs.I128_STORE.descriptor());
    }

    private static void checkCompact(Class<?> type, boolean proven, String fallback, int maxBytes, int others) throws IOException {
        Map<String, Helper> helpers = helpers(type);
        Map<String, Integer> entries = stackEntries(type);
        String owner = Type.getInternalName(type);
        for (int opcode : LOADS_AND_STORES) {
            RuntimeRefs.RuntimeMethod helper = MemoryEmitter.helper(opcode);
            RuntimeRefs.RuntimeMethod compact = RuntimeRefs.compact(helper, proven);
            assertEquals(owner, compact.owner());
            assertEquals(helper.descriptor().replace("ILdev/wasm2jvm/runtime/Memory;)", "JLdev/wasm2jvm/runtime/Memory;)"),
                    compact.descriptor(), compact.name());
            Helper code = helpers.get(compact.name());
            assertTrue(code.calls.contains(fallback + "." + compact.name()), compact.name() + " falls back on its twin");
            assertTrue(accessesThroughUnsafe(code, owner, helpers), compact.name());
            for (String call : code.calls) {
                assertFalse(call.startsWith(owner + ".") && !call.endsWith(".outOfBounds"), compact.name() + " calls " + call);
            }
            assertTrue(code.size <= maxBytes, compact.name() + " has " + code.size + " bytes");
            assertTrue(entries.get(compact.name()) > C1_STACK_ENTRIES, compact.name() + " holds " + entries.get(compact.name()));
        }
        assertEquals(LOADS_AND_STORES.length + others, publicCount(helpers), helpers::toString);
    }

    /** Of each static method of {@code type}, its declared max_stack plus its locals beyond its parameters. */
    private static Map<String, Integer> stackEntries(Class<?> type) throws IOException {
        byte[] classFile;
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            classFile = in.readAllBytes();
        }
        Map<String, Integer> entries = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                int parameters = Type.getArgumentsAndReturnSizes(descriptor) >> 2;
                return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        entries.put(name, maxStack + maxLocals - (parameters - 1));
                    }
                };
            }
        }, 0);
        return entries;
    }

    private static void assertTinyFastPaths(Class<?> type, String fallback, Map<String, Helper> all) {
        String owner = Type.getInternalName(type);
        all.forEach((name, helper) -> {
            if (!helper.isPublic || name.equals("effectiveAddress")) return;
            assertTrue(helper.calls.contains(fallback + "." + name), name + " falls back on its FFM twin");
            int inlined = helper.size;
            for (String call : helper.calls) {
                boolean unsafe = call.startsWith("jdk/internal/misc/Unsafe.");
                boolean bits = call.matches("java/lang/(Float|Double)\\.\\w+Bits\\w*");
                boolean check = call.startsWith(owner + ".");
                // The FFM twin's operand, the memory's segment, which Memory makes on first use.
                boolean segment = call.equals("dev/wasm2jvm/runtime/Memory.segment");
                assertTrue(unsafe || bits || check || segment || call.equals(fallback + "." + name), name + " calls " + call);
                if (check) inlined += boundsCheckSize(call, owner, all);
            }
            assertTrue(inlined <= INLINED_BYTES_PER_ACCESS, name + " inlines " + inlined + " bytes");
            assertTrue(accessesThroughUnsafe(helper, owner, all), name + " accesses memory through Unsafe");
        });
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
