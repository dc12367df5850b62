package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.util.Objects;

import static dev.wasm2jvm.runtime.internal.MemoryAccess.UNSAFE;

/**
 * The loads and stores of a 32-bit memory in a function whose body has no branch and whose
 * accesses would overrun C2's inlining budget (the compiler's {@code StraightLine} chooses them):
 * one {@link MemoryAccess} helper each, with its name, values and trap, made as small as C2 counts
 * bytecode, so that more of such a function's accesses fit the 8,000 bytes C2 inlines into one
 * compilation ({@code DesiredMethodLimit}); {@link CompactUncheckedAccess} holds the twins of the
 * accesses an earlier access proved in bounds.
 *
 * <p>What C2 counts is every byte of every method it inlines, the handler included, but a
 * {@code @ForceInline} method ({@code Objects.checkIndex}) as one byte and an intrinsic
 * ({@code Unsafe}'s accesses, {@code Preconditions.checkIndex}) as none. A {@code MemoryAccess}
 * helper and its {@code nativeAddress} are 32 + 48 bytes plus {@code Objects.checkIndex}'s 7 as
 * {@code -XX:+PrintInlining} prints them; each helper here is one flat method of about 57: the
 * bounds check inline rather than a call, the memarg offset a {@code long} already zero-extended
 * (generated code pushes it as one constant), and the FFM path, where {@code Unsafe} is not
 * exported, the {@code MemoryAccess} helper itself, which C2 never parses there (the test of a
 * static final folds). The check is the same {@code Objects.checkIndex} on the {@code long}
 * effective address, a range check that loop predication can hoist, and the trap the same text.
 *
 * <p>A helper here is larger than 35 bytes ({@code MaxInlineSize}), which C2 inlines only at a
 * call site that runs at least once per four calls of its method: every site of a body without
 * branches does. In branchy code it would leave the colder accesses as calls: helpers of at most
 * 35 bytes inlined everywhere were measured and not kept ({@code MemoryAccess}, "Smaller
 * helpers"), the SQLite programs then inlining their cold accesses too. Like {@code MemoryAccess}'s,
 * each helper is beyond what C1 inlines (its operand stack reaches 8 entries against
 * {@code C1InlineStackLimit} 5): C1's code calls it.
 */
public final class CompactAccess {
    private CompactAccess() {}

    public static int i32Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i32Load(address, (int) offset, m);
        try {
            return UNSAFE.getIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    public static long i64Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load(address, (int) offset, m);
        try {
            return UNSAFE.getLongUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 7));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 8, m);
        }
    }

    public static float f32Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.f32Load(address, (int) offset, m);
        try {
            return Float.intBitsToFloat(UNSAFE.getIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3)));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    public static double f64Load(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.f64Load(address, (int) offset, m);
        try {
            return Double.longBitsToDouble(UNSAFE.getLongUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 7)));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 8, m);
        }
    }

    public static int i32Load8S(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i32Load8S(address, (int) offset, m);
        try {
            return UNSAFE.getByte(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 1, m);
        }
    }

    public static int i32Load8U(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i32Load8U(address, (int) offset, m);
        try {
            return UNSAFE.getByte(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength)) & 0xFF;
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 1, m);
        }
    }

    public static int i32Load16S(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i32Load16S(address, (int) offset, m);
        try {
            return UNSAFE.getShortUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 1));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 2, m);
        }
    }

    public static int i32Load16U(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i32Load16U(address, (int) offset, m);
        try {
            return UNSAFE.getShortUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 1)) & 0xFFFF;
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 2, m);
        }
    }

    public static long i64Load8S(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load8S(address, (int) offset, m);
        try {
            return UNSAFE.getByte(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 1, m);
        }
    }

    public static long i64Load8U(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load8U(address, (int) offset, m);
        try {
            return UNSAFE.getByte(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength)) & 0xFFL;
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 1, m);
        }
    }

    public static long i64Load16S(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load16S(address, (int) offset, m);
        try {
            return UNSAFE.getShortUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 1));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 2, m);
        }
    }

    public static long i64Load16U(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load16U(address, (int) offset, m);
        try {
            return UNSAFE.getShortUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 1)) & 0xFFFFL;
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 2, m);
        }
    }

    public static long i64Load32S(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load32S(address, (int) offset, m);
        try {
            return UNSAFE.getIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    public static long i64Load32U(int address, long offset, Memory m) {
        if (UNSAFE == null) return MemoryAccess.i64Load32U(address, (int) offset, m);
        try {
            return UNSAFE.getIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3)) & 0xFFFF_FFFFL;
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    public static void i32Store(int address, int value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i32Store(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3), value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    public static void i64Store(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i64Store(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putLongUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 7), value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 8, m);
        }
    }

    public static void f32Store(int address, float value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.f32Store(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3), Float.floatToRawIntBits(value));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    public static void f64Store(int address, double value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.f64Store(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putLongUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 7), Double.doubleToRawLongBits(value));
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 8, m);
        }
    }

    public static void i32Store8(int address, int value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i32Store8(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putByte(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength), (byte) value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 1, m);
        }
    }

    public static void i32Store16(int address, int value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i32Store16(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putShortUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 1), (short) value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 2, m);
        }
    }

    public static void i64Store8(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i64Store8(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putByte(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength), (byte) value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 1, m);
        }
    }

    public static void i64Store16(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i64Store16(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putShortUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 1), (short) value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 2, m);
        }
    }

    public static void i64Store32(int address, long value, long offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccess.i64Store32(address, value, (int) offset, m);
            return;
        }
        try {
            UNSAFE.putIntUnaligned(null, m.base + Objects.checkIndex((address & 0xFFFF_FFFFL) + offset, m.byteLength - 3), (int) value);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, offset, 4, m);
        }
    }

    /**
     * {@code i64.store offset=8} of {@code high} then {@code i64.store} of {@code low} at
     * {@code address}, as {@code __multi3} makes them (the compiler's {@code Multi3}), with one
     * bounds check of all 16 bytes: the first store traps exactly when they do not fit, and then
     * neither half is written, with that store's trap. 83 bytes as C2 counts them, against 105 for
     * the two stores here (66 and 39 without a check).
     */
    public static void i128Store(int address, long high, long low, Memory m) {
        if (UNSAFE == null) {
            storeHalves(address, high, low, m);
            return;
        }
        try {
            long at = m.base + Objects.checkIndex(address & 0xFFFF_FFFFL, m.byteLength - 15);
            UNSAFE.putLongUnaligned(null, at + 8, high);
            UNSAFE.putLongUnaligned(null, at, low);
        } catch (IndexOutOfBoundsException _) {
            throw outOfBounds(address, 8, 8, m);
        }
    }

    /** {@link #i128Store} on the FFM path: two stores, the high half's first. */
    private static void storeHalves(int address, long high, long low, Memory m) {
        MemoryAccess.i64Store(address, high, 8, m);
        MemoryAccess.i64Store(address, low, 0, m);
    }

    /** The trap of an access of {@code bytes} bytes at {@code address + offset} (both unsigned) in {@code m}. */
    private static WasmTrap outOfBounds(int address, long offset, int bytes, Memory m) {
        return MemoryAccess.outOfBounds(address, (int) offset, bytes, m.byteLength);
    }
}
