package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.V128;

/**
 * The fixed-width SIMD instructions for generated code, on {@code v128} values held as two
 * {@code long}s: the low half (bytes 0 to 7, lane 0 in its least significant bits) and the high
 * half (bytes 8 to 15). Generated code keeps a {@code v128} as those two longs on the operand stack
 * and in local slots, never as an object, so no instruction allocates.
 *
 * <p>Most methods compute one 64-bit half of a result from the same half of their operands (a
 * lane never crosses the middle), and generated code calls them once for the low half and once for
 * the high; the others say which halves they take. The integer lane operations are straight-line
 * bit arithmetic on the halves (SWAR: masks keep carries and borrows inside their lanes), without
 * loops or branches (only {@link #i8x16Swizzle} loops), so that C2 inlines each as a few dozen
 * nodes, nothing needs
 * unrolling, and no branch profile is shared between the call sites of a kernel. They are kept
 * small in bytecode as well: C2 counts every inlined method's bytecode against one budget per
 * compilation ({@code DesiredMethodLimit}, 8,000 bytes with the root method's own), and in the
 * large methods of SIMD kernels the helpers past it stay calls. Operations of a few bytecodes a
 * half (integer add, sub, neg and abs, i32x4.mul, avgr_u, splats, left and logical right shifts,
 * float abs and neg, bitselect, lane replacement, byte shuffles) are emitted as bytecode instead,
 * see the compiler's {@code SimdEmitter}; float arithmetic is here because its
 * bit moves are native methods, which the interpreter calls through JNI. Methods are named after
 * their instruction ({@code i8x16.add_sat_s} is {@link #i8x16AddSatS}); float lanes keep their exact
 * bits wherever the spec says so (abs, neg, pmin, pmax) and NaN results are quiet, as
 * {@link Numerics} does for scalars. Of Wasm 3.0's relaxed instructions only the multiply-adds and
 * the dot products have methods of their own, with the deterministic profile's results; the
 * others are lowered as the 2.0 instruction they relax. Two methods compute an idiom of several
 * instructions rather than one ({@link #i16x8MulPairsAddSatS}, SSSE3's {@code pmaddubsw} as
 * intgemm writes it, and {@link #i16x8AddSatSMulPairs}, that added to an accumulator, each with a
 * form for multipliers known to be small, {@link #i16x8MulPairsByMagnitudes});
 * {@code v128.load} and the dot product on it in one method each half were measured and not kept
 * (the compiler's {@code SimdEmitter} has the figures).
 */
public final class Simd {
    private Simd() {}

    private static final long BYTE_MSB = 0x8080_8080_8080_8080L;
    private static final long SHORT_MSB = 0x8000_8000_8000_8000L;
    private static final long INT_MSB = 0x8000_0000_8000_0000L;
    private static final long LOW32 = 0xFFFF_FFFFL;

    /** For generated code: the {@link V128} of two halves, where a v128 must be one object (a return value, a field). */
    public static V128 box(long low, long high) {
        return new V128(low, high);
    }

    // ---- Whole-vector tests and lane access

    /** {@code v128.any_true}. */
    public static int v128AnyTrue(long low, long high) {
        return (low | high) != 0 ? 1 : 0;
    }

    /** {@code i8x16.all_true}: no byte of either half is zero. */
    public static int i8x16AllTrue(long low, long high) {
        return noZeroLane(low, BYTE_MSB) && noZeroLane(high, BYTE_MSB) ? 1 : 0;
    }

    public static int i16x8AllTrue(long low, long high) {
        return noZeroLane(low, SHORT_MSB) && noZeroLane(high, SHORT_MSB) ? 1 : 0;
    }

    public static int i32x4AllTrue(long low, long high) {
        return (int) low != 0 && (int) (low >>> 32) != 0 && (int) high != 0 && (int) (high >>> 32) != 0 ? 1 : 0;
    }

    public static int i64x2AllTrue(long low, long high) {
        return low != 0 && high != 0 ? 1 : 0;
    }

    /** Whether no lane of {@code x} is zero; {@code msb} has the top bit of each lane. */
    private static boolean noZeroLane(long x, long msb) {
        // Adding the lane's low bits to all-but-top ones carries into the top bit exactly when they are
        // not all zero, and no carry crosses a lane; the lane's own top bit covers the rest.
        long y = (x & ~msb) + ~msb;
        return ((y | x) & msb) == msb;
    }

    /** {@code i8x16.bitmask}: bit i is the sign of byte lane i. */
    public static int i8x16Bitmask(long low, long high) {
        return byteSigns(low) | byteSigns(high) << 8;
    }

    private static int byteSigns(long x) {
        // The sign of byte i moved to bit 8i, then the multiplier's bit 56 - 7i carries it to bit
        // 56 + i; no two partial products share a bit, so nothing carries.
        return (int) (((x & BYTE_MSB) >>> 7) * 0x0102_0408_1020_4080L >>> 56);
    }

    public static int i16x8Bitmask(long low, long high) {
        return shortSigns(low) | shortSigns(high) << 4;
    }

    private static int shortSigns(long x) {
        return (int) ((x >>> 15 & 1) | (x >>> 30 & 2) | (x >>> 45 & 4) | (x >>> 60 & 8));
    }

    public static int i32x4Bitmask(long low, long high) {
        return (int) ((low >>> 31 & 1) | (low >>> 62 & 2) | (high >>> 29 & 4) | (high >>> 60 & 8));
    }

    public static int i64x2Bitmask(long low, long high) {
        return (int) ((low >>> 63) | (high >>> 63) << 1);
    }

    /** {@code i8x16.swizzle}: the half of the result whose selectors are {@code selectors}, lanes from {@code low:high}. */
    public static long i8x16Swizzle(long low, long high, long selectors) {
        long r = 0;
        for (int s = 0; s < 64; s += 8) {
            int i = (int) (selectors >>> s) & 0xFF;
            long b = i < 8 ? low >>> (i << 3) : i < 16 ? high >>> ((i - 8) << 3) : 0;
            r |= (b & 0xFF) << s;
        }
        return r;
    }

    // ---- Splats

