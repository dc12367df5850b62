package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.split.CodeSizes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.V128;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.Simd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_ADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F64X2_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_ADD_SAT_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_DOT_I16X8_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_NARROW_I16X8_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTMUL_LOW_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_EXTMUL_HIGH_I16X8_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I64X2_EXTMUL_LOW_I32X4_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SWIZZLE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_LT_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_NEAREST;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_LOW_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I64X2_EXTEND_HIGH_I32X4_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_DEMOTE_F64X2_ZERO;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHR_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I64X2_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_BITMASK;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_ABS;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F64X2_NEG;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_NEG;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_ADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_ABS;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_NEG;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_BITSELECT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_SPLAT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_XOR;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_RELAXED_MADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_RELAXED_MIN;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F64X2_RELAXED_NMADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_RELAXED_DOT_I8X16_I7X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_RELAXED_Q15MULR_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_RELAXED_TRUNC_F32X4_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_RELAXED_TRUNC_F64X2_S_ZERO;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I64X2_RELAXED_LANESELECT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_RELAXED_SWIZZLE;
import static dev.wasm2jvm.compiler.module.ValType.V128;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * v128 values wherever a value type can be (parameters, results, locals, blocks, branches, select,
 * globals, host functions, {@code call_indirect}, several results, the typed facade, functions split
 * into many methods), and the allocation-free representation of SIMD code. The instructions
 * themselves are checked lane by lane by the spec's {@code simd_*} scripts.
 */
class SimdEmitterTest {
    @TempDir
    Path classes;

    /** The i32x4 vector of lanes {@code a b c d}. */
    private static V128 i32x4(int a, int b, int c, int d) {
        return new V128((a & 0xFFFF_FFFFL) | (long) b << 32, (c & 0xFFFF_FFFFL) | (long) d << 32);
    }

    private static Instance vectors(V128 base, FuncRef twice) {
        Imports imports = new Imports()
                .add("host", "twice", twice)
                .add("host", "base", Global.ofRef('v', base, false));
        return WasmCompiler.compile(TestModules.resource("simd/vectors.wasm")).instantiate(imports);
    }

    private static Instance vectors() {
        return vectors(i32x4(0, 0, 0, 0), FuncRef.host("iv:v", args -> new Object[] {args[1]}));
    }

    @Test
    void parametersResultsAndCallIndirectCarryVectors() {
        Instance instance = vectors();
        V128 a = i32x4(1, -2, 3, Integer.MAX_VALUE);
        V128 b = i32x4(10, 20, -30, 1);
        assertEquals(i32x4(11, 18, -27, Integer.MIN_VALUE), instance.function("add").call(a, b)[0]);
        assertEquals(i32x4(11, 18, -27, Integer.MIN_VALUE), instance.function("apply").call(0, a, b)[0]);
        assertEquals(i32x4(-9, -22, 33, Integer.MAX_VALUE - 1), instance.function("apply").call(1, a, b)[0]);
    }

    @Test
    void aVectorLocalLivesThroughALoopAndLeavesByABranch() {
        FuncRef sumTo = vectors().function("sum_to");
        assertEquals(i32x4(0, 0, 0, 0), sumTo.call(0)[0]);
        assertEquals(i32x4(5050, 5050, 5050, 5050), sumTo.call(100)[0]);
    }

    @Test
    void blocksTakeAndReturnVectorsAndSelectPicksOne() {
        FuncRef swapPick = vectors().function("swap_pick");
        V128 a = i32x4(1, 2, 3, 4);
        V128 b = i32x4(0x7F, 0x100, 0, -1);
        // Inside the block $a and $b are swapped: select keeps its first operand, now b, when c != 0.
        V128 sum = i32x4(0x80, 0x102, 3, 0xFFFF_FF03);
        assertArrayEquals(new Object[] {b, sum}, swapPick.call(a, b, 1));
        assertArrayEquals(new Object[] {a, sum}, swapPick.call(a, b, 0));
    }

    @Test
    void hostFunctionsTakeAndReturnVectors() {
        FuncRef twice = FuncRef.host("iv:v", args -> {
            V128 x = (V128) args[1];
            int times = (Integer) args[0];
            return new Object[] {new V128(x.low() * times, x.high() * times)};
        });
        Instance instance = vectors(i32x4(0, 0, 0, 0), twice);
        assertEquals(new V128(21, -3), instance.function("host_twice").call(new V128(7, -1))[0]);
    }

