package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.WasmTrap;

/**
 * The WebAssembly numeric instructions that no single JVM bytecode implements exactly. Generated
 * code calls these with {@code invokestatic}; they are small enough for the JIT to inline.
 *
 * <p>Each method is named after the instruction it implements ({@code i32.div_s} is
 * {@link #i32DivS}). Floating-point values are passed as {@code float}/{@code double} and their
 * bits are handled exactly: sign operations never touch a NaN's payload, and every operation the
 * spec defines to produce an arithmetic NaN returns a quiet one.
 */
public final class Numerics {
    private static final int F32_SIGN = 0x8000_0000;
    private static final int F32_QUIET = 0x0040_0000;
    private static final long F64_SIGN = 0x8000_0000_0000_0000L;
    private static final long F64_QUIET = 0x0008_0000_0000_0000L;

    private static final double TWO_POW_31 = 0x1p31;
    private static final double TWO_POW_32 = 0x1p32;
    private static final double TWO_POW_63 = 0x1p63;
    private static final double TWO_POW_64 = 0x1p64;

    private Numerics() {}

    /** {@code i32.div_s}: traps on a zero divisor and on the one quotient that does not fit. */
    public static int i32DivS(int a, int b) {
        if (b == 0) throw divideByZero();
        if (a == Integer.MIN_VALUE && b == -1) throw overflow();
        return a / b;
    }

    /** {@code i32.div_u}. */
    public static int i32DivU(int a, int b) {
        if (b == 0) throw divideByZero();
        return Integer.divideUnsigned(a, b);
    }

    /** {@code i32.rem_s}; the JVM's {@code irem} already yields 0 for {@code MIN_VALUE % -1}. */
    public static int i32RemS(int a, int b) {
        if (b == 0) throw divideByZero();
        return a % b;
    }

    /** {@code i32.rem_u}. */
    public static int i32RemU(int a, int b) {
        if (b == 0) throw divideByZero();
        return Integer.remainderUnsigned(a, b);
    }

    /** {@code i64.div_s}: traps on a zero divisor and on the one quotient that does not fit. */
    public static long i64DivS(long a, long b) {
        if (b == 0) throw divideByZero();
        if (a == Long.MIN_VALUE && b == -1) throw overflow();
        return a / b;
    }

    /** {@code i64.div_u}. */
    public static long i64DivU(long a, long b) {
        if (b == 0) throw divideByZero();
        return Long.divideUnsigned(a, b);
    }

    /** {@code i64.rem_s}; the JVM's {@code lrem} already yields 0 for {@code MIN_VALUE % -1}. */
    public static long i64RemS(long a, long b) {
        if (b == 0) throw divideByZero();
        return a % b;
    }

    /** {@code i64.rem_u}. */
    public static long i64RemU(long a, long b) {
        if (b == 0) throw divideByZero();
        return Long.remainderUnsigned(a, b);
    }

    // Float sign operations: pure bit manipulation, so NaN payloads pass through untouched.

