package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.util.Objects;

/**
 * The loads and stores of a 64-bit linear memory (memory64), as {@link MemoryAccess} has them for
 * 32-bit memories and under the same names: an i64 address and a u64 {@code memarg.offset}, both
 * unsigned. Their sum beyond 2^64 traps like any access past the end; no memory reaches 2^63
 * bytes, so a sum from 2^63 fails the bounds check as a negative offset. Each helper takes the
 * {@link Memory} and reads its segment's address and length from its plain fields, as
 * {@code MemoryAccess}'s do (whose Javadoc says why), and the Unsafe path or the FFM one
 * ({@code MemoryAccess64Ffm}, on the memory's segment) as {@code MemoryAccess} decides.
 */
public final class MemoryAccess64 {
    private MemoryAccess64() {}

    /**
     * The effective address {@code address + offset} (both unsigned), or {@link Long#MIN_VALUE},
     * which no segment contains and every access width divides, when the sum exceeds 2^64 - 1: an
     * atomic access there traps as out of bounds, not as unaligned.
     */
    public static long effectiveAddress(long address, long offset) {
        long sum = address + offset;
        return Long.compareUnsigned(sum, address) < 0 ? Long.MIN_VALUE : sum;
    }

    public static int i32Load(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i32Load(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m));
    }

    public static long i64Load(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getLongUnaligned(null, nativeAddress(address, offset, 8, m));
    }

    public static float f32Load(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.f32Load(address, offset, m.segment());
        return Float.intBitsToFloat(MemoryAccess.UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m)));
    }

    public static double f64Load(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.f64Load(address, offset, m.segment());
        return Double.longBitsToDouble(MemoryAccess.UNSAFE.getLongUnaligned(null, nativeAddress(address, offset, 8, m)));
    }

    public static int i32Load8S(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i32Load8S(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getByte(null, nativeAddress(address, offset, 1, m));
    }

    public static int i32Load8U(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i32Load8U(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getByte(null, nativeAddress(address, offset, 1, m)) & 0xFF;
    }

    public static int i32Load16S(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i32Load16S(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m));
    }

    public static int i32Load16U(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i32Load16U(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m)) & 0xFFFF;
    }

    public static long i64Load8S(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load8S(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getByte(null, nativeAddress(address, offset, 1, m));
    }

    public static long i64Load8U(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load8U(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getByte(null, nativeAddress(address, offset, 1, m)) & 0xFFL;
    }

    public static long i64Load16S(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load16S(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m));
    }

    public static long i64Load16U(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load16U(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m)) & 0xFFFFL;
    }

    public static long i64Load32S(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load32S(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m));
    }

    public static long i64Load32U(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.i64Load32U(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m)) & 0xFFFF_FFFFL;
    }

    public static void i32Store(long address, int value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i32Store(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putIntUnaligned(null, nativeAddress(address, offset, 4, m), value);
    }

    public static void i64Store(long address, long value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i64Store(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putLongUnaligned(null, nativeAddress(address, offset, 8, m), value);
    }

    public static void f32Store(long address, float value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.f32Store(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putIntUnaligned(null, nativeAddress(address, offset, 4, m), Float.floatToRawIntBits(value));
    }

    public static void f64Store(long address, double value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.f64Store(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putLongUnaligned(null, nativeAddress(address, offset, 8, m), Double.doubleToRawLongBits(value));
    }

    public static void i32Store8(long address, int value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i32Store8(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putByte(null, nativeAddress(address, offset, 1, m), (byte) value);
    }

    public static void i32Store16(long address, int value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i32Store16(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putShortUnaligned(null, nativeAddress(address, offset, 2, m), (short) value);
    }

    public static void i64Store8(long address, long value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i64Store8(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putByte(null, nativeAddress(address, offset, 1, m), (byte) value);
    }

    public static void i64Store16(long address, long value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i64Store16(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putShortUnaligned(null, nativeAddress(address, offset, 2, m), (short) value);
    }

    public static void i64Store32(long address, long value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.i64Store32(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putIntUnaligned(null, nativeAddress(address, offset, 4, m), (int) value);
    }

    /** The low half of {@code v128.load}. */
    public static long v128LoadLow(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.v128LoadLow(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getLongUnaligned(null,
                checked(effectiveAddress(address, offset), 8, address, offset, 16, m));
    }

    /** The high half of {@code v128.load}. */
    public static long v128LoadHigh(long address, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) return MemoryAccess64Ffm.v128LoadHigh(address, offset, m.segment());
        return MemoryAccess.UNSAFE.getLongUnaligned(null,
                checked(high(effectiveAddress(address, offset)), 8, address, offset, 16, m));
    }

    /** {@code v128.store} of the low half, after {@link #v128StoreHigh} checked the whole access. */
    public static void v128StoreLow(long address, long value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.v128StoreLow(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putLongUnaligned(null,
                checked(effectiveAddress(address, offset), 8, address, offset, 16, m), value);
    }

    /** {@code v128.store} of the high half, whose bounds check covers the whole access. */
    public static void v128StoreHigh(long address, long value, long offset, Memory m) {
        if (MemoryAccess.UNSAFE == null) {
            MemoryAccess64Ffm.v128StoreHigh(address, value, offset, m.segment());
            return;
        }
        MemoryAccess.UNSAFE.putLongUnaligned(null,
                checked(high(effectiveAddress(address, offset)), 8, address, offset, 16, m), value);
    }

    /** The address of a vector's high half; negative (outside every segment) when that of the vector is. */
    static long high(long effectiveAddress) {
        return effectiveAddress < 0 ? effectiveAddress : effectiveAddress + 8;
    }

    /**
     * The native address of an access of {@code bytes} bytes at {@code address + offset} (both
     * unsigned), checked to lie in {@code m}; a sum beyond 2^64 - 1 fails as a negative index.
     */
    private static long nativeAddress(long address, long offset, int bytes, Memory m) {
        return checked(effectiveAddress(address, offset), bytes, address, offset, bytes, m);
    }

    /**
     * The native address of {@code at}, checked to start {@code bytes} bytes inside {@code m}
     * ({@code Objects.checkIndex}, which C2 hoists out of loops), or the trap of an access of
     * {@code accessBytes} bytes at {@code address + offset}: a vector's halves check 8 bytes each
     * and trap naming 16.
     */
    private static long checked(long at, int bytes, long address, long offset, int accessBytes, Memory m) {
        try {
            return m.base + Objects.checkIndex(at, m.byteLength - (bytes - 1));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, accessBytes, m.byteLength);
        }
    }

    /** The trap of an access of {@code bytes} bytes at {@code address + offset} (both unsigned). */
    static WasmTrap outOfBounds(long address, long offset, int bytes, long memoryBytes) {
        return new WasmTrap("out of bounds memory access: " + bytes + " bytes at " + Long.toUnsignedString(address)
                + (offset == 0 ? "" : " + " + Long.toUnsignedString(offset)) + ", memory size " + memoryBytes);
    }
}