    @Test
    void globalsHoldVectorsExportedImportedAndPrivate() {
        Instance instance = vectors(i32x4(100, 200, 300, 400), FuncRef.host("iv:v", args -> new Object[] {args[1]}));
        instance.function("accumulate").call(new V128(1, 2));
        instance.function("accumulate").call(new V128(10, -2));
        Global acc = instance.global("acc");
        assertEquals(new V128(11, 0), acc.get());
        assertEquals(i32x4(111, 200, 300, 400), instance.function("private_plus_base").call()[0]);
    }

    @Test
    void aSimdLoopAllocatesNothing() {
        Instance instance = vectors();
        Memory memory = instance.memory("memory");
        int lanes = 16_000;
        for (int i = 0; i < lanes; i++) memory.segment().set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, i);
        FuncRef laneSum = instance.function("lane_sum");
        int expected = 3 * (lanes * (lanes - 1) / 2);
        for (int i = 0; i < 200; i++) assertEquals(expected, laneSum.call(lanes)[0]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) laneSum.call(lanes);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // 10 calls run 40,000 iterations of five SIMD instructions; the calls' own boxing is a few hundred bytes.
        assertTrue(allocated < 20_000, allocated + " bytes allocated");
    }

    @Test
    void theTypedFacadeTakesAndReturnsV128() throws Throwable {
        WasmCompiler.compile(TestModules.resource("simd/vectors.wasm"), "com.example.Vectors").writeTo(classes);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> vectors = loader.loadClass("com.example.Vectors");
            Method add = vectors.getMethod("add", V128.class, V128.class);
            assertEquals(V128.class, add.getReturnType());
            Class<?> hostInterface = loader.loadClass("com.example.Vectors$Imports");
            Object host = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {hostInterface},
                    (proxy, method, args) -> method.isDefault() ? null : args[1]);
            Imports imports = new Imports().add("host", "base", Global.ofRef('v', i32x4(0, 0, 0, 0), false));
            Object instance = vectors.getMethod("instantiate", hostInterface, Imports.class).invoke(null, host, imports);
            assertEquals(i32x4(3, 5, 7, 9), add.invoke(instance, i32x4(1, 2, 3, 4), i32x4(2, 3, 4, 5)));
            Method hostTwice = vectors.getMethod("host_twice", V128.class);
            assertEquals(i32x4(6, 7, 8, 9), hostTwice.invoke(instance, i32x4(6, 7, 8, 9)));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void anAccessPartlyPastTheEndTrapsAndAStoreWritesNothing() {
        Instance instance = vectors();
        Memory memory = instance.memory("memory");
        V128 x = new V128(0x0807_0605_0403_0201L, 0x100F_0E0D_0C0B_0A09L);
        instance.function("store").call(65536 - 17, x);
        assertEquals(x, instance.function("load").call(65536 - 17)[0]);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("load").call(65536 - 16));
        assertEquals("out of bounds memory access: 16 bytes at 65520 + 1, memory size 65536", trap.getMessage());
        trap = assertThrows(WasmTrap.class, () -> instance.function("store").call(65536 - 10, new V128(-1, -1)));
        assertEquals("out of bounds memory access: 16 bytes at 65526 + 1, memory size 65536", trap.getMessage());
        assertEquals(0x100F_0E0D_0C0B_0A09L, memory.segment().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 65536 - 8),
                "the store that traps writes none of its bytes");
    }

    /** Every helper is at most {@code FreqInlineSize} (325) bytes of bytecode. */
    @Test
    void everySimdHelperIsSmallEnoughForC2ToInline() throws IOException {
        byte[] classFile;
        try (InputStream in = Simd.class.getResourceAsStream("Simd.class")) {
            classFile = in.readAllBytes();
        }
        Map<String, Integer> sizes = CodeSizes.of(classFile);
        assertTrue(sizes.size() > 150, sizes.size() + " methods");
        sizes.forEach((name, size) -> assertTrue(size <= 325, name + " has " + size + " bytes of code, which C2 does not inline"));
    }

    /**
     * The helpers of the instructions that intgemm's and BLAKE3's hot loops run make no call of
     * another method of {@code Simd}: the interpreter pays about as much for a call as for twenty
     * bytecodes, and C1 inlines none of those private helpers, so each would be a call in C1's code
     * as well.
     */
    @Test
    void theHotHelpersCallNoOtherHelper() throws IOException {
        byte[] classFile;
        try (InputStream in = Simd.class.getResourceAsStream("Simd.class")) {
            classFile = in.readAllBytes();
        }
        List<String> hot = List.of("i8x16AddSatS", "i8x16AddSatU", "i8x16SubSatS", "i8x16SubSatU", "i16x8AddSatS",
                "i16x8AddSatU", "i16x8SubSatS", "i16x8SubSatU", "i8x16MinS", "i8x16MinU", "i8x16MaxS", "i8x16MaxU",
                "i16x8MinS", "i16x8MinU", "i16x8MaxS", "i16x8MaxU", "i16x8Mul", "i32x4DotI16x8S", "widenI8S", "widenI8U",
                "f32x4Add", "f32x4Sub", "f32x4Mul", "f32x4Div", "f32x4Nearest", "i32x4TruncSatF32x4S",
                "f32x4ConvertI32x4S");
        Map<String, List<String>> callees = new java.util.HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                List<String> calls = new java.util.ArrayList<>();
                callees.put(name, calls);
                return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String type, boolean itf) {
                        if (owner.equals(SimdEmitter.SIMD)) calls.add(callee);
                    }
                };
            }
        }, 0);
        for (String helper : hot) {
            assertTrue(callees.containsKey(helper), helper + " is a helper");
            assertEquals(List.of(), callees.get(helper), helper + " calls other helpers");
        }
    }

    /**
     * The instructions that are a few bytecodes a half are emitted as bytecode, not as calls: an
     * interpreted call costs as much as twenty simple bytecodes, and C2 counts a helper's bytecode
     * against its inlining budget. The function also computes something checkable.
     */
    @Test
    void cheapInstructionsAreBytecodeNotHelperCalls() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128, ValType.I32), List.of(V128));
        Code c = new Code().localGet(0);
        for (int opcode : new int[] {I8X16_NEG, I8X16_ABS, I16X8_NEG, F32X4_ABS, F64X2_NEG}) simd(c, opcode);
        for (int opcode : new int[] {I8X16_SHL, I16X8_SHR_U, I32X4_SHL}) {
            c.localGet(1);
            simd(c, opcode);
        }
        c.localGet(0);
        simd(c, I32X4_MUL);
        c.localGet(1);
        simd(c, I32X4_SPLAT);
        c.localGet(0);
        simd(c, V128_BITSELECT);
        c.localGet(0);
        simd(c, V128_XOR);
        b.exportFunction("f", b.function(type, List.of(), c));
        CompiledModule compiled = WasmCompiler.compile(b.build());
        assertEquals(List.of(), simdCalls(compiled).stream().filter(callee -> !callee.equals("box")).toList());
        // Lanes of 1: neg -1, abs 1, neg per i16 0xFFFF, f32 abs 0x7FFF_FFFF..., checked as a whole.
        V128 ones = new V128(0x0101_0101_0101_0101L, 0x0101_0101_0101_0101L);
        V128 result = (V128) compiled.instantiate(new Imports()).function("f").call(ones, 3)[0];
        assertEquals(expectedCheap(ones.low(), 3), result.low());
        assertEquals(expectedCheap(ones.high(), 3), result.high());
    }

    /** The methods of {@code Simd} that the classes of {@code compiled} call, once a call. */
    static List<String> simdCalls(CompiledModule compiled) {
        List<String> calls = new java.util.ArrayList<>();
        for (byte[] classFile : compiled.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String callee, String type, boolean itf) {
                            if (owner.equals(SimdEmitter.SIMD)) calls.add(callee);
                        }
                    };
                }
            }, 0);
        }
        return calls;
    }

    /**
     * A lane shift whose count is the {@code i32.const} right before it has the count and the mask
     * compiled in; it shifts as the same shift by a count in a local, every count taken modulo the
     * lane width, and a constant not right before the shift (a {@code nop} between) is a count like
     * any other.
     */
    @Test
    void aShiftByAConstantShiftsAsByTheSameCountInALocal() {
        int[] shifts = {I8X16_SHL, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_U, I32X4_SHL, I32X4_SHR_U};
        int[] counts = {0, 1, 7, 8, 13, 16, 31, 32, 33, -1};
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128, ValType.I32), List.of(V128));
        for (int opcode : shifts) {
            b.exportFunction("local" + opcode, b.function(type, List.of(), shift(new Code().localGet(0).localGet(1), opcode)));
            for (int count : counts) {
                b.exportFunction(opcode + "by" + count,
                        b.function(type, List.of(), shift(new Code().localGet(0).i32Const(count), opcode)));
            }
            b.exportFunction("nop" + opcode,
                    b.function(type, List.of(), shift(new Code().localGet(0).i32Const(5).op(0x01), opcode)));
        }
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        V128 x = new V128(0x8877_6655_4433_2211L, 0xF0E1_D2C3_B4A5_9687L);
        for (int opcode : shifts) {
            for (int count : counts) {
                V128 expected = (V128) instance.function("local" + opcode).call(x, count)[0];
                assertEquals(expected, instance.function(opcode + "by" + count).call(x, 0)[0], opcode + " by " + count);
            }
            assertEquals(instance.function("local" + opcode).call(x, 5)[0], instance.function("nop" + opcode).call(x, 0)[0]);
        }
        // The lanes themselves, against Java's shifts: i16 lanes by 13, i32 lanes by 33 (1).
        V128 i16 = (V128) instance.function(I16X8_SHR_U + "by13").call(x, 0)[0];
        for (int lane = 0; lane < 4; lane++) {
            assertEquals((x.low() >>> 16 * lane & 0xFFFF) >>> 13, i16.low() >>> 16 * lane & 0xFFFF);
        }
        V128 i32 = (V128) instance.function(I32X4_SHL + "by33").call(x, 0)[0];
        assertEquals(i32x4((int) x.low() << 1, (int) (x.low() >>> 32) << 1, (int) x.high() << 1, (int) (x.high() >>> 32) << 1), i32);
    }

    private static Code shift(Code c, int opcode) {
        simd(c, opcode);
        return c;
    }

    /**
     * The split plan weighs a SIMD instruction by the calls {@link JvmLimits#simdCallWeight} says it
     * makes; these are the calls its code makes, for each kind of lowering.
     */
    @Test
    void simdCallWeightsAreTheCallsEmitted() {
        int[] binary = {I8X16_ADD_SAT_S, I16X8_MUL, I32X4_DOT_I16X8_S, V128_XOR, I32X4_MUL, F32X4_ADD, F64X2_MUL,
                I8X16_NARROW_I16X8_S, I16X8_EXTMUL_LOW_I8X16_S, I32X4_EXTMUL_HIGH_I16X8_U, I64X2_EXTMUL_LOW_I32X4_U,
                I8X16_SWIZZLE, I16X8_LT_S};
        int[] unary = {I8X16_NEG, F32X4_NEAREST, I16X8_EXTEND_LOW_I8X16_S, I64X2_EXTEND_HIGH_I32X4_S,
                F32X4_DEMOTE_F64X2_ZERO, I8X16_ABS};
        for (int opcode : binary) assertCalls(opcode, List.of(V128, V128), V128);
        for (int opcode : unary) assertCalls(opcode, List.of(V128), V128);
        for (int opcode : new int[] {I8X16_SHR_S, I32X4_SHL, I64X2_SHR_U}) assertCalls(opcode, List.of(V128, ValType.I32), V128);
        assertCalls(I8X16_BITMASK, List.of(V128), ValType.I32);
        assertCalls(I32X4_SPLAT, List.of(ValType.I32), V128);
        for (int opcode : new int[] {I8X16_RELAXED_SWIZZLE, F32X4_RELAXED_MIN, I16X8_RELAXED_Q15MULR_S,
                I16X8_RELAXED_DOT_I8X16_I7X16_S}) {
            assertCalls(opcode, List.of(V128, V128), V128);
        }
        for (int opcode : new int[] {I32X4_RELAXED_TRUNC_F32X4_U, I32X4_RELAXED_TRUNC_F64X2_S_ZERO}) {
            assertCalls(opcode, List.of(V128), V128);
        }
        for (int opcode : new int[] {F32X4_RELAXED_MADD, F64X2_RELAXED_NMADD, I64X2_RELAXED_LANESELECT,
                I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S}) {
            assertCalls(opcode, List.of(V128, V128, V128), V128);
        }
    }

    private static void assertCalls(int opcode, List<ValType> params, ValType result) {
        ModuleBuilder b = new ModuleBuilder();
        Code c = new Code();
        for (int i = 0; i < params.size(); i++) c.localGet(i);
        simd(c, opcode);
        b.exportFunction("f", b.function(b.type(params, List.of(result)), List.of(), c));
        int[] calls = {0};
        for (byte[] classFile : WasmCompiler.compile(b.build()).classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int op, String owner, String callee, String type, boolean itf) {
                            if (owner.equals(SimdEmitter.SIMD) && !callee.equals("box")) calls[0]++;
                        }
                    };
                }
            }, 0);
        }
        assertEquals(JvmLimits.simdCallWeight(opcode), calls[0], dev.wasm2jvm.compiler.code.Opcodes.name(opcode));
    }

    /** The vector of 16 bytes {@code b}, lane 0 first. */
    private static V128 bytes(int... b) {
        long low = 0, high = 0;
        for (int i = 0; i < 8; i++) {
            low |= (b[i] & 0xFFL) << 8 * i;
            high |= (b[i + 8] & 0xFFL) << 8 * i;
        }
        return new V128(low, high);
    }

    private static V128 f32x4(float a, float b, float c, float d) {
        return i32x4(Float.floatToRawIntBits(a), Float.floatToRawIntBits(b), Float.floatToRawIntBits(c), Float.floatToRawIntBits(d));
    }

    private static V128 f64x2(double a, double b) {
        return new V128(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b));
    }

    /**
     * Each relaxed instruction gives its deterministic-profile result where the spec permits
     * others (the alternative each would give is in the comments), the same on every call: the
     * calls are repeated until the generated code and the helpers are compiled by C1 and C2, and
     * every result is compared with the interpreted first one.
     */
    @Test
    void relaxedInstructionsGiveTheDeterministicProfilesResultInEveryTier() {
        float x = 1 + 0x1p-23f;
        double y = 1 + 0x1p-52;
        float nan = Float.intBitsToFloat(0x7FC0_0000);
        List<Object[]> cases = List.of(
                // Indices past 15 select 0, not lane index % 16; a negative one 0 in any case.
                new Object[] {I8X16_RELAXED_SWIZZLE,
                        new V128[] {bytes(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31),
                                bytes(0, 15, 16, 17, 31, 0x7F, 0x80, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8)},
                        bytes(16, 31, 0, 0, 0, 0, 0, 0, 17, 18, 19, 20, 21, 22, 23, 24)},
                // NaN to 0, out of range saturated, not 0x8000_0000 or all ones.
                new Object[] {I32X4_RELAXED_TRUNC_F32X4_U, new V128[] {f32x4(nan, -1.5f, 5e9f, 3e9f)},
                        i32x4(0, 0, -1, (int) 3_000_000_000L)},
                new Object[] {I32X4_RELAXED_TRUNC_F64X2_S_ZERO, new V128[] {f64x2(Double.NaN, -1e10)},
                        i32x4(0, Integer.MIN_VALUE, 0, 0)},
                // Unfused: x * x rounded to 1 + 2^-22 first, so 0 where a fused multiply-add gives 2^-46.
                new Object[] {F32X4_RELAXED_MADD,
                        new V128[] {f32x4(x, x, -0f, 2), f32x4(x, x, 1, 3), f32x4(-(1 + 0x1p-22f), -(1 + 0x1p-22f), -0f, 1)},
                        f32x4(0, 0, -0f, 7)},
                new Object[] {F64X2_RELAXED_NMADD, new V128[] {f64x2(y, 0), f64x2(y, 1), f64x2(1 + 0x1p-51, -0.0)},
                        f64x2(0, -0.0)},
                // Every bit of the mask selects, not only each lane's top bit.
                new Object[] {I64X2_RELAXED_LANESELECT,
                        new V128[] {new V128(-1, -1), new V128(0, 0), new V128(0x0F0F, Long.MIN_VALUE)},
                        new V128(0x0F0F, Long.MIN_VALUE)},
                // The canonical NaN from either operand, -0 below +0.
                new Object[] {F32X4_RELAXED_MIN, new V128[] {f32x4(nan, 1, 0f, -0f), f32x4(1, nan, -0f, 0f)},
                        f32x4(nan, nan, -0f, -0f)},
                // -32768 squared saturates to 32767, not -32768.
                new Object[] {I16X8_RELAXED_Q15MULR_S,
                        new V128[] {new V128(0x8000, 0), new V128(0x8000, 0)}, new V128(0x7FFF, 0)},
                // 0x81 is -127, not 129; -128 * -128 twice saturates.
                new Object[] {I16X8_RELAXED_DOT_I8X16_I7X16_S,
                        new V128[] {new V128(0x8080_0101L, 0), new V128(0x8080_8181L, 0)},
                        new V128(0x7FFF_FF02L, 0)},
                new Object[] {I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S,
                        new V128[] {new V128(0x8080_8080L, 0x0101_0101L), new V128(0x8080_8080L, 0x8181_8181L), i32x4(5, 0, 1, 0)},
                        i32x4(2 * 32767 + 5, 0, 1 - 4 * 127, 0)});
        ModuleBuilder b = new ModuleBuilder();
        for (Object[] c : cases) {
            int opcode = (int) c[0];
            int arity = ((V128[]) c[1]).length;
            Code code = new Code();
            for (int i = 0; i < arity; i++) code.localGet(i);
            simd(code, opcode);
            b.exportFunction(dev.wasm2jvm.compiler.code.Opcodes.name(opcode),
                    b.function(b.type(Collections.nCopies(arity, V128), List.of(V128)), List.of(), code));
        }
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        for (int round = 0; round < 20_000; round++) {
            for (Object[] c : cases) {
                String name = dev.wasm2jvm.compiler.code.Opcodes.name((int) c[0]);
                V128 result = (V128) instance.function(name).call((Object[]) c[1])[0];
                V128 expected = (V128) c[2];
                if (result.low() != expected.low() || result.high() != expected.high()) {
                    assertEquals(expected.low() + ", " + expected.high(), result.low() + ", " + result.high(), name + " in round " + round);
                }
            }
        }
    }

    /** {@link #cheapInstructionsAreBytecodeNotHelperCalls}'s function on one half, lane by lane. */
    private static long expectedCheap(long x, int n) {
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) (Math.abs((byte) -(byte) (x >>> 8 * i)) & 0xFF) << 8 * i;
        long w = 0;
        for (int i = 0; i < 4; i++) w |= (long) (-(short) (v >>> 16 * i) & 0xFFFF) << 16 * i;
        w &= 0x7FFF_FFFF_7FFF_FFFFL;
        w ^= Long.MIN_VALUE;
        long s = 0;
        for (int i = 0; i < 8; i++) s |= (long) (((byte) (w >>> 8 * i) << (n & 7)) & 0xFF) << 8 * i;
        long t = 0;
        for (int i = 0; i < 4; i++) t |= (long) ((((int) (s >>> 16 * i) & 0xFFFF) >>> (n & 15)) & 0xFFFF) << 16 * i;
        long u = (long) ((int) t << n) & 0xFFFF_FFFFL | (long) ((int) (t >>> 32) << n) << 32;
        long m = (long) ((int) u * (int) x) & 0xFFFF_FFFFL | (long) ((int) (u >>> 32) * (int) (x >>> 32)) << 32;
        long splat = (n & 0xFFFF_FFFFL) * 0x0000_0001_0000_0001L;
        long selected = (m & x) | (splat & ~x);
        return selected ^ x;
    }

    /** v128 parameters past the 253 slots a method handle call takes (four each): {@code BoxedArguments}. */
    private static final int WIDE_PARAMS = 70;

    @Test
    void aWideFunctionTakesItsVectorsBoxed() {
        ModuleBuilder b = new ModuleBuilder();
        List<ValType> params = Collections.nCopies(WIDE_PARAMS, V128);
        int wide = b.type(params, List.of(V128));
        Code sum = new Code().localGet(0);
        for (int i = 1; i < WIDE_PARAMS; i++) {
            sum.localGet(i);
            simd(sum, I32X4_ADD);
        }
        int f = b.function(wide, List.of(), sum);
        b.exportFunction("sum", f);
        Code caller = new Code();
        for (int i = 0; i < WIDE_PARAMS; i++) {
            caller.localGet(0);
            caller.i32Const(i);
            simd(caller, I32X4_SPLAT);
            simd(caller, I32X4_MUL);
        }
        caller.call(f);
        b.exportFunction("weighted", b.function(b.type(List.of(V128), List.of(V128)), List.of(), caller));
        Instance instance = TestModules.instantiate(b.build());
        Object[] args = new Object[WIDE_PARAMS];
        for (int i = 0; i < WIDE_PARAMS; i++) args[i] = i32x4(i, -i, 2 * i, 1);
        int total = WIDE_PARAMS * (WIDE_PARAMS - 1) / 2;
        assertEquals(i32x4(total, -total, 2 * total, WIDE_PARAMS), instance.function("sum").call(args)[0]);
        assertEquals(i32x4(total, 2 * total, -total, 0), instance.function("weighted").call(i32x4(1, 2, -1, 0))[0]);
    }

    /** Steps of the chain of {@link #splitModule()}. */
    private static final int STEPS = 1500;

    @Test
    void vectorsCrossTheCutsOfASplitFunction() {
        CompiledModule compiled = WasmCompiler.compile(splitModule());
        int sequences = 0;
        for (Map.Entry<String, byte[]> c : compiled.classFiles().entrySet()) {
            for (Map.Entry<String, Integer> m : CodeSizes.of(c.getValue()).entrySet()) {
                if (m.getKey().startsWith("<")) continue;
                if (m.getKey().contains("$seq_")) sequences++;
                assertTrue(m.getValue() <= JvmLimits.HUGE_METHOD, c.getKey() + "." + m.getKey() + " has " + m.getValue() + " bytes");
            }
        }
        assertTrue(sequences > 1, sequences + " outlined sequences");
        FuncRef f = compiled.instantiate(new Imports()).function("f");
        for (int[] x : new int[][] {{0, 0, 0, 0}, {1, 2, 3, 4}, {-1, Integer.MIN_VALUE, 77, 123_456_789}}) {
            assertEquals(splitModel(x), f.call(i32x4(x[0], x[1], x[2], x[3]))[0]);
        }
        // The sequences pass their v128 operands and exit values in long fields of the frame.
        V128 x = i32x4(5, 6, 7, 8);
        for (int i = 0; i < 50; i++) f.call(x);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) f.call(x);
        long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        // A call makes its frame object and boxes its argument and result (1.6 kB here); a V128 per
        // sequence exit, which this guards against, made it 9 kB.
        assertTrue(perCall < 4000, perCall + " bytes per call of " + sequences + " sequences");
    }

    /**
     * {@code f(x)}: keeps {@code x} at the bottom of the stack while a long chain of i32x4 steps above
     * it goes through four v128 locals, then xors the two.
     */
    private static byte[] splitModule() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128), List.of(V128));
        Code c = new Code();
        c.localGet(0).localGet(0);
        for (int j = 0; j < STEPS; j++) {
            c.i32Const(2 * j + 1);
            simd(c, I32X4_SPLAT);
            simd(c, I32X4_MUL);
            c.localGet(1 + j % 4);
            simd(c, V128_XOR);
            c.localTee(1 + (j + 1) % 4);
            c.i32Const(j);
            simd(c, I32X4_SPLAT);
            simd(c, I32X4_ADD);
        }
        simd(c, V128_XOR);
        b.exportFunction("f", b.function(type, List.of(V128, V128, V128, V128), c));
        return b.build();
    }

    private static void simd(Code c, int opcode) {
        c.u8(0xFD).u32(opcode & 0xFFF);
    }

    private static V128 splitModel(int[] x) {
        int[][] locals = new int[5][4];
        int[] v = x.clone();
        for (int j = 0; j < STEPS; j++) {
            for (int lane = 0; lane < 4; lane++) v[lane] = v[lane] * (2 * j + 1) ^ locals[1 + j % 4][lane];
            locals[1 + (j + 1) % 4] = v.clone();
            for (int lane = 0; lane < 4; lane++) v[lane] += j;
        }
        return i32x4(v[0] ^ x[0], v[1] ^ x[1], v[2] ^ x[2], v[3] ^ x[3]);
    }
}
