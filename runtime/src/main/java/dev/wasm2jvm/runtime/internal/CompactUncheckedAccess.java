package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;

import static dev.wasm2jvm.runtime.internal.MemoryAccess.UNSAFE;

/**
 * The {@link CompactAccess} helpers without a bounds check, for the accesses of a body without
 * branches that an earlier access proved in bounds (the compiler's {@code ProvenAccesses}, and
 * {@link UncheckedAccess} says why that is sound): one flat method of about 35 bytes of bytecode
 * as C2 counts it, against an {@code UncheckedAccess} helper's 59 with its address method and
 * {@code Integer.toUnsignedLong}, the offset a zero-extended {@code long}. The FFM path calls the
 * {@code UncheckedAccess} helper, which checks.
 */
public final class CompactUncheckedAccess {
    private CompactUncheckedAccess() {}

    public static int i32Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i32Load(address, (int) offset, m);
        return UNSAFE.getIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static long i64Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load(address, (int) offset, m);
        return UNSAFE.getLongUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static float f32Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.f32Load(address, (int) offset, m);
        return Float.intBitsToFloat(UNSAFE.getIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset));
    }

    public static double f64Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.f64Load(address, (int) offset, m);
        return Double.longBitsToDouble(UNSAFE.getLongUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset));
    }

    public static int i32Load8S(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i32Load8S(address, (int) offset, m);
        return UNSAFE.getByte(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static int i32Load8U(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i32Load8U(address, (int) offset, m);
        return UNSAFE.getByte(null, m.base + (address & 0xFFFF_FFFFL) + offset) & 0xFF;
    }

    public static int i32Load16S(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i32Load16S(address, (int) offset, m);
        return UNSAFE.getShortUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static int i32Load16U(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i32Load16U(address, (int) offset, m);
        return UNSAFE.getShortUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset) & 0xFFFF;
    }

    public static long i64Load8S(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load8S(address, (int) offset, m);
        return UNSAFE.getByte(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static long i64Load8U(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load8U(address, (int) offset, m);
        return UNSAFE.getByte(null, m.base + (address & 0xFFFF_FFFFL) + offset) & 0xFFL;
    }

    public static long i64Load16S(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load16S(address, (int) offset, m);
        return UNSAFE.getShortUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static long i64Load16U(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load16U(address, (int) offset, m);
        return UNSAFE.getShortUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset) & 0xFFFFL;
    }

    public static long i64Load32S(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load32S(address, (int) offset, m);
        return UNSAFE.getIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset);
    }

    public static long i64Load32U(int address, long offset, Memory m) {
        if (UNSAFE == null) return UncheckedAccess.i64Load32U(address, (int) offset, m);
        return UNSAFE.getIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset) & 0xFFFF_FFFFL;
    }

    public static void i32Store(int address, int value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i32Store(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, value);
    }

    public static void i64Store(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i64Store(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putLongUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, value);
    }

    public static void f32Store(int address, float value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.f32Store(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, Float.floatToRawIntBits(value));
    }

    public static void f64Store(int address, double value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.f64Store(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putLongUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, Double.doubleToRawLongBits(value));
    }

    public static void i32Store8(int address, int value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i32Store8(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putByte(null, m.base + (address & 0xFFFF_FFFFL) + offset, (byte) value);
    }

    public static void i32Store16(int address, int value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i32Store16(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putShortUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, (short) value);
    }

    public static void i64Store8(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i64Store8(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putByte(null, m.base + (address & 0xFFFF_FFFFL) + offset, (byte) value);
    }

    public static void i64Store16(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i64Store16(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putShortUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, (short) value);
    }

    public static void i64Store32(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            UncheckedAccess.i64Store32(address, value, (int) offset, m);
            return;
        }
        UNSAFE.putIntUnaligned(null, m.base + (address & 0xFFFF_FFFFL) + offset, (int) value);
    }
}
