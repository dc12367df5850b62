package dev.wasm2jvm.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.wasm2jvm.runtime.internal.MemoryAccess.UNSAFE;

/**
 * The loads and stores of a 32-bit memory inside a loop that C2 counts, one twin per
 * {@link MemoryAccess} helper with its name and operands: generated code calls one for an access
 * between a {@code loop} and the latch that the compiler's {@code CountedLatches} emits as an
 * ordered test, and {@code MemoryAccess}'s helper everywhere else. The FFM path, where
 * {@code Unsafe} is not exported, is {@code MemoryAccess}'s.
 *
 * <p>Each twin checks the {@code int} address rather than the {@code long} effective address
 * ({@link #address}): {@code Objects.checkIndex} of the induction variable plus an invariant is the
 * form C2's range check elimination removes from a counted loop, and matmul's inner loop compiles
 * to 16 multiply-adds an iteration with neither check nor safepoint poll. In a loop C2 does not
 * count, that check, its test of the memory's size and its clamp of the room cost more than the
 * {@code long} check ({@code benchmarks/README.md}, "Counted loops for C2": Sightglass
 * shootout-sieve took 1.24 of the CPU with every access checked so), which is why the other
 * accesses keep {@code MemoryAccess}'s.
 *
 * <p>Like {@code MemoryAccess}'s helpers, each is beyond what C1 inlines and within the 128 bytes
 * of bytecode, bounds check included, that {@code MemoryAccessHelpersTest} allows.
 */
public final class CountedAccess {
    private CountedAccess() {}

    public static int i32Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load(address, offset, m);
        return UNSAFE.getIntUnaligned(null, address(address, offset, 4, m));
    }

    public static long i64Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load(address, offset, m);
        return UNSAFE.getLongUnaligned(null, address(address, offset, 8, m));
    }

    public static float f32Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.f32Load(address, offset, m);
        return Float.intBitsToFloat(UNSAFE.getIntUnaligned(null, address(address, offset, 4, m)));
    }

    public static double f64Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.f64Load(address, offset, m);
        return Double.longBitsToDouble(UNSAFE.getLongUnaligned(null, address(address, offset, 8, m)));
    }

    public static int i32Load8S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8S(address, offset, m);
        return UNSAFE.getByte(null, address(address, offset, 1, m));
    }

    public static int i32Load8U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8U(address, offset, m);
        return UNSAFE.getByte(null, address(address, offset, 1, m)) & 0xFF;
    }

    public static int i32Load16S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16S(address, offset, m);
        return UNSAFE.getShortUnaligned(null, address(address, offset, 2, m));
    }

    public static int i32Load16U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16U(address, offset, m);
        return UNSAFE.getShortUnaligned(null, address(address, offset, 2, m)) & 0xFFFF;
    }

    public static long i64Load8S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8S(address, offset, m);
        return UNSAFE.getByte(null, address(address, offset, 1, m));
    }

    public static long i64Load8U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8U(address, offset, m);
        return UNSAFE.getByte(null, address(address, offset, 1, m)) & 0xFFL;
    }

    public static long i64Load16S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16S(address, offset, m);
        return UNSAFE.getShortUnaligned(null, address(address, offset, 2, m));
    }

    public static long i64Load16U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16U(address, offset, m);
        return UNSAFE.getShortUnaligned(null, address(address, offset, 2, m)) & 0xFFFFL;
    }

    public static long i64Load32S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32S(address, offset, m);
        return UNSAFE.getIntUnaligned(null, address(address, offset, 4, m));
    }

    public static long i64Load32U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32U(address, offset, m);
        return UNSAFE.getIntUnaligned(null, address(address, offset, 4, m)) & 0xFFFF_FFFFL;
    }

    public static void i32Store(int address, int value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store(address, value, offset, m);
            return;
        }
        UNSAFE.putIntUnaligned(null, address(address, offset, 4, m), value);
    }

    public static void i64Store(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store(address, value, offset, m);
            return;
        }
        UNSAFE.putLongUnaligned(null, address(address, offset, 8, m), value);
    }

    public static void f32Store(int address, float value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f32Store(address, value, offset, m);
            return;
        }
        UNSAFE.putIntUnaligned(null, address(address, offset, 4, m), Float.floatToRawIntBits(value));
    }

    public static void f64Store(int address, double value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f64Store(address, value, offset, m);
            return;
        }
        UNSAFE.putLongUnaligned(null, address(address, offset, 8, m), Double.doubleToRawLongBits(value));
    }

    public static void i32Store8(int address, int value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store8(address, value, offset, m);
            return;
        }
        UNSAFE.putByte(null, address(address, offset, 1, m), (byte) value);
    }

    public static void i32Store16(int address, int value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store16(address, value, offset, m);
            return;
        }
        UNSAFE.putShortUnaligned(null, address(address, offset, 2, m), (short) value);
    }

    public static void i64Store8(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store8(address, value, offset, m);
            return;
        }
        UNSAFE.putByte(null, address(address, offset, 1, m), (byte) value);
    }

    public static void i64Store16(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store16(address, value, offset, m);
            return;
        }
        UNSAFE.putShortUnaligned(null, address(address, offset, 2, m), (short) value);
    }

    public static void i64Store32(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store32(address, value, offset, m);
            return;
        }
        UNSAFE.putIntUnaligned(null, address(address, offset, 4, m), (int) value);
    }

    /**
     * The native address of an access of {@code bytes} bytes at {@code address + offset} (both
     * unsigned), checked to lie in {@code m}. In a memory of at most 2 GiB, every access that lies
     * in it has an {@code int} address from 0 below the room its offset and width leave, so the check
     * is {@code Objects.checkIndex} of that {@code int} address, a range check C2 eliminates from a
     * counted loop whose address is the induction variable plus an invariant. A larger memory takes
     * {@code MemoryAccess}'s {@code long} check, sent there by a test of the size that is invariant
     * in any loop. {@code m} stays reachable through the access: no safepoint lies between this and
     * the load or store, so its memory cannot be freed in between.
     */
    private static long address(int address, int offset, int bytes, MemorySegment m) {
        long size = m.byteSize();
        if (size > Integer.MAX_VALUE) return MemoryAccess.nativeAddress(address, offset, bytes, m);
        long offsetBytes = offset & 0xFFFF_FFFFL;
        try {
            return m.address() + offsetBytes + Objects.checkIndex(address, (int) Math.max(size - offsetBytes - (bytes - 1), 0));
        } catch (IndexOutOfBoundsException e) {
            throw MemoryAccess.outOfBounds(address, offset, bytes, size);
        }
    }
}