    public static long f32x4Splat(float x) {
        return (Float.floatToRawIntBits(x) & LOW32) * 0x0000_0001_0000_0001L;
    }

    // ---- Integer arithmetic, one half at a time (add and sub are bytecode in generated code)

    /**
     * Lane k's product is the low 16 bits of {@code a} with the lanes below k cleared times
     * {@code b} moved down by k lanes: the cleared lanes add nothing below lane k and what lands
     * above it is masked off (lane 3's leaves the long). Four {@code long} multiplies and no
     * conversions: 34 bytecodes in 49 bytes, where two {@code int} products a 32 bits took 50 in
     * 72, which counts against C2's inlining budget in a kernel. Measured alone (thread CPU time per
     * call, loaded 2-core machine) it is no faster: interpreted 80 to 140 ns either way, C1's code
     * 4.6 ns against 4.9, C2's (not inlined) 4.7 against 4.4.
     */
    public static long i16x8Mul(long a, long b) {
        return a * b & 0xFFFFL
                | (a & 0xFFFF_0000L) * (b >>> 16) & 0xFFFF_0000L
                | (a & 0xFFFF_0000_0000L) * (b >>> 32) & 0xFFFF_0000_0000L
                | (a & 0xFFFF_0000_0000_0000L) * (b >>> 48);
    }

    public static long i32x4Mul(long a, long b) {
        return ((int) a * (int) b & LOW32) | (long) ((int) (a >>> 32) * (int) (b >>> 32)) << 32;
    }

    public static long i32x4Abs(long a) {
        return (Math.abs((int) a) & LOW32) | (long) Math.abs((int) (a >>> 32)) << 32;
    }

    public static long i64x2Abs(long a) {
        return Math.abs(a);
    }

    public static long i8x16Popcnt(long a) {
        long x = a - ((a >>> 1) & 0x5555_5555_5555_5555L);
        x = (x & 0x3333_3333_3333_3333L) + ((x >>> 2) & 0x3333_3333_3333_3333L);
        return (x + (x >>> 4)) & 0x0F0F_0F0F_0F0F_0F0FL;
    }

    // The saturating, minimum and maximum helpers are the lane-wise helpers below written out flat,
    // without calls: a call the interpreter makes costs as much as twenty simple bytecodes, and C1
    // inlines no helper whose operand stack holds more than two longs ("callee uses too much
    // stack"), so a nested helper stays a call in C1's code too. Their comments are the helpers'.

    public static long i8x16AddSatS(long a, long b) {
        long sum = ((a & ~BYTE_MSB) + (b & ~BYTE_MSB)) ^ ((a ^ b) & BYTE_MSB);
        long overflow = (((sum ^ a) & (sum ^ b) & BYTE_MSB) >>> 7) * 0xFF;
        return sum ^ ((sum ^ (~BYTE_MSB + ((a & BYTE_MSB) >>> 7))) & overflow);
    }

    public static long i8x16AddSatU(long a, long b) {
        long sum = ((a & ~BYTE_MSB) + (b & ~BYTE_MSB)) ^ ((a ^ b) & BYTE_MSB);
        return sum | (((a & b | (a | b) & ~sum) & BYTE_MSB) >>> 7) * 0xFF;
    }

    public static long i8x16SubSatS(long a, long b) {
        long difference = ((a | BYTE_MSB) - (b & ~BYTE_MSB)) ^ ((a ^ ~b) & BYTE_MSB);
        long overflow = (((a ^ b) & (a ^ difference) & BYTE_MSB) >>> 7) * 0xFF;
        return difference ^ ((difference ^ (~BYTE_MSB + ((a & BYTE_MSB) >>> 7))) & overflow);
    }

    public static long i8x16SubSatU(long a, long b) {
        long difference = ((a | BYTE_MSB) - (b & ~BYTE_MSB)) ^ ((a ^ ~b) & BYTE_MSB);
        return difference & ~((((~a & b | ~(a ^ b) & difference) & BYTE_MSB) >>> 7) * 0xFF);
    }

    public static long i16x8AddSatS(long a, long b) {
        long sum = ((a & ~SHORT_MSB) + (b & ~SHORT_MSB)) ^ ((a ^ b) & SHORT_MSB);
        long overflow = (((sum ^ a) & (sum ^ b) & SHORT_MSB) >>> 15) * 0xFFFF;
        return sum ^ ((sum ^ (~SHORT_MSB + ((a & SHORT_MSB) >>> 15))) & overflow);
    }

    public static long i16x8AddSatU(long a, long b) {
        long sum = ((a & ~SHORT_MSB) + (b & ~SHORT_MSB)) ^ ((a ^ b) & SHORT_MSB);
        return sum | (((a & b | (a | b) & ~sum) & SHORT_MSB) >>> 15) * 0xFFFF;
    }

    public static long i16x8SubSatS(long a, long b) {
        long difference = ((a | SHORT_MSB) - (b & ~SHORT_MSB)) ^ ((a ^ ~b) & SHORT_MSB);
        long overflow = (((a ^ b) & (a ^ difference) & SHORT_MSB) >>> 15) * 0xFFFF;
        return difference ^ ((difference ^ (~SHORT_MSB + ((a & SHORT_MSB) >>> 15))) & overflow);
    }

    public static long i16x8SubSatU(long a, long b) {
        long difference = ((a | SHORT_MSB) - (b & ~SHORT_MSB)) ^ ((a ^ ~b) & SHORT_MSB);
        return difference & ~((((~a & b | ~(a ^ b) & difference) & SHORT_MSB) >>> 15) * 0xFFFF);
    }

    // The lane-wise helpers below take the lanes' top bits (msb), the shift that moves a lane's top bit
    // to its bottom bit (top) and a lane of all ones (ones); (bits >>> top) * ones widens a lane's top
    // bit to the whole lane. They are straight-line code, without loops or branches, so that C2
    // inlines them into a kernel as a few dozen nodes and shares no branch profile between call sites.

    /** Lane-wise wrapping add: the lanes' low bits added, then their top bits by exclusive or. */
    private static long add(long a, long b, long msb) {
        return ((a & ~msb) + (b & ~msb)) ^ ((a ^ b) & msb);
    }

