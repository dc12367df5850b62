package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@link CompactAccess} helper does what its {@link MemoryAccess} twin does, and every
 * {@link CompactUncheckedAccess} helper what its {@link UncheckedAccess} twin does in bounds: the
 * same value, the same bytes written, the same trap with the same text, at each edge of a memory
 * and with offsets up to the largest u32. Surefire runs it on both paths, as {@link MemoryAccessTest}.
 */
class CompactAccessTest {
    private static final int SIZE = 65536;
    private static final List<Integer> ADDRESSES = List.of(0, 1, SIZE - 17, SIZE - 16, SIZE - 9, SIZE - 8, SIZE - 7,
            SIZE - 4, SIZE - 3, SIZE - 2, SIZE - 1, SIZE, SIZE + 1, -16, -8, -1);
    private static final List<Long> OFFSETS = List.of(0L, 1L, 7L, 8L, SIZE - 8L, 0xFFFF_FFF8L, 0xFFFF_FFFFL);

    @Test
    void everyCheckedHelperLoadsStoresAndTrapsAsItsMemoryAccessTwin() throws ReflectiveOperationException {
        int compared = compareAll(CompactAccess.class, MemoryAccess.class, false);
        assertEquals(23 * ADDRESSES.size() * OFFSETS.size(), compared);
    }

    @Test
    void everyUncheckedHelperLoadsAndStoresAsItsUncheckedTwinInBounds() throws ReflectiveOperationException {
        int compared = compareAll(CompactUncheckedAccess.class, UncheckedAccess.class, true);
        assertTrue(compared > 23 * 10, compared + " accesses compared");
    }

    @Test
    void aCheckedAccessPastTheEndTrapsWithTheSpecsTextAndWhereItFell() {
        Memory memory = memory();
        WasmTrap trap = assertThrows(WasmTrap.class,
                () -> CompactAccess.i64Load(SIZE - 15, 8, memory));
        assertEquals("out of bounds memory access: 8 bytes at 65521 + 8, memory size 65536", trap.getMessage());
        trap = assertThrows(WasmTrap.class,
                () -> CompactAccess.i32Store16(-1, 7, 0, memory));
        assertEquals("out of bounds memory access: 2 bytes at 4294967295, memory size 65536", trap.getMessage());
    }

    /** {@code i128Store} writes and traps as the high half's store then the low half's. */
    @Test
    void theI128StoreIsTheHighHalfsStoreThenTheLowHalfs() {
        for (int address : ADDRESSES) {
            Memory expected = memory();
            Memory actual = memory();
            Object want = outcome(() -> {
                MemoryAccess.i64Store(address, 0x0102_0304_0506_0708L, 8, expected);
                MemoryAccess.i64Store(address, 0x1112_1314_1516_1718L, 0, expected);
            });
            Object got = outcome(() -> CompactAccess.i128Store(address, 0x0102_0304_0506_0708L, 0x1112_1314_1516_1718L, actual));
            String where = "at " + Integer.toUnsignedString(address);
            assertEquals(want, got, where);
            assertArrayEquals(bytes(expected), bytes(actual), where);
        }
    }

    private static Object outcome(Runnable access) {
        try {
            access.run();
            return "stored";
        } catch (WasmTrap trap) {
            return "trap: " + trap.getMessage();
        }
    }

    /**
     * Runs every public helper of {@code compact} and its twin in {@code twin} on two memories of the
     * same contents, and compares what they return or throw and the memories after; with
     * {@code inBoundsOnly}, only accesses that lie in the memory. Returns how many were compared.
     */
    private static int compareAll(Class<?> compact, Class<?> twin, boolean inBoundsOnly) throws ReflectiveOperationException {
        int compared = 0;
        for (Method helper : compact.getDeclaredMethods()) {
            if (!Modifier.isPublic(helper.getModifiers()) || helper.getName().equals("i128Store")) continue;
            Class<?>[] types = helper.getParameterTypes();
            boolean store = types.length == 4;
            Class<?>[] twinTypes = store
                    ? new Class<?>[] {int.class, types[1], int.class, Memory.class}
                    : new Class<?>[] {int.class, int.class, Memory.class};
            Method reference = twin.getMethod(helper.getName(), twinTypes);
            int width = width(helper.getName());
            for (int address : ADDRESSES) {
                for (long offset : OFFSETS) {
                    if (inBoundsOnly && Integer.toUnsignedLong(address) + offset + width > SIZE) continue;
                    Memory expected = memory();
                    Memory actual = memory();
                    Object value = store ? value(types[1]) : null;
                    Object want = outcome(reference, store
                            ? new Object[] {address, value, (int) offset, expected}
                            : new Object[] {address, (int) offset, expected});
                    Object got = outcome(helper, store
                            ? new Object[] {address, value, offset, actual}
                            : new Object[] {address, offset, actual});
                    String where = helper.getName() + " at " + Integer.toUnsignedString(address) + " + " + offset;
                    assertEquals(want, got, where);
                    assertArrayEquals(bytes(expected), bytes(actual), where);
                    compared++;
                }
            }
        }
        return compared;
    }

    /** The value a helper returns, or the text of the trap it throws. */
    private static Object outcome(Method helper, Object[] arguments) throws IllegalAccessException {
        try {
            return helper.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof WasmTrap trap) return "trap: " + trap.getMessage();
            throw new AssertionError(helper + " threw", e.getCause());
        }
    }

    private static int width(String name) {
        if (name.endsWith("8") || name.endsWith("8S") || name.endsWith("8U")) return 1;
        if (name.endsWith("16") || name.endsWith("16S") || name.endsWith("16U")) return 2;
        if (name.endsWith("32") || name.endsWith("32S") || name.endsWith("32U") || name.startsWith("i32")
                || name.startsWith("f32")) return 4;
        return 8;
    }

    /** A value of {@code type} whose every byte differs from the memory's. */
    private static Object value(Class<?> type) {
        if (type == int.class) return 0x8192_A3B4;
        if (type == long.class) return 0x8192_A3B4_C5D6_E7F8L;
        if (type == float.class) return Float.intBitsToFloat(0x7FA0_0001);
        return Double.longBitsToDouble(0x7FF4_0000_0000_0003L);
    }

    private static Memory memory() {
        Memory memory = new Memory(1, 1, false);
        for (int i = 0; i < SIZE; i++) memory.segment().set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 1));
        return memory;
    }

    private static byte[] bytes(Memory memory) {
        return Arrays.copyOf(memory.segment().toArray(ValueLayout.JAVA_BYTE), SIZE);
    }
}
