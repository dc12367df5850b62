package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.MemoryAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The guest's linear memory as WASI functions see it: little-endian values and byte ranges at
 * unsigned 32-bit addresses. A range outside the memory is a bad guest pointer and fails with
 * {@code EFAULT}, never with a trap, so that a buggy pointer is an error the guest can see.
 * Functions with side effects check their result pointers first, so that such a failure has none.
 */
final class GuestMemory {
    /** Linux's limit on a path's length, its terminating NUL included. */
    private static final int PATH_MAX = 4096;

    private volatile Memory memory;

    void bind(Memory memory) {
        this.memory = memory;
    }

    /**
     * Checks that {@code length} bytes at {@code address} are guest memory; returns the memory. Its
     * length is re-read on every access because {@code memory.grow} replaces its contents (with a
     * longer view of the same memory, or, for an unshared memory, which one thread uses, a copy).
     */
    Memory check(int address, long length) {
        Memory m = memory;
        if (m == null) throw new WasmTrap("WASI function called before a memory was bound");
        long start = Integer.toUnsignedLong(address);
        if (length < 0 || start + length > m.byteLength) throw new WasiError(Errno.FAULT);
        return m;
    }

    // Scalars go through generated code's own access helpers, once the range is checked here: they
    // are loaded and compiled for the guest anyway, and a layout's var handle spins forms at start.

    byte u8(int address) {
        return (byte) MemoryAccess.i32Load8U(address, 0, check(address, 1));
    }

    short u16(int address) {
        return (short) MemoryAccess.i32Load16U(address, 0, check(address, 2));
    }

    int i32(int address) {
        return MemoryAccess.i32Load(address, 0, check(address, 4));
    }

    long i64(int address) {
        return MemoryAccess.i64Load(address, 0, check(address, 8));
    }

    void putU8(int address, byte value) {
        MemoryAccess.i32Store8(address, value, 0, check(address, 1));
    }

    void putU16(int address, short value) {
        MemoryAccess.i32Store16(address, value, 0, check(address, 2));
    }

    void putI32(int address, int value) {
        MemoryAccess.i32Store(address, value, 0, check(address, 4));
    }

    void putI64(int address, long value) {
        MemoryAccess.i64Store(address, value, 0, check(address, 8));
    }

    /**
     * Zeroes {@code length} bytes, so that struct padding never shows stale guest data. Structs are
     * a few words long: stores, rather than the FFM API's bulk fill, whose first use initialises the
     * JDK's architecture enum by reflection, spinning a method handle form in every program that
     * asks for a descriptor's status (as the C library does before its first write).
     */
    void zero(int address, int length) {
        Memory s = check(address, length);
        int i = 0;
        for (; i + 8 <= length; i += 8) MemoryAccess.i64Store(address + i, 0, 0, s);
        for (; i < length; i++) MemoryAccess.i32Store8(address + i, 0, 0, s);
    }

    /*
     * Copies between guest memory and arrays go through the memory's host accessors, which copy by
     * address (BulkMemory): the FFM API's array copies bootstrap a pattern switch over the array's
     * type and load the value layouts, some 30 classes at the first path a program opens.
     */

    byte[] bytes(int address, int length) {
        long n = Integer.toUnsignedLong(length);
        Memory m = check(address, n);
        // As the FFM API's copy to a new array did: EIO, through Errno.of.
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException(n + " bytes do not fit in an array");
        byte[] bytes = new byte[(int) n];
        m.readBytes(Integer.toUnsignedLong(address), bytes, 0, bytes.length);
        return bytes;
    }

    void put(int address, byte[] data, int offset, int length) {
        Memory m = check(address, length);
        m.writeBytes(Integer.toUnsignedLong(address), data, offset, length);
    }

    /**
     * A view of {@code length} (at most {@code Integer.MAX_VALUE}) guest bytes that channels read
     * into or write from directly, without copying: the memory's own view (a slice of a small
     * memory's direct buffer, which initialises nothing of the FFM API's).
     */
    private ByteBuffer buffer(int address, int length) {
        return check(address, length).asByteBuffer(Integer.toUnsignedLong(address), length);
    }

    /**
     * The {@code iovec} (or {@code ciovec}) array at {@code iovs}: {@code count} pairs of a
     * pointer and a length, each a view of guest memory. Every range is checked before any I/O,
     * the array's first: an entry's address is computed in 32 bits, which past the end of a 4 GiB
     * memory would wrap to its start.
     */
    ByteBuffer[] iovecs(int iovs, int count) {
        if (count < 0 || count > 1024) throw new WasiError(Errno.INVAL);
        check(iovs, 8L * count);
        ByteBuffer[] buffers = new ByteBuffer[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            int base = iovs + 8 * i;
            int length = i32(base + 4);
            // More than one call moves (its count is an i32), in one buffer or summed: EINVAL, as
            // Linux's for a total past SSIZE_MAX.
            total += Integer.toUnsignedLong(length);
            if (total > Integer.MAX_VALUE) throw new WasiError(Errno.INVAL);
            buffers[i] = buffer(i32(base), length);
        }
        return buffers;
    }

    /**
     * A path or other string argument: UTF-8, without NUL, which no host path can contain, and
     * shorter than Linux's {@code PATH_MAX}, so that a huge length costs no huge copy.
     */
    String string(int address, int length) {
        check(address, Integer.toUnsignedLong(length));
        if (Integer.toUnsignedLong(length) >= PATH_MAX) throw new WasiError(Errno.NAMETOOLONG);
        byte[] raw = bytes(address, length);
        boolean ascii = true;
        for (byte b : raw) {
            if (b == 0) throw new WasiError(Errno.INVAL);
            ascii &= b > 0;
        }
        // ASCII is valid UTF-8 that decodes to itself: a program's paths, most often ASCII, need no
        // decoder, whose classes a start would otherwise load at its first path from the runtime image.
        if (ascii) return new String(raw, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (IOException e) {
            // Only the decoder's CharacterCodingException can be thrown here: caught as its supertype,
            // which every JVM has loaded, so that the verifier of this class, which every start links,
            // loads no class from the runtime image for it.
            throw new WasiError(Errno.ILSEQ);
        }
    }
}
