package dev.wasm2jvm.spectest;

import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a script, or one thread of it, can see: modules by name, the current module, the
 * registrations that serve as import modules, and the threads it started. Each scope belongs to one
 * Java thread.
 */
final class Scope {
    /** A module command's outcome: an instance, or why there is none (so later commands can say). */
    record Loaded(Instance instance, String problem) {
        Instance require() {
            if (instance == null) throw new ModuleUnavailable(problem);
            return instance;
        }
    }

    /** An action or register refers to a module that failed or does not exist. */
    static final class ModuleUnavailable extends RuntimeException {
        ModuleUnavailable(String message) {
            super(message);
        }
    }

    private final Map<String, Loaded> named = new HashMap<>();
    private final Map<String, Instance> registered = new LinkedHashMap<>();
    private final Map<String, Thread> threads = new LinkedHashMap<>();
    private Loaded current;

    /** A thread's scope: the {@code shared} modules under their names, nothing registered. */
    Scope forThread(List<String> shared) {
        Scope child = new Scope();
        for (String name : shared) {
            Loaded module = named.get(name);
            child.named.put(name, module != null ? module
                    : new Loaded(null, "no module named " + name + " to share with the thread"));
        }
        return child;
    }

    void define(String name, Loaded module) {
        current = module;
        if (name != null) named.put(name, module);
    }

    /** The module bound to {@code name}, or the current one when {@code name} is null. */
    Loaded module(String name) {
        if (name == null) return current != null ? current : new Loaded(null, "no module defined yet");
        Loaded module = named.get(name);
        return module != null ? module : new Loaded(null, "no module named " + name);
    }

    void register(String as, Instance instance) {
        registered.put(as, instance);
    }

    /** The imports a new module gets: the host modules, then every registration. */
    Imports imports(Map<String, Map<String, Object>> hostModules) {
        Imports imports = new Imports();
        hostModules.forEach((module, exports) -> exports.forEach((name, value) -> imports.add(module, name, value)));
        registered.forEach(imports::addInstance);
        return imports;
    }

    void started(String name, Thread thread) {
        threads.put(name, thread);
    }

    /** Removes and returns the thread {@code name}, or null if there is none. */
    Thread waitingFor(String name) {
        return threads.remove(name);
    }

    /** Removes and returns the threads never waited for. */
    List<Thread> unwaited() {
        List<Thread> rest = new ArrayList<>(threads.values());
        threads.clear();
        return rest;
    }
}