    /** Lane-wise wrapping subtract: each lane's top bit set first, so no borrow leaves the lane. */
    private static long sub(long a, long b, long msb) {
        return ((a | msb) - (b & ~msb)) ^ ((a ^ ~b) & msb);
    }

    /** All ones in each lane whose top bit is set in {@code bits}. */
    private static long lanes(long bits, long msb, int top, long ones) {
        return ((bits & msb) >>> top) * ones;
    }

    /** All ones in each lane where {@code a < b}, unsigned: where {@code a - b} borrows out of the lane. */
    private static long ltU(long a, long b, long msb, int top, long ones) {
        return lanes(~a & b | ~(a ^ b) & sub(a, b, msb), msb, top, ones);
    }

    private static long addSatS(long a, long b, long msb, int top, long ones) {
        long sum = add(a, b, msb);
        // Overflow: both operands have the sign the sum lacks; the lane then saturates towards a's
        // sign, to the largest lane (msb - 1) or, one more, the smallest.
        long overflow = lanes((sum ^ a) & (sum ^ b), msb, top, ones);
        long saturated = ~msb + ((a & msb) >>> top);
        return sum ^ ((sum ^ saturated) & overflow);
    }

    private static long subSatS(long a, long b, long msb, int top, long ones) {
        long difference = sub(a, b, msb);
        long overflow = lanes((a ^ b) & (a ^ difference), msb, top, ones);
        long saturated = ~msb + ((a & msb) >>> top);
        return difference ^ ((difference ^ saturated) & overflow);
    }

    private static long addSatU(long a, long b, long msb, int top, long ones) {
        long sum = add(a, b, msb);
        return sum | lanes(a & b | (a | b) & ~sum, msb, top, ones);
    }

    private static long subSatU(long a, long b, long msb, int top, long ones) {
        return sub(a, b, msb) & ~ltU(a, b, msb, top, ones);
    }

    private static int satS8(int x) {
        return Math.max(-128, Math.min(127, x));
    }

    private static int satS16(int x) {
        return Math.max(-32768, Math.min(32767, x));
    }

    // Minimum and maximum: where x < y lane-wise, unsigned (ltU, with the signed lanes' top bits
    // flipped), a for the minimum, b for the maximum (select), written out flat as above.

    public static long i8x16MinS(long a, long b) {
        long x = a ^ BYTE_MSB, y = b ^ BYTE_MSB;
        long lt = (((~x & y | ~(x ^ y) & (((x | BYTE_MSB) - (y & ~BYTE_MSB)) ^ ((x ^ ~y) & BYTE_MSB))) & BYTE_MSB) >>> 7) * 0xFF;
        return b ^ ((a ^ b) & lt);
    }

    public static long i8x16MinU(long a, long b) {
        long lt = (((~a & b | ~(a ^ b) & (((a | BYTE_MSB) - (b & ~BYTE_MSB)) ^ ((a ^ ~b) & BYTE_MSB))) & BYTE_MSB) >>> 7) * 0xFF;
        return b ^ ((a ^ b) & lt);
    }

    public static long i8x16MaxS(long a, long b) {
        long x = a ^ BYTE_MSB, y = b ^ BYTE_MSB;
        long lt = (((~x & y | ~(x ^ y) & (((x | BYTE_MSB) - (y & ~BYTE_MSB)) ^ ((x ^ ~y) & BYTE_MSB))) & BYTE_MSB) >>> 7) * 0xFF;
        return a ^ ((b ^ a) & lt);
    }

    public static long i8x16MaxU(long a, long b) {
        long lt = (((~a & b | ~(a ^ b) & (((a | BYTE_MSB) - (b & ~BYTE_MSB)) ^ ((a ^ ~b) & BYTE_MSB))) & BYTE_MSB) >>> 7) * 0xFF;
        return a ^ ((b ^ a) & lt);
    }

    public static long i16x8MinS(long a, long b) {
        long x = a ^ SHORT_MSB, y = b ^ SHORT_MSB;
        long lt = (((~x & y | ~(x ^ y) & (((x | SHORT_MSB) - (y & ~SHORT_MSB)) ^ ((x ^ ~y) & SHORT_MSB))) & SHORT_MSB) >>> 15) * 0xFFFF;
        return b ^ ((a ^ b) & lt);
    }

    public static long i16x8MinU(long a, long b) {
        long lt = (((~a & b | ~(a ^ b) & (((a | SHORT_MSB) - (b & ~SHORT_MSB)) ^ ((a ^ ~b) & SHORT_MSB))) & SHORT_MSB) >>> 15) * 0xFFFF;
        return b ^ ((a ^ b) & lt);
    }

    public static long i16x8MaxS(long a, long b) {
        long x = a ^ SHORT_MSB, y = b ^ SHORT_MSB;
        long lt = (((~x & y | ~(x ^ y) & (((x | SHORT_MSB) - (y & ~SHORT_MSB)) ^ ((x ^ ~y) & SHORT_MSB))) & SHORT_MSB) >>> 15) * 0xFFFF;
        return a ^ ((b ^ a) & lt);
    }

    public static long i16x8MaxU(long a, long b) {
        long lt = (((~a & b | ~(a ^ b) & (((a | SHORT_MSB) - (b & ~SHORT_MSB)) ^ ((a ^ ~b) & SHORT_MSB))) & SHORT_MSB) >>> 15) * 0xFFFF;
        return a ^ ((b ^ a) & lt);
    }

    public static long i32x4MinS(long a, long b) {
        return (Math.min((int) a, (int) b) & LOW32) | (long) Math.min((int) (a >>> 32), (int) (b >>> 32)) << 32;
    }

    public static long i32x4MinU(long a, long b) {
        return (Math.min(a & LOW32, b & LOW32)) | Math.min(a >>> 32, b >>> 32) << 32;
    }

    public static long i32x4MaxS(long a, long b) {
        return (Math.max((int) a, (int) b) & LOW32) | (long) Math.max((int) (a >>> 32), (int) (b >>> 32)) << 32;
    }

