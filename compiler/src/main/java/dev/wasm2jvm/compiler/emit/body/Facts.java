package dev.wasm2jvm.compiler.emit.body;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The facts {@link ProvenAccesses} holds at a point of a body: for a memory and a local, by
 * {@link AccessTrace#key}, the largest extent proven for the local's current value. At most
 * {@link ProvenAccesses#MAX_FACTS} of them, in two arrays searched in turn, which a join meets in
 * place and a branch copies whole: on the SQLite shell the analysis alone took 19.3 to 28.3 ms of
 * CPU against 22.2 to 39.9 with a {@code HashMap} of boxed keys and extents (best of 60 warm passes
 * over every body, three runs each, interleaved, load 8). An earlier trial of such arrays was
 * slower (46 to 53 ms against 36 to 38) because a {@code br_table} met them once per label, each
 * meet quadratic in the facts; {@link ProvenAccesses} now meets a frame once per table.
 */
final class Facts {
    /**
     * The arrays of no facts, shared until the first is added: every {@code if} copies the facts at its
     * condition, most often none.
     */
    private static final long[] NONE = {};

    private long[] keys = NONE;
    private long[] extents = NONE;
    private int size;

    Facts copy() {
        Facts copy = new Facts();
        if (size == 0) return copy;
        copy.keys = Arrays.copyOf(keys, Math.max(size, 4));
        copy.extents = Arrays.copyOf(extents, copy.keys.length);
        copy.size = size;
        return copy;
    }

    int size() {
        return size;
    }

    /** Where the fact of {@code key} is, or -1 if there is none. */
    int indexOf(long key) {
        for (int i = 0; i < size; i++) if (keys[i] == key) return i;
        return -1;
    }

    long extentAt(int index) {
        return extents[index];
    }

    /** Sets the extent of the fact at {@code index}. */
    void setExtentAt(int index, long extent) {
        extents[index] = extent;
    }

    /** Adds the fact of {@code key}, which has none: the caller has just searched for it. */
    void add(long key, long extent) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, Math.max(4, 2 * size));
            extents = Arrays.copyOf(extents, keys.length);
        }
        keys[size] = key;
        extents[size] = extent;
        size++;
    }

    /** Drops the facts of local {@code localidx}, in every memory. */
    void removeLocal(int localidx) {
        for (int i = size - 1; i >= 0; i--) if ((int) keys[i] == localidx) remove(i);
    }

    /** Drops the facts of the locals in {@code locals}. */
    void removeLocals(BitSet locals) {
        for (int i = size - 1; i >= 0; i--) if (locals.get((int) keys[i])) remove(i);
    }

    /** Keeps the facts {@code edge} holds too, each at the smaller extent. */
    void meet(Facts edge) {
        for (int i = size - 1; i >= 0; i--) {
            int other = edge.indexOf(keys[i]);
            if (other < 0) remove(i);
            else if (edge.extents[other] < extents[i]) extents[i] = edge.extents[other];
        }
    }

    private void remove(int i) {
        size--;
        keys[i] = keys[size];
        extents[i] = extents[size];
    }
}
