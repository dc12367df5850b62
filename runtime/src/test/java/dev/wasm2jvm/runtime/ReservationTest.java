package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReservationTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @Test
    void flagsFollowThePlatform() {
        assertEquals(0x02 | 0x20 | 0x4000, Reservation.mapFlags("linux", "amd64"));
        assertEquals(0x02 | 0x20 | 0x4000, Reservation.mapFlags("linux", "aarch64"));
        assertEquals(0x02 | 0x20 | 0x40, Reservation.mapFlags("linux", "ppc64le"));
        assertEquals(0x02 | 0x1000 | 0x40, Reservation.mapFlags("mac os x", "aarch64"));
        assertEquals(0, Reservation.mapFlags("windows 11", "amd64"));
    }

    @Test
    void committedPagesAreReadableAndWritable() {
        assumeTrue(Reservation.reserve(Memory.PAGE_SIZE) != null, "no mmap on this platform");
        Reservation r = Reservation.reserve(4L * Memory.PAGE_SIZE);
        assertNotNull(r);
        assertEquals(4L * Memory.PAGE_SIZE, r.range.byteSize());
        assertTrue(r.commit(Memory.PAGE_SIZE, 2L * Memory.PAGE_SIZE));
        r.range.set(ValueLayout.JAVA_LONG, Memory.PAGE_SIZE, -1L);
        assertEquals(-1L, r.range.get(ValueLayout.JAVA_LONG, Memory.PAGE_SIZE));
    }

    @Test
    void withoutNativeAccessAFileMappingIsReadableAndWritableThroughout() {
        Reservation r = Reservation.reserve(1L << 32, false);
        assertNotNull(r);
        assertEquals(1L << 32, r.range.byteSize());
        assertTrue(r.commit(0, (1L << 32) - Memory.PAGE_SIZE));
        assertEquals(0L, r.range.get(ValueLayout.JAVA_LONG, (1L << 32) - 8));
        r.range.set(ValueLayout.JAVA_LONG, (1L << 32) - 8, -1L);
        r.range.set(ValueLayout.JAVA_LONG, 0, 42L);
        assertEquals(-1L, r.range.get(ValueLayout.JAVA_LONG, (1L << 32) - 8));
        assertEquals(42L, r.range.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void anUnreachableMemoryReleasesItsMapping() throws IOException, InterruptedException {
        assumeTrue(Files.isReadable(MAPS) && Reservation.reserve(Memory.PAGE_SIZE) != null, "needs Linux");
        String start = Long.toHexString(mappedAndDropped()) + "-";
        assertTrue(isMapped(start));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (isMapped(start) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertFalse(isMapped(start), "the reservation at " + start + " is still mapped");
    }

    /** The base address of a memory, reserved on its growth past 32 MiB, that is unreachable once this returns. */
    private static long mappedAndDropped() {
        Memory memory = new Memory(1, -1, false);
        memory.grow(600);
        return memory.segment().address();
    }

    private static boolean isMapped(String start) throws IOException {
        try (var lines = Files.lines(MAPS)) {
            return lines.anyMatch(line -> line.startsWith(start));
        }
    }
}
