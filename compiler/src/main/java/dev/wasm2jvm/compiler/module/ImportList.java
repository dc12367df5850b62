package dev.wasm2jvm.compiler.module;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A module's imports, immutable, indexed by kind: the code generator asks for the type of a
 * function or global by index at every call and global access, and a walk over the imports each
 * time cost a twentieth of a large module's compile time.
 */
final class ImportList extends AbstractList<Import> implements RandomAccess {
    private final Import[] all;
    private final Import[][] byKind = new Import[ExternKind.values().length][];

    ImportList(List<Import> imports) {
        all = imports.toArray(Import[]::new);
        for (ExternKind kind : ExternKind.values()) {
            byKind[kind.ordinal()] = imports.stream().filter(i -> i.kind() == kind).toArray(Import[]::new);
        }
    }

    @Override
    public Import get(int index) {
        return all[index];
    }

    @Override
    public int size() {
        return all.length;
    }

    int count(ExternKind kind) {
        return byKind[kind.ordinal()].length;
    }

    /** The import of entry {@code index} of {@code kind}'s index space, or {@code null} past the imports. */
    Import of(ExternKind kind, int index) {
        Import[] imports = byKind[kind.ordinal()];
        return index >= 0 && index < imports.length ? imports[index] : null;
    }
}
