package dev.wasm2jvm.compiler.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The module's types: the value, reference and heap types written in the text, and the type section,
 * to which a type use without {@code (type x)} adds its function type when no type equal to it exists.
 * Value types are kept in their binary encoding, so that comparing them is comparing bytes.
 */
final class Types {
    private static final Map<String, Integer> HEAP_TYPES = Map.ofEntries(Map.entry("nofunc", 0x73),
            Map.entry("noextern", 0x72), Map.entry("none", 0x71), Map.entry("func", 0x70), Map.entry("extern", 0x6f),
            Map.entry("any", 0x6e), Map.entry("eq", 0x6d), Map.entry("i31", 0x6c), Map.entry("struct", 0x6b),
            Map.entry("array", 0x6a), Map.entry("exn", 0x69), Map.entry("noexn", 0x74));
    private static final Map<String, Integer> SHORTHANDS = Map.ofEntries(Map.entry("nullfuncref", 0x73),
            Map.entry("nullexternref", 0x72), Map.entry("nullref", 0x71), Map.entry("funcref", 0x70),
            Map.entry("externref", 0x6f), Map.entry("anyref", 0x6e), Map.entry("eqref", 0x6d), Map.entry("i31ref", 0x6c),
            Map.entry("structref", 0x6b), Map.entry("arrayref", 0x6a), Map.entry("exnref", 0x69),
            Map.entry("nullexnref", 0x74));
    private static final Map<String, Integer> NUMERIC = Map.of("i32", 0x7f, "i64", 0x7e, "f32", 0x7d, "f64", 0x7c,
            "v128", 0x7b);

    /** One entry of the type section. */
    static final class Definition {
        final int form;
        final List<byte[]> params = new ArrayList<>();
        final List<byte[]> results = new ArrayList<>();
        final Map<String, Integer> fields = new HashMap<>();
        /** Whether this is a final type without supertypes alone in its recursion group, the form a type use matches. */
        boolean plain;
        /** The subtype's encoding. */
        byte[] encoding;

        Definition(int form) {
            this.form = form;
        }
    }

    private final Space space;
    private final List<Definition> definitions = new ArrayList<>();
    /** Each recursion group's first type index and size, in order. */
    private final List<int[]> groups = new ArrayList<>();

    Types(Space space) {
        this.space = space;
    }

    Space space() {
        return space;
    }

    int count() {
        return definitions.size();
    }

    Definition get(int typeidx) {
        return typeidx >= 0 && typeidx < definitions.size() ? definitions.get(typeidx) : null;
    }

    /** Reads {@code (type ...)} or {@code (rec (type ...)*)}, in the order they appear. */
    void define(SExpr.Node field) {
        List<SExpr.Node> types = new ArrayList<>();
        if (field.startsWith("rec")) {
            Cursor c = new Cursor(field, 1);
            while (!c.atEnd()) {
                SExpr.Node type = c.list();
                if (!type.startsWith("type")) throw Syntax.unexpected(type);
                types.add(type);
            }
        } else {
            types.add(field);
        }
        groups.add(new int[] {definitions.size(), types.size()});
        for (SExpr.Node type : types) {
            Cursor c = new Cursor(type, 1);
            c.id();
            definitions.add(subtype(c.list(), types.size() == 1));
            c.end();
        }
    }

    private Definition subtype(SExpr.Node node, boolean alone) {
        if (!node.startsWith("sub")) {
            Definition d = composite(node);
            d.plain = alone;
            return d;
        }
        Cursor c = new Cursor(node, 1);
        boolean fin = c.accept("final");
        List<Integer> supers = new ArrayList<>();
        while (c.peekIndex()) supers.add(space.index(c.next()));
        Definition d = composite(c.list());
        c.end();
        d.plain = alone && fin && supers.isEmpty();
        Bytes b = new Bytes().u8(fin ? 0x4f : 0x50).u32(supers.size());
        for (int s : supers) b.u32(s);
        d.encoding = b.bytes(d.encoding).toArray();
        return d;
    }

    private Definition composite(SExpr.Node node) {
        Cursor c = new Cursor(node, 1);
        String head = node.head();
        if (head == null) throw Syntax.unexpected(node.items().isEmpty() ? node : node.items().getFirst());
        Bytes b = new Bytes();
        Definition d;
        switch (head) {
            case "func" -> {
                d = new Definition(0x60);
                signature(c, d.params, d.results, null);
                c.end();
                b.u8(0x60).u32(d.params.size());
                d.params.forEach(b::bytes);
                b.u32(d.results.size());
                d.results.forEach(b::bytes);
            }
            case "struct" -> {
                d = new Definition(0x5f);
                Bytes fields = new Bytes();
                int n = 0;
                while (!c.atEnd()) {
                    SExpr.Node field = c.list();
                    if (!field.startsWith("field")) throw Syntax.unexpected(field);
                    Cursor f = new Cursor(field, 1);
                    SExpr.Atom id = f.id();
                    if (id != null) {
                        if (d.fields.putIfAbsent(id.text(), n) != null) throw Syntax.error(id, "duplicate field");
                        fields.bytes(fieldType(f.next()));
                        n++;
                    } else {
                        while (!f.atEnd()) {
                            fields.bytes(fieldType(f.next()));
                            n++;
                        }
                    }
                    f.end();
                }
                b.u8(0x5f).u32(n).bytes(fields);
            }
            case "array" -> {
                d = new Definition(0x5e);
                b.u8(0x5e).bytes(fieldType(c.next()));
                c.end();
            }
            default -> throw Syntax.unexpected(node.items().getFirst());
        }
        d.encoding = b.toArray();
        return d;
    }

