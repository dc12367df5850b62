package dev.wasm2jvm.runtime.internal;

import java.lang.foreign.MemorySegment;
import jdk.internal.misc.Unsafe;

/**
 * The bulk operations of linear memory ({@code memory.fill}, {@code memory.copy},
 * {@code memory.init}, and the host's copies between memory and arrays) and the host's scalar
 * accesses, on ranges already checked: by native address through {@code Unsafe} where generated
 * code's accesses go through it ({@link #BY_ADDRESS}), else on the memory's segment through the FFM
 * API. The FFM API's bulk operations initialise the JDK's architecture enum by reflection at their
 * first use, which spins a method handle form, and a heap segment over an array loads the value
 * layouts: some 25 classes of the JDK that are not in its CDS archive, at the start of every
 * program with data segments. By address, a memory needs no segment at all ({@code Memory}).
 */
public final class BulkMemory {
    private BulkMemory() {}

    /**
     * Whether the operations by address are available ({@code Unsafe} is, {@link MemoryAccess}); else
     * only those on segments may be called.
     */
    public static final boolean BY_ADDRESS = MemoryAccess.UNSAFE != null;

    // Where Unsafe is available: by native address.

    /** Sets the {@code length} bytes at {@code address} to {@code value}. */
    public static void fill(long address, long length, byte value) {
        MemoryAccess.UNSAFE.setMemory(address, length, value);
    }

    /** Copies {@code length} bytes from {@code from} to {@code to}; the ranges may overlap (a {@code memmove}). */
    public static void copy(long from, long to, long length) {
        MemoryAccess.UNSAFE.copyMemory(from, to, length);
    }

    /** Copies {@code length} bytes from {@code src} of {@code data} to {@code to}. */
    public static void copy(byte[] data, long src, long to, long length) {
        MemoryAccess.UNSAFE.copyMemory(data, Unsafe.ARRAY_BYTE_BASE_OFFSET + src, null, to, length);
    }

    /** Copies {@code length} bytes from {@code from} to {@code dst} of {@code data}. */
    public static void copy(long from, byte[] data, int dst, int length) {
        MemoryAccess.UNSAFE.copyMemory(null, from, data, Unsafe.ARRAY_BYTE_BASE_OFFSET + dst, length);
    }

    /** The offset of the first zero byte of the {@code length} bytes at {@code address}, or {@code length} if none. */
    public static long indexOfZero(long address, long length) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        long i = 0;
        while (i < length && unsafe.getByte(address + i) != 0) i++;
        return i;
    }

    /** The little-endian i32 at {@code address}. */
    public static int i32(long address) {
        return MemoryAccess.UNSAFE.getIntUnaligned(null, address);
    }

    /** Stores {@code value} little-endian at {@code address}. */
    public static void putI32(long address, int value) {
        MemoryAccess.UNSAFE.putIntUnaligned(null, address, value);
    }

    /** The little-endian i64 at {@code address}. */
    public static long i64(long address) {
        return MemoryAccess.UNSAFE.getLongUnaligned(null, address);
    }

    /** Stores {@code value} little-endian at {@code address}. */
    public static void putI64(long address, long value) {
        MemoryAccess.UNSAFE.putLongUnaligned(null, address, value);
    }

    // Where Unsafe is not available: on the memory's segment.

    /** Sets {@code length} bytes of {@code s} from {@code at} to {@code value}. */
    public static void fill(MemorySegment s, long at, long length, byte value) {
        s.asSlice(at, length).fill(value);
    }

    /** Copies {@code length} bytes from {@code src} of {@code from} to {@code dst} of {@code to}; the ranges may overlap. */
    public static void copy(MemorySegment from, long src, MemorySegment to, long dst, long length) {
        MemorySegment.copy(from, src, to, dst, length);
    }

    /** Copies {@code length} bytes from {@code src} of {@code data} to {@code dst} of {@code to}. */
    public static void copy(byte[] data, long src, MemorySegment to, long dst, long length) {
        MemorySegment.copy(MemorySegment.ofArray(data), src, to, dst, length);
    }

    /** Copies {@code length} bytes from {@code src} of {@code from} to {@code dst} of {@code data}. */
    public static void copy(MemorySegment from, long src, byte[] data, int dst, int length) {
        MemorySegment.copy(from, src, MemorySegment.ofArray(data), dst, length);
    }
}
