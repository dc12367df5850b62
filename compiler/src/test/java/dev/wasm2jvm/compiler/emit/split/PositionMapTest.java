package dev.wasm2jvm.compiler.emit.split;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The planner's map of recorded states answers every lookup as a tree map of the same entries does. */
class PositionMapTest {
    /** Positions with gaps, so that lookups fall on, between, before and after them. */
    private static final int[] POSITIONS = {2, 3, 7, 10, 11, 20, 31};

    private static PositionMap<String> map(List<Integer> made) {
        return new PositionMap<>(POSITIONS, POSITIONS.length, i -> {
            made.add(i);
            return "v" + POSITIONS[i];
        });
    }

    private static TreeMap<Integer, String> tree() {
        TreeMap<Integer, String> tree = new TreeMap<>();
        for (int p : POSITIONS) tree.put(p, "v" + p);
        return tree;
    }

    @Test
    void navigatesAsATreeMap() {
        assertSameNavigation(tree(), map(new ArrayList<>()));
    }

    @Test
    void subMapsNavigateAsATreeMapsSubMaps() {
        TreeMap<Integer, String> tree = tree();
        PositionMap<String> map = map(new ArrayList<>());
        for (int from = 0; from <= 33; from++) {
            for (int to = from; to <= 33; to++) {
                for (boolean fromInclusive : new boolean[] {false, true}) {
                    for (boolean toInclusive : new boolean[] {false, true}) {
                        assertSameNavigation(tree.subMap(from, fromInclusive, to, toInclusive),
                                map.subMap(from, fromInclusive, to, toInclusive));
                    }
                }
            }
            assertSameNavigation(tree.headMap(from, false), map.headMap(from, false));
            assertSameNavigation(tree.headMap(from, true), map.headMap(from, true));
            assertSameNavigation(tree.tailMap(from, false), map.tailMap(from, false));
            assertSameNavigation(tree.tailMap(from, true), map.tailMap(from, true));
            assertEquals(tree.headMap(from), map.headMap(from));
            assertEquals(tree.tailMap(from), map.tailMap(from));
        }
        assertThrows(IllegalArgumentException.class, () -> map.subMap(10, 3));
    }

    @Test
    void makesEachValueOnceWhenFirstAskedFor() {
        List<Integer> made = new ArrayList<>();
        PositionMap<String> map = map(made);
        assertEquals("v10", map.get(10));
        assertEquals(List.of(3), made);
        assertEquals(List.of("v7", "v10", "v11"), List.copyOf(map.subMap(4, 12).values()));
        assertEquals("v10", map.floorEntry(10).getValue());
        assertEquals(List.of(3, 2, 4), made);
    }

    @Test
    void emptyMapHasNoEnds() {
        PositionMap<String> empty = new PositionMap<>(new int[0], 0, i -> "never");
        assertEquals(Map.of(), empty);
        assertThrows(NoSuchElementException.class, empty::firstKey);
        assertThrows(NoSuchElementException.class, empty::lastKey);
        assertEquals(null, empty.firstEntry());
        assertEquals(null, empty.floorEntry(5));
    }

    /** Every lookup of {@code actual}, for keys around its own, against {@code expected}'s. */
    private static void assertSameNavigation(NavigableMap<Integer, String> expected, NavigableMap<Integer, String> actual) {
        assertEquals(expected, actual);
        assertEquals(expected.size(), actual.size());
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(actual.entrySet()));
        assertEquals(expected.firstEntry(), actual.firstEntry());
        assertEquals(expected.lastEntry(), actual.lastEntry());
        if (!expected.isEmpty()) {
            assertEquals(expected.firstKey(), actual.firstKey());
            assertEquals(expected.lastKey(), actual.lastKey());
        }
        assertEquals(List.copyOf(expected.descendingMap().entrySet()), List.copyOf(actual.descendingMap().entrySet()));
        assertEquals(List.copyOf(expected.navigableKeySet()), List.copyOf(actual.navigableKeySet()));
        for (int key = -1; key <= 33; key++) {
            assertEquals(expected.containsKey(key), actual.containsKey(key), "containsKey " + key);
            assertEquals(expected.get(key), actual.get(key), "get " + key);
            assertEquals(expected.floorEntry(key), actual.floorEntry(key), "floorEntry " + key);
            assertEquals(expected.floorKey(key), actual.floorKey(key), "floorKey " + key);
            assertEquals(expected.lowerEntry(key), actual.lowerEntry(key), "lowerEntry " + key);
            assertEquals(expected.lowerKey(key), actual.lowerKey(key), "lowerKey " + key);
            assertEquals(expected.ceilingEntry(key), actual.ceilingEntry(key), "ceilingEntry " + key);
            assertEquals(expected.ceilingKey(key), actual.ceilingKey(key), "ceilingKey " + key);
            assertEquals(expected.higherEntry(key), actual.higherEntry(key), "higherEntry " + key);
            assertEquals(expected.higherKey(key), actual.higherKey(key), "higherKey " + key);
        }
    }
}