    private byte[] fieldType(SExpr item) {
        if (item instanceof SExpr.Node n && n.startsWith("mut")) {
            Cursor c = new Cursor(n, 1);
            byte[] type = storageType(c.next());
            c.end();
            return new Bytes().bytes(type).u8(1).toArray();
        }
        return new Bytes().bytes(storageType(item)).u8(0).toArray();
    }

    private byte[] storageType(SExpr item) {
        if (item instanceof SExpr.Atom a && a.is("i8")) return new byte[] {0x78};
        if (item instanceof SExpr.Atom a && a.is("i16")) return new byte[] {0x77};
        return valueType(item);
    }

    /**
     * Reads {@code (param ...)*} then {@code (result ...)*} lists. {@code paramIds}, when given,
     * receives each parameter's identifier (or {@code null}); otherwise parameters may not be named.
     */
    void signature(Cursor c, List<byte[]> params, List<byte[]> results, List<SExpr.Atom> paramIds) {
        while (c.peekList("param")) {
            Cursor p = new Cursor(c.list(), 1);
            SExpr.Atom id = p.id();
            if (id != null) {
                params.add(valueType(p.next()));
                if (paramIds != null) paramIds.add(id);
                p.end();
            } else {
                while (!p.atEnd()) {
                    params.add(valueType(p.next()));
                    if (paramIds != null) paramIds.add(null);
                }
            }
        }
        while (c.peekList("result")) {
            Cursor r = new Cursor(c.list(), 1);
            while (!r.atEnd()) results.add(valueType(r.next()));
        }
        if (c.peekList("param")) throw Syntax.unexpected(c.peek());
    }

    byte[] valueType(SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD && NUMERIC.containsKey(a.text())) {
            return new byte[] {NUMERIC.get(a.text()).byteValue()};
        }
        return referenceType(item);
    }

    /** {@code funcref}, {@code (ref null? heaptype)}, ...; nullable abstract types in their short form. */
    byte[] referenceType(SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD && SHORTHANDS.containsKey(a.text())) {
            return new byte[] {SHORTHANDS.get(a.text()).byteValue()};
        }
        if (item instanceof SExpr.Node n && n.startsWith("ref")) {
            Cursor c = new Cursor(n, 1);
            boolean nullable = c.accept("null");
            byte[] heap = heapType(c.next());
            c.end();
            if (nullable && heap.length == 1 && (heap[0] & 0x40) != 0) return heap;
            return new Bytes().u8(nullable ? 0x63 : 0x64).bytes(heap).toArray();
        }
        throw Syntax.unexpected(item);
    }

    /** Whether {@code reftype} (an encoding {@link #referenceType} made) is nullable. */
    static boolean nullable(byte[] reftype) {
        return reftype[0] != 0x64;
    }

    /** The heap type of a reference type encoding. */
    static byte[] heapOf(byte[] reftype) {
        return reftype.length == 1 ? reftype : Arrays.copyOfRange(reftype, 1, reftype.length);
    }

    byte[] heapType(SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD && HEAP_TYPES.containsKey(a.text())) {
            return new byte[] {HEAP_TYPES.get(a.text()).byteValue()};
        }
        return new Bytes().s64(space.index(item)).toArray();
    }

    /** The type index of a function type with these parameters and results, added when there is none. */
    int functionType(List<byte[]> params, List<byte[]> results) {
        for (int i = 0; i < definitions.size(); i++) {
            Definition d = definitions.get(i);
            if (d.plain && d.form == 0x60 && same(d.params, params) && same(d.results, results)) return i;
        }
        Definition d = new Definition(0x60);
        d.params.addAll(params);
        d.results.addAll(results);
        d.plain = true;
        Bytes b = new Bytes().u8(0x60).u32(params.size());
        params.forEach(b::bytes);
        b.u32(results.size());
        results.forEach(b::bytes);
        d.encoding = b.toArray();
        groups.add(new int[] {definitions.size(), 1});
        definitions.add(d);
        return definitions.size() - 1;
    }

    static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    /** The type section's content. */
    Bytes section() {
        Bytes b = new Bytes().u32(groups.size());
        for (int[] group : groups) {
            if (group[1] == 1 && definitions.get(group[0]).plain) {
                b.bytes(definitions.get(group[0]).encoding);
            } else {
                b.u8(0x4e).u32(group[1]);
                for (int i = group[0]; i < group[0] + group[1]; i++) b.bytes(definitions.get(i).encoding);
            }
        }
        return b;
    }
}