    public static long i32x4MaxU(long a, long b) {
        return (Math.max(a & LOW32, b & LOW32)) | Math.max(a >>> 32, b >>> 32) << 32;
    }

    public static long i16x8Q15mulrSatS(long a, long b) {
        return q15mulr(a, b) | q15mulr(a >>> 16, b >>> 16) << 16 | q15mulr(a >>> 32, b >>> 32) << 32
                | q15mulr(a >>> 48, b >>> 48) << 48;
    }

    /** {@code i16x8.q15mulr_sat_s} of the low lanes of {@code a} and {@code b}, zero-extended. */
    private static long q15mulr(long a, long b) {
        return satS16(((short) a * (short) b + 0x4000) >> 15) & 0xFFFFL;
    }

    /**
     * Each i32 lane's two signed i16 products added (wrapping, as the spec's i32 add): the odd
     * lanes come down sign-extended by an arithmetic shift, of the low int and of the whole half,
     * which saves four of the eight {@code i2s} narrowings and their shifts (60 bytes of bytecode
     * where all four lanes narrowed took 66). Measured alone, thread CPU time per call on a loaded
     * 2-core machine: interpreted 80 to 100 ns against 115 to 130, in C1's code 5.1 ns against
     * 6.7, in C2's (not inlined) 3.9 against 4.2.
     */
    public static long i32x4DotI16x8S(long a, long b) {
        long lane0 = (short) a * (short) b + ((int) a >> 16) * ((int) b >> 16);
        long lane1 = (short) (a >>> 32) * (short) (b >>> 32) + (a >> 48) * (b >> 48);
        return (lane0 & LOW32) | lane1 << 32;
    }

    /**
     * Not one instruction but an idiom of eleven, SSSE3's {@code pmaddubsw} as intgemm and simde
     * emulate it (the compiler's {@code MulPairs} recognises it): a half of
     * {@code i16x8.add_sat_s} of the even and the odd i16 lanes of {@code i16x8.mul} of
     * {@code i16x8.extend_*_i8x16_s} of a vector by a vector {@code b}. Result lane k is the
     * saturated sum of the two products of {@code a}'s bytes {@code 2k} and {@code 2k+1}, signed, by
     * {@code b}'s i16 lanes {@code 2k} and {@code 2k+1}, each product wrapped to 16 bits as
     * {@code i16x8.mul} wraps it; {@code a} is the half of the signed vector whose bytes the result
     * half takes, {@code bLow} and {@code bHigh} the halves of {@code b}. Written out per lane, in
     * {@code int}s, about 70 operations a half where the eleven instructions lowered one by one
     * take about 105.
     */
    public static long i16x8MulPairsAddSatS(long a, long bLow, long bHigh) {
        int x = (int) a;
        int y = (int) (a >>> 32);
        int b0 = (int) bLow;
        int b1 = (int) (bLow >>> 32);
        int b2 = (int) bHigh;
        int b3 = (int) (bHigh >>> 32);
        int lane0 = (short) ((byte) x * b0) + (short) ((x << 16 >> 24) * (b0 >> 16));
        int lane1 = (short) ((x << 8 >> 24) * b1) + (short) ((x >> 24) * (b1 >> 16));
        int lane2 = (short) ((byte) y * b2) + (short) ((y << 16 >> 24) * (b2 >> 16));
        int lane3 = (short) ((y << 8 >> 24) * b3) + (short) ((y >> 24) * (b3 >> 16));
        return (satS16(lane0) & 0xFFFFL) | (satS16(lane1) & 0xFFFFL) << 16
                | (satS16(lane2) & 0xFFFFL) << 32 | (long) satS16(lane3) << 48;
    }

    /**
     * {@link #i16x8MulPairsAddSatS} added to an accumulator's half {@code acc} by
     * {@code i16x8.add_sat_s}, as intgemm's loops follow each {@code pmaddubsw}: one call where the
     * interpreter and C1's code made two (C1 inlines neither, both hold more than four slots), and
     * the same two methods inlined in C2's code.
     */
    public static long i16x8AddSatSMulPairs(long acc, long a, long bLow, long bHigh) {
        return i16x8AddSatS(acc, i16x8MulPairsAddSatS(a, bLow, bHigh));
    }

    /**
     * {@link #i16x8MulPairsAddSatS} where every i16 lane of {@code bLow} and {@code bHigh} is in
     * [0, 128], as {@code i16x8.extend_*_i8x16_u} of {@code i8x16.abs} makes it: intgemm's
     * multipliers, which the compiler's {@code MulPairs} proves are that. Each product then lies in
     * [-16384, 16256] and each pair's sum in [-32768, 32512], so nothing wraps or saturates, and a
     * pair is one 64-bit multiply instead of two: {@code (s0 * 2^16 + s1) * (u0 + u1 * 2^16)} is
     * {@code s1*u0 + (s0*u0 + s1*u1) * 2^16 + s0*u1 * 2^32}, whose low term is under 2^15 in
     * magnitude, so adding 2^15 leaves the pair's sum, as an i16, in bits 16 to 31. The second factor
     * is the 32-bit field of the multipliers as it lies. About 45 operations a half where the general
     * helper takes about 70; measured alone, with its accumulation
     * ({@link #i16x8AddSatSMulPairsByMagnitudes}), thread CPU time per call, load average 4 to 6:
     * C2's code not inlined 12.1 ns against 14.9, inlined into the loop 7.3 against 9.3, C1's 9.7
     * against 10.7. A check of the multipliers' range at run time in a general helper took 8 of
     * those operations and a branch (12.9, 8.7 and 10.3 ns): the compiler's proof costs nothing at
     * run time.
     */
    public static long i16x8MulPairsByMagnitudes(long a, long bLow, long bHigh) {
        int x = (int) a;
        int y = (int) (a >>> 32);
        // Each pair's first factor: its even byte sign-extended times 2^16, plus its odd byte.
        long pair0 = (long) ((x << 24 >> 8) + (x << 16 >> 24)) * (bLow & LOW32);
        long pair1 = (long) ((x << 8 >> 8 & 0xFFFF_0000) + (x >> 24)) * (bLow >>> 32);
        long pair2 = (long) ((y << 24 >> 8) + (y << 16 >> 24)) * (bHigh & LOW32);
        long pair3 = (long) ((y << 8 >> 8 & 0xFFFF_0000) + (y >> 24)) * (bHigh >>> 32);
        return (pair0 + 0x8000 >>> 16 & 0xFFFF) | (pair1 + 0x8000 & 0xFFFF_0000L)
                | (pair2 + 0x8000 & 0xFFFF_0000L) << 16 | (pair3 + 0x8000 >>> 16) << 48;
    }

