package dev.wasm2jvm.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The values a module's imports resolve to, by module and name: {@link FuncRef} (or a
 * {@link HostFunction} wrapped by {@link FuncRef#host}), {@link Memory}, {@link Table} or
 * {@link Global}. Type checking happens when a module is instantiated with these imports.
 */
public final class Imports {
    private final Map<String, Map<String, Object>> modules = new HashMap<>();
    /** Modules whose values are looked up when first imported, for names that were not added. */
    private final Map<String, Function<String, ?>> lookups = new HashMap<>();
    private final Termination termination = new Termination();
    private final List<Memory> provided = new ArrayList<>();
    private boolean providesMemories;

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
    synchronized Object memoryOrProvide(String module, String name, long min, long max, boolean shared) {
        Object value = get(module, name);
        if (value != null || !providesMemories) return value;
        Memory memory = new Memory(min, max, shared);
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
