package dev.wasm2jvm.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The values a module's imports resolve to, by module and name: {@link FuncRef}, a
 * {@link HostFunction} or {@link HostFunction.WithCaller} (which take the type of the import),
 * {@link Memory}, {@link Table}, {@link Global} or {@link Tag}. Type checking happens when a module is
 * instantiated with these imports.
 */
public final class Imports {
    private final Map<String, Map<String, Object>> modules = new HashMap<>();
    /** Modules whose values are looked up when first imported, for names that were not added. */
    private final Map<String, Function<String, ?>> lookups = new HashMap<>();
    private final Termination termination = new Termination();
    private final List<Memory> provided = new ArrayList<>();
    private boolean providesMemories;
    /** The cap on the memories that instantiation creates, in pages; -1 for none. */
    private long maxMemoryPages = -1;
    /** The cap on the tables that instantiation creates, in elements; -1 for none. */
    private long maxTableElements = -1;

    /**
     * Caps the memories that instantiation with these imports creates (those the module defines
     * and those {@link #provideMemories()} makes) at {@code bytes}, rounded down to whole 64 KiB
     * pages: they may grow no further ({@code memory.grow} returns -1, as when the host is out of
     * memory), and instantiating a module whose memory needs more from the start fails with a
     * {@link LinkException}. A memory with a smaller declared maximum keeps it; memories added
     * here, made by the host, are not capped.
     *
     * @param bytes the most bytes of each memory, or -1 for no cap but the module's own maximum
     * @throws IllegalArgumentException if {@code bytes} is negative but not -1
     */
    public Imports maxMemory(long bytes) {
        if (bytes < -1) throw new IllegalArgumentException("the memory limit must be at least 0 bytes, not " + bytes);
        maxMemoryPages = bytes < 0 ? -1 : bytes / Memory.PAGE_SIZE;
        return this;
    }

    /**
     * A memory with the module's limits {@code min}..{@code max} (pages, {@code max} -1 if none),
     * capped by {@link #maxMemory}.
     *
     * @param what the memory, for the message: {@code memory 0}, or its import's names
     * @throws LinkException if the memory needs more pages from the start than the cap allows
     */
    Memory newMemory(String what, long min, long max, boolean shared, boolean address64) {
        // 65536 pages, wasm32's 4 GiB, is what a 32-bit memory can have at all.
        long cap = address64 || maxMemoryPages < 0 ? maxMemoryPages : Math.min(maxMemoryPages, 1L << 16);
        if (cap < 0) return new Memory(min, max, shared, address64);
        if (min > cap) {
            throw LinkException.of(what + " needs " + describe(min) + " from the start, more than the memory limit of "
                    + describe(cap));
        }
        return new Memory(min, max < 0 ? cap : Math.min(max, cap), shared, address64);
    }

    /**
     * Caps the tables that instantiation with these imports creates (those the module defines) at
     * {@code elements}: they may grow no further ({@code table.grow} returns -1, as when the host
     * cannot hold them), and instantiating a module whose table needs more from the start fails
     * with a {@link LinkException}. A table with a smaller declared maximum keeps it; tables added
     * here, made by the host, are not capped. A table's elements are JVM references on the heap
     * that the guest fills as it grows it, so this is what bounds the heap a guest can take through
     * tables, as {@link #maxMemory} bounds its memories.
     *
     * @param elements the most elements of each table, or -1 for no cap but the module's own maximum
     * @throws IllegalArgumentException if {@code elements} is negative but not -1
     */
    public Imports maxTableElements(long elements) {
        if (elements < -1) throw new IllegalArgumentException("the table limit must be at least 0 elements, not " + elements);
        maxTableElements = elements;
        return this;
    }

