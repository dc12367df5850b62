package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every load and store of {@link MemoryAccess} and {@link MemoryAccess64}: the values, the byte
 * order, and the trap at each edge of a memory. Surefire runs this class twice, in the JVM that
 * exports {@code jdk.internal.misc} to the runtime (the Unsafe path, as compiled jars run) and in
 * one that does not (the FFM fallback); {@code wasm2jvm.test.memoryAccess} names the path each run
 * must be on, so neither run passes on the other's path.
 */
class MemoryAccessTest {
    private static final long SIZE = 65536;

    private Arena arena;
    /** The memory the helpers take, of SIZE bytes: {@link #m} is its segment. */
    private Memory memory;
    private MemorySegment m;

    @BeforeEach
    void allocate() {
        arena = Arena.ofConfined();
        memory = new Memory(1, 1, false);
        m = memory.segment();
        for (long i = 0; i < SIZE; i++) m.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 1));
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void runsOnThePathItsJvmWasStartedFor() {
        String expected = System.getProperty("wasm2jvm.test.memoryAccess");
        assertEquals(expected, MemoryAccess.UNSAFE != null ? "unsafe" : "ffm",
                "set wasm2jvm.test.memoryAccess to the path this JVM's exports give");
    }

    @Test
    void loadsReadLittleEndianAtTheLastAddressesInBounds() {
        writeBytes(SIZE - 8, 0x01, 0x82, 0x03, 0x84, 0x05, 0x86, 0x07, 0x88);
        int a = (int) (SIZE - 8);
        assertEquals(0x84038201, MemoryAccess.i32Load(a, 0, memory));
        assertEquals(0x8807860584038201L, MemoryAccess.i64Load(a - 4, 4, memory));
        assertEquals(Float.intBitsToFloat(0x88078605), MemoryAccess.f32Load(a, 4, memory));
        assertEquals(Double.longBitsToDouble(0x8807860584038201L), MemoryAccess.f64Load(0, a, memory));
        assertEquals((byte) 0x88, MemoryAccess.i32Load8S(a + 7, 0, memory));
        assertEquals(0x88, MemoryAccess.i32Load8U(a, 7, memory));
        assertEquals((short) 0x8807, MemoryAccess.i32Load16S(a + 6, 0, memory));
        assertEquals(0x8807, MemoryAccess.i32Load16U(a + 6, 0, memory));
        assertEquals(-0x78L, MemoryAccess.i64Load8S(a + 7, 0, memory));
        assertEquals(0x88L, MemoryAccess.i64Load8U(a + 7, 0, memory));
        assertEquals((long) (short) 0x8807, MemoryAccess.i64Load16S(a + 6, 0, memory));
        assertEquals(0x8807L, MemoryAccess.i64Load16U(a + 6, 0, memory));
        assertEquals((long) 0x88078605, MemoryAccess.i64Load32S(a + 4, 0, memory));
        assertEquals(0x88078605L, MemoryAccess.i64Load32U(a + 4, 0, memory));

        long b = SIZE - 8;
        assertEquals(0x84038201, MemoryAccess64.i32Load(b, 0, memory));
        assertEquals(0x8807860584038201L, MemoryAccess64.i64Load(b - 4, 4, memory));
        assertEquals(Float.intBitsToFloat(0x88078605), MemoryAccess64.f32Load(b, 4, memory));
        assertEquals(Double.longBitsToDouble(0x8807860584038201L), MemoryAccess64.f64Load(0, b, memory));
        assertEquals((byte) 0x88, MemoryAccess64.i32Load8S(b + 7, 0, memory));
        assertEquals(0x88, MemoryAccess64.i32Load8U(b, 7, memory));
        assertEquals((short) 0x8807, MemoryAccess64.i32Load16S(b + 6, 0, memory));
        assertEquals(0x8807, MemoryAccess64.i32Load16U(b + 6, 0, memory));
        assertEquals(-0x78L, MemoryAccess64.i64Load8S(b + 7, 0, memory));
        assertEquals(0x88L, MemoryAccess64.i64Load8U(b + 7, 0, memory));
        assertEquals((long) (short) 0x8807, MemoryAccess64.i64Load16S(b + 6, 0, memory));
        assertEquals(0x8807L, MemoryAccess64.i64Load16U(b + 6, 0, memory));
        assertEquals((long) 0x88078605, MemoryAccess64.i64Load32S(b + 4, 0, memory));
        assertEquals(0x88078605L, MemoryAccess64.i64Load32U(b + 4, 0, memory));
        assertEquals(0x8807860584038201L, MemoryAccess64.v128LoadHigh(b - 8, 0, memory));
        assertEquals(0x8807860584038201L, MemoryAccess64.v128LoadLow(b, 0, memory));

        long below = m.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), SIZE - 16);
        assertEquals(0x8807860584038201L, MemoryAccess.v128LoadHigh(a - 8, 0, memory));
        assertEquals(below, MemoryAccess.v128LoadLow(a - 16, 8, memory));
    }

    @Test
    void storesWriteLittleEndianAtTheLastAddressesInBounds() {
        int a = (int) (SIZE - 8);
        long b = SIZE - 8;
        MemoryAccess.i32Store(a + 4, 0x84038201, 0, memory);
        assertBytes(SIZE - 4, 0x01, 0x82, 0x03, 0x84);
        MemoryAccess64.i32Store(b, 0x7F6E5D4C, 4, memory);
        assertBytes(SIZE - 4, 0x4C, 0x5D, 0x6E, 0x7F);
        MemoryAccess.i64Store(a, 0x8807860584038201L, 0, memory);
        assertBytes(SIZE - 8, 0x01, 0x82, 0x03, 0x84, 0x05, 0x86, 0x07, 0x88);
        MemoryAccess64.i64Store(0, 0x0102030405060708L, b, memory);
        assertBytes(SIZE - 8, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
        MemoryAccess.f32Store(a, Float.intBitsToFloat(0x7FA0_0001), 4, memory);
        assertBytes(SIZE - 4, 0x01, 0x00, 0xA0, 0x7F);
        MemoryAccess64.f32Store(b + 4, Float.intBitsToFloat(0xFFC0_0002), 0, memory);
        assertBytes(SIZE - 4, 0x02, 0x00, 0xC0, 0xFF);
        MemoryAccess.f64Store(a, Double.longBitsToDouble(0x7FF4_0000_0000_0003L), 0, memory);
        assertBytes(SIZE - 8, 0x03, 0, 0, 0, 0, 0, 0xF4, 0x7F);
        MemoryAccess64.f64Store(b, Double.longBitsToDouble(0xFFF8_0000_0000_0004L), 0, memory);
        assertBytes(SIZE - 8, 0x04, 0, 0, 0, 0, 0, 0xF8, 0xFF);
        MemoryAccess.i32Store8(a + 7, 0x1234_56AB, 0, memory);
        MemoryAccess64.i64Store8(b + 6, 0x1234_56CDL, 0, memory);
        assertBytes(SIZE - 2, 0xCD, 0xAB);
        MemoryAccess.i32Store16(a + 6, 0x1234_5678, 0, memory);
        assertBytes(SIZE - 2, 0x78, 0x56);
        MemoryAccess64.i32Store16(b, 0x1234_9ABC, 6, memory);
        assertBytes(SIZE - 2, 0xBC, 0x9A);
        MemoryAccess.i64Store8(a, 0xFFL, 7, memory);
        MemoryAccess64.i32Store8(b + 6, 0xEE, 0, memory);
        assertBytes(SIZE - 2, 0xEE, 0xFF);
        MemoryAccess.i64Store16(a + 6, 0x1122L, 0, memory);
        assertBytes(SIZE - 2, 0x22, 0x11);
        MemoryAccess64.i64Store16(b + 6, 0x3344L, 0, memory);
        assertBytes(SIZE - 2, 0x44, 0x33);
        MemoryAccess.i64Store32(a + 4, 0x1_5566_7788L, 0, memory);
        assertBytes(SIZE - 4, 0x88, 0x77, 0x66, 0x55);
        MemoryAccess64.i64Store32(b + 4, 0x1_99AA_BBCCL, 0, memory);
        assertBytes(SIZE - 4, 0xCC, 0xBB, 0xAA, 0x99);
        MemoryAccess64.v128StoreHigh(b - 8, 0x0807060504030201L, 0, memory);
        MemoryAccess64.v128StoreLow(b - 8, 0x100F0E0D0C0B0A09L, 0, memory);
        assertBytes(SIZE - 16, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 1, 2, 3, 4, 5, 6, 7, 8);
        MemoryAccess.v128StoreHigh(a - 8, 0x1817161514131211L, 0, memory);
        MemoryAccess.v128StoreLow(a - 16, 0x201F1E1D1C1B1A19L, 8, memory);
        assertBytes(SIZE - 16, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18);
    }

    /**
     * The half of a 32-bit memory's {@code v128.load} and {@code store} that generated code calls
     * first, the load's low half and the store's high half, checks that the whole vector fits and
     * traps naming the whole access; the other half, called next with the same operands, is not
     * checked again.
     */
    @Test
    void theFirstHalfOfAVectorAccessTrapsWhereTheVectorDoesNotFit() {
        for (String half : List.of("v128LoadLow", "v128StoreHigh")) {
            Access32 access = half.equals("v128LoadLow")
                    ? (a, o) -> MemoryAccess.v128LoadLow(a, o, memory)
                    : (a, o) -> MemoryAccess.v128StoreHigh(a, 1, o, memory);
            trap("16 bytes at " + (SIZE - 15) + ", memory size 65536", () -> access.run((int) SIZE - 15, 0));
            trap("16 bytes at 1 + " + (SIZE - 16) + ", memory size 65536", () -> access.run(1, (int) SIZE - 16));
            trap("16 bytes at 4294967288, memory size 65536", () -> access.run(-8, 0));
            trap("16 bytes at 4294967295 + 4294967295, memory size 65536", () -> access.run(-1, -1));
            access.run((int) SIZE - 16, 0);
            access.run(0, (int) SIZE - 16);
        }
    }

    /** One past the last address in bounds, a huge offset, and the largest sum of a 32-bit memarg. */
    @Test
    void everyHelperTrapsAtEachEdgeNamingWhereTheAccessFell() {
        for (Helper helper : helpers()) {
            int width = helper.bytes;
            int first = (int) (SIZE - width + 1);
            trap(helper.bytes + " bytes at " + first + ", memory size 65536", () -> helper.at32(first, 0));
            trap(helper.bytes + " bytes at 1 + " + (first - 1) + ", memory size 65536", () -> helper.at32(1, first - 1));
            trap(helper.bytes + " bytes at 0 + 4294967295, memory size 65536", () -> helper.at32(0, -1));
            trap(helper.bytes + " bytes at 4294967295 + 4294967295, memory size 65536", () -> helper.at32(-1, -1));
            trap(helper.bytes + " bytes at " + first + ", memory size 65536", () -> helper.at64(first, 0));
            trap(helper.bytes + " bytes at 18446744073709551615 + 1, memory size 65536", () -> helper.at64(-1, 1));
            trap(helper.bytes + " bytes at 9223372036854775807 + 9223372036854775807, memory size 65536",
                    () -> helper.at64(Long.MAX_VALUE, Long.MAX_VALUE));
            trap(helper.bytes + " bytes at 1 + 18446744073709551615, memory size 65536", () -> helper.at64(1, -1));
            helper.at32(first - 1, 0);
            helper.at64(0, first - 1);
        }
        for (String half : List.of("v128LoadLow", "v128LoadHigh", "v128StoreLow", "v128StoreHigh")) {
            boolean high = half.endsWith("High");
            Executable access = switch (half) {
                case "v128LoadLow" -> () -> MemoryAccess64.v128LoadLow(SIZE - 7, 0, memory);
                case "v128LoadHigh" -> () -> MemoryAccess64.v128LoadHigh(SIZE - 15, 0, memory);
                case "v128StoreLow" -> () -> MemoryAccess64.v128StoreLow(SIZE - 7, 1, 0, memory);
                default -> () -> MemoryAccess64.v128StoreHigh(SIZE - 15, 1, 0, memory);
            };
            trap("16 bytes at " + (high ? SIZE - 15 : SIZE - 7) + ", memory size 65536", access);
            trap("16 bytes at 18446744073709551615 + 1, memory size 65536",
                    high ? () -> MemoryAccess64.v128LoadHigh(-1, 1, memory) : () -> MemoryAccess64.v128LoadLow(-1, 1, memory));
            trap("16 bytes at 9223372036854775807, memory size 65536",
                    high ? () -> MemoryAccess64.v128StoreHigh(Long.MAX_VALUE, 0, 0, memory)
                            : () -> MemoryAccess64.v128StoreLow(Long.MAX_VALUE, 0, 0, memory));
        }
    }

    @Test
    void anEmptyMemoryTrapsEveryAccess() {
        Memory savedMemory = memory;
        memory = new Memory(0, 0, false);
        MemorySegment saved = m;
        m = memory.segment();
        try {
            for (Helper helper : helpers()) {
                trap(helper.bytes + " bytes at 0, memory size 0", () -> helper.at32(0, 0));
                trap(helper.bytes + " bytes at 0, memory size 0", () -> helper.at64(0, 0));
            }
            trap("16 bytes at 0, memory size 0", () -> MemoryAccess.v128LoadLow(0, 0, memory));
            trap("16 bytes at 0, memory size 0", () -> MemoryAccess.v128StoreHigh(0, 1, 0, memory));
        } finally {
            m = saved;
            memory = savedMemory;
        }
    }

    /** A load or store through a {@link MemoryAccess} helper. */
    private interface Access32 {
        void run(int address, int offset);
    }

    /** The same through its {@link MemoryAccess64} twin. */
    private interface Access64 {
        void run(long address, long offset);
    }

    /** A helper of {@code bytes} bytes, through both classes. */
    private record Helper(int bytes, Access32 a32, Access64 a64) {
        void at32(int address, int offset) {
            a32.run(address, offset);
        }

        void at64(long address, long offset) {
            a64.run(address, offset);
        }
    }

    private List<Helper> helpers() {
        List<Helper> h = new ArrayList<>();
        h.add(new Helper(4, (a, o) -> MemoryAccess.i32Load(a, o, memory), (a, o) -> MemoryAccess64.i32Load(a, o, memory)));
        h.add(new Helper(8, (a, o) -> MemoryAccess.i64Load(a, o, memory), (a, o) -> MemoryAccess64.i64Load(a, o, memory)));
        h.add(new Helper(4, (a, o) -> MemoryAccess.f32Load(a, o, memory), (a, o) -> MemoryAccess64.f32Load(a, o, memory)));
        h.add(new Helper(8, (a, o) -> MemoryAccess.f64Load(a, o, memory), (a, o) -> MemoryAccess64.f64Load(a, o, memory)));
        h.add(new Helper(1, (a, o) -> MemoryAccess.i32Load8S(a, o, memory), (a, o) -> MemoryAccess64.i32Load8S(a, o, memory)));
        h.add(new Helper(1, (a, o) -> MemoryAccess.i32Load8U(a, o, memory), (a, o) -> MemoryAccess64.i32Load8U(a, o, memory)));
        h.add(new Helper(2, (a, o) -> MemoryAccess.i32Load16S(a, o, memory), (a, o) -> MemoryAccess64.i32Load16S(a, o, memory)));
        h.add(new Helper(2, (a, o) -> MemoryAccess.i32Load16U(a, o, memory), (a, o) -> MemoryAccess64.i32Load16U(a, o, memory)));
        h.add(new Helper(1, (a, o) -> MemoryAccess.i64Load8S(a, o, memory), (a, o) -> MemoryAccess64.i64Load8S(a, o, memory)));
        h.add(new Helper(1, (a, o) -> MemoryAccess.i64Load8U(a, o, memory), (a, o) -> MemoryAccess64.i64Load8U(a, o, memory)));
        h.add(new Helper(2, (a, o) -> MemoryAccess.i64Load16S(a, o, memory), (a, o) -> MemoryAccess64.i64Load16S(a, o, memory)));
        h.add(new Helper(2, (a, o) -> MemoryAccess.i64Load16U(a, o, memory), (a, o) -> MemoryAccess64.i64Load16U(a, o, memory)));
        h.add(new Helper(4, (a, o) -> MemoryAccess.i64Load32S(a, o, memory), (a, o) -> MemoryAccess64.i64Load32S(a, o, memory)));
        h.add(new Helper(4, (a, o) -> MemoryAccess.i64Load32U(a, o, memory), (a, o) -> MemoryAccess64.i64Load32U(a, o, memory)));
        h.add(new Helper(4, (a, o) -> MemoryAccess.i32Store(a, 1, o, memory), (a, o) -> MemoryAccess64.i32Store(a, 1, o, memory)));
        h.add(new Helper(8, (a, o) -> MemoryAccess.i64Store(a, 1, o, memory), (a, o) -> MemoryAccess64.i64Store(a, 1, o, memory)));
        h.add(new Helper(4, (a, o) -> MemoryAccess.f32Store(a, 1, o, memory), (a, o) -> MemoryAccess64.f32Store(a, 1, o, memory)));
        h.add(new Helper(8, (a, o) -> MemoryAccess.f64Store(a, 1, o, memory), (a, o) -> MemoryAccess64.f64Store(a, 1, o, memory)));
        h.add(new Helper(1, (a, o) -> MemoryAccess.i32Store8(a, 1, o, memory), (a, o) -> MemoryAccess64.i32Store8(a, 1, o, memory)));
        h.add(new Helper(2, (a, o) -> MemoryAccess.i32Store16(a, 1, o, memory), (a, o) -> MemoryAccess64.i32Store16(a, 1, o, memory)));
        h.add(new Helper(1, (a, o) -> MemoryAccess.i64Store8(a, 1, o, memory), (a, o) -> MemoryAccess64.i64Store8(a, 1, o, memory)));
        h.add(new Helper(2, (a, o) -> MemoryAccess.i64Store16(a, 1, o, memory), (a, o) -> MemoryAccess64.i64Store16(a, 1, o, memory)));
        h.add(new Helper(4, (a, o) -> MemoryAccess.i64Store32(a, 1, o, memory), (a, o) -> MemoryAccess64.i64Store32(a, 1, o, memory)));
        return h;
    }

    private static void trap(String where, Executable access) {
        WasmTrap trap = assertThrows(WasmTrap.class, access, where);
        assertEquals("out of bounds memory access: " + where, trap.getMessage());
    }

    private void writeBytes(long at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) m.set(ValueLayout.JAVA_BYTE, at + i, (byte) bytes[i]);
    }

    private void assertBytes(long at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            assertEquals((byte) bytes[i], m.get(ValueLayout.JAVA_BYTE, at + i), "byte at " + (at + i));
        }
    }
}
