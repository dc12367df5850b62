package dev.wasm2jvm.runtime;

import java.lang.invoke.MethodHandle;

/**
 * Import resolution for generated constructors: each method finds one import in {@link Imports}
 * and checks it against the type the module declares, per the spec's import matching rules.
 */
public final class Linking {
    private Linking() {}

    private static Object find(Imports imports, String module, String name) {
        Object value = imports.get(module, name);
        if (value == null) throw LinkException.of("unknown import", module, name);
        return value;
    }

    /**
     * A function import of signature {@code type} (see {@link FuncRef}) of {@code caller}, the
     * instance being made, to which a {@link HostFunction.WithCaller} is bound.
     */
    public static FuncRef func(Imports imports, String module, String name, String type, Instance caller) {
        Object value = find(imports, module, name);
        // A function reference first, as the WASI host gives every import: the other kinds' classes,
        // which instanceof would load, are loaded only for a program whose imports are of those kinds.
        if (value instanceof FuncRef f) {
            if (f.type.equals(type)) return f;
            throw LinkException.of("incompatible import type", module, name);
        }
        if (value instanceof Binding b) {
            try {
                b.bind.invoke(caller);
            } catch (Throwable t) {
                throw WasmTrap.propagate(t);
            }
            value = b.function;
        }
        if (value instanceof HostFunction h) return FuncRef.host(type, h);
        if (value instanceof HostFunction.WithCaller h) return FuncRef.host(type, args -> h.call(caller, args));
        if (value instanceof FuncRef f && f.type.equals(type)) return f;
        throw LinkException.of("incompatible import type", module, name);
    }

    /**
     * For generated typed APIs: an import value that links as {@code function} once {@code bind},
     * a handle taking the instance, has been called with the instance linking it. Its typed host
     * implementation learns the instance so, before any of the instance's code runs.
     */
    public static Object binding(FuncRef function, MethodHandle bind) {
        return new Binding(function, bind);
    }

    private record Binding(FuncRef function, MethodHandle bind) {}

    /** A table import: element type letter, and limits ({@code max} -1 when absent). */
    public static Table table(Imports imports, String module, String name, char elemType, long min, long max) {
        return table(imports, module, name, elemType, min, max, false);
    }

    /** A table import with 64-bit indices (table64): element type letter, and limits. */
    public static Table table64(Imports imports, String module, String name, char elemType, long min, long max) {
        return table(imports, module, name, elemType, min, max, true);
    }

    private static Table table(Imports imports, String module, String name, char elemType, long min, long max,
                               boolean address64) {
        if (find(imports, module, name) instanceof Table t && t.elemType == elemType && t.address64() == address64
                && limitsMatch(t.size() & 0xFFFFFFFFL, t.max(), min, max)) {
            return t;
        }
        throw LinkException.of("incompatible import type", module, name);
    }

    /** A memory import: limits in pages ({@code max} -1 when absent), and sharedness. */
    public static Memory memory(Imports imports, String module, String name, long min, long max, boolean shared) {
        return memory(imports, module, name, min, max, shared, false);
    }

    /** A memory import with 64-bit addresses (memory64): limits in pages, and sharedness. */
    public static Memory memory64(Imports imports, String module, String name, long min, long max, boolean shared) {
        return memory(imports, module, name, min, max, shared, true);
    }

    private static Memory memory(Imports imports, String module, String name, long min, long max, boolean shared,
                                 boolean address64) {
        Object value = imports.memoryOrProvide(module, name, min, max, shared, address64);
        if (value == null) throw LinkException.of("unknown import", module, name);
        if (value instanceof Memory m && m.shared() == shared && m.address64() == address64
                && limitsMatch(m.pages() & 0xFFFFFFFFL, m.maxPages(), min, max)) {
            return m;
        }
        throw LinkException.of("incompatible import type", module, name);
    }

    /**
     * Memory {@code memidx} that the module defines, with its limits in pages ({@code max} -1 when
     * absent) and sharedness, capped by {@link Imports#maxMemory}.
     */
    public static Memory defineMemory(Imports imports, int memidx, long min, long max, boolean shared) {
        return imports.newMemory("memory " + memidx, min, max, shared, false);
    }

    /** As {@link #defineMemory}, for a memory with 64-bit addresses (memory64). */
    public static Memory defineMemory64(Imports imports, int memidx, long min, long max, boolean shared) {
        return imports.newMemory("memory " + memidx, min, max, shared, true);
    }

    /**
     * The table {@code tableidx} that the module defines, of {@code elemType} with its limits
     * ({@code max} -1 if absent) and null elements, capped by {@link Imports#maxTableElements}.
     */
    public static Table defineTable(Imports imports, int tableidx, char elemType, long min, long max) {
        return imports.newTable("table " + tableidx, elemType, min, max, false);
    }

    /** As {@link #defineTable}, for a table with 64-bit indices (table64). */
    public static Table defineTable64(Imports imports, int tableidx, char elemType, long min, long max) {
        return imports.newTable("table " + tableidx, elemType, min, max, true);
    }

    /** A global import: type letter and mutability. */
    public static Global global(Imports imports, String module, String name, char type, boolean mutable) {
        if (find(imports, module, name) instanceof Global g && g.type == type && g.mutable == mutable) return g;
        throw LinkException.of("incompatible import type", module, name);
    }

    /** A tag import of type {@code type} (see {@link Tag#type}): the very tag given, so that it catches what others throw with it. */
    public static Tag tag(Imports imports, String module, String name, String type) {
        if (find(imports, module, name) instanceof Tag t && t.type.equals(type)) return t;
        throw LinkException.of("incompatible import type", module, name);
    }

    private static boolean limitsMatch(long actualMin, long actualMax, long min, long max) {
        if (actualMin < min) return false;
        if (max < 0) return true;
        return actualMax >= 0 && actualMax <= max;
    }
}
