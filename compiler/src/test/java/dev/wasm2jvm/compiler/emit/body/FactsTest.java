package dev.wasm2jvm.compiler.emit.body;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Facts}: the extents proven per memory and local, their meets and kills. */
class FactsTest {
    private static long extent(Facts facts, long key) {
        int index = facts.indexOf(key);
        return index < 0 ? -1 : facts.extentAt(index);
    }

    private static Facts of(long... keysAndExtents) {
        Facts facts = new Facts();
        for (int i = 0; i < keysAndExtents.length; i += 2) facts.add(keysAndExtents[i], keysAndExtents[i + 1]);
        return facts;
    }

    @Test
    void factsAddedGrowPastTheFirstCapacityAndAnExtentIsSetWhereItsKeyIs() {
        Facts facts = new Facts();
        for (int local = 0; local < 10; local++) facts.add(AccessTrace.key(0, local), local + 1);
        facts.setExtentAt(facts.indexOf(AccessTrace.key(0, 3)), 40);
        assertEquals(10, facts.size());
        assertEquals(40, extent(facts, AccessTrace.key(0, 3)));
        assertEquals(10, extent(facts, AccessTrace.key(0, 9)));
        assertEquals(-1, extent(facts, AccessTrace.key(1, 3)));
    }

    @Test
    void aMeetKeepsTheKeysOfBothAtTheSmallerExtentAndLeavesTheEdgeAsItIs() {
        Facts into = of(AccessTrace.key(0, 1), 8, AccessTrace.key(0, 2), 4, AccessTrace.key(1, 1), 2);
        Facts edge = of(AccessTrace.key(0, 1), 4, AccessTrace.key(1, 1), 16, AccessTrace.key(0, 5), 1);
        into.meet(edge);
        assertEquals(2, into.size());
        assertEquals(4, extent(into, AccessTrace.key(0, 1)));
        assertEquals(2, extent(into, AccessTrace.key(1, 1)));
        assertEquals(-1, extent(into, AccessTrace.key(0, 2)));
        assertEquals(3, edge.size());
        assertEquals(16, extent(edge, AccessTrace.key(1, 1)));
    }

    @Test
    void aWriteDropsTheLocalsFactsInEveryMemoryAndALoopThoseOfEveryLocalItWrites() {
        Facts facts = of(AccessTrace.key(0, 1), 8, AccessTrace.key(2, 1), 4, AccessTrace.key(0, 2), 4, AccessTrace.key(0, 3), 1);
        Facts copy = facts.copy();
        facts.removeLocal(1);
        assertEquals(2, facts.size());
        assertEquals(4, extent(facts, AccessTrace.key(0, 2)));
        BitSet written = new BitSet();
        written.set(3);
        facts.removeLocals(written);
        assertEquals(1, facts.size());
        assertEquals(-1, extent(facts, AccessTrace.key(0, 3)));
        assertEquals(4, copy.size());
        assertEquals(4, extent(copy, AccessTrace.key(2, 1)));
    }

    @Test
    void aCopyOfNoFactsTakesItsOwnWithoutTheOriginal() {
        Facts none = new Facts();
        Facts copy = none.copy();
        copy.add(AccessTrace.key(0, 1), 8);
        none.add(AccessTrace.key(0, 2), 4);
        assertEquals(1, copy.size());
        assertEquals(-1, extent(copy, AccessTrace.key(0, 2)));
        assertEquals(1, none.size());
        assertEquals(-1, extent(none, AccessTrace.key(0, 1)));
    }
}
