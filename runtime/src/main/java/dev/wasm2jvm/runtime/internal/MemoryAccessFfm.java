package dev.wasm2jvm.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The loads and stores of {@link MemoryAccess} through the FFM API ({@code MemorySegment.get} and
 * {@code set}, whose own bounds check fails an access past the end), for a JVM that does not
 * export {@code jdk.internal.misc} to the runtime; {@code MemoryAccess} says when and why.
 */
final class MemoryAccessFfm {
    private MemoryAccessFfm() {}

    /** Wasm's little-endian, unaligned value layouts, which {@link MemoryAccess64Ffm} uses too. */
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static int i32Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static long i64Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(I64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static float f32Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(F32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static double f64Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(F64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static int i32Load8S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static int i32Load8U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFF;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static int i32Load16S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static int i32Load16U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFFF;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static long i64Load8S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static long i64Load8U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFL;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static long i64Load16S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static long i64Load16U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static long i64Load32S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static long i64Load32U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFFF_FFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static void i32Store(int address, int value, int offset, MemorySegment m) {
        try {
            m.set(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static void i64Store(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static void f32Store(int address, float value, int offset, MemorySegment m) {
        try {
            m.set(F32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    static void f64Store(int address, double value, int offset, MemorySegment m) {
        try {
            m.set(F64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    static void i32Store8(int address, int value, int offset, MemorySegment m) {
        try {
            m.set(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static void i32Store16(int address, int value, int offset, MemorySegment m) {
        try {
            m.set(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static void i64Store8(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    static void i64Store16(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    static void i64Store32(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (int) value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    /** The low half of {@code v128.load}, which checks that the whole vector fits, as {@link MemoryAccess}'s does. */
    static long v128LoadLow(int address, int offset, MemorySegment m) {
        try {
            long at = (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
            return m.get(I64, Objects.checkIndex(at, m.byteSize() - 15));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** The high half of {@code v128.load}. */
    static long v128LoadHigh(int address, int offset, MemorySegment m) {
        try {
            return m.get(I64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL) + 8);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** {@code v128.store} of the low half, which checks that the whole vector fits, as {@link MemoryAccess}'s does. */
    static void v128StoreLow(int address, long value, int offset, MemorySegment m) {
        try {
            long at = (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
            m.set(I64, Objects.checkIndex(at, m.byteSize() - 15), value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 16, m.byteSize());
        }
    }

    /** {@code v128.store} of the high half, whose bounds check covers the whole access. */
    static void v128StoreHigh(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL) + 8, value);
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, 16, m.byteSize());
        }
    }
}