    /** {@link #i16x8MulPairsByMagnitudes} added to an accumulator's half {@code acc} by {@code i16x8.add_sat_s}. */
    public static long i16x8AddSatSMulPairsByMagnitudes(long acc, long a, long bLow, long bHigh) {
        return i16x8AddSatS(acc, i16x8MulPairsByMagnitudes(a, bLow, bHigh));
    }

    /**
     * {@code i16x8.relaxed_dot_i8x16_i7x16_s} as the deterministic profile has it: both operands'
     * bytes signed (a second operand's byte of 0x80 or more counts negative, not as its unsigned
     * value) and each pair of products added with saturation.
     */
    public static long i16x8RelaxedDotI8x16I7x16S(long a, long b) {
        return dot(a, b) & 0xFFFFL | (dot(a >>> 16, b >>> 16) & 0xFFFFL) << 16
                | (dot(a >>> 32, b >>> 32) & 0xFFFFL) << 32 | (dot(a >>> 48, b >>> 48) & 0xFFFFL) << 48;
    }

    /**
     * {@code i32x4.relaxed_dot_i8x16_i7x16_add_s}: each i32 lane of {@code c} plus its four bytes'
     * products, added as two saturated i16 pairs ({@link #i16x8RelaxedDotI8x16I7x16S}) and then
     * without saturation.
     */
    public static long i32x4RelaxedDotI8x16I7x16AddS(long a, long b, long c) {
        int lane0 = dot(a, b) + dot(a >>> 16, b >>> 16) + (int) c;
        int lane1 = dot(a >>> 32, b >>> 32) + dot(a >>> 48, b >>> 48) + (int) (c >>> 32);
        return (lane0 & LOW32) | (long) lane1 << 32;
    }

    /**
     * The signed products of the two low bytes of {@code a} and {@code b}, added and saturated to
     * i16: the sum lies in [-32512, 32768], so only its top needs a bound.
     */
    private static int dot(long a, long b) {
        return Math.min(32767, (byte) a * (byte) b + (byte) (a >>> 8) * (byte) (b >>> 8));
    }

    public static long i16x8ExtaddPairwiseI8x16S(long a) {
        // Each byte biased by 0x80 to be unsigned, the pair added (at most 0x1FE, so no carry leaves
        // the lane), and the two biases, 0x100, taken back off lane-wise.
        long biased = a ^ BYTE_MSB;
        return sub((biased & 0x00FF_00FF_00FF_00FFL) + (biased >>> 8 & 0x00FF_00FF_00FF_00FFL),
                0x0100_0100_0100_0100L, SHORT_MSB);
    }

    public static long i32x4ExtaddPairwiseI16x8S(long a) {
        return (((short) a + (short) (a >>> 16)) & LOW32) | (long) ((short) (a >>> 32) + (short) (a >>> 48)) << 32;
    }

    // ---- Shifts: the count is taken modulo the lane width (left and logical right shifts are
    // bytecode in generated code)

    public static long i8x16ShrS(long a, int count) {
        // The logical shift, with the bits it cleared at the top of each lane set in negative lanes.
        long kept = (0xFFL >>> (count & 7)) * 0x0101_0101_0101_0101L;
        return (a >>> (count & 7)) & kept | lanes(a, BYTE_MSB, 7, 0xFF) & ~kept;
    }

    public static long i16x8ShrS(long a, int count) {
        long kept = (0xFFFFL >>> (count & 15)) * 0x0001_0001_0001_0001L;
        return (a >>> (count & 15)) & kept | lanes(a, SHORT_MSB, 15, 0xFFFF) & ~kept;
    }

    // ---- Integer comparisons: all ones in a lane where true

    public static long i8x16Eq(long a, long b) {
        return ~i8x16Ne(a, b);
    }

    public static long i8x16Ne(long a, long b) {
        return nonZero(a ^ b, BYTE_MSB, 7, 0xFF);
    }

    public static long i8x16LtS(long a, long b) {
        return ltU(a ^ BYTE_MSB, b ^ BYTE_MSB, BYTE_MSB, 7, 0xFF);
    }

    public static long i8x16LtU(long a, long b) {
        return ltU(a, b, BYTE_MSB, 7, 0xFF);
    }

    /** All ones in each lane of {@code x} that is not zero. */
    private static long nonZero(long x, long msb, int top, long ones) {
        // Adding all-but-top ones to a lane's low bits carries into its top bit exactly when they are
        // not all zero, and no carry leaves the lane; the lane's own top bit covers the rest.
        return lanes((x & ~msb) + ~msb | x, msb, top, ones);
    }

    public static long i8x16GtS(long a, long b) {
        return i8x16LtS(b, a);
    }

    public static long i8x16GtU(long a, long b) {
        return i8x16LtU(b, a);
    }

    public static long i8x16LeS(long a, long b) {
        return ~i8x16LtS(b, a);
    }

    public static long i8x16LeU(long a, long b) {
        return ~i8x16LtU(b, a);
    }

    public static long i8x16GeS(long a, long b) {
        return ~i8x16LtS(a, b);
    }

    public static long i8x16GeU(long a, long b) {
        return ~i8x16LtU(a, b);
    }

    public static long i16x8Eq(long a, long b) {
        return ~i16x8Ne(a, b);
    }

    public static long i16x8Ne(long a, long b) {
        return nonZero(a ^ b, SHORT_MSB, 15, 0xFFFF);
    }

    public static long i16x8LtS(long a, long b) {
        return ltU(a ^ SHORT_MSB, b ^ SHORT_MSB, SHORT_MSB, 15, 0xFFFF);
    }

