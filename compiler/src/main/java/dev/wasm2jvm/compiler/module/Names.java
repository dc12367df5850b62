package dev.wasm2jvm.compiler.module;

import java.util.Map;

/**
 * The {@code name} custom section: names for debugging, all optional.
 *
 * @param module the module name, or {@code null}
 * @param functions function names by funcidx
 * @param locals local names by funcidx, then by localidx
 */
public record Names(String module, Map<Integer, String> functions, Map<Integer, Map<Integer, String>> locals) {
    public static final Names NONE = new Names(null, Map.of(), Map.of());

    public Names {
        functions = Map.copyOf(functions);
        locals = Map.copyOf(locals);
    }
}
