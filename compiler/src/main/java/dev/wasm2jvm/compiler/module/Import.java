package dev.wasm2jvm.compiler.module;

/**
 * An import. Exactly one of the descriptor fields applies, chosen by {@code kind}: {@code typeidx}
 * for functions and tags (a tag's type), {@code table}, {@code memory} or {@code global} for the others.
 */
public record Import(String module, String name, ExternKind kind, int typeidx, TableType table,
                     MemoryType memory, GlobalType global) {
    public static Import func(String module, String name, int typeidx) {
        return new Import(module, name, ExternKind.FUNC, typeidx, null, null, null);
    }

    public static Import table(String module, String name, TableType type) {
        return new Import(module, name, ExternKind.TABLE, -1, type, null, null);
    }

    public static Import memory(String module, String name, MemoryType type) {
        return new Import(module, name, ExternKind.MEMORY, -1, null, type, null);
    }

    public static Import tag(String module, String name, int typeidx) {
        return new Import(module, name, ExternKind.TAG, typeidx, null, null, null);
    }

    public static Import global(String module, String name, GlobalType type) {
        return new Import(module, name, ExternKind.GLOBAL, -1, null, null, type);
    }
}
