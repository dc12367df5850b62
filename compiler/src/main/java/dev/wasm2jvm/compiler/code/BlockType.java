package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.List;

/**
 * A {@code blocktype} as encoded: empty, a single result type, or a type index.
 *
 * @param result the single result type, or {@code null}
 * @param typeidx the type index, or {@code -1}
 */
public record BlockType(ValType result, int typeidx) {
    public static final BlockType EMPTY = new BlockType(null, -1);

    public static BlockType of(ValType result) {
        return new BlockType(result, -1);
    }

    public static BlockType ofIndex(int typeidx) {
        return new BlockType(null, typeidx);
    }

    /** The block's function type; the type index must be valid in {@code module}. */
    public FuncType resolve(WasmModule module) {
        if (typeidx >= 0) return module.types().get(typeidx);
        return result == null ? FuncType.EMPTY : new FuncType(List.of(), List.of(result));
    }
}