    /** {@code f32.abs}. */
    public static float f32Abs(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & ~F32_SIGN);
    }

    /** {@code f32.neg}. */
    public static float f32Neg(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) ^ F32_SIGN);
    }

    /** {@code f32.copysign}: the magnitude of {@code x} with the sign of {@code y}. */
    public static float f32Copysign(float x, float y) {
        return Float.intBitsToFloat(
                (Float.floatToRawIntBits(x) & ~F32_SIGN) | (Float.floatToRawIntBits(y) & F32_SIGN));
    }

    /** {@code f64.abs}. */
    public static double f64Abs(double x) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) & ~F64_SIGN);
    }

    /** {@code f64.neg}. */
    public static double f64Neg(double x) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ F64_SIGN);
    }

    /** {@code f64.copysign}: the magnitude of {@code x} with the sign of {@code y}. */
    public static double f64Copysign(double x, double y) {
        return Double.longBitsToDouble(
                (Double.doubleToRawLongBits(x) & ~F64_SIGN) | (Double.doubleToRawLongBits(y) & F64_SIGN));
    }

    // Float rounding and square root. A float widens to double exactly, and a double result of
    // rounding a float to an integer is again a float, so the f32 versions go through double;
    // sqrt is correctly rounded that way too, since double has more than 2 * 24 + 2 bits.

    /** {@code f32.ceil}. */
    public static float f32Ceil(float x) {
        return x != x ? quiet(x) : (float) Math.ceil(x);
    }

    /** {@code f32.floor}. */
    public static float f32Floor(float x) {
        return x != x ? quiet(x) : (float) Math.floor(x);
    }

    /** {@code f32.trunc}. */
    public static float f32Trunc(float x) {
        return x != x ? quiet(x) : (float) (x < 0 ? Math.ceil(x) : Math.floor(x));
    }

    /** {@code f32.nearest}: rounds half to even. */
    public static float f32Nearest(float x) {
        return x != x ? quiet(x) : (float) Math.rint(x);
    }

    /** {@code f32.sqrt}. */
    public static float f32Sqrt(float x) {
        return x != x ? quiet(x) : (float) Math.sqrt(x);
    }

    /** {@code f64.ceil}. */
    public static double f64Ceil(double x) {
        return x != x ? quiet(x) : Math.ceil(x);
    }

    /** {@code f64.floor}. */
    public static double f64Floor(double x) {
        return x != x ? quiet(x) : Math.floor(x);
    }

    /** {@code f64.trunc}. */
    public static double f64Trunc(double x) {
        return x != x ? quiet(x) : x < 0 ? Math.ceil(x) : Math.floor(x);
    }

    /** {@code f64.nearest}: rounds half to even. */
    public static double f64Nearest(double x) {
        return x != x ? quiet(x) : Math.rint(x);
    }

    /** {@code f64.sqrt}. */
    public static double f64Sqrt(double x) {
        return x != x ? quiet(x) : Math.sqrt(x);
    }

    // min/max. Unlike Math.min/max these quiet a NaN operand. Equal operands differ at most in
    // the sign of zero, so or-ing their bits picks -0.0 for min and and-ing picks +0.0 for max.

    /** {@code f32.min}. */
    public static float f32Min(float a, float b) {
        if (a != a) return quiet(a);
        if (b != b) return quiet(b);
        if (a == b) return Float.intBitsToFloat(Float.floatToRawIntBits(a) | Float.floatToRawIntBits(b));
        return a < b ? a : b;
    }

    /** {@code f32.max}. */
    public static float f32Max(float a, float b) {
        if (a != a) return quiet(a);
        if (b != b) return quiet(b);
        if (a == b) return Float.intBitsToFloat(Float.floatToRawIntBits(a) & Float.floatToRawIntBits(b));
        return a > b ? a : b;
    }

    /** {@code f64.min}. */
    public static double f64Min(double a, double b) {
        if (a != a) return quiet(a);
        if (b != b) return quiet(b);
        if (a == b) {
            return Double.longBitsToDouble(Double.doubleToRawLongBits(a) | Double.doubleToRawLongBits(b));
        }
        return a < b ? a : b;
    }

    /** {@code f64.max}. */
    public static double f64Max(double a, double b) {
        if (a != a) return quiet(a);
        if (b != b) return quiet(b);
        if (a == b) {
            return Double.longBitsToDouble(Double.doubleToRawLongBits(a) & Double.doubleToRawLongBits(b));
        }
        return a > b ? a : b;
    }

    // Float to integer, trapping. Each range test is written so that NaN fails it, and its
    // bounds are the exactly representable values just outside the target range.

    /** {@code i32.trunc_f32_s}. */
    public static int i32TruncF32S(float x) {
        if (x >= -0x1p31f && x < 0x1p31f) return (int) x;
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i32.trunc_f32_u}. */
    public static int i32TruncF32U(float x) {
        if (x > -1f && x < 0x1p32f) return (int) (long) x;
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i32.trunc_f64_s}. */
    public static int i32TruncF64S(double x) {
        if (x > -TWO_POW_31 - 1 && x < TWO_POW_31) return (int) x;
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i32.trunc_f64_u}. */
    public static int i32TruncF64U(double x) {
        if (x > -1 && x < TWO_POW_32) return (int) (long) x;
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i64.trunc_f32_s}. */
    public static long i64TruncF32S(float x) {
        if (x >= -0x1p63f && x < 0x1p63f) return (long) x;
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i64.trunc_f32_u}. */
    public static long i64TruncF32U(float x) {
        if (x > -1f && x < 0x1p64f) return truncU64(x);
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i64.trunc_f64_s}. */
    public static long i64TruncF64S(double x) {
        if (x >= -TWO_POW_63 && x < TWO_POW_63) return (long) x;
        throw x != x ? invalidConversion() : overflow();
    }

    /** {@code i64.trunc_f64_u}. */
    public static long i64TruncF64U(double x) {
        if (x > -1 && x < TWO_POW_64) return truncU64(x);
        throw x != x ? invalidConversion() : overflow();
    }

    // Float to integer, saturating. The signed variants are the JVM's own f2i/d2i/f2l/d2l.

    /** {@code i32.trunc_sat_f32_u}. */
    public static int i32TruncSatF32U(float x) {
        return i32TruncSatF64U(x);
    }

    /** {@code i32.trunc_sat_f64_u}. */
    public static int i32TruncSatF64U(double x) {
        if (!(x > 0)) return 0;
        if (x >= TWO_POW_32) return -1;
        return (int) (long) x;
    }

    /** {@code i64.trunc_sat_f32_u}. */
    public static long i64TruncSatF32U(float x) {
        return i64TruncSatF64U(x);
    }

    /** {@code i64.trunc_sat_f64_u}. */
    public static long i64TruncSatF64U(double x) {
        if (!(x > 0)) return 0;
        if (x >= TWO_POW_64) return -1;
        return truncU64(x);
    }

    /** Truncates {@code x} in {@code (-1, 2^64)} to the unsigned 64-bit integer it rounds towards. */
    private static long truncU64(double x) {
        if (x < TWO_POW_63) return (long) x;
        // x is an integer in [2^63, 2^64), so subtracting 2^63 is exact.
        return (long) (x - TWO_POW_63) | Long.MIN_VALUE;
    }

    // Unsigned integer to float. 32-bit values widen to a non-negative long, which l2f/l2d round
    // once. A 64-bit value with its top bit set is halved first, keeping the shifted-out bit as a
    // sticky bit so that the single rounding of the halved value still sees every bit that
    // matters; doubling the result is then exact.

    /** {@code f32.convert_i32_u}. */
    public static float f32ConvertI32U(int x) {
        return Integer.toUnsignedLong(x);
    }

    /** {@code f32.convert_i64_u}. */
    public static float f32ConvertI64U(long x) {
        if (x >= 0) return x;
        return (float) ((x >>> 1) | (x & 1)) * 2f;
    }

    /** {@code f64.convert_i32_u}. */
    public static double f64ConvertI32U(int x) {
        return Integer.toUnsignedLong(x);
    }

    /** {@code f64.convert_i64_u}. */
    public static double f64ConvertI64U(long x) {
        if (x >= 0) return x;
        return (double) ((x >>> 1) | (x & 1)) * 2d;
    }

    // Float width conversions. A NaN keeps its sign and the top of its payload, and comes out
    // quiet, so a canonical NaN stays canonical.

    /** {@code f32.demote_f64}. */
    public static float f32DemoteF64(double x) {
        if (x != x) {
            long bits = Double.doubleToRawLongBits(x);
            int sign = (int) (bits >>> 32) & F32_SIGN;
            int payload = (int) ((bits & 0x000F_FFFF_FFFF_FFFFL) >>> 29);
            return Float.intBitsToFloat(sign | 0x7F80_0000 | F32_QUIET | payload);
        }
        return (float) x;
    }

    /** {@code f64.promote_f32}. */
    public static double f64PromoteF32(float x) {
        if (x != x) {
            int bits = Float.floatToRawIntBits(x);
            long sign = (long) (bits & F32_SIGN) << 32;
            long payload = (long) (bits & 0x007F_FFFF) << 29;
            return Double.longBitsToDouble(sign | 0x7FF0_0000_0000_0000L | F64_QUIET | payload);
        }
        return x;
    }

    private static float quiet(float nan) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(nan) | F32_QUIET);
    }

    private static double quiet(double nan) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(nan) | F64_QUIET);
    }

    private static WasmTrap divideByZero() {
        return new WasmTrap("integer divide by zero");
    }

    private static WasmTrap overflow() {
        return new WasmTrap("integer overflow");
    }

    private static WasmTrap invalidConversion() {
        return new WasmTrap("invalid conversion to integer");
    }
}
