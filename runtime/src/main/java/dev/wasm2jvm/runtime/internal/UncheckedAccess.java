package dev.wasm2jvm.runtime.internal;

import java.lang.foreign.MemorySegment;

import static dev.wasm2jvm.runtime.internal.MemoryAccess.UNSAFE;

/**
 * The loads and stores of a 32-bit memory without a bounds check, one twin per {@link MemoryAccess}
 * helper with its name and operands: generated code calls one for an access that an earlier access
 * through the same address already proved in bounds (the compiler's {@code ProvenAccesses} says
 * which, and why that is sound: a memory's size never shrinks, and generated code passes a segment
 * at least as new as the one the earlier access checked). The FFM path, where {@code Unsafe} is not
 * exported, stays checked.
 *
 * <p>Each helper is small enough for C1 to inline in tiered code, which {@link MemoryAccess}'s
 * helpers are not (see the comment above {@link MemoryAccess#i32Load}): C1 inlines no callee whose
 * max_stack plus its locals beyond its parameters exceeds {@code C1InlineStackLimit} (5), HotSpot
 * counting one more than the class file declares. Reading through {@code Unsafe}'s address-only
 * accessors, with the address made by {@link #address}, holds at most 4, but for the stores of a
 * {@code long} or {@code double} value, whose value takes two entries over the receiver and the
 * address (5): those stay calls in C1's code, calls without a check. Plain accesses take any
 * address on x86-64 and AArch64, the hosts whose little-endian order makes {@code UNSAFE} non-null
 * there. For C2, a helper is about 30 bytes of bytecode against its {@code DesiredMethodLimit}, a
 * quarter of a checked one's. {@code MemoryAccessHelpersTest} holds them to both limits.
 */
public final class UncheckedAccess {
    private UncheckedAccess() {}

    public static int i32Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load(address, offset, m);
        return UNSAFE.getInt(address(address, offset, m));
    }

    public static long i64Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load(address, offset, m);
        return UNSAFE.getLong(address(address, offset, m));
    }

    public static float f32Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.f32Load(address, offset, m);
        return Float.intBitsToFloat(UNSAFE.getInt(address(address, offset, m)));
    }

    public static double f64Load(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.f64Load(address, offset, m);
        return Double.longBitsToDouble(UNSAFE.getLong(address(address, offset, m)));
    }

    public static int i32Load8S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8S(address, offset, m);
        return UNSAFE.getByte(address(address, offset, m));
    }

    public static int i32Load8U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8U(address, offset, m);
        return UNSAFE.getByte(address(address, offset, m)) & 0xFF;
    }

    public static int i32Load16S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16S(address, offset, m);
        return UNSAFE.getShort(address(address, offset, m));
    }

    public static int i32Load16U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16U(address, offset, m);
        return UNSAFE.getShort(address(address, offset, m)) & 0xFFFF;
    }

    public static long i64Load8S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8S(address, offset, m);
        return UNSAFE.getByte(address(address, offset, m));
    }

    public static long i64Load8U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8U(address, offset, m);
        return UNSAFE.getByte(address(address, offset, m)) & 0xFFL;
    }

    public static long i64Load16S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16S(address, offset, m);
        return UNSAFE.getShort(address(address, offset, m));
    }

    public static long i64Load16U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16U(address, offset, m);
        return UNSAFE.getShort(address(address, offset, m)) & 0xFFFFL;
    }

    public static long i64Load32S(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32S(address, offset, m);
        return UNSAFE.getInt(address(address, offset, m));
    }

    public static long i64Load32U(int address, int offset, MemorySegment m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32U(address, offset, m);
        return UNSAFE.getInt(address(address, offset, m)) & 0xFFFF_FFFFL;
    }

    public static void i32Store(int address, int value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store(address, value, offset, m);
            return;
        }
        UNSAFE.putInt(address(address, offset, m), value);
    }

    public static void i64Store(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store(address, value, offset, m);
            return;
        }
        UNSAFE.putLong(address(address, offset, m), value);
    }

    public static void f32Store(int address, float value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f32Store(address, value, offset, m);
            return;
        }
        UNSAFE.putInt(address(address, offset, m), Float.floatToRawIntBits(value));
    }

    public static void f64Store(int address, double value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f64Store(address, value, offset, m);
            return;
        }
        UNSAFE.putLong(address(address, offset, m), Double.doubleToRawLongBits(value));
    }

    public static void i32Store8(int address, int value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store8(address, value, offset, m);
            return;
        }
        UNSAFE.putByte(address(address, offset, m), (byte) value);
    }

    public static void i32Store16(int address, int value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store16(address, value, offset, m);
            return;
        }
        UNSAFE.putShort(address(address, offset, m), (short) value);
    }

    public static void i64Store8(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store8(address, value, offset, m);
            return;
        }
        UNSAFE.putByte(address(address, offset, m), (byte) value);
    }

    public static void i64Store16(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store16(address, value, offset, m);
            return;
        }
        UNSAFE.putShort(address(address, offset, m), (short) value);
    }

    public static void i64Store32(int address, long value, int offset, MemorySegment m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store32(address, value, offset, m);
            return;
        }
        UNSAFE.putInt(address(address, offset, m), (int) value);
    }

    /**
     * The native address of {@code address + offset} (both unsigned) in {@code m}, unchecked; its
     * stack holds 4 entries, so C1 inlines it too.
     */
    private static long address(int address, int offset, MemorySegment m) {
        return m.address() + Integer.toUnsignedLong(address) + Integer.toUnsignedLong(offset);
    }
}
