package dev.wasm2jvm.runtime;

import java.util.Arrays;

/**
 * A table of references: {@link FuncRef}s (or null) for a funcref table, any objects (or null) for
 * an externref table.
 *
 * <p>A 64-bit table (table64) has {@code i64} indices and sizes, and limits up to 2^64 - 1
 * elements; it holds no more than a 32-bit one can, so generated code narrows its indices with
 * {@link #index64} and calls the same helpers.
 *
 * <p>Instruction helpers take the table as their last argument, after the wasm operands in wasm
 * order; their i32 operands are unsigned. Out-of-bounds accesses trap with
 * {@code "out of bounds table access"} before anything is written.
 */
public final class Table {
    /** The most elements any table can have: the index space is 32-bit. */
    private static final long MAX_ELEMENTS = 0xFFFF_FFFFL;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    private static final String OUT_OF_BOUNDS = "out of bounds table access";

    /** The element type letter: {@code 'r'} for funcref, {@code 'e'} for externref, {@code 'x'} for exnref. */
    public final char elemType;

    private final long max;
    private final boolean address64;
    /**
     * The elements; only the first {@link #size} are part of the table, the rest is spare capacity,
     * which stays null: nothing writes past {@code size}, and the array grows by copies padded with
     * null. A funcref table's array is a {@code FuncRef[]}.
     */
    private Object[] elements;
    /**
     * A funcref table's {@link #elements} as the {@code FuncRef[]} it is, else null: what
     * {@link #funcForCall} reads, so that C2 needs no class check of the element it returns.
     */
    private FuncRef[] funcs;
    private int size;

    /**
     * Creates a table of {@code min} elements, each {@code init}.
     *
     * @param max the declared maximum, or -1 for none
     * @throws IllegalArgumentException if the type or limits are invalid, or {@code init} is not of
     *     the element type
     * @throws OutOfMemoryError if the JVM cannot hold {@code min} elements
     */
    public Table(char elemType, long min, long max, Object init) {
        this(elemType, min, max, init, false);
    }

    /**
     * Creates a table of {@code min} elements, each {@code init}, with 64-bit indices if
     * {@code address64} (table64), whose limits may go up to 2^63 - 1 here.
     *
     * @param max the declared maximum, or -1 for none
     * @throws IllegalArgumentException if the type or limits are invalid, or {@code init} is not of
     *     the element type
     * @throws OutOfMemoryError if the JVM cannot hold {@code min} elements
     */
    public Table(char elemType, long min, long max, Object init, boolean address64) {
        if (elemType != 'r' && elemType != 'e' && elemType != 'x') throw new IllegalArgumentException("not a reference type: " + elemType);
        long most = address64 ? Long.MAX_VALUE : MAX_ELEMENTS;
        if (min < 0 || min > most || max < -1 || max > most || (max >= 0 && min > max)) {
            throw new IllegalArgumentException("invalid table limits " + min + ".." + max);
        }
        if (min > MAX_CAPACITY) throw new OutOfMemoryError("cannot allocate a table of " + min + " elements");
        this.elemType = elemType;
        this.max = max;
        this.address64 = address64;
        checkType(init);
        this.elements = elemType == 'r' ? new FuncRef[(int) min] : new Object[(int) min];
        this.funcs = elemType == 'r' ? (FuncRef[]) elements : null;
        this.size = (int) min;
        Arrays.fill(elements, init);
    }

    /** The current number of elements. */
    public int size() {
        return size;
    }

    /** The declared maximum, or -1 if none was declared. */
    public long max() {
        return max;
    }

    /** Whether the table has 64-bit indices (table64). */
    public boolean address64() {
        return address64;
    }

    /** The element at {@code i} (unsigned); traps when out of bounds. */
    public Object get(int i) {
        return elements[checkIndex(i)];
    }

    /** Sets the element at {@code i} (unsigned); traps when out of bounds. */
    public void set(int i, Object value) {
        checkType(value);
        elements[checkIndex(i)] = value;
    }

    /**
     * Appends {@code delta} (unsigned) elements, each {@code init}.
     *
     * @return the previous size, or -1 if the table would exceed its maximum or the JVM cannot hold it
     */
    public int grow(int delta, Object init) {
        checkType(init);
        int old = size;
        long newSize = old + Integer.toUnsignedLong(delta);
        if (newSize > (max < 0 ? (address64 ? Long.MAX_VALUE : MAX_ELEMENTS) : max) || newSize > MAX_CAPACITY) return -1;
        if (newSize > elements.length) {
            Object[] larger = enlarged((int) newSize);
            if (larger == null) return -1;
            elements = larger;
            if (funcs != null) funcs = (FuncRef[]) larger;
        }
        Arrays.fill(elements, old, (int) newSize, init);
        size = (int) newSize;
        return old;
    }

