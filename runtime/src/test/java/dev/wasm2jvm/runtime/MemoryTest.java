package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MemoryTest {
    /** The access generated code performs. */
    private static final VarHandle I32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

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
        assertEquals(2L * Memory.PAGE_SIZE, m.segment.byteSize());
        assertEquals(0L, m.readI64(2L * Memory.PAGE_SIZE - 8));
    }

    @Test
    void growsInPlaceUpToTheMaximum() {
        Memory m = new Memory(1, 3, true);
        m.writeI32(100, 0x12345678);
        long base = m.segment.address();
        assertEquals(1, Memory.grow(2, m));
        assertEquals(3, m.pages());
        assertEquals(3L * Memory.PAGE_SIZE, m.segment.byteSize());
        assertEquals(base, m.segment.address());
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
    void withoutAReservationUnsharedMemoriesAreCopiedOnGrowth() {
        Memory m = new Memory(1, 4, false, false);
        m.writeI32(Memory.PAGE_SIZE - 4, 42);
        assertEquals(1, m.grow(2));
        assertEquals(3L * Memory.PAGE_SIZE, m.segment.byteSize());
        assertEquals(42, m.readI32(Memory.PAGE_SIZE - 4));
        assertEquals(0, m.readI32(3L * Memory.PAGE_SIZE - 4));
        assertEquals(-1, m.grow(2));
        assertThrows(OutOfMemoryError.class, () -> new Memory(1, 4, true, false));
    }

    @Test
    void aSmallUnsharedMemoryMovesIntoItsReservationOnItsFirstGrowthOnly() {
        Memory m = new Memory(1, -1, false);
        m.writeI32(Memory.PAGE_SIZE - 4, 42);
        assertEquals(1, m.grow(1));
        long base = m.segment.address();
        assertEquals(42, m.readI32(Memory.PAGE_SIZE - 4));
        assertEquals(2, m.grow(100));
        assertEquals(base, m.segment.address());
        assertEquals(42, m.readI32(Memory.PAGE_SIZE - 4));
        assertEquals(0, m.readI32(102L * Memory.PAGE_SIZE - 4));
    }

    @Test
    void zeroPageMaximumNeedsNoMapping() {
        Memory m = new Memory(0, 0, false);
        assertEquals(0, m.segment.byteSize());
        assertEquals(-1, m.grow(1));
        assertEquals(0, m.grow(0));
        Memory.fill(0, 1, 0, m);
        Memory.copy(0, 0, 0, m);
        assertOutOfBounds(() -> Memory.fill(1, 1, 0, m));
        assertOutOfBounds(() -> m.readI32(0));
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
        long end = last.segment.byteSize();
        last.segment.set(ValueLayout.JAVA_BYTE, end - 1, (byte) 7);
        assertEquals(7, last.segment.get(ValueLayout.JAVA_BYTE, end - 1));
    }

    @Test
    void addressesAboveTwoGibibytesWork() {
        Memory m = new Memory(0, -1, false);
        assertEquals(0, m.grow(40000));
        long top = 40000L * Memory.PAGE_SIZE;
        I32.set(m.segment, top - 4, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, (int) I32.get(m.segment, top - 4));
        assertEquals(0xCAFEBABE, m.readI32(top - 4));
        int high = (int) (top - 16);
        Memory.fill(high, 0xAB, 8, m);
        assertEquals(0xABABABABABABABABL, m.readI64(top - 16));
        Memory.copy(high - 8, high, 8, m);
        assertEquals(0xABABABABABABABABL, m.readI64(top - 24));
        assertThrows(IndexOutOfBoundsException.class, () -> I32.get(m.segment, top - 3));
        assertOutOfBounds(() -> Memory.fill((int) top, 0, 1, m));
    }

    @Test
    void segmentBoundsCheckRejectsOutOfBoundsLoads() {
        Memory m = new Memory(1, 2, false);
        long end = Memory.PAGE_SIZE;
        I32.set(m.segment, end - 4, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> I32.get(m.segment, end - 3));
        assertThrows(IndexOutOfBoundsException.class, () -> I32.get(m.segment, end));
        m.grow(1);
        assertEquals(0, (int) I32.get(m.segment, end));
    }

    @Test
    void hostAccessorsCheckBounds() {
        Memory m = new Memory(1, 1, false);
        byte[] bytes = {1, 2, 3, 4};
        m.writeBytes(Memory.PAGE_SIZE - 4, bytes, 0, 4);
        byte[] back = new byte[6];
        m.readBytes(Memory.PAGE_SIZE - 4, back, 1, 4);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 0}, back);
        assertEquals(0x04030201, m.readI32(Memory.PAGE_SIZE - 4));
        m.writeI64(8, 0x1122334455667788L);
        assertEquals(0x55667788, m.readI32(8));
        assertOutOfBounds(() -> m.readI32(Memory.PAGE_SIZE - 3));
        assertOutOfBounds(() -> m.writeI64(Memory.PAGE_SIZE - 7, 0));
        assertOutOfBounds(() -> m.readBytes(-1, back, 0, 1));
        assertOutOfBounds(() -> m.writeBytes(Memory.PAGE_SIZE, bytes, 0, 1));
        m.readBytes(Memory.PAGE_SIZE, back, 0, 0);
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
        assertEquals(100L * Memory.PAGE_SIZE, m.segment.byteSize());
    }
}
