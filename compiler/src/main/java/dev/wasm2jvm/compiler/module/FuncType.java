package dev.wasm2jvm.compiler.module;

import java.util.List;

/**
 * A function type {@code [params] -> [results]}. Its {@code equals} and {@code hashCode} are written
 * out, with the hash a record's would have: the record's own, through method handles, were 0.5% of
 * the SQLite shell's compiling thread (async-profiler, 30 rounds), most of it {@code Multi3}'s test of
 * every function's type as it is emitted.
 */
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
    public boolean equals(Object o) {
        return o instanceof FuncType t && params.equals(t.params) && results.equals(t.results);
    }

    @Override
    public int hashCode() {
        return 31 * params.hashCode() + results.hashCode();
    }

    @Override
    public String toString() {
        return params + " -> " + results;
    }
}
