package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.V128;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_ADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.F32X4_SQRT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_ADD_SAT_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTMUL_LOW_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_LT_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_NARROW_I32X4_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_SHL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_ADD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_EXTEND_HIGH_I16X8_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_EXTRACT_LANE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I32X4_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I64X2_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_ABS;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_EXTRACT_LANE_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHR_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHUFFLE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SUB;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SWIZZLE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_ANDNOT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_BITSELECT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_LOAD;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_STORE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_XOR;
import static dev.wasm2jvm.compiler.module.ValType.V128;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIMD instructions that read the {@code v128} locals a {@code local.get} right before them
 * pushed in place compute what they compute from the JVM stack: each form is checked against the
 * same instruction with a {@code nop} before it, which no match passes over, on random vectors.
 */
class InPlaceOperandsTest {
    private static final int NOP = 0x01;
    private static final int[] BINARY = {I32X4_ADD, I8X16_SUB, I32X4_MUL, V128_XOR, V128_ANDNOT, I64X2_MUL,
            I16X8_ADD_SAT_S, F32X4_ADD, I16X8_LT_S, I16X8_EXTMUL_LOW_I8X16_S, I8X16_SWIZZLE, I16X8_NARROW_I32X4_S};
    private static final int[] UNARY = {I8X16_ABS, F32X4_SQRT, I32X4_EXTEND_HIGH_I16X8_S};
    private static final byte[] LANES = {31, 0, 17, 2, 3, 19, 8, 9, 24, 25, 26, 27, 4, 5, 6, 7};

    /**
     * Binary instructions with both operands in place, the top one alone, and the same local twice;
     * unary ones, {@code v128.bitselect} with its top two in place, a shuffle, lane extractions,
     * shifts by a constant (0 among the counts) and {@code v128.store}: the same results as the
     * instruction reading its operands from the stack.
     */
    @Test
    void operandsReadInPlaceGiveTheResultsOfOperandsOnTheStack() {
        ModuleBuilder b = new ModuleBuilder();
        b.memory(1);
        int binary = b.type(List.of(V128, V128, V128), List.of(V128));
        List<String> pairs = new ArrayList<>();
        for (int opcode : BINARY) {
            pairs.add(pair(b, binary, "both" + opcode, new Code().localGet(0).localGet(1), new Code().localGet(0).localGet(1).op(NOP), opcode));
            pairs.add(pair(b, binary, "top" + opcode, new Code().localGet(0).op(NOP).localGet(1), new Code().localGet(0).localGet(1).op(NOP), opcode));
            pairs.add(pair(b, binary, "same" + opcode, new Code().localGet(2).localGet(2), new Code().localGet(2).localGet(2).op(NOP), opcode));
        }
        for (int opcode : new int[] {I32X4_ADD, V128_XOR, I8X16_SWIZZLE}) {
            // The sum stays in local 2, which the instruction reads in place, and is the result's first operand.
            Code sum = simd(new Code().localGet(0).localGet(1).op(NOP), I32X4_ADD);
            Code sumOnStack = simd(new Code().localGet(0).localGet(1).op(NOP), I32X4_ADD);
            pairs.add(pair(b, binary, "tee" + opcode, sum.localTee(2).localGet(2), sumOnStack.localTee(2).op(NOP).localGet(2).op(NOP), opcode));
        }
        for (int opcode : UNARY) {
            pairs.add(pair(b, binary, "unary" + opcode, new Code().localGet(1), new Code().localGet(1).op(NOP), opcode));
        }
        pairs.add(pair(b, binary, "bitselect", new Code().localGet(0).localGet(1).localGet(2),
                new Code().localGet(0).localGet(1).localGet(2).op(NOP), V128_BITSELECT));
        int extract = b.type(List.of(V128, V128, V128), List.of(ValType.I32));
        pairs.add(pair(b, extract, "lane3", new Code().localGet(1), new Code().localGet(1).op(NOP), I32X4_EXTRACT_LANE, 3));
        pairs.add(pair(b, extract, "lane9", new Code().localGet(2), new Code().localGet(2).op(NOP), I8X16_EXTRACT_LANE_S, 9));
        Code shuffle = simd(new Code().localGet(0).localGet(1), I8X16_SHUFFLE).raw(LANES);
        b.exportFunction("shuffle", b.function(binary, List.of(), shuffle));
        b.exportFunction("shuffle!", b.function(binary, List.of(), simd(new Code().localGet(0).localGet(1).op(NOP), I8X16_SHUFFLE).raw(LANES)));
        pairs.add("shuffle");
        for (int opcode : new int[] {I8X16_SHR_U, I16X8_SHL, I32X4_SHR_U}) {
            for (int count : new int[] {0, 3, 33}) {
                pairs.add(pair(b, binary, opcode + "by" + count, new Code().localGet(1).i32Const(count),
                        new Code().localGet(1).i32Const(count).op(NOP), opcode));
                // A rotation as ChaCha's: the tee'd operand read in place by the shift, then again.
                Code rotate = simd(simd(new Code().localGet(1).localTee(2).i32Const(count), opcode)
                        .localGet(2).i32Const(32 - count), I32X4_SHR_U);
                Code rotateOnStack = simd(simd(new Code().localGet(1).localTee(2).op(NOP).i32Const(count).op(NOP), opcode)
                        .localGet(2).i32Const(32 - count).op(NOP), I32X4_SHR_U).op(NOP);
                pairs.add(pair(b, binary, "rotate" + opcode + "by" + count, rotate, rotateOnStack, V128_XOR));
            }
        }
        b.exportFunction("store", b.function(binary, List.of(), storeAndLoad(new Code().i32Const(16).localGet(1))));
        b.exportFunction("store!", b.function(binary, List.of(), storeAndLoad(new Code().i32Const(16).localGet(1).op(NOP))));
        pairs.add("store");
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        Random random = new Random(12);
        for (int round = 0; round < 50; round++) {
            Object[] args = {vector(random), vector(random), vector(random)};
            for (String name : pairs) {
                assertEquals(instance.function(name + "!").call(args)[0], instance.function(name).call(args)[0], name);
            }
        }
    }