    public static long i16x8LtU(long a, long b) {
        return ltU(a, b, SHORT_MSB, 15, 0xFFFF);
    }

    public static long i16x8GtS(long a, long b) {
        return i16x8LtS(b, a);
    }

    public static long i16x8GtU(long a, long b) {
        return i16x8LtU(b, a);
    }

    public static long i16x8LeS(long a, long b) {
        return ~i16x8LtS(b, a);
    }

    public static long i16x8LeU(long a, long b) {
        return ~i16x8LtU(b, a);
    }

    public static long i16x8GeS(long a, long b) {
        return ~i16x8LtS(a, b);
    }

    public static long i16x8GeU(long a, long b) {
        return ~i16x8LtU(a, b);
    }

    public static long i32x4Eq(long a, long b) {
        // A lane's difference less one is negative, as a long, exactly when the lanes are equal.
        long x = a ^ b;
        return ((x & LOW32) - 1 >> 63 & LOW32) | ((x >>> 32) - 1 >> 63 << 32);
    }

    public static long i32x4Ne(long a, long b) {
        return ~i32x4Eq(a, b);
    }

    public static long i32x4LtS(long a, long b) {
        // The lanes widened to longs, whose difference cannot overflow: its sign is the comparison.
        return ((long) (int) a - (int) b >> 63 & LOW32) | ((a >> 32) - (b >> 32) >> 63 << 32);
    }

    public static long i32x4LtU(long a, long b) {
        return ((a & LOW32) - (b & LOW32) >> 63 & LOW32) | ((a >>> 32) - (b >>> 32) >> 63 << 32);
    }

    public static long i32x4GtS(long a, long b) {
        return i32x4LtS(b, a);
    }

    public static long i32x4GtU(long a, long b) {
        return i32x4LtU(b, a);
    }

    public static long i32x4LeS(long a, long b) {
        return ~i32x4LtS(b, a);
    }

    public static long i32x4LeU(long a, long b) {
        return ~i32x4LtU(b, a);
    }

    public static long i32x4GeS(long a, long b) {
        return ~i32x4LtS(a, b);
    }

    public static long i32x4GeU(long a, long b) {
        return ~i32x4LtU(a, b);
    }

    public static long i64x2Eq(long a, long b) {
        return ~i64x2Ne(a, b);
    }

    public static long i64x2Ne(long a, long b) {
        long x = a ^ b;
        return (x | -x) >> 63;
    }

    public static long i64x2LtS(long a, long b) {
        // The sign of a - b, corrected where the subtraction overflows (Hacker's Delight, 2-12).
        long d = a - b;
        return (d ^ ((a ^ b) & (d ^ a))) >> 63;
    }

    public static long i64x2GtS(long a, long b) {
        return i64x2LtS(b, a);
    }

    public static long i64x2LeS(long a, long b) {
        return ~i64x2LtS(b, a);
    }

    public static long i64x2GeS(long a, long b) {
        return ~i64x2LtS(a, b);
    }

    // ---- Narrowing (one result half from one operand's two halves) and widening (two result halves
    // from the low 32 bits of one operand half, then of the same half shifted right by 32)

    /** {@code i8x16.narrow_i16x8_s}: the result half from one operand's eight i16 lanes. */
    public static long i8x16NarrowI16x8S(long low, long high) {
        return narrowS8(low) | narrowS8(high) << 32;
    }

    public static long i8x16NarrowI16x8U(long low, long high) {
        return narrowU8(low) | narrowU8(high) << 32;
    }

    /** The four i16 lanes of {@code x} saturated to i8, in the low 32 bits. */
    private static long narrowS8(long x) {
        int r = satS8((short) x) & 0xFF | (satS8((short) (x >>> 16)) & 0xFF) << 8
                | (satS8((short) (x >>> 32)) & 0xFF) << 16 | satS8((short) (x >>> 48)) << 24;
        return r & LOW32;
    }

    private static long narrowU8(long x) {
        int r = satU8((short) x) | satU8((short) (x >>> 16)) << 8 | satU8((short) (x >>> 32)) << 16
                | satU8((short) (x >>> 48)) << 24;
        return r & LOW32;
    }

    public static long i16x8NarrowI32x4S(long low, long high) {
        return (satS16((int) low) & 0xFFFFL) | (satS16((int) (low >>> 32)) & 0xFFFFL) << 16
                | (satS16((int) high) & 0xFFFFL) << 32 | (satS16((int) (high >>> 32)) & 0xFFFFL) << 48;
    }

    public static long i16x8NarrowI32x4U(long low, long high) {
        return satU16((int) low) | (long) satU16((int) (low >>> 32)) << 16
                | (long) satU16((int) high) << 32 | (long) satU16((int) (high >>> 32)) << 48;
    }

    private static int satU8(int x) {
        return Math.max(0, Math.min(0xFF, x));
    }

    private static int satU16(int x) {
        return Math.max(0, Math.min(0xFFFF, x));
    }

    /** The four i8 lanes in the low 32 bits of {@code x}, sign-extended to i16 lanes. */
    public static long widenI8S(long x) {
        // widenI8U's code, not a call of it; then each lane's sign bit, bit 7, times 0x1FE fills
        // bits 8 to 15 of that lane and no other.
        long t = x & LOW32;
        t = (t | t << 16) & 0x0000_FFFF_0000_FFFFL;
        t = (t | t << 8) & 0x00FF_00FF_00FF_00FFL;
        return t | (t & 0x0080_0080_0080_0080L) * 0x1FE;
    }

    /** The four i8 lanes in the low 32 bits of {@code x}, zero-extended to i16 lanes. */
    public static long widenI8U(long x) {
        // The two 16-bit pairs moved apart to 32-bit lanes, then the bytes of each pair to 16-bit lanes.
        long t = x & LOW32;
        t = (t | t << 16) & 0x0000_FFFF_0000_FFFFL;
        return (t | t << 8) & 0x00FF_00FF_00FF_00FFL;
    }

