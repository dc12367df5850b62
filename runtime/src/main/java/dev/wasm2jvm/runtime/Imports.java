package dev.wasm2jvm.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * The values a module's imports resolve to, by module and name: {@link FuncRef} (or a
 * {@link HostFunction} wrapped by {@link FuncRef#host}), {@link Memory}, {@link Table} or
 * {@link Global}. Type checking happens when a module is instantiated with these imports.
 */
public final class Imports {
    private final Map<String, Map<String, Object>> modules = new HashMap<>();
    private final Termination termination = new Termination();

    /** The termination flag shared by every instance made with these imports. */
    public Termination termination() {
        return termination;
    }

    /** Adds one value under {@code module} / {@code name}, replacing any previous one. */
    public Imports add(String module, String name, Object value) {
        modules.computeIfAbsent(module, m -> new HashMap<>()).put(name, value);
        return this;
    }

    /** Adds every export of {@code instance} under {@code module}. */
    public Imports addInstance(String module, Instance instance) {
        instance.exports().forEach((name, value) -> add(module, name, value));
        return this;
    }

    /** The value under {@code module} / {@code name}, or {@code null}. */
    public Object get(String module, String name) {
        Map<String, Object> m = modules.get(module);
        return m == null ? null : m.get(name);
    }
}