    /**
     * Locals past a function's first slots live in a value array, from which a {@code local.get}
     * loads them as before: the instruction reads in place the operands above them, and an operand
     * in a slot under one in an array is loaded first.
     */
    @Test
    void localsInValueArraysAreLoadedAndTheOperandsAboveThemReadInPlace() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128, V128), List.of(V128));
        List<ValType> locals = Collections.nCopies(600, V128);
        int far = 601;
        for (int opcode : new int[] {I32X4_ADD, V128_XOR, I16X8_ADD_SAT_S}) {
            b.exportFunction("farFirst" + opcode, b.function(type, locals,
                    simd(new Code().localGet(0).localSet(far).localGet(far).localGet(1), opcode)));
            b.exportFunction("farSecond" + opcode, b.function(type, locals,
                    simd(new Code().localGet(1).localSet(far).localGet(0).localGet(far), opcode)));
            b.exportFunction("near" + opcode, b.function(type, List.of(), simd(new Code().localGet(0).localGet(1).op(NOP), opcode)));
        }
        CompiledModule compiled = WasmCompiler.compile(b.build());
        Instance instance = compiled.instantiate(new Imports());
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            V128 x = vector(random);
            V128 y = vector(random);
            for (int opcode : new int[] {I32X4_ADD, V128_XOR, I16X8_ADD_SAT_S}) {
                Object expected = instance.function("near" + opcode).call(x, y)[0];
                assertEquals(expected, instance.function("farFirst" + opcode).call(x, y)[0]);
                assertEquals(expected, instance.function("farSecond" + opcode).call(x, y)[0]);
            }
        }
    }

    /**
     * {@code local.get a; local.get b; i32x4.add} stores nothing: the add reads both locals' halves
     * where they are, where moving them to scratch slots took four {@code lstore}s and four
     * {@code lload}s more.
     */
    @Test
    void anAddOfTwoLocalsStoresNothing() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128, V128), List.of(V128));
        b.exportFunction("f", b.function(type, List.of(), simd(new Code().localGet(0).localGet(1), I32X4_ADD)));
        List<int[]> methods = bytecodeCounts(WasmCompiler.compile(b.build()));
        // The method of f: the one whose bytecode adds longs, the halves.
        List<int[]> adding = methods.stream().filter(counts -> counts[Opcodes.LADD] > 0).toList();
        assertEquals(1, adding.size());
        assertEquals(0, adding.getFirst()[Opcodes.LSTORE]);
        assertTrue(adding.getFirst()[Opcodes.LLOAD] <= 8, "four loads a half");
    }

    /** For each method of {@code compiled}'s classes, how many of each bytecode it has, by opcode. */
    private static List<int[]> bytecodeCounts(CompiledModule compiled) {
        List<int[]> methods = new ArrayList<>();
        for (byte[] classFile : compiled.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    int[] counts = new int[256];
                    methods.add(counts);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int opcode) {
                            counts[opcode]++;
                        }

                        @Override
                        public void visitVarInsn(int opcode, int var) {
                            counts[opcode]++;
                        }
                    };
                }
            }, 0);
        }
        return methods;
    }

    /**
     * Exports {@code operands} then {@code opcode} (with a lane immediate if given) as {@code name},
     * and {@code onStack} then the same instruction as {@code name!}; returns {@code name}.
     */
    private static String pair(ModuleBuilder b, int type, String name, Code operands, Code onStack, int opcode, int... lane) {
        b.exportFunction(name, b.function(type, List.of(), withLane(simd(operands, opcode), lane)));
        b.exportFunction(name + "!", b.function(type, List.of(), withLane(simd(onStack, opcode), lane)));
        return name;
    }

    private static Code withLane(Code c, int[] lane) {
        return lane.length == 0 ? c : c.u8(lane[0]);
    }

    /** Stores the vector on the stack at the address under it, then loads it back from address 16. */
    private static Code storeAndLoad(Code c) {
        simd(c, V128_STORE).u32(0).u32(0);
        return simd(c.i32Const(16), V128_LOAD).u32(0).u32(0);
    }

    private static Code simd(Code c, int opcode) {
        return c.u8(0xFD).u32(opcode & 0xFFF);
    }

    private static V128 vector(Random random) {
        return new V128(random.nextLong(), random.nextLong());
    }
}
