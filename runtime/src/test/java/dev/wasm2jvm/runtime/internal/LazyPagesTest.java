package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.internal.misc.Unsafe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Memory from the C heap proven zero page by page: it reads as zeros whatever the heap hands back,
 * pages nobody touched are not provided, and nothing is proven from an answer that cannot be
 * trusted.
 */
class LazyPagesTest {
    private static final String MAPS = "/proc/self/maps";
    private static final String PAGEMAP = "/proc/self/pagemap";
    private static final long MIB = 1L << 20;

    private static void assumeLinux() {
        assumeTrue(MemoryAccess.UNSAFE != null && Files.isReadable(Path.of(PAGEMAP)), "needs Linux's pagemap and Unsafe");
    }

    /** Which of the pages of {@code [address, address + bytes)} the kernel has provided. */
    static boolean[] present(long address, long bytes) throws IOException {
        long page = MemoryAccess.UNSAFE.pageSize();
        byte[] entries = new byte[(int) (bytes / page) * 8];
        try (RandomAccessFile in = new RandomAccessFile(PAGEMAP, "r")) {
            in.seek(address / page * 8);
            in.readFully(entries);
        }
        boolean[] present = new boolean[entries.length / 8];
        for (int i = 0; i < present.length; i++) {
            present[i] = MemoryAccess.UNSAFE.getLong(entries, Unsafe.ARRAY_BYTE_BASE_OFFSET + 8L * i) < 0;
        }
        return present;
    }

    /** How many of the pages of {@code [address, address + bytes)} the kernel has provided. */
    private static int presentPages(long address, long bytes) throws IOException {
        int count = 0;
        for (boolean p : present(address, bytes)) if (p) count++;
        return count;
    }

    private static void assertZero(MemorySegment s) {
        long at = 0;
        for (; at + 8 <= s.byteSize(); at += 8) {
            if (s.get(ValueLayout.JAVA_LONG_UNALIGNED, at) != 0) throw new AssertionError("not zero at " + at);
        }
        for (; at < s.byteSize(); at++) {
            if (s.get(ValueLayout.JAVA_BYTE, at) != 0) throw new AssertionError("not zero at " + at);
        }
    }

    private static MemorySegment segment(LazyPages.Block block) {
        return block == null ? null : block.segment();
    }

    /**
     * Untouched pages are not provided, whether the memory is a direct buffer's or reinterpreted
     * (where the exports are missing). 64 MiB is past glibc's largest threshold for serving a block
     * from a fresh mapping rather than from memory freed earlier (32 MiB), which other tests free.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void untouchedPagesAreNotProvidedAndReadAsZeros(boolean buffer) throws IOException {
        assumeLinux();
        LazyPages.Block block = LazyPages.allocate(64 * MIB, 64 * MIB, MAPS, PAGEMAP, buffer);
        assertNotNull(block);
        assertEquals(buffer, block.buffer != null, "a direct buffer's memory only if asked");
        MemorySegment s = block.segment();
        assertEquals(s.address(), block.address);
        assertEquals(64 * MIB, block.bytes);
        if (buffer) {
            assertEquals(s.address(), MemorySegment.ofBuffer(block.buffer).address());
            assertEquals(64 * MIB, block.buffer.capacity());
        }
        assertEquals(64 * MIB, s.byteSize());
        assertEquals(0, s.address() % MemoryAccess.UNSAFE.pageSize());
        assertTrue(presentPages(s.address(), s.byteSize()) <= 2, "pages provided before any was touched");
        s.set(ValueLayout.JAVA_INT, 5 * MIB, 42);
        assertEquals(42, s.get(ValueLayout.JAVA_INT, 5 * MIB));
        assertTrue(presentPages(s.address(), s.byteSize()) <= 3);
        s.set(ValueLayout.JAVA_INT, 5 * MIB, 0);
        assertZero(s);
    }

    /**
     * The C heap hands freed blocks back with what was written in them (a former guest's data, say):
     * every page that holds anything is zeroed, every page the kernel never provided is left alone.
     */
    @Test
    void pagesWithContentsAreZeroedAndUntouchedOnesLeftAlone() throws IOException {
        assumeLinux();
        Unsafe unsafe = MemoryAccess.UNSAFE;
        long page = unsafe.pageSize();
        long bytes = 64 * page;
        long raw = unsafe.allocateMemory(bytes + page);
        try {
            long base = (raw + page - 1) & -page;
            for (int p : new int[] {3, 10, 63}) unsafe.setMemory(base + p * page, page, (byte) 0xAB);
            unsafe.putByte(base + 20 * page + page - 1, (byte) 1);
            boolean[] before = present(base, bytes);
            assertTrue(LazyPages.zeroTouched(unsafe, base, bytes, bytes, page, MAPS, PAGEMAP));
            boolean[] after = present(base, bytes);
            assertTrue(after[0], "the first page is written to check the kernel's answer");
            for (int p = 1; p < after.length; p++) assertEquals(before[p], after[p], "page " + p);
            assertZero(MemorySegment.ofAddress(base).reinterpret(bytes));
        } finally {
            unsafe.freeMemory(raw);
        }
    }

