package dev.wasm2jvm.compiler.emit.split;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * An unmodifiable navigable map from positions, held sorted in an array, to values made on first
 * access: the states a function's unsplit trial recorded before its instructions, which the
 * planner of a split function reads as a map ({@link SplitPlan#plan}, {@link Outlining}). A search
 * of the array answers every lookup and a sub-map is a range of it: building a {@link TreeMap} of
 * every state, each made a point, was 3.0% of the SQLite shell's compiling thread, this map and the
 * points the plans ask for are 0.6% (async-profiler, cpu, 30 rounds with {@code --library}).
 *
 * <p>The descending views and the key sets are a tree map's, copied: nothing in the planner asks
 * for them. Sub-maps do not check that their bounds lie within the range of the map they are taken
 * from; they are clipped to it.
 */
final class PositionMap<V> extends AbstractMap<Integer, V> implements NavigableMap<Integer, V> {
    private final int[] positions;
    private final V[] values;
    private final IntFunction<V> make;
    /** The range of {@link #positions} this map holds: {@code [from, to)}. */
    private final int from;
    private final int to;

    /**
     * A map of the first {@code count} of {@code positions}, ascending and distinct, to the value
     * {@code make} gives for each one's index, made when it is first asked for.
     */
    @SuppressWarnings("unchecked")
    PositionMap(int[] positions, int count, IntFunction<V> make) {
        this(positions, (V[]) new Object[count], make, 0, count);
    }

    private PositionMap(int[] positions, V[] values, IntFunction<V> make, int from, int to) {
        this.positions = positions;
        this.values = values;
        this.make = make;
        this.from = from;
        this.to = to;
    }

    /** The value at index {@code i} of the arrays, made once. */
    private V value(int i) {
        V v = values[i];
        if (v == null) values[i] = v = make.apply(i);
        return v;
    }

    private Map.Entry<Integer, V> entry(int i) {
        return i < from || i >= to ? null : new SimpleImmutableEntry<>(positions[i], value(i));
    }

    private Integer key(int i) {
        return i < from || i >= to ? null : positions[i];
    }

    /** The index of {@code position} in this map's range, else {@code -(insertion point) - 1}. */
    private int search(int position) {
        return Arrays.binarySearch(positions, from, to, position);
    }

    /** The index of the first position at or after {@code position} ({@code higher}: after it). */
    private int ceilingIndex(int position, boolean higher) {
        int i = search(position);
        return i >= 0 ? (higher ? i + 1 : i) : -i - 1;
    }

    /** The index of the last position at or before {@code position} ({@code lower}: before it). */
    private int floorIndex(int position, boolean lower) {
        return ceilingIndex(position, !lower) - 1;
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Integer p && search(p) >= 0;
    }

    @Override
    public V get(Object key) {
        if (!(key instanceof Integer p)) return null;
        int i = search(p);
        return i >= 0 ? value(i) : null;
    }

    @Override
    public Comparator<? super Integer> comparator() {
        return null;
    }

    @Override
    public Integer firstKey() {
        if (from == to) throw new NoSuchElementException();
        return positions[from];
    }

    @Override
    public Integer lastKey() {
        if (from == to) throw new NoSuchElementException();
        return positions[to - 1];
    }

    @Override
    public Map.Entry<Integer, V> firstEntry() {
        return entry(from);
    }

    @Override
    public Map.Entry<Integer, V> lastEntry() {
        return entry(to - 1);
    }

    @Override
    public Map.Entry<Integer, V> lowerEntry(Integer key) {
        return entry(floorIndex(key, true));
    }

    @Override
    public Integer lowerKey(Integer key) {
        return key(floorIndex(key, true));
    }

    @Override
    public Map.Entry<Integer, V> floorEntry(Integer key) {
        return entry(floorIndex(key, false));
    }

    @Override
    public Integer floorKey(Integer key) {
        return key(floorIndex(key, false));
    }

    @Override
    public Map.Entry<Integer, V> ceilingEntry(Integer key) {
        return entry(ceilingIndex(key, false));
    }

    @Override
    public Integer ceilingKey(Integer key) {
        return key(ceilingIndex(key, false));
    }

    @Override
    public Map.Entry<Integer, V> higherEntry(Integer key) {
        return entry(ceilingIndex(key, true));
    }

    @Override
    public Integer higherKey(Integer key) {
        return key(ceilingIndex(key, true));
    }

    @Override
    public Map.Entry<Integer, V> pollFirstEntry() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map.Entry<Integer, V> pollLastEntry() {
        throw new UnsupportedOperationException();
    }

    @Override
    public NavigableMap<Integer, V> subMap(Integer fromKey, boolean fromInclusive, Integer toKey, boolean toInclusive) {
        if (fromKey > toKey) throw new IllegalArgumentException("fromKey > toKey");
        return range(ceilingIndex(fromKey, !fromInclusive), ceilingIndex(toKey, toInclusive));
    }

    @Override
    public NavigableMap<Integer, V> headMap(Integer toKey, boolean inclusive) {
        return range(from, ceilingIndex(toKey, inclusive));
    }

    @Override
    public NavigableMap<Integer, V> tailMap(Integer fromKey, boolean inclusive) {
        return range(ceilingIndex(fromKey, !inclusive), to);
    }

    @Override
    public SortedMap<Integer, V> subMap(Integer fromKey, Integer toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public SortedMap<Integer, V> headMap(Integer toKey) {
        return headMap(toKey, false);
    }

    @Override
    public SortedMap<Integer, V> tailMap(Integer fromKey) {
        return tailMap(fromKey, true);
    }

    /** The map of indices {@code [start, end)}, which share this one's values. */
    private NavigableMap<Integer, V> range(int start, int end) {
        return new PositionMap<>(positions, values, make, start, Math.max(start, end));
    }

    @Override
    public NavigableMap<Integer, V> descendingMap() {
        return new TreeMap<>(this).descendingMap();
    }

    @Override
    public NavigableSet<Integer> navigableKeySet() {
        return new TreeMap<>(this).navigableKeySet();
    }

    @Override
    public NavigableSet<Integer> descendingKeySet() {
        return new TreeMap<>(this).descendingKeySet();
    }

    @Override
    public Set<Map.Entry<Integer, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<Integer, V>> iterator() {
                return new Iterator<>() {
                    private int next = from;

                    @Override
                    public boolean hasNext() {
                        return next < to;
                    }

                    @Override
                    public Map.Entry<Integer, V> next() {
                        if (next >= to) throw new NoSuchElementException();
                        return entry(next++);
                    }
                };
            }

            @Override
            public int size() {
                return to - from;
            }
        };
    }
}