    /** The two i16 lanes in the low 32 bits of {@code x}, sign-extended to i32 lanes. */
    public static long widenI16S(long x) {
        return ((short) x & LOW32) | (long) (short) (x >>> 16) << 32;
    }

    /** The two i16 lanes in the low 32 bits of {@code x}, zero-extended to i32 lanes. */
    public static long widenI16U(long x) {
        return (x & 0xFFFF) | (x >>> 16 & 0xFFFF) << 32;
    }

    // ---- Floats: two f32 lanes or one f64 lane per half

    private static float f0(long x) {
        return Float.intBitsToFloat((int) x);
    }

    private static float f1(long x) {
        return Float.intBitsToFloat((int) (x >>> 32));
    }

    private static long f32s(float lane0, float lane1) {
        return (Float.floatToRawIntBits(lane0) & LOW32) | (long) Float.floatToRawIntBits(lane1) << 32;
    }

    private static long ints(int lane0, int lane1) {
        return (lane0 & LOW32) | (long) lane1 << 32;
    }

    private static double d(long x) {
        return Double.longBitsToDouble(x);
    }

    private static long bits(double x) {
        return Double.doubleToRawLongBits(x);
    }

    // Float arithmetic is a call here rather than bytecode in generated code: the bit moves are native
    // methods, which the interpreter calls through JNI (six per half, against one call of this method,
    // which is compiled early), while C1 and C2 make the moves intrinsics. The hot ones (arithmetic,
    // rounding, conversion to and from i32) move their lanes' bits in their own code rather than
    // through f0, f1, ints and f32s: each of those was a call in interpreted and C1 code ("callee uses
    // too much stack" for ints and f32s).

    public static long f32x4Add(long a, long b) {
        return Float.floatToRawIntBits(Float.intBitsToFloat((int) a) + Float.intBitsToFloat((int) b)) & LOW32
                | (long) Float.floatToRawIntBits(Float.intBitsToFloat((int) (a >>> 32)) + Float.intBitsToFloat((int) (b >>> 32))) << 32;
    }

    public static long f32x4Sub(long a, long b) {
        return Float.floatToRawIntBits(Float.intBitsToFloat((int) a) - Float.intBitsToFloat((int) b)) & LOW32
                | (long) Float.floatToRawIntBits(Float.intBitsToFloat((int) (a >>> 32)) - Float.intBitsToFloat((int) (b >>> 32))) << 32;
    }

