package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import dev.wasm2jvm.runtime.command.StartClasses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryTest {
    /** The access generated code performs. */
    private static final VarHandle I32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /**
     * The tag of the tests of memory provided as touched, which only {@code Unsafe} can make: the
     * runtime's pom leaves them out where this class runs again without it.
     */
    static final String PROVIDED_AS_TOUCHED = "provided-as-touched";

    private static void assertOutOfBounds(Executable access) {
        assertEquals("out of bounds memory access", assertThrows(WasmTrap.class, access).getMessage());
    }

    @Test
    void startsZeroedWithTheMinimumSize() {
        Memory m = new Memory(2, 10, false);
        assertEquals(2, m.pages());
        assertEquals(2, Memory.size(m));
        assertEquals(10, m.maxPages());
        assertFalse(m.shared());
        assertEquals(2L * Memory.PAGE_SIZE, m.segment().byteSize());
        assertEquals(0, m.segment().address() % 4096, "page-aligned");
        for (long at = 0; at < m.segment().byteSize(); at += 8) assertEquals(0L, m.readI64(at), "at " + at);
        assertThrows(IndexOutOfBoundsException.class, () -> m.segment().get(ValueLayout.JAVA_BYTE, 2L * Memory.PAGE_SIZE));
    }

    @Test
    void growsInPlaceUpToTheMaximum() {
        Memory m = new Memory(1, 3, true);
        m.writeI32(100, 0x12345678);
        long base = m.segment().address();
        assertEquals(1, Memory.grow(2, m));
        assertEquals(3, m.pages());
        assertEquals(3L * Memory.PAGE_SIZE, m.segment().byteSize());
        assertEquals(base, m.segment().address());
        assertEquals(0x12345678, m.readI32(100));
        assertEquals(0, m.readI32(3L * Memory.PAGE_SIZE - 4));
        assertEquals(-1, m.grow(1));
        assertEquals(3, m.grow(0));
        assertEquals(3, m.pages());
    }

    @Test
    void growTreatsTheDeltaAsUnsigned() {
        Memory m = new Memory(1, -1, false);
        assertEquals(-1, m.grow(-1));
        assertEquals(-1, m.grow(Integer.MIN_VALUE));
        assertEquals(1, m.pages());
        assertEquals(1, m.grow(65535));
        assertEquals(65536, m.pages());
        assertEquals(-1, m.grow(1));
    }

    @Test
    void aMemory64HasI64SizesAndLimitsBeyond4GiB() {
        Memory m = new Memory(1, 1L << 48, false, true);
        assertTrue(m.address64());
        assertEquals(1L, Memory.size64(m));
        assertEquals(-1L, Memory.grow64(-1L, m));
        assertEquals(-1L, Memory.grow64(1L << 40, m));
        assertEquals(1L, Memory.grow64(2, m));
        assertEquals(3L, Memory.size64(m));
        assertThrows(IllegalArgumentException.class, () -> new Memory(1, (1L << 48) + 1, false, true));
        assertThrows(IllegalArgumentException.class, () -> new Memory(1, 65537, false, false));
        assertEquals("memory i64 3..281474976710656", m.toString());
    }

    @Test
    void memory64BulkInstructionsTakeI64AddressesAndLengths() {
        Memory m = new Memory(1, 2, false, true);
        Memory.fill(8L, 0x41, 4L, m);
        assertEquals(0x41414141, m.readI32(8));
        Memory narrow = new Memory(1, 1, false);
        Memory.copy(0, 8L, 4, narrow, m);
        assertEquals(0x41414141, narrow.readI32(0));
        Memory.copy(16L, 0, 4, m, narrow);
        assertEquals(0x41414141, m.readI32(16));
        Memory.copy(32L, 16L, 4L, m, m);
        assertEquals(0x41414141, m.readI32(32));
        Memory.init(40L, 1, 2, m, new byte[] {1, 2, 3});
        assertEquals(0x0302, m.readI32(40));
        assertOutOfBounds(() -> Memory.fill(-1L, 0, 1L, m));
        assertOutOfBounds(() -> Memory.fill(1L, 0, -1L, m));
        assertOutOfBounds(() -> Memory.copy(0L, 1L, Long.MAX_VALUE, m, m));
        assertOutOfBounds(() -> Memory.init(Memory.PAGE_SIZE - 1L, 0, 2, m, new byte[2]));
        assertEquals(0, m.readI32(Memory.PAGE_SIZE - 4));
    }

    @Test
    void copyBetweenTwoMemoriesChecksEachAgainstItsOwnSize() {
        Memory small = new Memory(1, 1, false);
        Memory big = new Memory(2, 2, false);
        big.writeI32(Memory.PAGE_SIZE + 4, 99);
        Memory.copy(0, Memory.PAGE_SIZE + 4, 4, small, big);
        assertEquals(99, small.readI32(0));
        assertOutOfBounds(() -> Memory.copy(Memory.PAGE_SIZE, 0, 1, small, big));
        assertOutOfBounds(() -> Memory.copy(0, 2 * Memory.PAGE_SIZE, 1, small, big));
    }

    @Test
    void withoutAReservationUnsharedMemoriesAreCopiedOnGrowth() {
        Memory m = new Memory(1, 4, false, false, false);
        m.writeI32(Memory.PAGE_SIZE - 4, 42);
        assertEquals(1, m.grow(2));
        assertEquals(3L * Memory.PAGE_SIZE, m.segment().byteSize());
        assertEquals(42, m.readI32(Memory.PAGE_SIZE - 4));
        assertEquals(0, m.readI32(3L * Memory.PAGE_SIZE - 4));
        assertEquals(-1, m.grow(2));
        assertThrows(OutOfMemoryError.class, () -> new Memory(1, 4, true, false, false));
    }

    /** The address and length the access helpers read are the current segment's, through every way a memory grows. */
    @Test
    void theAddressAndLengthOfAccessesFollowTheSegment() {
        List<Memory> memories = List.of(new Memory(0, 2, false), new Memory(1, 2000, false),
                new Memory(1, 4, false, false, false), new Memory(1, 4, true));
        for (Memory m : memories) {
            assertSegmentFields(m);
            for (int step = 0; step < 3; step++) {
                m.grow(m.maxPages() > 8 ? 300 : 1);
                assertSegmentFields(m);
            }
        }
    }

    private static void assertSegmentFields(Memory m) {
        assertEquals(m.segment().address(), m.base);
        assertEquals(m.segment().byteSize(), m.byteLength);
        assertEquals(m.pages() * (long) Memory.PAGE_SIZE, m.byteLength);
    }

    /**
     * A small unshared memory grows within an allocation with room to spare, moving only when it
     * outgrows it, and, zeroed at once as it is below 8 pages, past 32 MiB moves into its
     * reservation once, where it then grows in place past 64 MiB; its contents move with it and
     * every new page reads as zeros.
     */
    @Test
    void aSmallUnsharedMemoryGrowsInItsAllocationThenMovesIntoItsReservationOnce() {
        Memory m = new Memory(1, -1, false);
        m.writeI32(Memory.PAGE_SIZE - 4, 42);
        assertEquals(1, m.grow(1));
        assertEquals(2, m.grow(1));
        long roomy = m.segment().address();
        m.writeI32(3L * Memory.PAGE_SIZE - 4, 7);
        assertEquals(3, m.grow(1));
        assertEquals(roomy, m.segment().address(), "grown within the room kept at the last move");
        assertEquals(0, m.readI32(4L * Memory.PAGE_SIZE - 4));
        assertEquals(4, m.grow(1));
        assertNotEquals(roomy, m.segment().address(), "outgrew its room");
        assertEquals(5, m.grow(600));
        long reserved = m.segment().address();
        assertEquals(605, m.grow(100));
        assertEquals(705, m.grow(400));
        assertEquals(reserved, m.segment().address(), "reserved past 32 MiB: grows in place past 64 MiB");
        assertEquals(1105L * Memory.PAGE_SIZE, m.segment().byteSize());
        assertEquals(42, m.readI32(Memory.PAGE_SIZE - 4));
        assertEquals(7, m.readI32(3L * Memory.PAGE_SIZE - 4));
        assertEquals(0, m.readI32(1105L * Memory.PAGE_SIZE - 4));
    }

    /**
     * A memory of 16 MiB, as libsodium and SQLite declare, costs no page the program has not
     * touched, and grows in place, unreserved, up to 64 MiB, after which it moves into its
     * reservation once; its contents move with it.
     */
    @Test
    @Tag(PROVIDED_AS_TOUCHED)
    void aLargeUnsharedMemoryIsProvidedAsTouchedAndGrowsInPlaceTo64MiB() throws IOException {
        Memory m = new Memory(256, -1, false);
        long base = m.segment().address();
        if (Files.isReadable(PAGEMAP)) {
            assertTrue(presentPages(base, m.segment().byteSize()) <= 2, "pages provided before the program touched them");
        }
        assertEquals(0, m.readI64(255L * Memory.PAGE_SIZE));
        m.writeI32(256L * Memory.PAGE_SIZE - 4, 42);
        assertEquals(256, m.grow(512));
        assertEquals(base, m.segment().address(), "grown to 48 MiB within its allocation");
        assertEquals(42, m.readI32(256L * Memory.PAGE_SIZE - 4));
        assertEquals(0, m.readI32(768L * Memory.PAGE_SIZE - 4));
        m.writeI32(768L * Memory.PAGE_SIZE - 4, 7);
        assertEquals(768, m.grow(256));
        assertEquals(base, m.segment().address(), "grown to 64 MiB within its allocation");
        m.writeI32(1024L * Memory.PAGE_SIZE - 4, 9);
        assertEquals(1024, m.grow(1));
        long reserved = m.segment().address();
        assertNotEquals(base, reserved, "moved into its reservation past 64 MiB");
        assertEquals(1025, m.grow(1000));
        assertEquals(reserved, m.segment().address(), "reserved: grows in place");
        assertEquals(42, m.readI32(256L * Memory.PAGE_SIZE - 4));
        assertEquals(7, m.readI32(768L * Memory.PAGE_SIZE - 4));
        assertEquals(9, m.readI32(1024L * Memory.PAGE_SIZE - 4));
        assertEquals(0, m.readI32(2025L * Memory.PAGE_SIZE - 4));
    }

    /** The start of a command defines {@code LazyPages} for the memories made of it ({@code StartClasses}). */
    @Test
    void theStartsThresholdOfAMemoryMadeOfLazyPagesIsThisOne() {
        assertEquals(Memory.LAZY_BYTES, StartClasses.LAZY_MEMORY_PAGES * Memory.PAGE_SIZE);
    }

    /**
     * A memory provided as touched proves its room as it grows into it: growing a page at a time
     * to 64 MiB, it stays where it is, each new page reads as zeros, and untouched pages are not
     * provided.
     */
    @Test
    @Tag(PROVIDED_AS_TOUCHED)
    void aMemoryProvidedAsTouchedProvesItsRoomAsItGrows() throws IOException {
        Memory m = new Memory(8, -1, false);
        long base = m.segment().address();
        for (int pages = 8; pages < 1024; pages++) assertEquals(pages, m.grow(1));
        assertEquals(base, m.segment().address(), "grown within its allocation");
        if (Files.isReadable(PAGEMAP)) {
            assertTrue(presentPages(base, m.segment().byteSize()) < 64, "pages provided before the program touched them");
        }
        for (long at = 0; at < m.segment().byteSize(); at += 4096) assertEquals(0, m.readI64(at), "at " + at);
    }

    /**
     * A memory that starts between 32 and 64 MiB is provided as touched too, rather than reserved
     * at once: it grows in place to 64 MiB and moves, once, only past that.
     */
    @Test
    @Tag(PROVIDED_AS_TOUCHED)
    void anUnsharedMemoryOf40MiBIsReservedOnlyPast64MiB() {
        Memory m = new Memory(640, -1, false);
        long base = m.segment().address();
        m.writeI32(640L * Memory.PAGE_SIZE - 4, 42);
        assertEquals(640, m.grow(384));
        assertEquals(base, m.segment().address(), "grown to 64 MiB within its allocation");
        assertEquals(0, m.readI32(1024L * Memory.PAGE_SIZE - 4));
        assertEquals(1024, m.grow(1));
        assertNotEquals(base, m.segment().address(), "moved into its reservation past 64 MiB");
        assertEquals(42, m.readI32(640L * Memory.PAGE_SIZE - 4));
    }

    private static final Path PAGEMAP = Path.of("/proc/self/pagemap");

    /** How many 4 KiB pages of {@code [address, address + bytes)} the kernel has provided (Linux on x86_64). */
    private static int presentPages(long address, long bytes) throws IOException {
        ByteBuffer entries = ByteBuffer.allocate((int) (bytes / 4096 * 8)).order(ByteOrder.nativeOrder());
        try (FileChannel in = FileChannel.open(PAGEMAP)) {
            while (entries.hasRemaining()) {
                if (in.read(entries, address / 4096 * 8 + entries.position()) <= 0) break;
            }
        }
        int present = 0;
        for (int i = 0; i < entries.capacity(); i += 8) {
            if (entries.getLong(i) < 0) present++;
        }
        return present;
    }

    /** The room kept to grow into never passes the declared maximum. */
    @Test
    void theRoomToGrowStopsAtTheMaximum() {
        Memory m = new Memory(3, 4, false);
        long base = m.segment().address();
        assertEquals(3, m.grow(1));
        assertNotEquals(base, m.segment().address());
        assertEquals(4L * Memory.PAGE_SIZE, m.segment().byteSize());
        assertEquals(-1, m.grow(1));
    }

    @Test
    void zeroPageMaximumNeedsNoMapping() {
        Memory m = new Memory(0, 0, false);
        assertEquals(0, m.segment().byteSize());
        assertEquals(-1, m.grow(1));
        assertEquals(0, m.grow(0));
        Memory.fill(0, 1, 0, m);
        Memory.copy(0, 0, 0, m);
        assertOutOfBounds(() -> Memory.fill(1, 1, 0, m));
        assertOutsideMemory("[0, 4) is not within the memory of 0 bytes", () -> m.readI32(0));
        Memory shared = new Memory(0, 0, true);
        assertTrue(shared.shared());
        assertOutOfBounds(() -> Memory.notify(0, 0, shared));
    }

    @Test
    void rejectsInvalidLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Memory(2, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new Memory(65537, -1, false));
        assertThrows(IllegalArgumentException.class, () -> new Memory(0, 65537, false));
    }

    @Test
    void unboundedMemoriesOnlyReserveAddressSpace() {
        // 200 x 4 GiB would exhaust any machine's RAM and swap if the reservations were committed.
        List<Memory> memories = new ArrayList<>();
        for (int i = 0; i < 200; i++) memories.add(new Memory(1, -1, false));
        Memory last = memories.get(199);
        assertEquals(1, last.grow(15));
        long end = last.segment().byteSize();
        last.segment().set(ValueLayout.JAVA_BYTE, end - 1, (byte) 7);
        assertEquals(7, last.segment().get(ValueLayout.JAVA_BYTE, end - 1));
    }

    @Test
    void addressesAboveTwoGibibytesWork() {
        Memory m = new Memory(0, -1, false);
        assertEquals(0, m.grow(40000));
        long top = 40000L * Memory.PAGE_SIZE;
        I32.set(m.segment(), top - 4, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, (int) I32.get(m.segment(), top - 4));
        assertEquals(0xCAFEBABE, m.readI32(top - 4));
        int high = (int) (top - 16);
        Memory.fill(high, 0xAB, 8, m);
        assertEquals(0xABABABABABABABABL, m.readI64(top - 16));
        Memory.copy(high - 8, high, 8, m);
        assertEquals(0xABABABABABABABABL, m.readI64(top - 24));
        assertThrows(IndexOutOfBoundsException.class, () -> I32.get(m.segment(), top - 3));
        assertOutOfBounds(() -> Memory.fill((int) top, 0, 1, m));
    }

    @Test
    void segmentBoundsCheckRejectsOutOfBoundsLoads() {
        Memory m = new Memory(1, 2, false);
        long end = Memory.PAGE_SIZE;
        I32.set(m.segment(), end - 4, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> I32.get(m.segment(), end - 3));
        assertThrows(IndexOutOfBoundsException.class, () -> I32.get(m.segment(), end));
        m.grow(1);
        assertEquals(0, (int) I32.get(m.segment(), end));
    }

    private static void assertOutsideMemory(String range, Executable access) {
        assertEquals("out of bounds memory access: " + range,
                assertThrows(IndexOutOfBoundsException.class, access).getMessage());
    }

    @Test
    void hostAccessorsCheckBoundsNamingTheRangeAndTheMemorysSize() {
        Memory m = new Memory(1, 1, false);
        byte[] bytes = {1, 2, 3, 4};
        m.writeBytes(Memory.PAGE_SIZE - 4, bytes, 0, 4);
        byte[] back = new byte[6];
        m.readBytes(Memory.PAGE_SIZE - 4, back, 1, 4);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 0}, back);
        assertEquals(0x04030201, m.readI32(Memory.PAGE_SIZE - 4));
        m.writeI64(8, 0x1122334455667788L);
        assertEquals(0x55667788, m.readI32(8));
        assertOutsideMemory("[65533, 65537) is not within the memory of 65536 bytes", () -> m.readI32(Memory.PAGE_SIZE - 3));
        assertOutsideMemory("[65529, 65537) is not within the memory of 65536 bytes", () -> m.writeI64(Memory.PAGE_SIZE - 7, 0));
        assertOutsideMemory("[-1, 0) is not within the memory of 65536 bytes", () -> m.readBytes(-1, back, 0, 1));
        assertOutsideMemory("[65536, 65537) is not within the memory of 65536 bytes", () -> m.writeBytes(Memory.PAGE_SIZE, bytes, 0, 1));
        assertOutsideMemory("[65535, 65539) is not within the memory of 65536 bytes", () -> m.writeBytes(Memory.PAGE_SIZE - 1, bytes));
        assertOutsideMemory("[4294967295, 4294967297) is not within the memory of 65536 bytes", () -> m.readBytes(0xFFFF_FFFFL, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(0, back, 4, 3));
        m.readBytes(Memory.PAGE_SIZE, back, 0, 0);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, m.readBytes(Memory.PAGE_SIZE - 4, 4));
        assertEquals(0x04030201, m.readI32(Memory.PAGE_SIZE - 4), "a failed write wrote nothing");
    }

    /**
     * The segment is made when asked for, once for the contents, and anew after growth, with the
     * new length; what the host and the instructions wrote by address before it is there.
     */
    @Test
    void aSegmentIsMadeWhenAskedOncePerContentsAndAnewAfterGrowth() {
        Memory m = new Memory(1, 20, false);
        m.writeI64(Memory.PAGE_SIZE - 8, 0x0102030405060708L);
        MemorySegment first = m.segment();
        assertSame(first, m.segment(), "made once for the contents");
        assertEquals(Memory.PAGE_SIZE, first.byteSize());
        assertEquals(0x0102030405060708L, first.get(ValueLayout.JAVA_LONG_UNALIGNED, Memory.PAGE_SIZE - 8));
        first.set(ValueLayout.JAVA_BYTE, 0, (byte) 9);
        assertEquals(9, m.readBytes(0, 1)[0], "the segment is the memory's");
        assertEquals(1, m.grow(12));
        MemorySegment grown = m.segment();
        assertNotSame(first, grown);
        assertEquals(13L * Memory.PAGE_SIZE, grown.byteSize());
        assertEquals(m.base, grown.address());
        assertEquals(0x0102030405060708L, grown.get(ValueLayout.JAVA_LONG_UNALIGNED, Memory.PAGE_SIZE - 8));
        assertEquals(9, grown.get(ValueLayout.JAVA_BYTE, 0));
        assertSame(grown, m.segment());
    }

    /**
     * Every bulk instruction and host accessor reaches the memory's last byte and no further, as the
     * memory grows within its allocation, out of it, into memory provided as touched, within that
     * one's room and into its reservation; what was written moves with it.
     */
    @Test
    void bulkInstructionsAndHostAccessorsReachTheLastByteAsTheMemoryMoves() {
        Memory m = new Memory(1, -1, false);
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        m.writeI32(0, 0x44332211);
        for (int delta : new int[] {0, 1, 10, 2, 1200}) {
            assertTrue(m.grow(delta) >= 0, "grew by " + delta);
            int end = (int) m.byteLength;
            assertEquals(m.pages() * (long) Memory.PAGE_SIZE, end);
            assertEquals(0x44332211, m.readI32(0), "kept across growth by " + delta);
            Memory.fill(end - 3, 0x77, 3, m);
            assertArrayEquals(new byte[] {0, 0x77, 0x77, 0x77}, m.readBytes(end - 4, 4));
            Memory.init(end - 8, 0, 8, m, data);
            assertEquals(0x0807060504030201L, m.readI64(end - 8));
            Memory.copy(0, end - 8, 4, m);
            assertEquals(0x04030201, m.readI32(0));
            m.writeI32(0, 0x44332211);
            m.writeBytes(end - 2, new byte[] {'h', 'i'});
            assertEquals(0x6968, m.asByteBuffer(end - 2, 2).getShort(0));
            m.writeI32(end - 4, 0);
            assertEquals("", m.readCString(end - 4));
            Memory.fill(end - 16, 0, 16, m);
            assertEquals(0L, m.readI64(end - 8));
            assertOutOfBounds(() -> Memory.fill(end - 2, 0, 3, m));
            assertOutOfBounds(() -> Memory.copy(end - 1, 0, 2, m));
            assertOutOfBounds(() -> Memory.init(end - 7, 0, 8, m, data));
            assertOutsideMemory("[" + (end - 7) + ", " + (end + 1) + ") is not within the memory of " + end + " bytes",
                    () -> m.readI64(end - 7));
            m.writeBytes(end - 4, new byte[] {'a', 'b', 'c', 'd'});
            assertEquals("no NUL ends the string at " + (end - 4) + " before the end of memory (" + end + " bytes)",
                    assertThrows(IndexOutOfBoundsException.class, () -> m.readCString(end - 4)).getMessage());
            assertEquals(0x64636261, m.segment().get(ValueLayout.JAVA_INT_UNALIGNED, end - 4L));
        }
        assertEquals(1214, m.pages());
    }

    @Test
    void stringsAreUtf8GivenByLengthByNulOrByALengthPrefix() {
        Memory m = new Memory(1, 1, false);
        String text = "grüß 🌍";
        int length = m.writeString(100, text);
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, length);
        assertEquals(text, m.readString(100, length));
        assertEquals("grü", m.readString(100, 4));

        assertEquals(length + 1, m.writeCString(200, text));
        assertEquals(0, m.readBytes(200 + length, 1)[0]);
        assertEquals(text, m.readCString(200));
        assertEquals("", m.readCString(200 + length));
        assertThrows(IllegalArgumentException.class, () -> m.writeCString(0, "a\0b"));

        assertEquals(4 + length, m.writePrefixedString(300, text));
        assertEquals(length, m.readI32(300));
        assertEquals(text, m.readPrefixedString(300));

        assertOutsideMemory("[65534, 65545) is not within the memory of 65536 bytes",
                () -> m.writeCString(Memory.PAGE_SIZE - 2, "0123456789"));
        assertEquals(0, m.readI32(Memory.PAGE_SIZE - 4), "nothing written");
        m.writeBytes(Memory.PAGE_SIZE - 3, new byte[] {'a', 'b', 'c'});
        IndexOutOfBoundsException unterminated = assertThrows(IndexOutOfBoundsException.class,
                () -> m.readCString(Memory.PAGE_SIZE - 3));
        assertEquals("no NUL ends the string at 65533 before the end of memory (65536 bytes)", unterminated.getMessage());
        m.writeI32(400, -1);
        assertOutsideMemory("[404, 4294967699) is not within the memory of 65536 bytes", () -> m.readPrefixedString(400));
    }

    @Test
    void byteBufferViewsReadAndWriteTheMemoryLittleEndian() {
        Memory m = new Memory(1, 4, true);
        java.nio.ByteBuffer view = m.asByteBuffer(16, 8);
        assertEquals(8, view.capacity());
        view.putInt(0, 0x01020304);
        assertEquals(0x01020304, m.readI32(16));
        m.writeI64(16, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, view.getLong(0));
        assertEquals(1, m.grow(1));
        view.put(7, (byte) 0x7F);
        assertEquals(0x7F22334455667788L, m.readI64(16), "a shared memory keeps its address when it grows");
        assertOutsideMemory("[131070, 131074) is not within the memory of 131072 bytes", () -> m.asByteBuffer(2 * Memory.PAGE_SIZE - 2, 4));
    }

    /**
     * A small unshared memory is a direct buffer's, whose slices are its views; once it moves on
     * growth, views are of the new contents, and the range is checked against the current size.
     */
    @Test
    void byteBufferViewsOfASmallUnsharedMemoryFollowItWhenItMoves() {
        Memory m = new Memory(1, -1, false);
        m.writeI32(Memory.PAGE_SIZE - 4, 0x0A0B0C0D);
        java.nio.ByteBuffer before = m.asByteBuffer(Memory.PAGE_SIZE - 4, 4);
        assertEquals(0x0A0B0C0D, before.getInt(0));
        long base = m.segment().address();
        assertEquals(1, m.grow(1));
        assertNotEquals(base, m.segment().address(), "a memory allocated without room moves when it grows");
        java.nio.ByteBuffer after = m.asByteBuffer(2L * Memory.PAGE_SIZE - 8, 8);
        after.putLong(0, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, m.readI64(2L * Memory.PAGE_SIZE - 8));
        assertEquals(0x0A0B0C0D, m.asByteBuffer(Memory.PAGE_SIZE - 4, 4).getInt(0));
        m.asByteBuffer(Memory.PAGE_SIZE - 4, 4).putInt(0, 7);
        assertEquals(7, m.readI32(Memory.PAGE_SIZE - 4));
        assertOutsideMemory("[131070, 131074) is not within the memory of 131072 bytes", () -> m.asByteBuffer(2 * Memory.PAGE_SIZE - 2, 4));
    }

    /**
     * A memory of 512 KiB or more is provided as touched and, with the exports the tests run with
     * (as a compiled jar's), a direct buffer's, whose slices are its views: they write the memory,
     * and once it grows past what may stay unreserved and moves, views are of the new contents.
     */
    @Test
    void byteBufferViewsOfALargeMemoryFollowItWhenItMoves() {
        Memory m = new Memory(16, -1, false);
        long end = 16L * Memory.PAGE_SIZE;
        m.asByteBuffer(end - 4, 4).putInt(0, 0x01020304);
        assertEquals(0x01020304, m.readI32(end - 4));
        assertEquals(0L, m.readI64(end - 16));
        long base = m.segment().address();
        assertEquals(16, m.grow(1024));
        assertNotEquals(base, m.segment().address(), "past 64 MiB the memory moves");
        assertEquals(0x01020304, m.asByteBuffer(end - 4, 4).getInt(0));
        long grown = 1040L * Memory.PAGE_SIZE;
        m.asByteBuffer(grown - 8, 8).putLong(0, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, m.readI64(grown - 8));
        assertOutsideMemory("[68157436, 68157444) is not within the memory of 68157440 bytes",
                () -> m.asByteBuffer(grown - 4, 8));
    }

    @Test
    void fillStopsAtTheEndAndChecksBeforeWriting() {
        Memory m = new Memory(1, 1, false);
        Memory.fill(Memory.PAGE_SIZE - 2, 0x1FF, 2, m);
        assertEquals(0xFFFF0000, m.readI32(Memory.PAGE_SIZE - 4));
        Memory.fill(Memory.PAGE_SIZE, 5, 0, m);
        assertOutOfBounds(() -> Memory.fill(Memory.PAGE_SIZE - 2, 7, 3, m));
        assertEquals(0xFFFF0000, m.readI32(Memory.PAGE_SIZE - 4));
        assertOutOfBounds(() -> Memory.fill(Memory.PAGE_SIZE + 1, 7, 0, m));
        assertOutOfBounds(() -> Memory.fill(-1, 7, 1, m));
        assertOutOfBounds(() -> Memory.fill(1, 7, -1, m));
    }

    /** Every byte of {@code [from, to)} of {@code m} is {@code value}. */
    private static void assertFilled(Memory m, long from, long to, int value) {
        for (long at = from; at < to; at++) {
            assertEquals((byte) value, m.segment().get(ValueLayout.JAVA_BYTE, at), "at " + at);
        }
    }

    /**
     * A program's {@code memset} of memory it has just grown: a fill of zeros over a memory
     * provided as touched zeroes what was written and provides none of the pages nobody touched
     * (but the first whole one, written to check the kernel's answer), in 32- and 64-bit memories.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fillingWithZerosProvidesNoUntouchedPage(boolean address64) throws IOException {
        Memory m = new Memory(16, -1, false, address64);
        assertEquals(16, m.grow(16L));
        long at = 100;
        long end = 30L * Memory.PAGE_SIZE + 5;
        m.segment().asSlice(0, at).fill((byte) 1);
        m.segment().asSlice(end, 4096).fill((byte) 2);
        m.writeI64(5L * Memory.PAGE_SIZE, -1);
        m.writeI64(20L * Memory.PAGE_SIZE + 8, -1);
        boolean pagemap = Files.isReadable(PAGEMAP);
        int before = pagemap ? presentPages(m.segment().address(), m.segment().byteSize()) : 0;
        if (address64) Memory.fill(at, 0, end - at, m);
        else Memory.fill((int) at, 0, (int) (end - at), m);
        if (pagemap) {
            assertTrue(presentPages(m.segment().address(), m.segment().byteSize()) <= before + 1,
                    "pages provided by a fill of zeros");
        }
        assertFilled(m, 0, at, 1);
        assertFilled(m, at, end, 0);
        assertFilled(m, end, end + 4096, 2);
    }

    /** A fill with another value than zero writes every byte of its range, partial pages and all. */
    @Test
    void fillingWithAnotherValueWritesEveryByte() {
        Memory m = new Memory(16, -1, false);
        long at = 4095;
        long end = 12L * Memory.PAGE_SIZE + 4097;
        Memory.fill((int) at, 0x1A5, (int) (end - at), m);
        assertFilled(m, at - 8, at, 0);
        assertFilled(m, at, end, 0xA5);
        assertFilled(m, end, end + 8, 0);
        Memory.fill((int) at + 1, 0, 8, m);
        assertFilled(m, at, at + 1, 0xA5);
        assertFilled(m, at + 1, at + 9, 0);
        assertFilled(m, at + 9, end, 0xA5);
    }

    /**
     * Memories not provided as touched (a small one, zeroed at once; a shared one, reserved) are
     * filled with zeros as with any value.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fillingWithZerosWritesMemoryNotProvidedAsTouched(boolean shared) {
        Memory m = new Memory(4, 4, shared);
        m.segment().fill((byte) 7);
        long at = 3;
        long end = 4L * Memory.PAGE_SIZE - 3;
        Memory.fill((int) at, 0x100, (int) (end - at), m);
        assertFilled(m, 0, at, 7);
        assertFilled(m, at, end, 0);
        assertFilled(m, end, 4L * Memory.PAGE_SIZE, 7);
    }

    @Test
    void copyHandlesOverlapInBothDirections() {
        Memory m = new Memory(1, 1, false);
        m.writeBytes(10, new byte[] {1, 2, 3, 4, 5}, 0, 5);
        Memory.copy(12, 10, 5, m);
        byte[] forward = new byte[8];
        m.readBytes(10, forward, 0, 8);
        assertArrayEquals(new byte[] {1, 2, 1, 2, 3, 4, 5, 0}, forward);
        Memory.copy(9, 11, 6, m);
        byte[] backward = new byte[8];
        m.readBytes(9, backward, 0, 8);
        assertArrayEquals(new byte[] {2, 1, 2, 3, 4, 5, 4, 5}, backward);
    }

    @Test
    void copyChecksBothRangesBeforeWriting() {
        Memory m = new Memory(1, 1, false);
        m.writeI32(0, 0x01020304);
        assertOutOfBounds(() -> Memory.copy(Memory.PAGE_SIZE - 2, 0, 4, m));
        assertOutOfBounds(() -> Memory.copy(0, Memory.PAGE_SIZE - 2, 4, m));
        assertOutOfBounds(() -> Memory.copy(0, Memory.PAGE_SIZE + 1, 0, m));
        assertEquals(0, m.readI32(Memory.PAGE_SIZE - 4));
        Memory.copy(Memory.PAGE_SIZE, Memory.PAGE_SIZE, 0, m);
        Memory.copy(Memory.PAGE_SIZE - 4, 0, 4, m);
        assertEquals(0x01020304, m.readI32(Memory.PAGE_SIZE - 4));
    }

    @Test
    void initCopiesFromTheDataSegment() {
        Memory m = new Memory(1, 1, false);
        byte[] data = {9, 8, 7, 6};
        Memory.init(100, 1, 3, m, data);
        assertEquals(0x00060708, m.readI32(100));
        Memory.init(Memory.PAGE_SIZE, 4, 0, m, data);
        assertOutOfBounds(() -> Memory.init(0, 2, 3, m, data));
        assertOutOfBounds(() -> Memory.init(0, 5, 0, m, data));
        assertOutOfBounds(() -> Memory.init(Memory.PAGE_SIZE - 1, 0, 2, m, data));
        assertOutOfBounds(() -> Memory.init(0, 0, 1, m, new byte[0]));
        Memory.init(0, 0, 0, m, new byte[0]);
        assertEquals(0, m.readI32(0));
    }

    @Test
    void concurrentGrowthOfASharedMemoryLosesNoPages() throws InterruptedException {
        Memory m = new Memory(0, 100, true);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> growers = new ArrayList<>();
        List<Integer> olds = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            growers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < 30; i++) {
                    int old = m.grow(1);
                    if (old < 0) failures.incrementAndGet(); else olds.add(old);
                }
            }));
        }
        start.countDown();
        for (Thread t : growers) t.join();
        assertEquals(100, m.pages());
        assertEquals(20, failures.get());
        assertEquals(100, olds.stream().distinct().count());
        assertEquals(100L * Memory.PAGE_SIZE, m.segment().byteSize());
    }
}
