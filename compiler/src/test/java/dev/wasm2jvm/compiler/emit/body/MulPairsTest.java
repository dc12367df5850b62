package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.V128;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_ADD_SAT_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_ADD_SAT_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_HIGH_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_LOW_I8X16_S;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_HIGH_I8X16_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_EXTEND_LOW_I8X16_U;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I16X8_MUL;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_ABS;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.I8X16_SHUFFLE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_ANY_TRUE;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_NOT;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_OR;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.V128_XOR;
import static dev.wasm2jvm.compiler.module.ValType.V128;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code pmaddubsw} idiom lowered as a whole computes the lanes its instructions compute one
 * by one, and only where it is exactly the idiom and the products it no longer writes are dead.
 * Each function takes the signed vector and the two multipliers, {@code (s, lo, hi) -> v128},
 * and where it accumulates, pushes {@code hi} first as the accumulator; its reference is the same
 * code with a {@code nop} between the {@code local.tee} and the idiom, which
 * {@code FunctionEmitter} lowers instruction by instruction.
 */
class MulPairsTest {
    private static final byte[] EVEN = {0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29};
    private static final byte[] ODD = {2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31};
    /** Locals past the parameters: the signed vector's {@code x}, the first product's {@code p}, and a spare one. */
    private static final int X = 3;
    private static final int P = 4;
    private static final int SPARE = 5;
    /** Locals for loops: whether the loop has run once, and a product read at its start. */
    private static final int RAN = 6;
    private static final int SEEN = 7;
    private static final String FUSED = "i16x8MulPairsAddSatS";
    private static final String ACCUMULATED = "i16x8AddSatSMulPairs";
    private static final String FUSED_BY_MAGNITUDES = "i16x8MulPairsByMagnitudes";
    private static final String ACCUMULATED_BY_MAGNITUDES = "i16x8AddSatSMulPairsByMagnitudes";

    /** The idiom's instructions, after {@code local.tee x}, with the locals and lanes given. */
    private static void idiom(Code c, int x, int low, int p, int high, int q, byte[] odd) {
        simd(c, I16X8_EXTEND_LOW_I8X16_S);
        c.localGet(low);
        simd(c, I16X8_MUL);
        c.localTee(p).localGet(x);
        simd(c, I16X8_EXTEND_HIGH_I8X16_S);
        c.localGet(high);
        simd(c, I16X8_MUL);
        c.localTee(q);
        shuffle(c, EVEN);
        c.localGet(p).localGet(q);
        shuffle(c, odd);
        simd(c, I16X8_ADD_SAT_S);
    }

    /**
     * The first step of intgemm's loops: {@code lo} and {@code hi} computed inside the idiom from
     * {@code |a|}, kept in {@code t}, with the locals given.
     */
    private static void computing(Code c, int x, int a, int t, int low, int p, int high, int q) {
        simd(c, I16X8_EXTEND_LOW_I8X16_S);
        c.localGet(a);
        simd(c, I8X16_ABS);
        c.localTee(t);
        simd(c, I16X8_EXTEND_LOW_I8X16_U);
        c.localTee(low);
        simd(c, I16X8_MUL);
        c.localTee(p).localGet(x);
        simd(c, I16X8_EXTEND_HIGH_I8X16_S);
        c.localGet(t);
        simd(c, I16X8_EXTEND_HIGH_I8X16_U);
        c.localTee(high);
        simd(c, I16X8_MUL);
        c.localTee(q);
        shuffle(c, EVEN);
        c.localGet(p).localGet(q);
        shuffle(c, ODD);
        simd(c, I16X8_ADD_SAT_S);
    }

    /** Reads the multipliers {@code lo} and {@code hi} after the idiom, into its result. */
    private static void readMultipliers(Code c, int low, int high) {
        c.localGet(low);
        simd(c, V128_XOR);
        c.localGet(high);
        simd(c, V128_XOR);
    }

