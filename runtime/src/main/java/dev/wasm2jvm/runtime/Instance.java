package dev.wasm2jvm.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instantiated module. Every class that wasm2jvm generates for a module extends this class; its
 * constructor resolves the imports, initialises memories, tables and globals, applies the active
 * segments and runs the start function.
 */
public abstract class Instance {
    private final Map<String, Object> exports = new LinkedHashMap<>();
    /**
     * The program's termination flag, polled by generated code; public because a module's code may be
     * spread over classes that are not subclasses of this one.
     */
    public final Termination termination;

    protected Instance(Imports imports) {
        this.termination = imports.termination();
    }

    /** Called by the generated constructor, once per export, in the export section's order. */
    protected final void export(String name, Object value) {
        exports.put(name, value);
    }

    /**
     * Registers a run of exported functions, for generated constructors: each is encoded as its
     * funcidx and its name's length, two chars each (high half, low half), then its name.
     */
    protected final void exportFunctions(String encoded) {
        for (int at = 0; at < encoded.length(); ) {
            int funcidx = encoded.charAt(at) << 16 | encoded.charAt(at + 1);
            int length = encoded.charAt(at + 2) << 16 | encoded.charAt(at + 3);
            at += 4;
            export(encoded.substring(at, at + length), funcRef(funcidx));
            at += length;
        }
    }

    /**
     * The reference to function {@code funcidx} of this instance, created once and then shared, so
     * that references to the same function are the same object.
     */
    protected abstract FuncRef funcRef(int funcidx);

    /**
     * An element segment of function references, for generated constructors: the function indices
     * are encoded two chars each (high half, low half), {@code 0xFFFF 0xFFFF} standing for null.
     */
    protected final Object[] funcRefs(String encoded) {
        Object[] refs = new Object[encoded.length() / 2];
        for (int i = 0; i < refs.length; i++) {
            int funcidx = encoded.charAt(2 * i) << 16 | encoded.charAt(2 * i + 1);
            refs[i] = funcidx == -1 ? null : funcRef(funcidx);
        }
        return refs;
    }

    /** Every export by name: {@link FuncRef}, {@link Memory}, {@link Table} or {@link Global}. */
    public final Map<String, Object> exports() {
        return Collections.unmodifiableMap(exports);
    }

    /** The export named {@code name}, or {@code null}. */
    public final Object export(String name) {
        return exports.get(name);
    }

    /** The exported function {@code name}; throws if there is no such function export. */
    public final FuncRef function(String name) {
        return exportOf(name, FuncRef.class);
    }

    /** The exported memory {@code name}; throws if there is no such memory export. */
    public final Memory memory(String name) {
        return exportOf(name, Memory.class);
    }

    /** The exported table {@code name}; throws if there is no such table export. */
    public final Table table(String name) {
        return exportOf(name, Table.class);
    }

    /** The exported global {@code name}; throws if there is no such global export. */
    public final Global global(String name) {
        return exportOf(name, Global.class);
    }

    private <T> T exportOf(String name, Class<T> kind) {
        Object value = exports.get(name);
        if (!kind.isInstance(value)) {
            throw new IllegalArgumentException("no " + kind.getSimpleName() + " export named \"" + name + "\"");
        }
        return kind.cast(value);
    }
}
