package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The loads and stores of a 64-bit linear memory (memory64), as {@link MemoryAccess} has them for
 * 32-bit memories and under the same names: an i64 address and a u64 {@code memarg.offset}, both
 * unsigned. Their sum beyond 2^64 traps like any access past the end; no memory reaches 2^63
 * bytes, so a sum from 2^63 fails the segment's bounds check as a negative offset. Each helper
 * computes the sum itself rather than calling {@link #effectiveAddress}, which keeps it above C1's
 * inlining limit for the reasons {@code MemoryAccess} gives.
 */
public final class MemoryAccess64 {
    private MemoryAccess64() {}

    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The effective address {@code address + offset} (both unsigned), or {@link Long#MIN_VALUE},
     * which no segment contains and every access width divides, when the sum exceeds 2^64 - 1: an
     * atomic access there traps as out of bounds, not as unaligned.
     */
    public static long effectiveAddress(long address, long offset) {
        long sum = address + offset;
        return Long.compareUnsigned(sum, address) < 0 ? Long.MIN_VALUE : sum;
    }

    public static int i32Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static long i64Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static float f32Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(F32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static double f64Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(F64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static int i32Load8S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static int i32Load8U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFF;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static int i32Load16S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static int i32Load16U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFFF;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static long i64Load8S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static long i64Load8U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFL;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static long i64Load16S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static long i64Load16U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static long i64Load32S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static long i64Load32U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFFF_FFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static void i32Store(long address, int value, long offset, MemorySegment m) {
        try {
            m.set(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static void i64Store(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static void f32Store(long address, float value, long offset, MemorySegment m) {
        try {
            m.set(F32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static void f64Store(long address, double value, long offset, MemorySegment m) {
        try {
            m.set(F64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static void i32Store8(long address, int value, long offset, MemorySegment m) {
        try {
            m.set(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static void i32Store16(long address, int value, long offset, MemorySegment m) {
        try {
            m.set(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static void i64Store8(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static void i64Store16(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static void i64Store32(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (int) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    /** The low half of {@code v128.load}. */
    public static long v128LoadLow(long address, long offset, MemorySegment m) {
        try {
            return m.get(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** The high half of {@code v128.load}. */
    public static long v128LoadHigh(long address, long offset, MemorySegment m) {
        try {
            return m.get(I64, high(effectiveAddress(address, offset)));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** {@code v128.store} of the low half, after {@link #v128StoreHigh} checked the whole access. */
    public static void v128StoreLow(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** {@code v128.store} of the high half, whose bounds check covers the whole access. */
    public static void v128StoreHigh(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I64, high(effectiveAddress(address, offset)), value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** The address of a vector's high half; negative (outside every segment) when that of the vector is. */
    private static long high(long effectiveAddress) {
        return effectiveAddress < 0 ? effectiveAddress : effectiveAddress + 8;
    }

    /** The trap of an access of {@code bytes} bytes at {@code address + offset} (both unsigned). */
    static WasmTrap outOfBounds(long address, long offset, int bytes, long memoryBytes) {
        return new WasmTrap("out of bounds memory access: " + bytes + " bytes at " + Long.toUnsignedString(address)
                + (offset == 0 ? "" : " + " + Long.toUnsignedString(offset)) + ", memory size " + memoryBytes);
    }
}
