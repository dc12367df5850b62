package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.wasm2jvm.compiler.code.Opcodes.BLOCK;
import static dev.wasm2jvm.compiler.code.Opcodes.F64_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.F64_CONVERT_I64_S;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_AND;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_EQ;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_LT_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_MUL;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ROTL;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_SUB;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_WRAP_I64;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_XOR;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_EXTEND_I32_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_MUL;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_REINTERPRET_F64;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_ROTL;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_XOR;
import static dev.wasm2jvm.compiler.code.Opcodes.IF;
import static dev.wasm2jvm.compiler.code.Opcodes.LOOP;
import static dev.wasm2jvm.compiler.code.Opcodes.RETURN;
import static dev.wasm2jvm.compiler.module.ValType.F64;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functions far larger than HotSpot compiles (8000 bytes of bytecode), which the compiler splits
 * into many methods: each test checks that every method fits and that the split function computes
 * exactly what a Java model of the same code does.
 */
class HugeFunctionTest {

    /** Cases of the switch: a nest of as many blocks, in a body of about 300 KB. */
    private static final int CASES = 20_000;

    /**
     * Far more groups of states than the nest's method calls itself, some of whose cases return
     * from the function: it enters them through {@link GroupDispatch}'s methods, which hand their
     * returns back as such.
     */
    @Test
    void switchOverTwentyThousandCases() {
        byte[] wasm = switchModule(CASES, true);
        assertTrue(wasm.length > 300_000, "module of " + wasm.length + " bytes");
        checkSwitch(compile(wasm, "$groups_").function("f"), CASES, true);
    }

    /**
     * A nest of many groups of states, some of whose cases return from the function: the nest's
     * method calls every group itself, from a switch, and hands their returns back as such.
     */
    @Test
    void casesReturningFromManyGroupsOfStates() {
        int cases = 2000;
        CompiledModule compiled = WasmCompiler.compile(switchModule(cases, true));
        assertFits(compiled);
        long groups = compiled.classFiles().values().stream()
                .flatMap(c -> CodeSizes.of(c).keySet().stream()).filter(name -> name.contains("$states_")).count();
        assertTrue(groups > 2 && groups <= GroupDispatch.MAX_GROUPS_IN_NEST, groups + " groups");
        assertTrue(compiled.classFiles().values().stream()
                .noneMatch(c -> CodeSizes.of(c).keySet().stream().anyMatch(name -> name.contains("$groups_"))));
        checkSwitch(compiled.instantiate(new Imports()).function("f"), cases, true);
    }

