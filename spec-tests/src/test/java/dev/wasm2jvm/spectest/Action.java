package dev.wasm2jvm.spectest;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An {@code invoke} of an exported function with arguments, or a {@code get} of an exported global,
 * on the module bound to {@code module} or, when that is null, the most recent module.
 */
record Action(Kind kind, String module, String field, List<Object> args) {
    enum Kind { INVOKE, GET }

    @Override
    public String toString() {
        if (kind == Kind.GET) return field;
        return field + args.stream().map(Values::describe).collect(Collectors.joining(", ", "(", ")"));
    }
}
