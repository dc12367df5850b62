package dev.wasm2jvm.runtime.internal;

import java.lang.foreign.MemorySegment;
import jdk.internal.misc.Unsafe;

/**
 * The bulk operations of linear memory ({@code memory.fill}, {@code memory.copy},
 * {@code memory.init}, and the WASI host's copies between guest memory and arrays) on ranges
 * already checked, through {@code Unsafe} where generated code's
 * accesses go through it ({@link MemoryAccess}) and the memory is native, else through the FFM
 * API. The FFM API's bulk operations initialise the JDK's architecture enum by reflection at their
 * first use, which spins a method handle form, and a heap segment over an array loads the value
 * layouts: some 25 classes of the JDK that are not in its CDS archive, at the start of every
 * program with data segments.
 */
public final class BulkMemory {
    private BulkMemory() {}

    /** Sets {@code length} bytes of {@code s} from {@code at} to {@code value}. */
    public static void fill(MemorySegment s, long at, long length, byte value) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        if (unsafe == null || !s.isNative()) s.asSlice(at, length).fill(value);
        else unsafe.setMemory(s.address() + at, length, value);
    }

    /**
     * Copies {@code length} bytes from {@code src} of {@code from} to {@code dst} of {@code to};
     * the ranges may overlap, as Unsafe's copy is a {@code memmove}.
     */
    public static void copy(MemorySegment from, long src, MemorySegment to, long dst, long length) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        if (unsafe == null || !from.isNative() || !to.isNative()) MemorySegment.copy(from, src, to, dst, length);
        else unsafe.copyMemory(from.address() + src, to.address() + dst, length);
    }

    /** Copies {@code length} bytes from {@code src} of {@code data} to {@code dst} of {@code to}. */
    public static void copy(byte[] data, long src, MemorySegment to, long dst, long length) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        if (unsafe == null || !to.isNative()) {
            MemorySegment.copy(MemorySegment.ofArray(data), src, to, dst, length);
        } else {
            unsafe.copyMemory(data, Unsafe.ARRAY_BYTE_BASE_OFFSET + src, null, to.address() + dst, length);
        }
    }

    /** Copies {@code length} bytes from {@code src} of {@code from} to {@code dst} of {@code data}. */
    public static void copy(MemorySegment from, long src, byte[] data, int dst, int length) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        if (unsafe == null || !from.isNative()) {
            MemorySegment.copy(from, src, MemorySegment.ofArray(data), dst, length);
        } else {
            unsafe.copyMemory(null, from.address() + src, data, Unsafe.ARRAY_BYTE_BASE_OFFSET + dst, length);
        }
    }
}