    public static long f32x4Mul(long a, long b) {
        return Float.floatToRawIntBits(Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b)) & LOW32
                | (long) Float.floatToRawIntBits(Float.intBitsToFloat((int) (a >>> 32)) * Float.intBitsToFloat((int) (b >>> 32))) << 32;
    }

    public static long f32x4Div(long a, long b) {
        return Float.floatToRawIntBits(Float.intBitsToFloat((int) a) / Float.intBitsToFloat((int) b)) & LOW32
                | (long) Float.floatToRawIntBits(Float.intBitsToFloat((int) (a >>> 32)) / Float.intBitsToFloat((int) (b >>> 32))) << 32;
    }

    public static long f64x2Add(long a, long b) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(a) + Double.longBitsToDouble(b));
    }

    public static long f64x2Sub(long a, long b) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(a) - Double.longBitsToDouble(b));
    }

    public static long f64x2Mul(long a, long b) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b));
    }

    public static long f64x2Div(long a, long b) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(a) / Double.longBitsToDouble(b));
    }

    // Relaxed multiply-add as the deterministic profile has it: unfused, the product rounded to the
    // lane's type before the add. Math.fma would give the other permitted result at the same cost
    // on a CPU with FMA, and as a BigDecimal computation on one without (about 1,500 times the
    // unfused helper in C2 code: SimdEmitter has the figures). nmadd is madd of the negated first
    // operand (-a * b is (-a) * b).

    public static long f32x4RelaxedMadd(long a, long b, long c) {
        return Float.floatToRawIntBits(Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b)
                + Float.intBitsToFloat((int) c)) & LOW32
                | (long) Float.floatToRawIntBits(Float.intBitsToFloat((int) (a >>> 32)) * Float.intBitsToFloat((int) (b >>> 32))
                + Float.intBitsToFloat((int) (c >>> 32))) << 32;
    }

    public static long f32x4RelaxedNmadd(long a, long b, long c) {
        return Float.floatToRawIntBits(-Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b)
                + Float.intBitsToFloat((int) c)) & LOW32
                | (long) Float.floatToRawIntBits(-Float.intBitsToFloat((int) (a >>> 32)) * Float.intBitsToFloat((int) (b >>> 32))
                + Float.intBitsToFloat((int) (c >>> 32))) << 32;
    }

    public static long f64x2RelaxedMadd(long a, long b, long c) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b) + Double.longBitsToDouble(c));
    }

    public static long f64x2RelaxedNmadd(long a, long b, long c) {
        return Double.doubleToRawLongBits(-Double.longBitsToDouble(a) * Double.longBitsToDouble(b) + Double.longBitsToDouble(c));
    }

    public static long f32x4Min(long a, long b) {
        return f32s(Numerics.f32Min(f0(a), f0(b)), Numerics.f32Min(f1(a), f1(b)));
    }

    public static long f32x4Max(long a, long b) {
        return f32s(Numerics.f32Max(f0(a), f0(b)), Numerics.f32Max(f1(a), f1(b)));
    }

    /** {@code f32x4.pmin}: {@code b < a ? b : a}, the chosen lane's bits unchanged. */
    public static long f32x4Pmin(long a, long b) {
        return (f0(b) < f0(a) ? b : a) & LOW32 | (f1(b) < f1(a) ? b : a) & ~LOW32;
    }

    public static long f32x4Pmax(long a, long b) {
        return (f0(a) < f0(b) ? b : a) & LOW32 | (f1(a) < f1(b) ? b : a) & ~LOW32;
    }

    public static long f32x4Sqrt(long a) {
        return Float.floatToRawIntBits(Numerics.f32Sqrt(Float.intBitsToFloat((int) a))) & LOW32
                | (long) Float.floatToRawIntBits(Numerics.f32Sqrt(Float.intBitsToFloat((int) (a >>> 32)))) << 32;
    }

    public static long f32x4Ceil(long a) {
        return Float.floatToRawIntBits(Numerics.f32Ceil(Float.intBitsToFloat((int) a))) & LOW32
                | (long) Float.floatToRawIntBits(Numerics.f32Ceil(Float.intBitsToFloat((int) (a >>> 32)))) << 32;
    }

    public static long f32x4Floor(long a) {
        return Float.floatToRawIntBits(Numerics.f32Floor(Float.intBitsToFloat((int) a))) & LOW32
                | (long) Float.floatToRawIntBits(Numerics.f32Floor(Float.intBitsToFloat((int) (a >>> 32)))) << 32;
    }

    public static long f32x4Trunc(long a) {
        return Float.floatToRawIntBits(Numerics.f32Trunc(Float.intBitsToFloat((int) a))) & LOW32
                | (long) Float.floatToRawIntBits(Numerics.f32Trunc(Float.intBitsToFloat((int) (a >>> 32)))) << 32;
    }

    public static long f32x4Nearest(long a) {
        return Float.floatToRawIntBits(Numerics.f32Nearest(Float.intBitsToFloat((int) a))) & LOW32
                | (long) Float.floatToRawIntBits(Numerics.f32Nearest(Float.intBitsToFloat((int) (a >>> 32)))) << 32;
    }

    public static long f32x4Eq(long a, long b) {
        return (f0(a) == f0(b) ? LOW32 : 0) | (f1(a) == f1(b) ? ~LOW32 : 0);
    }

    public static long f32x4Ne(long a, long b) {
        return ~f32x4Eq(a, b);
    }

    public static long f32x4Lt(long a, long b) {
        return (f0(a) < f0(b) ? LOW32 : 0) | (f1(a) < f1(b) ? ~LOW32 : 0);
    }

    public static long f32x4Gt(long a, long b) {
        return f32x4Lt(b, a);
    }

    public static long f32x4Le(long a, long b) {
        return (f0(a) <= f0(b) ? LOW32 : 0) | (f1(a) <= f1(b) ? ~LOW32 : 0);
    }

    public static long f32x4Ge(long a, long b) {
        return f32x4Le(b, a);
    }

    public static long f64x2Min(long a, long b) {
        return bits(Numerics.f64Min(d(a), d(b)));
    }

    public static long f64x2Max(long a, long b) {
        return bits(Numerics.f64Max(d(a), d(b)));
    }

    public static long f64x2Pmin(long a, long b) {
        return d(b) < d(a) ? b : a;
    }

    public static long f64x2Pmax(long a, long b) {
        return d(a) < d(b) ? b : a;
    }

    public static long f64x2Sqrt(long a) {
        return bits(Numerics.f64Sqrt(d(a)));
    }

    public static long f64x2Ceil(long a) {
        return bits(Numerics.f64Ceil(d(a)));
    }

    public static long f64x2Floor(long a) {
        return bits(Numerics.f64Floor(d(a)));
    }

    public static long f64x2Trunc(long a) {
        return bits(Numerics.f64Trunc(d(a)));
    }

    public static long f64x2Nearest(long a) {
        return bits(Numerics.f64Nearest(d(a)));
    }

    public static long f64x2Eq(long a, long b) {
        return d(a) == d(b) ? -1L : 0;
    }

    public static long f64x2Ne(long a, long b) {
        return d(a) != d(b) ? -1L : 0;
    }

    public static long f64x2Lt(long a, long b) {
        return d(a) < d(b) ? -1L : 0;
    }

    public static long f64x2Gt(long a, long b) {
        return d(a) > d(b) ? -1L : 0;
    }

    public static long f64x2Le(long a, long b) {
        return d(a) <= d(b) ? -1L : 0;
    }

    public static long f64x2Ge(long a, long b) {
        return d(a) >= d(b) ? -1L : 0;
    }

    // ---- Conversions

    public static long i32x4TruncSatF32x4S(long a) {
        return (int) Float.intBitsToFloat((int) a) & LOW32 | (long) (int) Float.intBitsToFloat((int) (a >>> 32)) << 32;
    }

    public static long i32x4TruncSatF32x4U(long a) {
        return ints(Numerics.i32TruncSatF32U(f0(a)), Numerics.i32TruncSatF32U(f1(a)));
    }

    public static long f32x4ConvertI32x4S(long a) {
        return Float.floatToRawIntBits((float) (int) a) & LOW32 | (long) Float.floatToRawIntBits((float) (int) (a >>> 32)) << 32;
    }

    public static long f32x4ConvertI32x4U(long a) {
        return f32s(Numerics.f32ConvertI32U((int) a), Numerics.f32ConvertI32U((int) (a >>> 32)));
    }

    /** {@code i32x4.trunc_sat_f64x2_s_zero}: the low half of the result from both f64 lanes; the high half is zero. */
    public static long i32x4TruncSatF64x2SZero(long low, long high) {
        return ints((int) d(low), (int) d(high));
    }

    public static long i32x4TruncSatF64x2UZero(long low, long high) {
        return ints(Numerics.i32TruncSatF64U(d(low)), Numerics.i32TruncSatF64U(d(high)));
    }

    /** {@code f32x4.demote_f64x2_zero}: the low half of the result from both f64 lanes; the high half is zero. */
    public static long f32x4DemoteF64x2Zero(long low, long high) {
        return f32s(Numerics.f32DemoteF64(d(low)), Numerics.f32DemoteF64(d(high)));
    }

    /** {@code f64x2.promote_low_f32x4} of the f32 lane in the low 32 bits of {@code x}. */
    public static long f64x2PromoteLowF32x4(long x) {
        return bits(Numerics.f64PromoteF32(f0(x)));
    }

    /** {@code f64x2.convert_low_i32x4_s} of the i32 lane in the low 32 bits of {@code x}. */
    public static long f64x2ConvertLowI32x4S(long x) {
        return bits((int) x);
    }

    public static long f64x2ConvertLowI32x4U(long x) {
        return bits(Numerics.f64ConvertI32U((int) x));
    }
}