    /**
     * intgemm's first step ({@code a} and {@code lo} one local, {@code hi} the signed vector's,
     * {@code t} the second product's) is fused, its multipliers written as its instructions write
     * them, and with its accumulation too.
     */
    @Test
    void theFormThatComputesItsMultipliersIsFused() {
        assertFusedAndExact(true, c -> {
            computing(c, X, 1, SPARE, 1, P, X, SPARE);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE);
            readMultipliers(c, 1, X);
        });
        assertAccumulatedAndExact(true, c -> {
            computing(c, X, 1, SPARE, 1, P, X, SPARE);
            simd(c, I16X8_ADD_SAT_S);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE);
            readMultipliers(c, 1, X);
        });
    }

    /** Where a local the form reads back is one it wrote in between, or where lo is hi, it is lowered one by one. */
    @Test
    void computedMultipliersNearMissesAreLoweredOneByOne() {
        // |a| read back from the first product.
        assertFusedAndExact(false, c -> {
            computing(c, X, 1, P, 2, P, SEEN, SPARE);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE);
            readMultipliers(c, 2, SEEN);
        });
        // lo and hi one local.
        assertFusedAndExact(false, c -> {
            computing(c, X, 1, SPARE, 2, P, 2, SPARE);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE);
            readMultipliers(c, 2, 2);
        });
        // The signed vector read back from lo.
        assertFusedAndExact(false, c -> {
            computing(c, X, 1, SPARE, X, P, 2, SPARE);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE);
            readMultipliers(c, X, 2);
        });
        // The second product read after the idiom.
        assertFusedAndExact(false, c -> {
            computing(c, X, 1, SPARE, 1, P, X, SPARE);
            c.localGet(SPARE);
            simd(c, V128_XOR);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE);
        });
    }

    /** intgemm's form: the second product goes to {@code x}, and both products are written next. */
    private static void intgemm(Code c) {
        idiom(c, X, 1, P, 2, X, ODD);
        overwriteProducts(c);
    }

    private static void overwriteProducts(Code c) {
        c.localGet(0).localSet(P).localGet(0).localSet(X);
    }

    @Test
    void intgemmsFormIsFusedAndComputesTheSameLanes() {
        assertFusedAndExact(true, MulPairsTest::intgemm);
    }

    /** intgemm's loops add each result to an accumulator under the signed vector: fused with the idiom. */
    @Test
    void theAdditionToAnAccumulatorIsFusedToo() {
        assertAccumulatedAndExact(true, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            simd(c, I16X8_ADD_SAT_S);
            overwriteProducts(c);
        });
    }

    /** An unsigned addition, or the signed one after a {@code nop}, is not the accumulation: lowered on its own. */
    @Test
    void anUnsignedAdditionIsNotFused() {
        assertAccumulatedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            simd(c, I16X8_ADD_SAT_U);
            overwriteProducts(c);
        });
        assertAccumulatedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.op(0x01);
            simd(c, I16X8_ADD_SAT_S);
            overwriteProducts(c);
        });
    }

    /** The accumulator's addition does not widen the proof: a product read after it keeps the idiom unfused. */
    @Test
    void aProductReadAfterTheAccumulationKeepsItsValue() {
        assertAccumulatedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            simd(c, I16X8_ADD_SAT_S);
            c.localGet(P);
            simd(c, V128_XOR);
            overwriteProducts(c);
        });
    }

    /** Where the second product goes to another local, {@code x} keeps the signed vector, which the code reads after. */
    @Test
    void theSignedVectorsLocalKeepsItsValue() {
        assertFusedAndExact(true, c -> {
            idiom(c, X, 1, P, 2, SPARE, ODD);
            c.localGet(0).localSet(P).localGet(0).localSet(SPARE).localGet(X);
            simd(c, V128_XOR);
        });
    }

    /** A multiplier may be the signed vector's local itself, which holds that vector when it is read. */
    @Test
    void aMultiplierMayBeTheSignedVector() {
        assertFusedAndExact(true, c -> {
            idiom(c, X, X, P, X, X, ODD);
            overwriteProducts(c);
        });
    }

    @Test
    void aProductReadAfterTheIdiomKeepsItsValue() {
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.localGet(P);
            simd(c, V128_XOR);
            overwriteProducts(c);
        });
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.localGet(0).localSet(P).localGet(X);
            simd(c, V128_XOR);
        });
    }

    /** The proof goes on into a block and past its end. */
    @Test
    void theProofFollowsABlock() {
        assertFusedAndExact(true, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.block(Opcodes.BLOCK, (ValType) null).end();
            overwriteProducts(c);
        });
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.block(Opcodes.BLOCK, (ValType) null).localGet(P).localSet(SPARE).end();
            overwriteProducts(c);
        });
    }

    /**
     * intgemm's last step: the products live until the loop's {@code br_if} back, whose next
     * iteration writes them again before it reads them; the loop runs twice.
     */
    @Test
    void theProofFollowsTheLoopsBranchBack() {
        assertLoopFusedAndExact(true, c -> { });
    }

    /** A product read at the loop's start, on its second iteration, keeps the products written. */
    @Test
    void aProductReadAfterTheBranchBackKeepsItsValue() {
        assertLoopFusedAndExact(false, c -> c.localGet(P).localSet(SEEN));
    }

    /** Every label of a {@code br_table} is followed: one whose code reads a product keeps it written. */
    @Test
    void theProofFollowsEachLabelOfABranchTable() {
        assertFusedAndExact(false, c -> branchTable(c, inner -> inner.localGet(P).localSet(SEEN)));
        assertFusedAndExact(true, c -> branchTable(c, MulPairsTest::overwriteProducts));
    }

    /**
     * The idiom, then a {@code br_table} by whether {@code lo} has a bit set: to {@code label0},
     * then the products written, or past both.
     */
    private static void branchTable(Code c, Consumer<Code> label0) {
        idiom(c, X, 1, P, 2, X, ODD);
        c.localSet(SPARE).block(Opcodes.BLOCK, (ValType) null).block(Opcodes.BLOCK, (ValType) null).localGet(1);
        simd(c, V128_ANY_TRUE);
        c.brTable(new int[] {0}, 1).end();
        label0.accept(c);
        c.end();
        overwriteProducts(c);
        c.localGet(SPARE).localGet(SEEN);
        simd(c, V128_XOR);
    }

    /** A branch to the function's label leaves it: its locals are read no more. */
    @Test
    void aBranchOutOfTheFunctionEndsTheProof() {
        assertFusedAndExact(true, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.br(0);
        });
    }

    /** An arm of an {@code if} that reads a product keeps it written, whichever arm runs. */
    @Test
    void theProofFollowsBothArmsOfAnIf() {
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.localGet(1);
            simd(c, V128_ANY_TRUE);
            c.block(Opcodes.IF, (ValType) null);
            overwriteProducts(c);
            c.op(Opcodes.ELSE).localGet(P).localSet(SPARE).end();
            overwriteProducts(c);
        });
        assertFusedAndExact(true, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.localGet(1);
            simd(c, V128_ANY_TRUE);
            c.block(Opcodes.IF, (ValType) null);
            overwriteProducts(c);
            c.op(Opcodes.ELSE).localGet(0).localSet(P).end();
            overwriteProducts(c);
        });
    }

    /**
     * From the end of an {@code if}'s first arm the proof goes on after the {@code if}, past the
     * {@code else} arm, which it must not decode as the body's.
     */
    @Test
    void anElseGoesOnAfterTheIf() {
        Consumer<Code> ifArm = c -> c.i32Const(1).block(Opcodes.IF, V128);
        assertFusedAndExact(true, ifArm, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.op(Opcodes.ELSE).localGet(P).end();
            overwriteProducts(c);
        });
        assertFusedAndExact(false, ifArm, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.op(Opcodes.ELSE).localGet(0).end().localGet(P);
            simd(c, V128_XOR);
            overwriteProducts(c);
        });
    }

    /**
     * The form that computes its multipliers calls the helpers for magnitudes, and so does a later
     * occurrence in the straight-line code after it that reads the same locals, with or without
     * its accumulation: intgemm's loops. Each occurrence stores its result in {@code SPARE}, and the
     * function returns their exclusive or.
     */
    @Test
    void occurrencesAfterTheOneThatComputesTheMultipliersUseTheirMagnitudes() {
        List<String> calls = assertTwoStepsExact(c -> { });
        assertEquals(4, calls.stream().filter(FUSED_BY_MAGNITUDES::equals).count(), calls::toString);
        assertEquals(false, calls.contains(FUSED), calls::toString);
    }

    /** A write of a multiplier, or a block, between the two occurrences: the second takes the general helper. */
    @Test
    void aWriteOfAMultiplierOrABranchTargetEndsTheMagnitudes() {
        List<String> written = assertTwoStepsExact(c -> c.localGet(0).localSet(2));
        assertEquals(List.of(FUSED_BY_MAGNITUDES, FUSED_BY_MAGNITUDES, FUSED, FUSED), fused(written), written::toString);
        List<String> writtenHigh = assertTwoStepsExact(c -> c.localGet(0).localSet(1));
        assertEquals(List.of(FUSED_BY_MAGNITUDES, FUSED_BY_MAGNITUDES, FUSED, FUSED), fused(writtenHigh), writtenHigh::toString);
        List<String> block = assertTwoStepsExact(c -> c.block(Opcodes.BLOCK, (ValType) null).end());
        assertEquals(List.of(FUSED_BY_MAGNITUDES, FUSED_BY_MAGNITUDES, FUSED, FUSED), fused(block), block::toString);
    }

    private static List<String> fused(List<String> calls) {
        return calls.stream().filter(c -> c.startsWith("i16x8MulPairs")).toList();
    }

    /**
     * Compiles two occurrences, the first computing {@code lo} (local 2) and {@code hi} (local 1)
     * from {@code |a|} (parameter 0), {@code between} them, and checks the lanes against the same
     * code with a {@code nop} before each occurrence, lowered one by one; returns the subject's
     * helper calls in order.
     */
    private static List<String> assertTwoStepsExact(Consumer<Code> between) {
        CompiledModule subject = twoSteps(between, false);
        CompiledModule reference = twoSteps(between, true);
        assertEquals(false, callsHelper(reference, FUSED), "the reference is lowered one by one");
        assertExact(subject, reference);
        return SimdEmitterTest.simdCalls(subject);
    }

    private static CompiledModule twoSteps(Consumer<Code> between, boolean reference) {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128, V128, V128), List.of(V128));
        Code c = new Code();
        c.localGet(1).localTee(X);
        if (reference) c.op(Opcodes.NOP);
        computing(c, X, 0, SPARE, 2, P, 1, SPARE);
        c.localSet(SEEN);
        between.accept(c);
        c.localGet(0).localTee(X);
        if (reference) c.op(Opcodes.NOP);
        idiom(c, X, 2, P, 1, X, ODD);
        c.localGet(SEEN);
        simd(c, V128_XOR);
        c.localGet(0).localSet(P).localGet(0).localSet(X).localGet(0).localSet(SPARE);
        b.exportFunction("f", b.function(type, List.of(V128, V128, V128, V128, V128), c));
        return WasmCompiler.compile(b.build());
    }

    @Test
    void nearMissesAreLoweredOneByOne() {
        byte[] odd = ODD.clone();
        odd[15] = 30;
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, P, 2, X, odd);
            overwriteProducts(c);
        });
        // The odd lanes gathered from another local than the first product.
        assertFusedAndExact(false, c -> {
            simd(c, I16X8_EXTEND_LOW_I8X16_S);
            c.localGet(1);
            simd(c, I16X8_MUL);
            c.localTee(P).localGet(X);
            simd(c, I16X8_EXTEND_HIGH_I8X16_S);
            c.localGet(2);
            simd(c, I16X8_MUL);
            c.localTee(X);
            shuffle(c, EVEN);
            c.localGet(1).localGet(X);
            shuffle(c, ODD);
            simd(c, I16X8_ADD_SAT_S);
            overwriteProducts(c);
        });
        // The second multiplier is the first product, which it is written before it is read.
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, P, P, X, ODD);
            overwriteProducts(c);
        });
        // The high half extended from the first product rather than the signed vector.
        assertFusedAndExact(false, c -> {
            idiom(c, X, 1, X, 2, SPARE, ODD);
            c.localGet(0).localSet(X).localGet(0).localSet(SPARE);
        });
    }

    /** As the one below, with nothing before the signed vector's {@code local.tee}. */
    private static void assertFusedAndExact(boolean fused, Consumer<Code> body) {
        assertFusedAndExact(fused, c -> { }, body);
    }

    /**
     * As {@link #assertFusedAndExact}, with {@code start} at the start of a loop around the idiom,
     * which stores its result, and branches back once after it.
     */
    private static void assertLoopFusedAndExact(boolean fused, Consumer<Code> start) {
        assertFusedAndExact(fused, c -> {
            c.block(Opcodes.LOOP, (ValType) null);
            start.accept(c);
        }, c -> {
            idiom(c, X, 1, P, 2, X, ODD);
            c.localSet(SPARE).localGet(RAN);
            simd(c, V128_ANY_TRUE);
            c.op(Opcodes.I32_EQZ).localGet(0).localGet(0);
            simd(c, V128_NOT);
            simd(c, V128_OR);
            c.localSet(RAN).brIf(0).end().localGet(SPARE).localGet(SEEN);
            simd(c, V128_XOR);
        });
    }

    /**
     * Compiles {@code body} after {@code before} and {@code local.get 0; local.tee x}, checks that
     * it calls the fused helper exactly when {@code fused} says, and that it gives the lanes of its
     * reference on edge and random vectors.
     */
    private static void assertFusedAndExact(boolean fused, Consumer<Code> before, Consumer<Code> body) {
        CompiledModule subject = module(before, body, false);
        CompiledModule reference = module(before, body, true);
        assertEquals(fused, callsHelper(subject, FUSED), "fused");
        assertEquals(false, callsHelper(reference, FUSED), "the reference is lowered one by one");
        assertExact(subject, reference);
    }

    /**
     * As {@link #assertFusedAndExact}, after {@code local.get hi} as the accumulator: whether it
     * calls the helper that adds to the accumulator, and the same lanes as the reference.
     */
    private static void assertAccumulatedAndExact(boolean fused, Consumer<Code> body) {
        CompiledModule subject = module(c -> c.localGet(2), body, false);
        CompiledModule reference = module(c -> c.localGet(2), body, true);
        assertEquals(fused, callsHelper(subject, ACCUMULATED), "fused with the accumulation");
        assertEquals(false, callsHelper(reference, ACCUMULATED) || callsHelper(reference, FUSED),
                "the reference is lowered one by one");
        assertExact(subject, reference);
    }

    private static void assertExact(CompiledModule subject, CompiledModule reference) {
        Instance actual = subject.instantiate(new Imports());
        Instance expected = reference.instantiate(new Imports());
        for (V128[] args : inputs()) {
            assertEquals(expected.function("f").call((Object[]) args)[0], actual.function("f").call((Object[]) args)[0],
                    () -> args[0] + " by " + args[1] + ", " + args[2]);
        }
    }

    private static CompiledModule module(Consumer<Code> before, Consumer<Code> body, boolean reference) {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(V128, V128, V128), List.of(V128));
        Code c = new Code();
        before.accept(c);
        c.localGet(0).localTee(X);
        if (reference) c.op(Opcodes.NOP);
        body.accept(c);
        b.exportFunction("f", b.function(type, List.of(V128, V128, V128, V128, V128), c));
        return WasmCompiler.compile(b.build());
    }

    /** Whether {@code compiled} calls {@code helper} or its form for multipliers known to be magnitudes. */
    private static boolean callsHelper(CompiledModule compiled, String helper) {
        List<String> calls = SimdEmitterTest.simdCalls(compiled);
        return calls.contains(helper)
                || calls.contains(helper.equals(FUSED) ? FUSED_BY_MAGNITUDES : ACCUMULATED_BY_MAGNITUDES);
    }

    /**
     * Signed vectors of bytes -128, -1, 0, 1 and 127 and random ones, by multipliers of the
     * zero-extended bytes 0 and 255 (intgemm's), of i16 extremes, and random.
     */
    private static List<V128[]> inputs() {
        long[] signed = {0x8080_8080_8080_8080L, 0x7F7F_7F7F_7F7F_7F7FL, -1L, 0x0101_0101_0101_0101L, 0x80_7F_01_FF_00_80_7F_80L};
        long[] multipliers = {0x00FF_00FF_00FF_00FFL, 0L, 0x7FFF_8000_7FFF_8000L, -1L, 0x0001_00FF_0080_007FL};
        List<V128[]> inputs = new ArrayList<>();
        for (long s : signed) {
            for (long m : multipliers) inputs.add(new V128[] {new V128(s, ~s), new V128(m, m), new V128(m, Long.rotateLeft(m, 16))});
        }
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200; i++) {
            inputs.add(new V128[] {new V128(random.nextLong(), random.nextLong()),
                    new V128(random.nextLong(), random.nextLong()), new V128(random.nextLong(), random.nextLong())});
        }
        return inputs;
    }

    private static void simd(Code c, int opcode) {
        c.u8(0xFD).u32(opcode & 0xFFF);
    }

    private static void shuffle(Code c, byte[] lanes) {
        simd(c, I8X16_SHUFFLE);
        c.raw(lanes);
    }
}