    /** Blocks filled and freed just before come back zeroed, whichever of them the C heap reuses. */
    @Test
    void recycledBlocksComeBackZeroed() {
        assumeLinux();
        Unsafe unsafe = MemoryAccess.UNSAFE;
        for (long size : new long[] {MIB, 4 * MIB, 32 * MIB}) {
            List<MemorySegment> kept = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                long dirty = unsafe.allocateMemory(size + unsafe.pageSize());
                unsafe.setMemory(dirty, size + unsafe.pageSize(), (byte) 0x5A);
                unsafe.freeMemory(dirty);
                MemorySegment s = segment(LazyPages.allocate(size, size, MAPS, PAGEMAP, true));
                assertNotNull(s);
                assertZero(s);
                kept.add(s);
            }
        }
    }

    /**
     * Of a block recycled with contents, the part asked for reads as zeros at once, and the rest
     * once a fill of zeros has proven it, as a memory proves its room when it grows into it.
     */
    /**
     * A direct buffer's block has the address and size of the bytes from its position to its limit,
     * read without a segment, and its segment, made on asking, is over the same bytes.
     */
    @Test
    void aDirectBuffersBlockIsItsBytesFromPositionToLimit() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096).position(16).limit(1040);
        LazyPages.Block block = LazyPages.Block.of(buffer);
        MemorySegment s = block.segment();
        assertEquals(MemorySegment.ofBuffer(buffer).address(), block.address);
        assertEquals(1024, block.bytes);
        assertEquals(block.address, s.address());
        assertEquals(1024, s.byteSize());
        buffer.put(16, (byte) 5);
        assertEquals(5, s.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(5, MemoryAccess.UNSAFE.getByte(block.address));
    }

    @Test
    void theRestOfABlockIsProvenByAFillOfZeros() {
        assumeLinux();
        Unsafe unsafe = MemoryAccess.UNSAFE;
        long size = 4 * MIB;
        List<MemorySegment> kept = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            long dirty = unsafe.allocateMemory(size + unsafe.pageSize());
            unsafe.setMemory(dirty, size + unsafe.pageSize(), (byte) 0x5A);
            unsafe.freeMemory(dirty);
            MemorySegment s = segment(LazyPages.allocate(size, MIB, MAPS, PAGEMAP, true));
            assertNotNull(s);
            assertEquals(size, s.byteSize());
            assertZero(s.asSlice(0, MIB));
            LazyPages.zero(s.address() + MIB, MIB, PAGEMAP);
            assertZero(s.asSlice(0, 2 * MIB));
            LazyPages.zero(s.address() + 2 * MIB, 2 * MIB, PAGEMAP);
            assertZero(s);
            kept.add(s);
        }
    }

    /**
     * 64 MiB made here, untouched but for its first page: past glibc's largest threshold for a
     * fresh mapping (see above).
     */
    private static MemorySegment untouched64MiB() {
        MemorySegment s = segment(LazyPages.allocate(64 * MIB, 64 * MIB, MAPS, PAGEMAP, true));
        assertNotNull(s);
        return s;
    }

    /** Moving into a reservation copies what the pages hold and provides no untouched page of either side. */
    @Test
    void copyingSkipsUntouchedPagesOnBothSides() throws IOException {
        assumeLinux();
        long page = MemoryAccess.UNSAFE.pageSize();
        MemorySegment from = untouched64MiB();
        from.set(ValueLayout.JAVA_LONG, 3 * page + 8, 0x0123456789abcdefL);
        from.set(ValueLayout.JAVA_BYTE, 40 * MIB, (byte) 9);
        from.set(ValueLayout.JAVA_BYTE, 64 * MIB - 1, (byte) 7);
        MemorySegment to = untouched64MiB();
        assertTrue(LazyPages.copyTouched(from.address(), to.address(), 64 * MIB));
        assertTrue(presentPages(from.address(), 64 * MIB) <= 5);
        assertTrue(presentPages(to.address(), 64 * MIB) <= 5);
        assertEquals(-1, from.mismatch(to));
        assertFalse(LazyPages.copyTouched(from.address(), to.address(), 64 * MIB + 1), "not a whole number of pages");
        assertFalse(LazyPages.copyTouched(from.address() + 8, to.address(), 4096), "not at a page's start");
    }

    /**
     * A fill of zeros over pages written and pages never touched leaves every byte of its range zero
     * and those around it as they were, writes the partial pages at its ends, and provides none of
     * the untouched pages but the first whole one, written to check the kernel's answer.
     */
    @Test
    void fillingWithZerosLeavesUntouchedPagesUntouched() throws IOException {
        assumeLinux();
        long page = MemoryAccess.UNSAFE.pageSize();
        MemorySegment s = untouched64MiB();
        long at = 2 * page + 100;
        long end = 300 * page + 7;
        s.asSlice(0, at).fill((byte) 0x11);
        s.asSlice(end, page).fill((byte) 0x22);
        for (int p : new int[] {10, 200}) s.set(ValueLayout.JAVA_BYTE, p * page + 17, (byte) 0x33);
        boolean[] before = present(s.address(), 512 * page);
        LazyPages.zero(s.address() + at, end - at, PAGEMAP);
        boolean[] after = present(s.address(), 512 * page);
        assertTrue(after[3], "the first whole page is written to check the kernel's answer");
        for (int p = 4; p < after.length; p++) assertEquals(before[p], after[p], "page " + p);
        assertFalse(after[50], "an untouched page within the range");
        assertZero(s.asSlice(at, end - at));
        for (long i = 0; i < at; i++) assertEquals(0x11, s.get(ValueLayout.JAVA_BYTE, i), "before the range, at " + i);
        for (long i = end; i < end + page; i++) {
            assertEquals(0x22, s.get(ValueLayout.JAVA_BYTE, i), "after it, at " + i);
        }
    }

    /**
     * Where the kernel's answer cannot be had ({@code pagemap} missing) or trusted (one that says
     * nothing is present), a fill of zeros writes every page of its range.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/nonexistent/pagemap", "/dev/zero"})
    void fillingWithZerosWritesEveryPageWhenTheKernelCannotTell(String pagemap) throws IOException {
        assumeLinux();
        long page = MemoryAccess.UNSAFE.pageSize();
        MemorySegment s = untouched64MiB();
        s.set(ValueLayout.JAVA_BYTE, 40 * page + 3, (byte) 0x44);
        assertFalse(present(s.address(), 128 * page)[90]);
        LazyPages.zero(s.address() + page, 100 * page, pagemap);
        boolean[] after = present(s.address(), 128 * page);
        for (int p = 1; p <= 100; p++) assertTrue(after[p], "page " + p);
        assertFalse(after[101], "past the range");
        assertZero(s.asSlice(0, 128 * page));
    }

    /** A pagemap that says no page is present (here {@code /dev/zero}) cannot tell, and proves nothing. */
    @Test
    void anAnswerThatCannotBeTrustedProvesNothing() {
        assumeLinux();
        assertNull(segment(LazyPages.allocate(MIB, MIB, MAPS, "/dev/zero", true)));
        assertNull(segment(LazyPages.allocate(MIB, MIB, MAPS, "/nonexistent/pagemap", true)));
        assertNull(segment(LazyPages.allocate(MIB, MIB, "/dev/null", PAGEMAP, true)));
        assertNull(segment(LazyPages.allocate(MIB + 1, MIB + 1, MAPS, PAGEMAP, true)), "not a whole number of pages");
        assertNull(segment(LazyPages.allocate(0, 0, MAPS, PAGEMAP, true)));
        assertNull(segment(LazyPages.allocate(MIB, 0, MAPS, PAGEMAP, true)), "nothing to prove");
        assertNull(segment(LazyPages.allocate(MIB, 2 * MIB, MAPS, PAGEMAP, true)), "more proven than allocated");
        assertNull(segment(LazyPages.allocate(MIB, MIB - 1, MAPS, PAGEMAP, true)), "part of a page proven");
    }

    private static boolean covered(String maps, long from, long to) {
        return LazyPages.privateAnonymous(maps.getBytes(StandardCharsets.ISO_8859_1), from, to);
    }

    /** Only private anonymous memory is zero where the kernel has provided nothing. */
    @Test
    void onlyPrivateAnonymousMappingsCount() {
        String before = "55d000000000-55d000021000 r--p 00000000 08:01 1234 /usr/bin/java\n";
        String after = "7fff00000000-7fff00021000 rw-p 00000000 00:00 0 [stack]\n"
                + "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";
        long from = 0x7f0000010000L, to = 0x7f0000050000L;
        assertTrue(covered(before + "7f0000000000-7f0000100000 rw-p 00000000 00:00 0 \n" + after, from, to));
        assertTrue(covered(before + "7f0000000000-7f0000100000 rw-p 00000000 00:00 0\n" + after, from, to));
        assertTrue(covered("7f0000000000-7f0000100000 rw-p 00000000 00:00 0                          [heap]\n", from, to));
        assertTrue(covered("7f0000000000-7f0000100000 rw-p 00000000 00:00 0 [anon:glibc: malloc arena]\n", from, to));
        assertTrue(covered("7f0000000000-7f0000020000 rw-p 00000000 00:00 0 \n"
                + "7f0000020000-7f0000100000 rw-p 00000000 00:00 0 \n", from, to), "two adjacent mappings");

        assertFalse(covered("7f0000000000-7f0000100000 rw-p 00000000 08:01 1234 /tmp/file\n", from, to), "a file's pages");
        assertFalse(covered("7f0000000000-7f0000100000 rw-s 00000000 00:01 5 /dev/zero (deleted)\n", from, to),
                "shared memory");
        assertFalse(covered("7f0000000000-7f0000100000 rw-p 00000000 00:05 17 /dev/zero\n", from, to));
        assertFalse(covered("7f0000000000-7f0000100000 r--p 00000000 00:00 0 \n", from, to), "read-only");
        assertFalse(covered("7f0000000000-7f0000100000 rw-p 00000000 00:00 0 [stack]\n", from, to));
        assertFalse(covered("7f0000000000-7f0000100000 rw-p 00000000 00:00 0 [heap] x\n", from, to));
        assertFalse(covered("7f0000000000-7f0000020000 rw-p 00000000 00:00 0 \n"
                + "7f0000030000-7f0000100000 rw-p 00000000 00:00 0 \n", from, to), "a gap");
        assertFalse(covered("7f0000000000-7f0000020000 rw-p 00000000 00:00 0 \n"
                + "7f0000020000-7f0000100000 rw-p 00000000 08:01 99 /tmp/file\n", from, to), "half a file");
        assertFalse(covered("7f0000000000-7f0000040000 rw-p 00000000 00:00 0 \n", from, to), "ends too early");
        assertFalse(covered(before + after, from, to), "not mapped");
        assertFalse(covered("7f00000g0000-7f0000100000 rw-p 00000000 00:00 0 \n", from, to), "not a number");
        assertFalse(covered("", from, to));
    }
}
