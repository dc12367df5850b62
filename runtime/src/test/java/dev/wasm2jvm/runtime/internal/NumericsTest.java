package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.WasmTrap;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class NumericsTest {
    private static final int F32_SIGNALLING_NAN = 0x7FA0_0001;
    private static final long F64_SIGNALLING_NAN = 0x7FF4_0000_0000_0001L;

    @Test
    void signedDivisionTrapsOnZeroAndOverflow() {
        assertTrap("integer divide by zero", () -> Numerics.i32DivS(1, 0));
        assertTrap("integer divide by zero", () -> Numerics.i32DivS(Integer.MIN_VALUE, 0));
        assertTrap("integer overflow", () -> Numerics.i32DivS(Integer.MIN_VALUE, -1));
        assertTrap("integer divide by zero", () -> Numerics.i64DivS(1, 0));
        assertTrap("integer overflow", () -> Numerics.i64DivS(Long.MIN_VALUE, -1));
        assertEquals(-2, Numerics.i32DivS(-7, 3));
        assertEquals(-2L, Numerics.i64DivS(7, -3));
    }

    @Test
    void signedRemainderOfMinByMinusOneIsZero() {
        assertEquals(0, Numerics.i32RemS(Integer.MIN_VALUE, -1));
        assertEquals(0L, Numerics.i64RemS(Long.MIN_VALUE, -1));
        assertEquals(-1, Numerics.i32RemS(-7, 3));
        assertEquals(1L, Numerics.i64RemS(7, -3));
        assertTrap("integer divide by zero", () -> Numerics.i32RemS(Integer.MIN_VALUE, 0));
        assertTrap("integer divide by zero", () -> Numerics.i64RemS(Long.MIN_VALUE, 0));
    }

    @Test
    void unsignedDivisionTreatsOperandsAsUnsigned() {
        assertEquals(0x7FFF_FFFF, Numerics.i32DivU(-1, 2));
        assertEquals(1, Numerics.i32RemU(-1, 2));
        assertEquals(0, Numerics.i32DivU(1, -1));
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, Numerics.i64DivU(-1, 2));
        assertEquals(5L, Numerics.i64RemU(5, Long.MIN_VALUE));
        assertTrap("integer divide by zero", () -> Numerics.i32DivU(1, 0));
        assertTrap("integer divide by zero", () -> Numerics.i32RemU(1, 0));
        assertTrap("integer divide by zero", () -> Numerics.i64DivU(1, 0));
        assertTrap("integer divide by zero", () -> Numerics.i64RemU(1, 0));
    }

    @Test
    void signOperationsKeepNanPayloads() {
        float nan = Float.intBitsToFloat(F32_SIGNALLING_NAN);
        assertBits(0xFFA0_0001, Numerics.f32Neg(nan));
        assertBits(F32_SIGNALLING_NAN, Numerics.f32Abs(Numerics.f32Neg(nan)));
        assertBits(0xFFA0_0001, Numerics.f32Copysign(nan, -0f));
        assertBits(0x8000_0000, Numerics.f32Copysign(0f, Float.intBitsToFloat(0xFFC0_0000)));

        double dnan = Double.longBitsToDouble(F64_SIGNALLING_NAN);
        assertBits(0xFFF4_0000_0000_0001L, Numerics.f64Neg(dnan));
        assertBits(F64_SIGNALLING_NAN, Numerics.f64Abs(Numerics.f64Neg(dnan)));
        assertBits(0xFFF4_0000_0000_0001L, Numerics.f64Copysign(dnan, -1));
        assertBits(0L, Numerics.f64Copysign(-0d, 1));
    }

    @Test
    void minAndMaxOrderZerosAndQuietNans() {
        assertBits(0x8000_0000, Numerics.f32Min(0f, -0f));
        assertBits(0x8000_0000, Numerics.f32Min(-0f, 0f));
        assertBits(0, Numerics.f32Max(-0f, 0f));
        assertBits(0, Numerics.f32Max(0f, -0f));
        assertBits(0x8000_0000_0000_0000L, Numerics.f64Min(0d, -0d));
        assertBits(0L, Numerics.f64Max(-0d, 0d));
        assertEquals(-1f, Numerics.f32Min(-1f, 2f));
        assertEquals(2d, Numerics.f64Max(-1d, 2d));

        float nan = Float.intBitsToFloat(F32_SIGNALLING_NAN);
        assertBits(0x7FE0_0001, Numerics.f32Min(nan, 1f));
        assertBits(0x7FE0_0001, Numerics.f32Max(Float.NEGATIVE_INFINITY, nan));
        double dnan = Double.longBitsToDouble(F64_SIGNALLING_NAN);
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Min(1, dnan));
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Max(dnan, Double.POSITIVE_INFINITY));
        assertBits(0xFFF8_0000_0000_0000L, Numerics.f64Max(Double.longBitsToDouble(0xFFF8_0000_0000_0000L), 0));
    }

    @Test
    void roundingKeepsSignedZerosAndRoundsHalfToEven() {
        assertBits(0x8000_0000, Numerics.f32Ceil(-0.5f));
        assertBits(0x8000_0000, Numerics.f32Trunc(-0.7f));
        assertBits(0x8000_0000, Numerics.f32Nearest(-0.5f));
        assertEquals(-1f, Numerics.f32Floor(-0.5f));
        assertEquals(2f, Numerics.f32Nearest(2.5f));
        assertEquals(4f, Numerics.f32Nearest(3.5f));
        assertEquals(-2f, Numerics.f32Nearest(-2.5f));
        assertEquals(8388609f, Numerics.f32Nearest(8388609f));
        assertBits(0x8000_0000_0000_0000L, Numerics.f64Ceil(-0.5));
        assertBits(0x8000_0000_0000_0000L, Numerics.f64Trunc(-0.7));
        assertEquals(3d, Numerics.f64Trunc(3.99));
        assertEquals(-4d, Numerics.f64Floor(-3.01));
        assertEquals(4503599627370496d, Numerics.f64Nearest(4503599627370495.5));
        assertEquals(-0d, Numerics.f64Nearest(-0.5));
    }

    @Test
    void roundingAndSquareRootQuietNans() {
        float nan = Float.intBitsToFloat(F32_SIGNALLING_NAN);
        assertBits(0x7FE0_0001, Numerics.f32Ceil(nan));
        assertBits(0x7FE0_0001, Numerics.f32Floor(nan));
        assertBits(0x7FE0_0001, Numerics.f32Trunc(nan));
        assertBits(0x7FE0_0001, Numerics.f32Nearest(nan));
        assertBits(0x7FE0_0001, Numerics.f32Sqrt(nan));
        double dnan = Double.longBitsToDouble(F64_SIGNALLING_NAN);
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Ceil(dnan));
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Floor(dnan));
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Trunc(dnan));
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Nearest(dnan));
        assertBits(0x7FFC_0000_0000_0001L, Numerics.f64Sqrt(dnan));
        assertEquals(0x7FC0_0000, Float.floatToRawIntBits(Numerics.f32Sqrt(-1f)) & 0x7FFF_FFFF);
    }

    @Test
    void squareRootOfF32IsCorrectlyRounded() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            float x = Float.intBitsToFloat(random.nextInt(1, 0x7F80_0000));
            float root = Numerics.f32Sqrt(x);
            // The exact root lies strictly between the midpoints to the neighbouring floats.
            BigDecimal below = midpoint(root, Math.nextDown(root));
            BigDecimal above = midpoint(root, Math.nextUp(root));
            BigDecimal exact = new BigDecimal(x);
            String message = "sqrt of " + x + " gave " + root;
            assertTrue(below.multiply(below).compareTo(exact) < 0, message);
            assertTrue(above.multiply(above).compareTo(exact) > 0, message);
        }
    }

    @Test
    void truncationToI32TrapsExactlyOutsideTheRange() {
        assertEquals(Integer.MIN_VALUE, Numerics.i32TruncF32S(-0x1p31f));
        assertEquals(0x7FFF_FF80, Numerics.i32TruncF32S(Math.nextDown(0x1p31f)));
        assertTrap("integer overflow", () -> Numerics.i32TruncF32S(0x1p31f));
        assertTrap("integer overflow", () -> Numerics.i32TruncF32S(Math.nextDown(-0x1p31f)));
        assertEquals(Integer.MIN_VALUE, Numerics.i32TruncF64S(-2147483648.9));
        assertEquals(Integer.MAX_VALUE, Numerics.i32TruncF64S(2147483647.9));
        assertTrap("integer overflow", () -> Numerics.i32TruncF64S(-2147483649.0));
        assertTrap("integer overflow", () -> Numerics.i32TruncF64S(2147483648.0));

        assertEquals(0, Numerics.i32TruncF32U(-0.99f));
        assertEquals(0xFFFF_FF00, Numerics.i32TruncF32U(Math.nextDown(0x1p32f)));
        assertTrap("integer overflow", () -> Numerics.i32TruncF32U(-1f));
        assertTrap("integer overflow", () -> Numerics.i32TruncF32U(0x1p32f));
        assertEquals(-1, Numerics.i32TruncF64U(4294967295.9));
        assertEquals(0, Numerics.i32TruncF64U(-0.9));
        assertTrap("integer overflow", () -> Numerics.i32TruncF64U(4294967296.0));
        assertTrap("integer overflow", () -> Numerics.i32TruncF64U(-1.0));

        assertTrap("invalid conversion to integer", () -> Numerics.i32TruncF32S(Float.NaN));
        assertTrap("invalid conversion to integer", () -> Numerics.i32TruncF32U(Float.NaN));
        assertTrap("invalid conversion to integer", () -> Numerics.i32TruncF64S(Double.NaN));
        assertTrap("invalid conversion to integer", () -> Numerics.i32TruncF64U(-Double.NaN));
        assertTrap("integer overflow", () -> Numerics.i32TruncF64S(Double.NEGATIVE_INFINITY));
    }

    @Test
    void truncationToI64TrapsExactlyOutsideTheRange() {
        assertEquals(Long.MIN_VALUE, Numerics.i64TruncF32S(-0x1p63f));
        assertTrap("integer overflow", () -> Numerics.i64TruncF32S(0x1p63f));
        assertEquals(Long.MIN_VALUE, Numerics.i64TruncF64S(-0x1p63));
        assertEquals(0x7FFF_FFFF_FFFF_FC00L, Numerics.i64TruncF64S(Math.nextDown(0x1p63)));
        assertTrap("integer overflow", () -> Numerics.i64TruncF64S(0x1p63));
        assertTrap("integer overflow", () -> Numerics.i64TruncF64S(Math.nextDown(-0x1p63)));

        assertEquals(Long.MIN_VALUE, Numerics.i64TruncF32U(0x1p63f));
        assertEquals(0xFFFF_FF00_0000_0000L, Numerics.i64TruncF32U(Math.nextDown(0x1p64f)));
        assertTrap("integer overflow", () -> Numerics.i64TruncF32U(0x1p64f));
        assertEquals(0xFFFF_FFFF_FFFF_F800L, Numerics.i64TruncF64U(Math.nextDown(0x1p64)));
        assertEquals(0x8000_0000_0000_0800L, Numerics.i64TruncF64U(Math.nextUp(0x1p63)));
        assertEquals(0L, Numerics.i64TruncF64U(-0.9));
        assertTrap("integer overflow", () -> Numerics.i64TruncF64U(0x1p64));
        assertTrap("integer overflow", () -> Numerics.i64TruncF64U(-1.0));

        assertTrap("invalid conversion to integer", () -> Numerics.i64TruncF32S(Float.NaN));
        assertTrap("invalid conversion to integer", () -> Numerics.i64TruncF32U(Float.NaN));
        assertTrap("invalid conversion to integer", () -> Numerics.i64TruncF64S(Double.NaN));
        assertTrap("invalid conversion to integer", () -> Numerics.i64TruncF64U(Double.NaN));
    }

    @Test
    void saturatingUnsignedTruncationClampsAndMapsNanToZero() {
        assertEquals(0, Numerics.i32TruncSatF32U(Float.NaN));
        assertEquals(0, Numerics.i32TruncSatF32U(-5f));
        assertEquals(-1, Numerics.i32TruncSatF32U(Float.POSITIVE_INFINITY));
        assertEquals(3, Numerics.i32TruncSatF32U(3.9f));
        assertEquals(-1, Numerics.i32TruncSatF64U(1e10));
        assertEquals(-1, Numerics.i32TruncSatF64U(4294967295.5));
        assertEquals(0, Numerics.i32TruncSatF64U(Double.NEGATIVE_INFINITY));

        assertEquals(0L, Numerics.i64TruncSatF32U(-Float.NaN));
        assertEquals(-1L, Numerics.i64TruncSatF32U(0x1p64f));
        assertEquals(Long.MIN_VALUE, Numerics.i64TruncSatF32U(0x1p63f));
        assertEquals(0L, Numerics.i64TruncSatF64U(-1e300));
        assertEquals(-1L, Numerics.i64TruncSatF64U(0x1p64));
        assertEquals(0xFFFF_FFFF_FFFF_F800L, Numerics.i64TruncSatF64U(Math.nextDown(0x1p64)));
        assertEquals(3L, Numerics.i64TruncSatF64U(3.9));
    }

    @Test
    void unsignedConversionRoundsOnceToNearestEven() {
        assertEquals(0x1p32f, Numerics.f32ConvertI32U(-1));
        assertEquals(4294967295d, Numerics.f64ConvertI32U(-1));
        assertEquals(0x1p31f, Numerics.f32ConvertI32U(Integer.MIN_VALUE));

        // Exactly half a float ulp above 2^63 ties to even; one more and it must round up, which
        // rounding through double first would lose.
        assertEquals(0x1p63f, Numerics.f32ConvertI64U(0x8000_0080_0000_0000L));
        assertEquals(0x1p63f + 0x1p40f, Numerics.f32ConvertI64U(0x8000_0080_0000_0001L));
        assertEquals(0x1p64f, Numerics.f32ConvertI64U(-1));
        assertEquals(0x1p63, Numerics.f64ConvertI64U(0x8000_0000_0000_0400L));
        assertEquals(0x1p63 + 0x1p11, Numerics.f64ConvertI64U(0x8000_0000_0000_0401L));
        assertEquals(0x1p64, Numerics.f64ConvertI64U(-1));

        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long x = random.nextLong();
            BigInteger unsigned = new BigInteger(Long.toUnsignedString(x));
            assertEquals(unsigned.floatValue(), Numerics.f32ConvertI64U(x), Long.toUnsignedString(x));
            assertEquals(unsigned.doubleValue(), Numerics.f64ConvertI64U(x), Long.toUnsignedString(x));
        }
    }

    @Test
    void demotionAndPromotionQuietNansAndKeepTheirPayloads() {
        assertBits(0x7FC0_0000, Numerics.f32DemoteF64(Double.longBitsToDouble(0x7FF8_0000_0000_0000L)));
        assertBits(0xFFC0_0000, Numerics.f32DemoteF64(Double.longBitsToDouble(0xFFF8_0000_0000_0000L)));
        assertBits(0x7FE0_0000, Numerics.f32DemoteF64(Double.longBitsToDouble(F64_SIGNALLING_NAN)));
        assertBits(0x7FF8_0000_0000_0000L, Numerics.f64PromoteF32(Float.intBitsToFloat(0x7FC0_0000)));
        assertBits(0xFFFC_0000_2000_0000L, Numerics.f64PromoteF32(Float.intBitsToFloat(0xFFA0_0001)));

        assertEquals(0f, Numerics.f32DemoteF64(Double.MIN_VALUE));
        assertEquals(Float.POSITIVE_INFINITY, Numerics.f32DemoteF64(0x1p128));
        assertEquals(Float.MAX_VALUE, Numerics.f32DemoteF64(Math.nextDown(0x1p128 - 0x1p103)));
        assertEquals(1.100000023841858, Numerics.f64PromoteF32(1.1f));
    }

    private static BigDecimal midpoint(float a, float b) {
        return new BigDecimal(a).add(new BigDecimal(b)).divide(BigDecimal.TWO);
    }

    private static void assertTrap(String message, Executable operation) {
        assertEquals(message, assertThrows(WasmTrap.class, operation).getMessage());
    }

    private static void assertBits(int expected, float actual) {
        assertEquals(Integer.toHexString(expected), Integer.toHexString(Float.floatToRawIntBits(actual)));
    }

    private static void assertBits(long expected, double actual) {
        assertEquals(Long.toHexString(expected), Long.toHexString(Double.doubleToRawLongBits(actual)));
    }
}
