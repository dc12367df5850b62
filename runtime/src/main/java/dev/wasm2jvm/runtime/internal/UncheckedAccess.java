package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;

import static dev.wasm2jvm.runtime.internal.MemoryAccess.UNSAFE;

/**
 * The loads and stores of a 32-bit memory without a bounds check, one twin per {@link MemoryAccess}
 * helper with its name and operands: generated code calls one for an access that an earlier access
 * through the same address already proved in bounds (the compiler's {@code ProvenAccesses} says
 * which, and why that is sound: a memory's size never shrinks, and each access reads the
 * {@link Memory}'s current address and length). The FFM path, where {@code Unsafe} is not
 * exported, stays checked.
 *
 * <p>Each helper is its {@code MemoryAccess} twin with the bounds check taken out: the same
 * unaligned {@code Unsafe} access at an address made without a check ({@link #address}), about 40
 * bytes of bytecode for C2 to inline against a checked helper's 117, and, like the checked helpers,
 * beyond what C1 inlines (6 stack entries as HotSpot counts them, against {@code C1InlineStackLimit}
 * 5), so C1's code calls it, a call without a check.
 *
 * <p><b>Twins that C1 inlines, measured and not kept.</b> Read and written through {@code Unsafe}'s
 * address-only accessors ({@code getInt(long)}, 4 entries), every twin but the stores of an
 * {@code i64} or {@code f64} value inlined into tier 3 code, profile and all: Sightglass
 * rust-html-rewriter's C1 code grew from 0.78 to 1.53 MB and its C1 time from 0.8 to 1.2 s, and the
 * program took 1.36 times the CPU and 1.31 the wall time of the compiler before (16 pairs, every
 * pair's CPU above 1, load average 7 to 10); pulldown-cmark went the same way (1.26 to 1.75 of the
 * CPU in the 3 pairs run). {@code -Xint} and C1 alone
 * ({@code -XX:TieredStopAtLevel=1}) did not move: the cost is tier 3's profiled copy of each helper.
 */
public final class UncheckedAccess {
    private UncheckedAccess() {}

    public static int i32Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load(address, offset, m.segment());
        return UNSAFE.getIntUnaligned(null, address(address, offset, m));
    }

    public static long i64Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load(address, offset, m.segment());
        return UNSAFE.getLongUnaligned(null, address(address, offset, m));
    }

    public static float f32Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.f32Load(address, offset, m.segment());
        return Float.intBitsToFloat(UNSAFE.getIntUnaligned(null, address(address, offset, m)));
    }

    public static double f64Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.f64Load(address, offset, m.segment());
        return Double.longBitsToDouble(UNSAFE.getLongUnaligned(null, address(address, offset, m)));
    }

    public static int i32Load8S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8S(address, offset, m.segment());
        return UNSAFE.getByte(null, address(address, offset, m));
    }

    public static int i32Load8U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8U(address, offset, m.segment());
        return UNSAFE.getByte(null, address(address, offset, m)) & 0xFF;
    }

    public static int i32Load16S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16S(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, address(address, offset, m));
    }

    public static int i32Load16U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16U(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, address(address, offset, m)) & 0xFFFF;
    }

    public static long i64Load8S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8S(address, offset, m.segment());
        return UNSAFE.getByte(null, address(address, offset, m));
    }

    public static long i64Load8U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8U(address, offset, m.segment());
        return UNSAFE.getByte(null, address(address, offset, m)) & 0xFFL;
    }

    public static long i64Load16S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16S(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, address(address, offset, m));
    }

    public static long i64Load16U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16U(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, address(address, offset, m)) & 0xFFFFL;
    }

    public static long i64Load32S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32S(address, offset, m.segment());
        return UNSAFE.getIntUnaligned(null, address(address, offset, m));
    }

    public static long i64Load32U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32U(address, offset, m.segment());
        return UNSAFE.getIntUnaligned(null, address(address, offset, m)) & 0xFFFF_FFFFL;
    }

    public static void i32Store(int address, int value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putIntUnaligned(null, address(address, offset, m), value);
    }

    public static void i64Store(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putLongUnaligned(null, address(address, offset, m), value);
    }

    public static void f32Store(int address, float value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f32Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putIntUnaligned(null, address(address, offset, m), Float.floatToRawIntBits(value));
    }

    public static void f64Store(int address, double value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f64Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putLongUnaligned(null, address(address, offset, m), Double.doubleToRawLongBits(value));
    }

    public static void i32Store8(int address, int value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store8(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putByte(null, address(address, offset, m), (byte) value);
    }

    public static void i32Store16(int address, int value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store16(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putShortUnaligned(null, address(address, offset, m), (short) value);
    }

    public static void i64Store8(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store8(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putByte(null, address(address, offset, m), (byte) value);
    }

    public static void i64Store16(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store16(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putShortUnaligned(null, address(address, offset, m), (short) value);
    }

    public static void i64Store32(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store32(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putIntUnaligned(null, address(address, offset, m), (int) value);
    }

    /** The native address of {@code address + offset} (both unsigned) in {@code m}, unchecked. */
    private static long address(int address, int offset, Memory m) {
        return m.base + Integer.toUnsignedLong(address) + Integer.toUnsignedLong(offset);
    }
}
