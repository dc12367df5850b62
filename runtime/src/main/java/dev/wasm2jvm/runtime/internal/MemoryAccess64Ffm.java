package dev.wasm2jvm.runtime.internal;

import static dev.wasm2jvm.runtime.internal.MemoryAccessFfm.F32;
import static dev.wasm2jvm.runtime.internal.MemoryAccessFfm.F64;
import static dev.wasm2jvm.runtime.internal.MemoryAccessFfm.I16;
import static dev.wasm2jvm.runtime.internal.MemoryAccessFfm.I32;
import static dev.wasm2jvm.runtime.internal.MemoryAccessFfm.I64;
import static dev.wasm2jvm.runtime.internal.MemoryAccessFfm.I8;

import java.lang.foreign.MemorySegment;

/**
 * The loads and stores of {@link MemoryAccess64} through the FFM API ({@code MemorySegment.get} and
 * {@code set}, whose own bounds check fails an access past the end), for a JVM that does not
 * export {@code jdk.internal.misc} to the runtime; {@code MemoryAccess64} says when and why.
 */
final class MemoryAccess64Ffm {
    private MemoryAccess64Ffm() {}

    static int i32Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static long i64Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static float f32Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(F32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static double f64Load(long address, long offset, MemorySegment m) {
        try {
            return m.get(F64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static int i32Load8S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static int i32Load8U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFF;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static int i32Load16S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static int i32Load16U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFFF;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static long i64Load8S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static long i64Load8U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFL;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static long i64Load16S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static long i64Load16U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static long i64Load32S(long address, long offset, MemorySegment m) {
        try {
            return m.get(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static long i64Load32U(long address, long offset, MemorySegment m) {
        try {
            return m.get(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset) & 0xFFFF_FFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static void i32Store(long address, int value, long offset, MemorySegment m) {
        try {
            m.set(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static void i64Store(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static void f32Store(long address, float value, long offset, MemorySegment m) {
        try {
            m.set(F32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static void f64Store(long address, double value, long offset, MemorySegment m) {
        try {
            m.set(F64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static void i32Store8(long address, int value, long offset, MemorySegment m) {
        try {
            m.set(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static void i32Store16(long address, int value, long offset, MemorySegment m) {
        try {
            m.set(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static void i64Store8(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I8, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static void i64Store16(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I16, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static void i64Store32(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I32, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, (int) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    /** The low half of {@code v128.load}. */
    static long v128LoadLow(long address, long offset, MemorySegment m) {
        try {
            return m.get(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** The high half of {@code v128.load}. */
    static long v128LoadHigh(long address, long offset, MemorySegment m) {
        try {
            return m.get(I64, MemoryAccess64.high(MemoryAccess64.effectiveAddress(address, offset)));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** {@code v128.store} of the low half, after {@link #v128StoreHigh} checked the whole access. */
    static void v128StoreLow(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I64, Long.compareUnsigned(address + offset, address) < 0 ? -1 : address + offset, value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** {@code v128.store} of the high half, whose bounds check covers the whole access. */
    static void v128StoreHigh(long address, long value, long offset, MemorySegment m) {
        try {
            m.set(I64, MemoryAccess64.high(MemoryAccess64.effectiveAddress(address, offset)), value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess64.outOfBounds(address, offset, 16, m.byteSize());
        }
    }
}
