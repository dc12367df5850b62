package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile pointers into a memory of the full 4 GiB, where an address computed in 32 bits from a
 * pointer near the end wraps to the memory's start: an array or string that crosses the end is
 * {@code EFAULT}, as one past the end of a smaller memory is, never read from or written to
 * address 0 onwards, and a call that fails so has written nothing.
 */
class GuestPointerAttackTest {
    private static final int PAGES = 65536;
    /** The last 8 bytes of the memory: one {@code iovec}, or two {@code argv} pointers. */
    private static final int LAST_8 = 0xFFFF_FFF8;
    /** The memory's size, where {@code Memory}'s host accessors take the guest's addresses as unsigned. */
    private static final long END = 1L << 32;

    @Test
    void anIovecArrayCrossingTheEndIsEfaultNotReadFromTheStart() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdout(stdout).build(), PAGES);
        // The first iovec, in the last 8 bytes, is empty; the second would be at 2^32, which
        // address 0 is only modulo 2^32: an iovec there names 5 bytes that must not be written.
        g.memory.writeI64(END - 8, 0);
        g.memory.writeI32(0, 64);
        g.memory.writeI32(4, 5);
        g.memory.writeBytes(64, "WRAP!".getBytes(), 0, 5);
        int nwritten = g.alloc(4);
        assertEquals(Errno.FAULT, g.call("fd_write", 1, LAST_8, 2, nwritten));
        assertEquals(0, stdout.size());
        int nread = g.alloc(4);
        assertEquals(Errno.FAULT, g.call("fd_read", 0, LAST_8, 2, nread));
    }

    private static byte[] read(Guest g, long address, int length) {
        return g.memory.readBytes(address, length);
    }

    @Test
    void stringsCrossingTheEndAreEfaultAndWriteNothing() throws Exception {
        Guest g = new Guest(WasiOptions.builder().args("ab", "cd").env("e", "f").build(), PAGES);
        int argv = g.alloc(8);
        // "ab\0" fills the last 3 bytes; "cd\0" would follow at 2^32.
        assertEquals(Errno.FAULT, g.call("args_get", argv, -3));
        assertArrayEquals(new byte[8], g.read(argv, 8));
        assertArrayEquals(new byte[3], g.read(0, 3));
        assertArrayEquals(new byte[3], read(g, END - 3, 3));
        // The pointer array itself crossing the end: the second pointer would be at address 0.
        int buf = g.alloc(6);
        assertEquals(Errno.FAULT, g.call("args_get", -4, buf));
        assertArrayEquals(new byte[6], g.read(buf, 6));
        assertArrayEquals(new byte[4], g.read(0, 4));
        assertEquals(Errno.FAULT, g.call("environ_get", argv, -3));
        assertArrayEquals(new byte[3], read(g, END - 3, 3));
    }
    /**
     * Lengths that overflow 32 bits when summed, over overlapping buffers: {@code EINVAL} before
     * any byte moves (Linux's {@code EINVAL} for a total past {@code SSIZE_MAX}); so is one
     * buffer of 2 GiB, more than a call may move; and no iovecs at all move nothing.
     */
    @Test
    void iovecLengthsPastWhatOneCallMovesAreEinval() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdout(stdout).build(), PAGES);
        int iovs = g.alloc(24);
        for (int i = 0; i < 3; i++) {
            g.memory.writeI32(iovs + 8 * i, 0);
            g.memory.writeI32(iovs + 8 * i + 4, 0x6000_0000);
        }
        int nwritten = g.alloc(4);
        assertEquals(Errno.INVAL, g.call("fd_write", 1, iovs, 3, nwritten));
        g.memory.writeI32(iovs + 4, 0x8000_0000);
        assertEquals(Errno.INVAL, g.call("fd_write", 1, iovs, 1, nwritten));
        assertEquals(Errno.INVAL, g.call("fd_write", 1, iovs, 1025, nwritten));
        assertEquals(0, stdout.size());
        g.memory.writeI32(nwritten, -1);
        g.ok("fd_write", 1, iovs, 0, nwritten);
        assertEquals(0, g.i32(nwritten));
    }
}
