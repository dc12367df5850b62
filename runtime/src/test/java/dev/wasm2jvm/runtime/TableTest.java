package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TableTest {
    private static final FuncRef F = new FuncRef(":", MethodHandles.empty(FuncRef.methodType(":")));
    private static final FuncRef G = new FuncRef(":i", MethodHandles.constant(int.class, 1));

    private static void assertTrap(String message, Executable action) {
        assertEquals(message, assertThrows(WasmTrap.class, action).getMessage());
    }

    private static void assertOutOfBounds(Executable action) {
        assertTrap("out of bounds table access", action);
    }

    @Test
    void startsWithTheInitialElement() {
        Table t = new Table('r', 3, 10, F);
        assertEquals('r', t.elemType);
        assertEquals(3, t.size());
        assertEquals(3, Table.size(t));
        assertEquals(10, t.max());
        assertSame(F, t.get(2));
        assertSame(F, Table.get(0, t));
    }

    @Test
    void getAndSetCheckBounds() {
        Table t = new Table('e', 2, -1, null);
        Object o = new Object();
        Table.set(1, o, t);
        assertSame(o, Table.get(1, t));
        t.set(0, "host");
        assertEquals("host", t.get(0));
        assertOutOfBounds(() -> Table.get(2, t));
        assertOutOfBounds(() -> Table.set(2, o, t));
        assertOutOfBounds(() -> Table.get(-1, t));
        assertOutOfBounds(() -> t.set(-1, o));
    }

    @Test
    void funcrefTablesRejectOtherObjectsFromTheHost() {
        Table t = new Table('r', 1, -1, null);
        assertThrows(IllegalArgumentException.class, () -> t.set(0, "not a function"));
        assertThrows(IllegalArgumentException.class, () -> t.grow(1, "not a function"));
        assertThrows(IllegalArgumentException.class, () -> new Table('r', 1, 1, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Table('i', 1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new Table('e', 2, 1, null));
    }

    @Test
    void growsUpToTheMaximum() {
        Table t = new Table('r', 1, 4, null);
        assertEquals(1, Table.grow(G, 2, t));
        assertEquals(3, t.size());
        assertNull(t.get(0));
        assertSame(G, t.get(1));
        assertSame(G, t.get(2));
        assertEquals(-1, Table.grow(G, 2, t));
        assertEquals(3, Table.grow(F, 1, t));
        assertSame(F, t.get(3));
        assertEquals(4, t.grow(0, null));
        assertEquals(-1, t.grow(1, null));
        assertEquals(4, t.size());
    }

    @Test
    void growWithoutMaximumRespectsTheIndexSpaceAndTheHeap() {
        Table t = new Table('e', 0, -1, null);
        assertEquals(-1, t.grow(-1, null));
        assertEquals(0, t.size());
        for (int i = 0; i < 1000; i++) assertEquals(i, t.grow(1, i));
        assertEquals(999, t.get(999));
        assertEquals(-1, new Table('e', 5, -1, null).grow(Integer.MAX_VALUE, null));
        Table wide = new Table('e', 1, 0xFFFF_FFFFL, null);
        assertEquals(1, wide.grow(2, "w"));
        assertEquals("w", wide.get(2));
        assertEquals(-1, wide.grow(-2, null));
    }

    @Test
    void fillChecksBoundsBeforeWriting() {
        Table t = new Table('e', 4, -1, null);
        Table.fill(1, "x", 3, t);
        assertNull(t.get(0));
        assertEquals("x", t.get(3));
        Table.fill(4, "y", 0, t);
        assertOutOfBounds(() -> Table.fill(2, "y", 3, t));
        assertOutOfBounds(() -> Table.fill(5, "y", 0, t));
        assertOutOfBounds(() -> Table.fill(1, "y", -1, t));
        assertEquals("x", t.get(3));
    }

    @Test
    void copyWithinATableHandlesOverlap() {
        Table t = new Table('e', 6, -1, null);
        for (int i = 0; i < 4; i++) t.set(i, i);
        Table.copy(1, 0, 4, t, t);
        assertEquals(0, t.get(0));
        assertEquals(0, t.get(1));
        assertEquals(3, t.get(4));
        Table.copy(0, 2, 4, t, t);
        assertEquals(1, t.get(0));
        assertEquals(3, t.get(2));
        assertNull(t.get(3));
        assertEquals(3, t.get(4));
    }

    @Test
    void copyBetweenTablesChecksBothRanges() {
        Table src = new Table('e', 2, -1, "s");
        Table dst = new Table('e', 3, -1, null);
        Table.copy(1, 0, 2, dst, src);
        assertEquals("s", dst.get(2));
        assertNull(dst.get(0));
        Table fresh = new Table('e', 3, -1, null);
        assertOutOfBounds(() -> Table.copy(0, 1, 2, fresh, src));
        assertOutOfBounds(() -> Table.copy(2, 0, 2, fresh, src));
        assertOutOfBounds(() -> Table.copy(4, 0, 0, fresh, src));
        assertNull(fresh.get(0));
        Table.copy(3, 2, 0, fresh, src);
    }

    @Test
    void initCopiesFromTheElementSegment() {
        Table t = new Table('r', 3, -1, null);
        FuncRef[] segment = {F, G};
        Table.init(1, 0, 2, t, segment);
        assertSame(F, t.get(1));
        assertSame(G, t.get(2));
        assertOutOfBounds(() -> Table.init(0, 1, 2, t, segment));
        assertOutOfBounds(() -> Table.init(2, 0, 2, t, segment));
        assertOutOfBounds(() -> Table.init(0, 0, 1, t, new Object[0]));
        Table.init(3, 2, 0, t, segment);
        assertNull(t.get(0));
    }

    @Test
    void funcForCallDistinguishesMissingFromNull() {
        Table t = new Table('r', 2, -1, null);
        t.set(1, G);
        assertSame(G, Table.funcForCall(1, t));
        assertTrap("uninitialized element 0", () -> Table.funcForCall(0, t));
        assertTrap("undefined element 2", () -> Table.funcForCall(2, t));
        assertTrap("undefined element -1", () -> Table.funcForCall(-1, t));
    }

    @Test
    void funcForCallFindsNothingInTheSpareCapacityOfAGrownTable() {
        Table t = new Table('r', 1, -1, G);
        assertEquals(1, t.grow(2, G));
        assertEquals(3, t.grow(1, null));
        assertSame(G, Table.funcForCall(2, t));
        assertTrap("uninitialized element 3", () -> Table.funcForCall(3, t));
        // The second growth doubles the array to 6: indices 4 and 5 lie in its spare capacity, 7 past it.
        assertTrap("undefined element 4", () -> Table.funcForCall(4, t));
        assertTrap("undefined element 7", () -> Table.funcForCall(7, t));
        Table.copy(0, 1, 3, t, t);
        Table.fill(0, null, 1, t);
        assertTrap("uninitialized element 0", () -> Table.funcForCall(0, t));
        assertTrap("undefined element 5", () -> Table.funcForCall(5, t));
    }

    @Test
    void aFuncrefTableTakesElementsFromAnObjectArraySegment() {
        Table t = new Table('r', 3, -1, null);
        Table.init(1, 0, 2, t, new Object[] {F, G});
        assertSame(F, Table.funcForCall(1, t));
        assertSame(G, Table.funcForCall(2, t));
    }

    @Test
    void aTable64HasLimitsBeyond32BitsAndNarrowsI64Indices() {
        Table t = new Table('r', 1, Long.MAX_VALUE, null, true);
        assertTrue(t.address64());
        assertEquals(Long.MAX_VALUE, t.max());
        assertThrows(IllegalArgumentException.class, () -> new Table('r', 1, 1L << 32, null));
        assertEquals(5, Table.index64(5));
        assertEquals(-1, Table.index64(-1L));
        assertEquals(-1, Table.index64(1L << 32));
        assertEquals(-1, Table.index64(0xFFFF_FFFFL));
        assertEquals(1, t.grow(2, null));
        assertEquals(-1, Table.grow(null, Table.index64(1L << 33), t));
    }
}