    private static void checkSwitch(FuncRef f, int cases, boolean returns) {
        int[] indexes = {0, 1, 2, 6, 7, 8, 9, 17, cases / 2, cases / 2 + 6, cases / 2 + 7, cases - 11, cases - 2, cases - 1,
                cases, cases + 1, -1};
        for (int index : indexes) {
            for (int x : new int[] {0, 1, -7, 123_456_789}) {
                assertEquals(switchModel(cases, returns, index, x), (int) f.call(index, x)[0], "f(" + index + ", " + x + ")");
            }
        }
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int index = random.nextInt(cases + 10);
            int x = random.nextInt();
            assertEquals(switchModel(cases, returns, index, x), (int) f.call(index, x)[0], "f(" + index + ", " + x + ")");
        }
    }

    /**
     * {@code f(index, x)}: starting from {@code acc = x}, a br_table on {@code index} enters case
     * {@code index} (or the default), and each case changes acc its own way, then leaves the switch,
     * falls into the next case, skips to a later case, or leaves only when acc is odd; with
     * {@code returns}, every tenth case from the eighth returns acc from the function.
     */
    private static byte[] switchModule(int cases, boolean returns) {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32, I32), List.of(I32));
        Code c = new Code();
        c.localGet(1).localSet(2);
        c.block(BLOCK, null);
        c.block(BLOCK, null);
        for (int i = 0; i < cases; i++) c.block(BLOCK, null);
        int[] labels = new int[cases];
        for (int i = 0; i < cases; i++) labels[i] = i;
        c.localGet(0).brTable(labels, cases);
        // Case i follows the end of the i-th block from the inside; label j there is case i + 1 + j,
        // label cases - 1 - i the default and cases - i the end of the switch.
        for (int i = 0; i < cases; i++) {
            c.end();
            c.localGet(2);
            switch (i % 4) {
                case 0 -> c.i32Const(7 * i + 3).op(I32_MUL);
                case 1 -> c.i32Const(7 * i + 3).op(I32_XOR);
                case 2 -> c.i32Const(7 * i + 3).op(I32_ADD);
                default -> c.i32Const(i % 31 + 1).op(I32_ROTL);
            }
            c.localSet(2);
            switch (i % 10) {
                case 6 -> { }
                case 7 -> {
                    if (returns) c.localGet(2).op(RETURN);
                }
                case 8 -> c.br(skip(cases, i) - 1);
                case 9 -> c.localGet(2).i32Const(1).op(I32_AND).brIf(cases - i);
                default -> c.br(cases - i);
            }
        }
        c.end();
        c.localGet(2).i32Const(12_345).op(I32_SUB).localSet(2);
        c.end();
        c.localGet(2);
        b.exportFunction("f", b.function(type, List.of(I32), c));
        return b.build();
    }

    /** How many cases on case {@code i} of kind 8 jumps, at most to the default. */
    private static int skip(int cases, int i) {
        return Math.min(1 + i % 5, cases - i);
    }

    private static int switchModel(int cases, boolean returns, int index, int x) {
        int acc = x;
        int c = Integer.compareUnsigned(index, cases) < 0 ? index : cases;
        while (c < cases) {
            int k = 7 * c + 3;
            acc = switch (c % 4) {
                case 0 -> acc * k;
                case 1 -> acc ^ k;
                case 2 -> acc + k;
                default -> Integer.rotateLeft(acc, c % 31 + 1);
            };
            switch (c % 10) {
                case 6 -> c++;
                case 7 -> {
                    if (returns) return acc;
                    c++;
                }
                case 8 -> c += skip(cases, c);
                case 9 -> {
                    if ((acc & 1) != 0) return acc;
                    c++;
                }
                default -> {
                    return acc;
                }
            }
        }
        return acc - 12_345;
    }

    /** Steps of the chain of {@link #carriedModule()}. */
    private static final int STEPS = 4000;

    @Test
    void valuesCarriedAcrossCuts() {
        CompiledModule compiled = WasmCompiler.compile(carriedModule());
        assertFits(compiled);
        assertTrue(compiled.classFiles().values().stream().anyMatch(c -> new String(c, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("(DJL")), "a sequence takes an f64 and an i64 from the stack");
        FuncRef f = compiled.instantiate(new Imports()).function("f");
        for (long x : new long[] {0, 1, -1, 0x0123_4567_89AB_CDEFL, Long.MIN_VALUE}) {
            assertEquals(carriedModel(x), (long) f.call(x)[0], "f(" + x + ")");
        }
    }

    /**
     * {@code f(x)}: one expression that keeps {@code (f64) x} at the bottom of the stack while a long
     * chain of i64 steps above it goes through four locals, then adds the two.
     */
    private static byte[] carriedModule() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I64), List.of(I64));
        Code c = new Code();
        c.localGet(0).op(F64_CONVERT_I64_S).localGet(0);
        for (int j = 0; j < STEPS; j++) {
            c.i64Const(2 * j + 1).op(I64_MUL).localGet(1 + j % 4).op(I64_XOR).localTee(1 + (j + 1) % 4)
                    .i64Const(j % 63 + 1).op(I64_ROTL);
        }
        c.op(F64_CONVERT_I64_S).op(F64_ADD).op(I64_REINTERPRET_F64);
        b.exportFunction("f", b.function(type, List.of(I64, I64, I64, I64), c));
        return b.build();
    }

    private static long carriedModel(long x) {
        long[] locals = new long[5];
        long v = x;
        for (int j = 0; j < STEPS; j++) {
            v = (v * (2L * j + 1)) ^ locals[1 + j % 4];
            locals[1 + (j + 1) % 4] = v;
            v = Long.rotateLeft(v, j % 63 + 1);
        }
        return Double.doubleToRawLongBits((double) x + (double) v);
    }

    /** Steps of each half of the loop body of {@link #loopModule()}. */
    private static final int HALF = 1500;

    @Test
    void loopSpanningCuts() {
        FuncRef f = compile(loopModule(), "$seq_").function("f");
        for (int n : new int[] {0, 1, 3, 5, 6, 20}) {
            for (int x : new int[] {0, 17, -123_456}) {
                assertEquals(loopModel(n, x), (int) f.call(n, x)[0], "f(" + n + ", " + x + ")");
            }
        }
    }

    /**
     * {@code f(n, x)}: a loop of {@code n} rounds (at least one) whose long body updates two locals,
     * and leaves the loop from its middle in round 5.
     */
    private static byte[] loopModule() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32, I32), List.of(I32));
        Code c = new Code();
        c.localGet(1).localSet(3);
        c.block(BLOCK, null).block(LOOP, null);
        loopHalf(c, 0);
        c.localGet(2).i32Const(5).op(I32_EQ).brIf(1);
        loopHalf(c, HALF);
        c.localGet(2).i32Const(1).op(I32_ADD).localTee(2).localGet(0).op(I32_LT_U).brIf(0);
        c.end().end();
        c.localGet(3).localGet(4).op(I32_ADD);
        b.exportFunction("f", b.function(type, List.of(I32, I32, I32), c));
        return b.build();
    }

    private static void loopHalf(Code c, int from) {
        for (int j = from; j < from + HALF; j++) {
            c.localGet(3).i32Const(2 * j + 1).op(I32_MUL).localGet(2).op(I32_ADD).localTee(3)
                    .localGet(4).op(I32_XOR).localSet(4);
        }
    }

    private static int loopModel(int n, int x) {
        int a = x;
        int b = 0;
        for (int i = 0; ; ) {
            for (int j = 0; j < 2 * HALF; j++) {
                a = a * (2 * j + 1) + i;
                b = a ^ b;
                if (j == HALF - 1 && i == 5) return a + b;
            }
            i++;
            if (Integer.compareUnsigned(i, n) >= 0) return a + b;
        }
    }

    /** Steps of each filler of {@link #exitsModule()}. */
    private static final int FILL = 800;

    @Test
    void farExitsWithValuesAndReturns() {
        FuncRef f = compile(exitsModule(), "$if_").function("f");
        for (int selector = 0; selector <= 4; selector++) {
            for (int x : new int[] {0, 3, -99_999}) {
                assertEquals(exitsModel(selector, x), (int) f.call(selector, x)[0], "f(" + selector + ", " + x + ")");
            }
        }
    }

    /**
     * {@code f(selector, x)}: long straight code in nested blocks, from which selector 1 leaves
     * the outermost block with two values from inside an {@code if}, selector 2 returns from inside
     * another, and selector 3 leaves the middle block.
     */
    static byte[] exitsModule() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32, I32), List.of(I32));
        int pair = b.type(List.of(), List.of(I32, I64));
        Code c = new Code();
        c.localGet(1).localSet(2);
        c.block(BLOCK, pair).block(BLOCK, null).block(BLOCK, null);
        fill(c, 1);
        c.localGet(0).i32Const(1).op(I32_EQ).block(IF, null);
        fill(c, 2);
        c.localGet(2).localGet(2).op(I64_EXTEND_I32_U).i64Const(1L << 40).op(I64_ADD).br(3).end();
        fill(c, 3);
        c.localGet(0).i32Const(2).op(I32_EQ).block(IF, null);
        fill(c, 4);
        c.localGet(2).op(RETURN).end();
        fill(c, 5);
        c.localGet(0).i32Const(3).op(I32_EQ).brIf(1);
        fill(c, 6);
        c.end();
        c.localGet(2).i32Const(100).op(I32_ADD).localSet(2);
        c.end();
        c.localGet(2).i64Const(7).end();
        // [i32 a, i64 b] -> a * 7 + (i32) b
        c.localSet(3).i32Const(7).op(I32_MUL).localGet(3).op(I32_WRAP_I64).op(I32_ADD);
        b.exportFunction("f", b.function(type, List.of(I32, I64), c));
        return b.build();
    }

    private static void fill(Code c, int seed) {
        for (int j = 0; j < FILL; j++) c.localGet(2).i32Const(seed * 1000 + j).op(I32_MUL).i32Const(j).op(I32_XOR).localSet(2);
    }

    private static int fillModel(int v, int seed) {
        for (int j = 0; j < FILL; j++) v = (v * (seed * 1000 + j)) ^ j;
        return v;
    }

    static int exitsModel(int selector, int x) {
        int v = fillModel(x, 1);
        if (selector == 1) {
            v = fillModel(v, 2);
            return v * 7 + (int) (Integer.toUnsignedLong(v) + (1L << 40));
        }
        v = fillModel(v, 3);
        if (selector == 2) return fillModel(v, 4);
        v = fillModel(v, 5);
        if (selector != 3) {
            v = fillModel(v, 6);
            v += 100;
        }
        return v * 7 + 7;
    }

    /** Compiles {@code wasm}, checks that every method fits and that some are named with {@code part}. */
    private static dev.wasm2jvm.runtime.Instance compile(byte[] wasm, String part) {
        CompiledModule compiled = WasmCompiler.compile(wasm);
        assertFits(compiled);
        boolean split = compiled.classFiles().values().stream()
                .anyMatch(c -> CodeSizes.of(c).keySet().stream().anyMatch(name -> name.contains(part)));
        assertTrue(split, "a method named with " + part);
        return compiled.instantiate(new Imports());
    }

    private static void assertFits(CompiledModule compiled) {
        for (Map.Entry<String, byte[]> c : compiled.classFiles().entrySet()) {
            for (Map.Entry<String, Integer> m : CodeSizes.of(c.getValue()).entrySet()) {
                if (m.getKey().startsWith("<")) continue;
                assertTrue(m.getValue() <= JvmLimits.HUGE_METHOD, c.getKey() + "." + m.getKey() + " has " + m.getValue() + " bytes");
            }
        }
    }
}
