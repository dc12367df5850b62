package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The branch-free lane arithmetic of {@link Simd} against the instructions' definitions applied
 * lane by lane, on halves made of the lane values where carries and saturation happen (0, 1, the
 * signed and unsigned extremes) and on random halves.
 */
class SimdTest {
    private static final int RANDOM_HALVES = 3_000;

    /** Halves to try: every lane drawn from the edge values, and random bits. */
    private static long[] halves(int bits) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long[] edges = {0, 1, 2, mask >>> 1, (mask >>> 1) + 1, (mask >>> 1) + 2, mask, mask - 1};
        SplittableRandom random = new SplittableRandom(bits);
        long[] result = new long[RANDOM_HALVES * 2];
        for (int i = 0; i < result.length; i++) {
            if (i < RANDOM_HALVES) {
                long h = 0;
                for (int shift = 0; shift < 64; shift += bits) h |= (edges[random.nextInt(edges.length)] & mask) << shift;
                result[i] = h;
            } else {
                result[i] = random.nextLong();
            }
        }
        return result;
    }

    /** A half whose lanes of {@code bits} bits are {@code op} of the same lanes of {@code a} and {@code b}, as signed ints. */
    private static long lanewise(int bits, long a, long b, IntBinaryOperator op) {
        long mask = (1L << bits) - 1;
        long r = 0;
        for (int shift = 0; shift < 64; shift += bits) {
            int x = (int) (a << (64 - bits - shift) >> (64 - bits));
            int y = (int) (b << (64 - bits - shift) >> (64 - bits));
            r |= (op.applyAsInt(x, y) & mask) << shift;
        }
        return r;
    }

    private static void check(String name, int bits, LongBinaryOperator actual, IntBinaryOperator lane) {
        long[] as = halves(bits);
        long[] bs = halves(bits);
        for (int i = 0; i < as.length; i++) {
            for (int j = i; j < i + 3 && j < bs.length; j++) {
                long a = as[i];
                long b = bs[(j * 7) % bs.length];
                assertEquals(lanewise(bits, a, b, lane), actual.applyAsLong(a, b),
                        () -> name + " of " + Long.toHexString(a) + ", " + Long.toHexString(b));
            }
        }
    }

    private static void check(String name, int bits, LongUnaryOperator actual, IntUnaryOperator lane) {
        for (long a : halves(bits)) {
            assertEquals(lanewise(bits, a, 0, (x, y) -> lane.applyAsInt(x)), actual.applyAsLong(a),
                    () -> name + " of " + Long.toHexString(a));
        }
    }

    private static int u(int x, int bits) {
        return x & (1 << bits) - 1;
    }

    private static int clamp(int x, int low, int high) {
        return Math.max(low, Math.min(high, x));
    }

    private static int mask(boolean b) {
        return b ? -1 : 0;
    }

    @Test
    void saturatingAddAndSubtractClampEachLane() {
        check("i8x16.add_sat_s", 8, Simd::i8x16AddSatS, (x, y) -> clamp(x + y, -128, 127));
        check("i8x16.add_sat_u", 8, Simd::i8x16AddSatU, (x, y) -> Math.min(u(x, 8) + u(y, 8), 255));
        check("i8x16.sub_sat_s", 8, Simd::i8x16SubSatS, (x, y) -> clamp(x - y, -128, 127));
        check("i8x16.sub_sat_u", 8, Simd::i8x16SubSatU, (x, y) -> Math.max(u(x, 8) - u(y, 8), 0));
        check("i16x8.add_sat_s", 16, Simd::i16x8AddSatS, (x, y) -> clamp(x + y, -32768, 32767));
        check("i16x8.add_sat_u", 16, Simd::i16x8AddSatU, (x, y) -> Math.min(u(x, 16) + u(y, 16), 65535));
        check("i16x8.sub_sat_s", 16, Simd::i16x8SubSatS, (x, y) -> clamp(x - y, -32768, 32767));
        check("i16x8.sub_sat_u", 16, Simd::i16x8SubSatU, (x, y) -> Math.max(u(x, 16) - u(y, 16), 0));
    }

    @Test
    void minimaAndMaximaCompareSignedOrUnsigned() {
        check("i8x16.min_s", 8, Simd::i8x16MinS, Math::min);
        check("i8x16.min_u", 8, Simd::i8x16MinU, (x, y) -> Math.min(u(x, 8), u(y, 8)));
        check("i8x16.max_s", 8, Simd::i8x16MaxS, Math::max);
        check("i8x16.max_u", 8, Simd::i8x16MaxU, (x, y) -> Math.max(u(x, 8), u(y, 8)));
        check("i16x8.min_s", 16, Simd::i16x8MinS, Math::min);
        check("i16x8.min_u", 16, Simd::i16x8MinU, (x, y) -> Math.min(u(x, 16), u(y, 16)));
        check("i16x8.max_s", 16, Simd::i16x8MaxS, Math::max);
        check("i16x8.max_u", 16, Simd::i16x8MaxU, (x, y) -> Math.max(u(x, 16), u(y, 16)));
    }

    @Test
    void comparisonsSetWholeLanes() {
        check("i8x16.eq", 8, Simd::i8x16Eq, (x, y) -> mask(x == y));
        check("i8x16.ne", 8, Simd::i8x16Ne, (x, y) -> mask(x != y));
        check("i8x16.lt_s", 8, Simd::i8x16LtS, (x, y) -> mask(x < y));
        check("i8x16.lt_u", 8, Simd::i8x16LtU, (x, y) -> mask(u(x, 8) < u(y, 8)));
        check("i8x16.ge_u", 8, Simd::i8x16GeU, (x, y) -> mask(u(x, 8) >= u(y, 8)));
        check("i16x8.eq", 16, Simd::i16x8Eq, (x, y) -> mask(x == y));
        check("i16x8.lt_s", 16, Simd::i16x8LtS, (x, y) -> mask(x < y));
        check("i16x8.le_s", 16, Simd::i16x8LeS, (x, y) -> mask(x <= y));
        check("i16x8.lt_u", 16, Simd::i16x8LtU, (x, y) -> mask(u(x, 16) < u(y, 16)));
        check("i32x4.eq", 32, Simd::i32x4Eq, (x, y) -> mask(x == y));
        check("i32x4.ne", 32, Simd::i32x4Ne, (x, y) -> mask(x != y));
        check("i32x4.lt_s", 32, Simd::i32x4LtS, (x, y) -> mask(x < y));
        check("i32x4.gt_s", 32, Simd::i32x4GtS, (x, y) -> mask(x > y));
        check("i32x4.lt_u", 32, Simd::i32x4LtU, (x, y) -> mask(Integer.compareUnsigned(x, y) < 0));
        check("i32x4.ge_u", 32, Simd::i32x4GeU, (x, y) -> mask(Integer.compareUnsigned(x, y) >= 0));
    }

    @Test
    void i64x2ComparisonsHoldAtOverflow() {
        for (long a : halves(64)) {
            for (long b : new long[] {a, a + 1, a - 1, Long.MIN_VALUE, Long.MAX_VALUE, 0, -a}) {
                assertEquals(a == b ? -1L : 0, Simd.i64x2Eq(a, b));
                assertEquals(a != b ? -1L : 0, Simd.i64x2Ne(a, b));
                assertEquals(a < b ? -1L : 0, Simd.i64x2LtS(a, b), () -> a + " < " + b);
                assertEquals(a > b ? -1L : 0, Simd.i64x2GtS(a, b));
                assertEquals(a <= b ? -1L : 0, Simd.i64x2LeS(a, b));
                assertEquals(a >= b ? -1L : 0, Simd.i64x2GeS(a, b));
            }
        }
    }

    @Test
    void multipliesKeepTheLowBitsOfEachLane() {
        check("i16x8.mul", 16, Simd::i16x8Mul, (x, y) -> x * y);
        check("i16x8.q15mulr_sat_s", 16, Simd::i16x8Q15mulrSatS, (x, y) -> clamp((x * y + 0x4000) >> 15, -32768, 32767));
        check("i32x4.dot_i16x8_s", 32, Simd::i32x4DotI16x8S,
                (x, y) -> (short) x * (short) y + (x >> 16) * (y >> 16));
        long minima = 0x8000_8000_8000_8000L;
        assertEquals(0, Simd.i16x8Mul(minima, minima), "-32768 squared keeps its low 16 bits, 0, in every lane");
        assertEquals(0x0001_0001_0001_0001L, Simd.i16x8Mul(-1L, -1L));
        assertEquals(0x8000_0000_8000_0000L, Simd.i32x4DotI16x8S(minima, minima), "2^31 wraps to -2^31 in both lanes");
        assertEquals(0x0000_0002_0000_0002L, Simd.i32x4DotI16x8S(-1L, -1L), "the lanes are signed");
        assertEquals(-2 * 32767 * 32768L & 0xFFFF_FFFFL, Simd.i32x4DotI16x8S(0x7FFF_7FFFL, 0x8000_8000L));
    }

    /**
     * The {@code pmaddubsw} idiom's half against its instructions lane by lane: each byte of
     * {@code a} sign-extended, times the i16 lane of the same index of {@code b} (bytes 0 to 3 by
     * {@code bLow}'s lanes, 4 to 7 by {@code bHigh}'s), wrapped to 16 bits, and adjacent products
     * added with saturation both ways; on bytes and lanes drawn from the edges and random ones.
     */
    @Test
    void mulPairsAddSatSaturatesTheSumOfTwoWrappedProducts() {
        long[] as = halves(8);
        long[] bs = halves(16);
        for (int i = 0; i < as.length; i++) {
            long a = as[i], bLow = bs[(i * 7) % bs.length], bHigh = bs[(i * 13 + 5) % bs.length];
            long expected = 0;
            for (int k = 0; k < 4; k++) {
                long b = k < 2 ? bLow : bHigh;
                int even = (short) ((byte) (a >>> 16 * k) * (short) (b >>> 32 * (k % 2)));
                int odd = (short) ((byte) (a >>> 16 * k + 8) * (short) (b >>> 32 * (k % 2) + 16));
                expected |= (clamp(even + odd, -32768, 32767) & 0xFFFFL) << 16 * k;
            }
            long actual = Simd.i16x8MulPairsAddSatS(a, bLow, bHigh);
            assertEquals(expected, actual, () -> Long.toHexString(a) + " by " + Long.toHexString(bLow) + ", " + Long.toHexString(bHigh));
        }
        long bytes255 = 0x00FF_00FF_00FF_00FFL;
        assertEquals(0x8000_8000_8000_8000L, Simd.i16x8MulPairsAddSatS(0x8080_8080_8080_8080L, bytes255, bytes255),
                "-128 * 255 twice saturates to -32768");
        assertEquals(0x7FFF_7FFF_7FFF_7FFFL, Simd.i16x8MulPairsAddSatS(0x7F7F_7F7F_7F7F_7F7FL, bytes255, bytes255),
                "127 * 255 twice saturates to 32767");
        assertEquals(0x0080L, Simd.i16x8MulPairsAddSatS(0x0080L, 0x7FFFL, 0),
                "-128 * 32767 wraps to 128 as i16x8.mul does, without saturating the product");
    }

    /**
     * The idiom added to an accumulator: each lane the accumulator's plus the idiom's, saturated
     * again, so a sum saturated once inside stays saturated where the accumulator cannot bring it
     * back; on the edges and random halves.
     */
    @Test
    void mulPairsAddedToAnAccumulatorSaturatesTwice() {
        long[] as = halves(8);
        long[] bs = halves(16);
        long[] accumulators = halves(16);
        for (int i = 0; i < as.length; i++) {
            long a = as[i], bLow = bs[(i * 7) % bs.length], bHigh = bs[(i * 13 + 5) % bs.length];
            long acc = accumulators[(i * 11 + 3) % accumulators.length];
            long pairs = Simd.i16x8MulPairsAddSatS(a, bLow, bHigh);
            long expected = 0;
            for (int k = 0; k < 4; k++) {
                int sum = (short) (acc >>> 16 * k) + (short) (pairs >>> 16 * k);
                expected |= (clamp(sum, -32768, 32767) & 0xFFFFL) << 16 * k;
            }
            long actual = Simd.i16x8AddSatSMulPairs(acc, a, bLow, bHigh);
            assertEquals(expected, actual, () -> Long.toHexString(acc) + " + " + Long.toHexString(a) + " by "
                    + Long.toHexString(bLow) + ", " + Long.toHexString(bHigh));
        }
        long bytes255 = 0x00FF_00FF_00FF_00FFL;
        assertEquals(0x8000_8000_8000_8000L,
                Simd.i16x8AddSatSMulPairs(0x8000_8000_8000_8000L, 0x8080_8080_8080_8080L, bytes255, bytes255),
                "-32768 and a sum saturated to -32768 stay at -32768");
        assertEquals(0x7FFE_7FFE_7FFE_7FFEL,
                Simd.i16x8AddSatSMulPairs(-1L, 0x7F7F_7F7F_7F7F_7F7FL, bytes255, bytes255),
                "-1 and a sum saturated to 32767 is 32766: the idiom's saturation comes first");
    }

    /**
     * Multipliers of {@code i8x16.abs} bytes zero-extended, each i16 lane in [0, 128]: the helpers
     * for them give the general helpers' lanes, on every pair of the signed bytes -128, -127, -1, 0,
     * 1 and 127 by every pair of the multipliers 0, 1, 127 and 128, and on random halves.
     */
    @Test
    void mulPairsByMagnitudesAreTheGeneralHelpersOnSmallMultipliers() {
        int[] signed = {-128, -127, -1, 0, 1, 127};
        int[] magnitudes = {0, 1, 127, 128};
        List<long[]> cases = new ArrayList<>();
        for (int s0 : signed) {
            for (int s1 : signed) {
                for (int u0 : magnitudes) {
                    for (int u1 : magnitudes) {
                        // The pair in each of the four lanes: a byte pair repeated, the multiplier pair alike.
                        long a = ((s0 & 0xFF) | (s1 & 0xFF) << 8) * 0x0001_0001_0001_0001L;
                        long b = (u0 | (long) u1 << 16) * 0x0000_0001_0000_0001L;
                        cases.add(new long[] {a, b, b});
                    }
                }
            }
        }
        SplittableRandom random = new SplittableRandom(128);
        for (int i = 0; i < 4096; i++) {
            long[] b = new long[2];
            for (int k = 0; k < 8; k++) b[k / 4] |= (long) random.nextInt(129) << 16 * (k % 4);
            cases.add(new long[] {random.nextLong(), b[0], b[1]});
        }
        long[] accumulators = halves(16);
        for (int i = 0; i < cases.size(); i++) {
            long a = cases.get(i)[0], bLow = cases.get(i)[1], bHigh = cases.get(i)[2];
            long acc = accumulators[i % accumulators.length];
            assertEquals(Simd.i16x8MulPairsAddSatS(a, bLow, bHigh), Simd.i16x8MulPairsByMagnitudes(a, bLow, bHigh),
                    () -> Long.toHexString(a) + " by " + Long.toHexString(bLow) + ", " + Long.toHexString(bHigh));
            assertEquals(Simd.i16x8AddSatSMulPairs(acc, a, bLow, bHigh), Simd.i16x8AddSatSMulPairsByMagnitudes(acc, a, bLow, bHigh),
                    () -> Long.toHexString(acc) + " + " + Long.toHexString(a) + " by " + Long.toHexString(bLow) + ", "
                            + Long.toHexString(bHigh));
        }
        long bytes128 = 0x0080_0080_0080_0080L;
        assertEquals(0x8000_8000_8000_8000L, Simd.i16x8MulPairsByMagnitudes(0x8080_8080_8080_8080L, bytes128, bytes128),
                "-128 * 128 twice is -32768 exactly");
        assertEquals(0x7F00_7F00_7F00_7F00L, Simd.i16x8MulPairsByMagnitudes(0x7F7F_7F7F_7F7F_7F7FL, bytes128, bytes128),
                "127 * 128 twice is 32512, the largest sum");
    }

    @Test
    void pairwiseSumsWidenSigned() {
        check("i16x8.extadd_pairwise_i8x16_s", 16, Simd::i16x8ExtaddPairwiseI8x16S, x -> (byte) x + (x >> 8));
    }

    @Test
    void wideningExtendsTheLowFourBytes() {
        for (long x : halves(8)) {
            long expectedS = 0;
            long expectedU = 0;
            for (int lane = 0; lane < 4; lane++) {
                byte b = (byte) (x >>> (8 * lane));
                expectedS |= (b & 0xFFFFL) << (16 * lane);
                expectedU |= (b & 0xFFL) << (16 * lane);
            }
            assertEquals(expectedS, Simd.widenI8S(x), () -> "widenI8S of " + Long.toHexString(x));
            assertEquals(expectedU, Simd.widenI8U(x), () -> "widenI8U of " + Long.toHexString(x));
        }
    }

    @Test
    void shiftsTakeTheirCountModuloTheLaneWidth() {
        for (int count : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, -1}) {
            int c = count;
            check("i8x16.shr_s " + c, 8, a -> Simd.i8x16ShrS(a, c), x -> x >> (c & 7));
            check("i16x8.shr_s " + c, 16, a -> Simd.i16x8ShrS(a, c), x -> x >> (c & 15));
        }
    }

    @Test
    void narrowingSaturatesEachLane() {
        for (long low : halves(16)) {
            long high = Long.rotateLeft(low, 17) ^ 0x5A5A_0000_8001_7F80L;
            long expectedS = 0;
            long expectedU = 0;
            for (int lane = 0; lane < 8; lane++) {
                short x = (short) ((lane < 4 ? low : high) >>> (16 * (lane % 4)));
                expectedS |= (clamp(x, -128, 127) & 0xFFL) << (8 * lane);
                expectedU |= (long) clamp(x, 0, 255) << (8 * lane);
            }
            assertEquals(expectedS, Simd.i8x16NarrowI16x8S(low, high));
            assertEquals(expectedU, Simd.i8x16NarrowI16x8U(low, high));
        }
    }

    @Test
    void f32ArithmeticIsTheJvmsOnEachLane() {
        SplittableRandom random = new SplittableRandom(32);
        for (int i = 0; i < RANDOM_HALVES; i++) {
            long a = random.nextLong();
            long b = i % 3 == 0 ? a ^ 0x8000_0000_0000_0000L : random.nextLong();
            checkF32("f32x4.add", Simd.f32x4Add(a, b), a, b, Float::sum);
            checkF32("f32x4.sub", Simd.f32x4Sub(a, b), a, b, (x, y) -> x - y);
            checkF32("f32x4.mul", Simd.f32x4Mul(a, b), a, b, (x, y) -> x * y);
            checkF32("f32x4.div", Simd.f32x4Div(a, b), a, b, (x, y) -> x / y);
        }
    }

    @Test
    void f64ArithmeticIsTheJvmsOnTheLane() {
        SplittableRandom random = new SplittableRandom(64);
        for (int i = 0; i < RANDOM_HALVES; i++) {
            long a = random.nextLong();
            long b = i % 3 == 0 ? a ^ Long.MIN_VALUE : random.nextLong();
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            checkF64(x + y, Simd.f64x2Add(a, b));
            checkF64(x - y, Simd.f64x2Sub(a, b));
            checkF64(x * y, Simd.f64x2Mul(a, b));
            checkF64(x / y, Simd.f64x2Div(a, b));
        }
    }

    private static void checkF64(double expected, long actual) {
        if (!(Double.isNaN(expected) && Double.isNaN(Double.longBitsToDouble(actual)))) {
            assertEquals(Double.doubleToRawLongBits(expected), actual);
        }
    }

    private interface FloatOperator {
        float apply(float x, float y);
    }

    private static void checkF32(String name, long actual, long a, long b, FloatOperator op) {
        for (int shift = 0; shift < 64; shift += 32) {
            float x = Float.intBitsToFloat((int) (a >>> shift));
            float y = Float.intBitsToFloat((int) (b >>> shift));
            float expected = op.apply(x, y);
            float lane = Float.intBitsToFloat((int) (actual >>> shift));
            // Any NaN will do where the result is one: its payload is the hardware's.
            if (!(Float.isNaN(expected) && Float.isNaN(lane))) {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(lane), () -> name + " of " + x + ", " + y);
            }
        }
    }

    /**
     * Relaxed dot products as the deterministic profile has them: each byte of the second operand
     * signed, its top bit included, and each pair of products added with i16 saturation, which only
     * two products of -128 by -128 reach (32,768 saturates to 32,767).
     */
    @Test
    void relaxedDotProductsTakeBothOperandsSignedAndSaturateEachPair() {
        check("i16x8.relaxed_dot_i8x16_i7x16_s", 16, Simd::i16x8RelaxedDotI8x16I7x16S,
                (x, y) -> Math.min(32767, (byte) x * (byte) y + (x >> 8) * (y >> 8)));
        assertEquals(0x7FFF, Simd.i16x8RelaxedDotI8x16I7x16S(0x8080, 0x8080) & 0xFFFF, "-128 * -128 twice saturates");
        assertEquals(-32512 & 0xFFFF, Simd.i16x8RelaxedDotI8x16I7x16S(0x8080, 0x7F7F) & 0xFFFF);
        assertEquals(-127 * 2 & 0xFFFF, Simd.i16x8RelaxedDotI8x16I7x16S(0x0101, 0x8181) & 0xFFFF, "0x81 is -127, not 129");
        long[] as = halves(8);
        long[] bs = halves(8);
        long[] cs = halves(32);
        for (int i = 0; i < as.length; i++) {
            long a = as[i], b = bs[(i * 7) % bs.length], c = cs[(i * 13) % cs.length];
            long pairs = Simd.i16x8RelaxedDotI8x16I7x16S(a, b);
            long expected = lanewise(32, pairs, c, (x, y) -> (short) x + (x >> 16) + y);
            assertEquals(expected, Simd.i32x4RelaxedDotI8x16I7x16AddS(a, b, c),
                    () -> "i32x4.relaxed_dot_i8x16_i7x16_add_s of " + Long.toHexString(a) + ", " + Long.toHexString(b));
        }
        assertEquals(2 * 32767 + 5, Simd.i32x4RelaxedDotI8x16I7x16AddS(0x8080_8080L, 0x8080_8080L, 5),
                "each pair saturates before the add");
    }

    /**
     * Relaxed multiply-add as the deterministic profile has it, unfused: the product is rounded
     * before the add, so where a fused one would keep the product's low bits the result differs.
     */
    @Test
    void relaxedMultiplyAddRoundsTheProductFirst() {
        SplittableRandom random = new SplittableRandom(105);
        for (int i = 0; i < RANDOM_HALVES; i++) {
            long a = random.nextLong(), b = random.nextLong(), c = i % 3 == 0 ? 0x8000_0000_8000_0000L : random.nextLong();
            checkF32("f32x4.relaxed_madd", Simd.f32x4RelaxedMadd(a, b, c), Simd.f32x4Mul(a, b), c, Float::sum);
            checkF32("f32x4.relaxed_nmadd", Simd.f32x4RelaxedNmadd(a, b, c), Simd.f32x4Mul(a ^ 0x8000_0000_8000_0000L, b), c, Float::sum);
            checkF64(Double.longBitsToDouble(Simd.f64x2Mul(a, b)) + Double.longBitsToDouble(c), Simd.f64x2RelaxedMadd(a, b, c));
            checkF64(Double.longBitsToDouble(Simd.f64x2Mul(a ^ Long.MIN_VALUE, b)) + Double.longBitsToDouble(c),
                    Simd.f64x2RelaxedNmadd(a, b, c));
        }
        // (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46: rounded, minus (1 + 2^-22) leaves 0; fused, 2^-46.
        long x = Float.floatToRawIntBits(1 + 0x1p-23f) & 0xFFFF_FFFFL;
        long minus = Float.floatToRawIntBits(-(1 + 0x1p-22f)) & 0xFFFF_FFFFL;
        assertEquals(0, Simd.f32x4RelaxedMadd(x, x, minus));
        double y = 1 + 0x1p-52;
        assertEquals(0, Simd.f64x2RelaxedMadd(Double.doubleToRawLongBits(y), Double.doubleToRawLongBits(y),
                Double.doubleToRawLongBits(-(1 + 0x1p-51))));
        // -0 * 1 + -0 is -0; nmadd of +0 is -0 * 1 + -0 as well.
        long negativeZero = Double.doubleToRawLongBits(-0.0), one = Double.doubleToRawLongBits(1.0);
        assertEquals(negativeZero, Simd.f64x2RelaxedMadd(negativeZero, one, negativeZero));
        assertEquals(negativeZero, Simd.f64x2RelaxedNmadd(0, one, negativeZero));
    }

    @Test
    void bitmaskGathersTheLanesSigns() {
        for (long low : halves(8)) {
            long high = ~Long.reverse(low);
            int expected = 0;
            for (int lane = 0; lane < 16; lane++) {
                expected |= (int) (((lane < 8 ? low : high) >>> (8 * (lane % 8) + 7)) & 1) << lane;
            }
            assertEquals(expected, Simd.i8x16Bitmask(low, high));
        }
    }
}