    /**
     * A table of {@code elemType} with the module's limits {@code min}..{@code max} (elements,
     * {@code max} -1 if none), its elements null, capped by {@link #maxTableElements}.
     *
     * @param what the table, for the message: {@code table 0}
     * @throws LinkException if the table needs more elements from the start than the cap allows
     */
    Table newTable(String what, char elemType, long min, long max, boolean address64) {
        // 2^32 - 1 elements, what a 32-bit table's size can count, is all such a table can have at all.
        long cap = address64 || maxTableElements < 0 ? maxTableElements : Math.min(maxTableElements, 0xFFFF_FFFFL);
        if (cap < 0) return new Table(elemType, min, max, null, address64);
        if (min > cap) {
            throw LinkException.of(what + " needs " + elements(min) + " from the start, more than the table limit of "
                    + elements(cap));
        }
        return new Table(elemType, min, max < 0 ? cap : Math.min(max, cap), null, address64);
    }

    private static String elements(long n) {
        return n + (n == 1 ? " element" : " elements");
    }

    private static String describe(long pages) {
        long bytes = pages * Memory.PAGE_SIZE;
        String size = bytes % (1 << 30) == 0 && bytes > 0 ? (bytes >> 30) + " GiB"
                : bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
        return pages + (pages == 1 ? " page (" : " pages (") + size + ")";
    }

    /**
     * Makes these imports supply any memory a module imports that has not been added: a new memory
     * with the import's limits and sharedness, added under the import's name so that every later
     * instance (the threads of a wasi-threads program) shares it. This is how a WASI host provides
     * the shared memory that wasi-threads modules import, under whatever name they choose.
     */
    public Imports provideMemories() {
        providesMemories = true;
        return this;
    }

    /** The memories made by {@link #provideMemories()}, in the order they were made. */
    public synchronized List<Memory> providedMemories() {
        return List.copyOf(provided);
    }

    /** The memory under {@code module} / {@code name}, made with these limits if it is missing and memories are provided. */
    synchronized Object memoryOrProvide(String module, String name, long min, long max, boolean shared,
                                        boolean address64) {
        Object value = get(module, name);
        if (value != null || !providesMemories) return value;
        Memory memory = newMemory("imported memory \"" + module + "\" \"" + name + "\"", min, max, shared, address64);
        provided.add(memory);
        add(module, name, memory);
        return memory;
    }

    /** The termination flag shared by every instance made with these imports. */
    public Termination termination() {
        return termination;
    }

    /** Adds one value under {@code module} / {@code name}, replacing any previous one. */
    public synchronized Imports add(String module, String name, Object value) {
        Map<String, Object> values = modules.get(module);
        if (values == null) modules.put(module, values = new HashMap<>());
        values.put(name, value);
        return this;
    }

    /** Adds the host function {@code function} under {@code module} / {@code name}; see {@link HostFunction}. */
    public Imports add(String module, String name, HostFunction function) {
        return add(module, name, (Object) function);
    }

    /**
     * Adds the host function {@code function} under {@code module} / {@code name}: each instance
     * made with these imports gets it bound to itself; see {@link HostFunction.WithCaller}.
     */
    public Imports add(String module, String name, HostFunction.WithCaller function) {
        return add(module, name, (Object) function);
    }

    /**
     * Adds a module whose values {@code lookup} makes by name (null for a name it lacks) when a
     * module imports them, so that a host with many functions prepares only those imported. A value
     * added by name under the same module wins over the lookup.
     */
    public synchronized Imports addModule(String module, Function<String, ?> lookup) {
        lookups.put(module, lookup);
        return this;
    }

    /** Adds every export of {@code instance} under {@code module}. */
    public Imports addInstance(String module, Instance instance) {
        instance.exports().forEach((name, value) -> add(module, name, value));
        return this;
    }

    /** The value under {@code module} / {@code name}, or {@code null}. */
    public synchronized Object get(String module, String name) {
        Map<String, Object> m = modules.get(module);
        Object value = m == null ? null : m.get(name);
        if (value != null) return value;
        Function<String, ?> lookup = lookups.get(module);
        return lookup == null ? null : lookup.apply(name);
    }
}
