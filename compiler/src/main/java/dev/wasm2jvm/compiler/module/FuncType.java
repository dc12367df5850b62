package dev.wasm2jvm.compiler.module;

import java.util.List;

/** A function type {@code [params] -> [results]}. */
public record FuncType(List<ValType> params, List<ValType> results) {
    public static final FuncType EMPTY = new FuncType(List.of(), List.of());

    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    /**
     * The canonical signature string shared with the runtime ({@code FuncRef#type}): one letter per
     * type ({@code i l f d v r e} for i32 i64 f32 f64 v128 funcref externref), params, a colon, results.
     */
    public String signature() {
        StringBuilder sb = new StringBuilder(params.size() + results.size() + 1);
        for (ValType t : params) sb.append(t.letter());
        sb.append(':');
        for (ValType t : results) sb.append(t.letter());
        return sb.toString();
    }

    @Override
    public String toString() {
        return params + " -> " + results;
    }
}
