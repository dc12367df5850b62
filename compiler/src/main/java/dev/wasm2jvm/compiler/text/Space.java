package dev.wasm2jvm.compiler.text;

import java.util.HashMap;
import java.util.Map;

/** One index space (functions, tables, types, ...): its identifiers and how many entries it has. */
final class Space {
    private final String kind;
    private final String unknown;
    private final Map<String, Integer> ids = new HashMap<>();
    private int count;

    /**
     * @param kind the name in {@code duplicate <kind>} errors
     * @param unknown the name in {@code unknown <name>} errors
     */
    Space(String kind, String unknown) {
        this.kind = kind;
        this.unknown = unknown;
    }

    /** Adds an entry, named by {@code id} when it is not {@code null}, and returns its index. */
    int add(SExpr.Atom id) {
        if (id != null && ids.putIfAbsent(id.text(), count) != null) throw Syntax.error(id, "duplicate " + kind);
        return count++;
    }

    int count() {
        return count;
    }

    /** The index an item names: an unsigned integer as written (bounds are the validator's), or a bound identifier. */
    int index(SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID) {
            Integer index = ids.get(a.text());
            if (index == null) throw Syntax.error(a, "unknown " + unknown + " " + a);
            return index;
        }
        if (item instanceof SExpr.Atom a) return (int) Literals.unsigned(a, 32);
        throw Syntax.unexpected(item);
    }
}