    /**
     * A copy of the elements with room for {@code needed}, or null if the heap cannot hold it. The
     * capacity grows geometrically so that repeated small grows cost linear time overall.
     */
    private Object[] enlarged(int needed) {
        long limit = max < 0 ? MAX_CAPACITY : Math.min(max, MAX_CAPACITY);
        int preferred = (int) Math.min(Math.max(needed, 2L * elements.length), limit);
        for (int capacity : new int[] {preferred, needed}) {
            try {
                return Arrays.copyOf(elements, capacity);
            } catch (OutOfMemoryError e) {
                // The heap may still hold the exact size.
            }
        }
        return null;
    }

    /**
     * An i64 index, size or length of a 64-bit table as the unsigned int the helpers take: itself
     * below 2^32, else 2^32 - 1, which like it lies beyond every table (no table reaches 2^31
     * elements), so the access traps or the growth fails as the i64 would make it.
     */
    public static int index64(long i) {
        return i >= 0 && i <= MAX_ELEMENTS ? (int) i : -1;
    }

    /** {@code table.get}. */
    public static Object get(int i, Table t) {
        return t.elements[t.checkIndex(i)];
    }

    /** {@code table.set}. */
    public static void set(int i, Object v, Table t) {
        t.elements[t.checkIndex(i)] = v;
    }

    /** {@code table.size}. */
    public static int size(Table t) {
        return t.size;
    }

    /** {@code table.grow}: the previous size, or -1. */
    public static int grow(Object init, int n, Table t) {
        return t.grow(n, init);
    }

    /** {@code table.fill}: sets {@code n} elements from {@code i} to {@code v}. */
    public static void fill(int i, Object v, int n, Table t) {
        int from = checkRange(i, n, t.size);
        Arrays.fill(t.elements, from, from + n, v);
    }

    /** {@code table.copy}: copies {@code n} elements of {@code src} from {@code s} to {@code dst} at {@code d}; the ranges may overlap. */
    public static void copy(int d, int s, int n, Table dst, Table src) {
        int from = checkRange(s, n, src.size);
        int to = checkRange(d, n, dst.size);
        System.arraycopy(src.elements, from, dst.elements, to, n);
    }

    /**
     * {@code table.init}: copies {@code n} elements from offset {@code s} of the element segment
     * {@code segment} (empty once dropped) to {@code d}.
     */
    public static void init(int d, int s, int n, Table t, Object[] segment) {
        int from = checkRange(s, n, segment.length);
        int to = checkRange(d, n, t.size);
        System.arraycopy(segment, from, t.elements, to, n);
    }

    /**
     * The function at {@code i} of funcref table {@code t} for {@code call_indirect}; traps with
     * {@code "undefined element"} when {@code i} is out of bounds and {@code "uninitialized element"}
     * when the element is null. The spare capacity past the table's size is null, so one check
     * against the array's own length, which is also the access's bounds check, and one null check
     * decide the fast path; the size is read only to choose the trap's text, in a method of its own
     * so that this one is small enough for C1 to inline (35 bytes of bytecode at most). A program
     * bound by {@code call_indirect} took 0.84 of the CPU time it took when the lookup checked the
     * size, the array's bounds and the element's class (12 paired processes; the benchmarks README
     * has the rest).
     */
    public static FuncRef funcForCall(int i, Table t) {
        FuncRef[] funcs = t.funcs;
        if (Integer.compareUnsigned(i, funcs.length) < 0) {
            FuncRef f = funcs[i];
            if (f != null) return f;
        }
        throw missingElement(i, t);
    }

    private static WasmTrap missingElement(int i, Table t) {
        return new WasmTrap((Integer.compareUnsigned(i, t.size) >= 0 ? "undefined element " : "uninitialized element ") + i);
    }

    private int checkIndex(int i) {
        if (Integer.compareUnsigned(i, size) >= 0) throw new WasmTrap(OUT_OF_BOUNDS);
        return i;
    }

    /**
     * Returns {@code start} if {@code [start, start + length)} (both unsigned) lies within
     * {@code [0, limit)}; a range within bounds never exceeds {@code int}.
     */
    private static int checkRange(int start, int length, int limit) {
        if (Integer.toUnsignedLong(start) + Integer.toUnsignedLong(length) > limit) throw new WasmTrap(OUT_OF_BOUNDS);
        return start;
    }

    /** Host code may store anything; funcref tables must hold only functions, or call_indirect would fail late. */
    private void checkType(Object value) {
        if (elemType == 'r' && value != null && !(value instanceof FuncRef)) {
            throw new IllegalArgumentException("a funcref table cannot hold " + value.getClass().getName());
        }
    }

    @Override
    public String toString() {
        return (elemType == 'r' ? "funcref" : elemType == 'e' ? "externref" : "exnref") + " table " + (address64 ? "i64 " : "") + size + ".." + (max < 0 ? "" : max);
    }
}
