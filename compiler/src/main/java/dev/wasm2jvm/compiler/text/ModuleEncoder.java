package dev.wasm2jvm.compiler.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes the fields of a text module into the binary format. A first pass binds every identifier
 * to its index (fields may refer to ones further down), and reads the type definitions; a second
 * encodes the fields in order, expanding the abbreviations (inline imports, exports, element
 * segments and data) where they stand.
 */
final class ModuleEncoder {
    private static final List<String> SECTIONS = List.of("type", "import", "func", "table", "memory", "tag", "global",
            "export", "start", "elem", "datacount", "code", "data");
    private static final int[] SECTION_IDS = {1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11};

    final Types types = new Types(new Space("type", "type"));
    final Space funcs = new Space("func", "function");
    final Space tables = new Space("table", "table");
    final Space memories = new Space("memory", "memory");
    final Space globals = new Space("global", "global");
    final Space tags = new Space("tag", "tag");
    final Space elems = new Space("elem", "elem segment");
    final Space datas = new Space("data", "data segment");
    /** The module uses a data index in code, which needs the data count section. */
    boolean usesDataCount;

    private final SExpr.Node module;
    private final int first;
    private final Map<String, Bytes> sections = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<Integer, String> functionNames = new HashMap<>();
    private int functionIndex;
    private int tableIndex;
    private int memoryIndex;
    private int globalIndex;
    private int tagIndex;
    private int startFunction = -1;

    /**
     * @param module the module's list; its fields are its items from {@code first} on, its
     *     annotations its top-level ones
     */
    ModuleEncoder(SExpr.Node module, int first) {
        this.module = module;
        this.first = first;
    }

    byte[] encode() {
        Keywords.checkNames(module);
        Keywords.checkBranchHints(module);
        for (int i = first; i < module.items().size(); i++) Keywords.check(module.items().get(i));
        List<SExpr.Node> fields = new ArrayList<>();
        for (int i = first; i < module.items().size(); i++) {
            if (!(module.items().get(i) instanceof SExpr.Node field)) throw Syntax.unexpected(module.items().get(i));
            fields.add(field);
        }
        declare(fields);
        for (SExpr.Node field : fields) {
            if (field.startsWith("type") || field.startsWith("rec")) types.define(field);
        }
        for (SExpr.Node field : fields) field(field);
        return assemble();
    }

    // ---- first pass: identifiers ----

    private void declare(List<SExpr.Node> fields) {
        String defined = null;
        for (SExpr.Node field : fields) {
            String head = field.head();
            if (head == null) throw Syntax.unexpected(field.items().isEmpty() ? field : field.items().getFirst());
            Cursor c = new Cursor(field, 1);
            switch (head) {
                case "type" -> types.space().add(c.id());
                case "rec" -> {
                    while (!c.atEnd()) types.space().add(new Cursor(c.list(), 1).id());
                }
                case "import" -> {
                    if (defined != null) throw Syntax.error(field, "import after " + defined);
                    c.next();
                    c.next();
                    SExpr.Node descriptor = c.list();
                    Space space = space(descriptor.head(), descriptor);
                    space.add(new Cursor(descriptor, 1).id());
                }
                case "func", "table", "memory", "global", "tag" -> {
                    Space space = space(head, field);
                    SExpr.Atom id = c.id();
                    while (c.peekList("export")) c.next();
                    if (c.peekList("import")) {
                        if (defined != null) throw Syntax.error(field, "import after " + defined);
                    } else {
                        if (defined == null) defined = head.equals("func") ? "function" : head;
                        if (head.equals("table") && hasInlineSegment(c, "elem")) elems.add(null);
                        if (head.equals("memory") && hasInlineSegment(c, "data")) datas.add(null);
                    }
                    space.add(id);
                }
                case "elem" -> elems.add(c.id());
                case "data" -> datas.add(c.id());
                case "export", "start" -> { }
                default -> throw Syntax.unexpected(field.items().getFirst());
            }
        }
    }

    private static boolean hasInlineSegment(Cursor c, String keyword) {
        for (int i = 0; c.peek(i) != null; i++) if (c.peek(i) instanceof SExpr.Node n && n.startsWith(keyword)) return true;
        return false;
    }

    private Space space(String kind, SExpr at) {
        if (kind == null) throw Syntax.unexpected(at);
        return switch (kind) {
            case "func" -> funcs;
            case "table" -> tables;
            case "memory" -> memories;
            case "global" -> globals;
            case "tag" -> tags;
            default -> throw Syntax.unexpected(at instanceof SExpr.Node n && !n.items().isEmpty() ? n.items().getFirst() : at);
        };
    }

    // ---- second pass: fields ----

    private Bytes section(String name) {
        counts.merge(name, 1, Integer::sum);
        return sections.computeIfAbsent(name, k -> new Bytes());
    }

    private void field(SExpr.Node field) {
        Cursor c = new Cursor(field, 1);
        switch (field.head()) {
            case "type", "rec" -> { }
            case "import" -> {
                byte[] moduleName = name(c.atom());
                byte[] name = name(c.atom());
                SExpr.Node descriptor = c.list();
                c.end();
                Cursor d = new Cursor(descriptor, 1);
                SExpr.Atom id = d.id();
                importDescriptor(descriptor.head(), d, moduleName, name, id);
                d.end();
            }
            case "func" -> function(c);
            case "table" -> table(c);
            case "memory" -> memory(c);
            case "global" -> global(c);
            case "tag" -> tag(c);
            case "export" -> {
                byte[] name = name(c.atom());
                SExpr.Node target = c.list();
                c.end();
                Cursor t = new Cursor(target, 1);
                int kind = switch (target.head() == null ? "" : target.head()) {
                    case "func" -> 0;
                    case "table" -> 1;
                    case "memory" -> 2;
                    case "global" -> 3;
                    case "tag" -> 4;
                    default -> throw Syntax.unexpected(target.items().isEmpty() ? target : target.items().getFirst());
                };
                int index = space(target.head(), target).index(t.next());
                t.end();
                section("export").name(name).u8(kind).u32(index);
            }
            case "start" -> {
                if (startFunction >= 0) throw Syntax.error(field, "multiple start sections");
                startFunction = funcs.index(c.next());
                c.end();
            }
            case "elem" -> elem(c);
            case "data" -> data(c);
            default -> throw Syntax.unexpected(field.items().getFirst());
        }
    }

    private static byte[] name(SExpr.Atom atom) {
        if (atom.kind() != SExpr.Kind.STRING) throw Syntax.unexpected(atom);
        SExprReader.utf8(atom.bytes(), "malformed UTF-8 encoding", atom.line(), atom.column());
        return atom.bytes();
    }

    /** The inline exports of the entity {@code index} of {@code kind}. */
    private void exports(Cursor c, int kind, int index) {
        while (c.peekList("export")) {
            Cursor e = new Cursor(c.list(), 1);
            byte[] name = name(e.atom());
            e.end();
            section("export").name(name).u8(kind).u32(index);
        }
    }

    /** An inline import, when there is one: the module and field name. */
    private byte[][] inlineImport(Cursor c) {
        if (!c.peekList("import")) return null;
        Cursor i = new Cursor(c.list(), 1);
        byte[][] names = {name(i.atom()), name(i.atom())};
        i.end();
        return names;
    }

    private void importDescriptor(String kind, Cursor d, byte[] moduleName, byte[] name, SExpr.Atom id) {
        Bytes imports = section("import").name(moduleName).name(name);
        switch (kind) {
            case "func" -> {
                functionNames.put(functionIndex++, id == null ? null : id.text());
                imports.u8(0).u32(typeUse(d, null));
            }
            case "table" -> {
                tableIndex++;
                imports.u8(1).bytes(tableType(d));
            }
            case "memory" -> {
                memoryIndex++;
                imports.u8(2).bytes(memoryType(d));
            }
            case "global" -> {
                globalIndex++;
                imports.u8(3).bytes(globalType(d.next()));
            }
            case "tag" -> {
                tagIndex++;
                imports.u8(4).u8(0).u32(typeUse(d, null));
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    /**
     * A type use: {@code (type x)?} then parameters and results. Given {@code paramIds}, it receives
     * the parameters' identifiers (one {@code null} per unnamed parameter).
     */
    int typeUse(Cursor c, List<SExpr.Atom> paramIds) {
        SExpr at = c.peek() == null ? c.node() : c.peek();
        Integer explicit = null;
        if (c.peekList("type")) {
            Cursor t = new Cursor(c.list(), 1);
            explicit = types.space().index(t.next());
            t.end();
        }
        List<byte[]> params = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        List<SExpr.Atom> ids = new ArrayList<>();
        types.signature(c, params, results, ids);
        if (explicit == null) {
            if (paramIds != null) paramIds.addAll(ids);
            return types.functionType(params, results);
        }
        Types.Definition d = types.get(explicit);
        if (!params.isEmpty() || !results.isEmpty()) {
            if (d != null && d.form == 0x60 && (!Types.same(d.params, params) || !Types.same(d.results, results))) {
                throw Syntax.error(at, "inline function type");
            }
            if (paramIds != null) paramIds.addAll(ids);
        } else if (paramIds != null && d != null) {
            for (int i = 0; i < d.params.size(); i++) paramIds.add(null);
        }
        return explicit;
    }

    private void function(Cursor c) {
        SExpr.Atom id = c.id();
        int index = functionIndex++;
        functionNames.put(index, id == null ? null : id.text());
        exports(c, 0, index);
        byte[][] imported = inlineImport(c);
        if (imported != null) {
            section("import").name(imported[0]).name(imported[1]).u8(0).u32(typeUse(c, null));
            c.end();
            return;
        }
        List<SExpr.Atom> paramIds = new ArrayList<>();
        int typeidx = typeUse(c, paramIds);
        section("func").u32(typeidx);
        Types.Definition type = types.get(typeidx);
        Map<String, Integer> localIds = new HashMap<>();
        int localCount = 0;
        for (SExpr.Atom paramId : paramIds) {
            if (paramId != null && localIds.putIfAbsent(paramId.text(), localCount) != null) {
                throw Syntax.error(paramId, "duplicate local");
            }
            localCount++;
        }
        if (type != null && paramIds.isEmpty()) localCount = type.params.size();
        List<byte[]> locals = new ArrayList<>();
        while (c.peekList("local")) {
            Cursor l = new Cursor(c.list(), 1);
            SExpr.Atom localId = l.id();
            if (localId != null) {
                if (localIds.putIfAbsent(localId.text(), localCount) != null) throw Syntax.error(localId, "duplicate local");
                locals.add(types.valueType(l.next()));
                localCount++;
                l.end();
            } else {
                while (!l.atEnd()) {
                    locals.add(types.valueType(l.next()));
                    localCount++;
                }
            }
        }
        Bytes body = new Bytes();
        List<Integer> runs = new ArrayList<>();
        for (int i = 0; i < locals.size(); i++) {
            if (i == 0 || !Arrays.equals(locals.get(i), locals.get(i - 1))) runs.add(i);
        }
        body.u32(runs.size());
        for (int r = 0; r < runs.size(); r++) {
            int start = runs.get(r);
            int end = r + 1 < runs.size() ? runs.get(r + 1) : locals.size();
            body.u32(end - start).bytes(locals.get(start));
        }
        new CodeEncoder(this, localIds).expression(c, body);
        section("code").u32(body.size()).bytes(body);
    }

    private void table(Cursor c) {
        c.id();
        int index = tableIndex++;
        exports(c, 1, index);
        byte[][] imported = inlineImport(c);
        if (imported != null) {
            section("import").name(imported[0]).name(imported[1]).u8(1).bytes(tableType(c));
            c.end();
            return;
        }
        boolean is64 = addressType(c);
        if (!Literals.isNat(c.peek())) {
            byte[] reftype = types.referenceType(c.next());
            SExpr.Node elem = c.list();
            if (!elem.startsWith("elem")) throw Syntax.unexpected(elem);
            c.end();
            Cursor e = new Cursor(elem, 1);
            Elements elements = elementList(e, e.atEnd() || e.peekIndex());
            int n = elements.count();
            section("table").bytes(reftype).bytes(limits(is64, new Limits(n, (long) n), false, null));
            Bytes segment = section("elem").u8(elements.indices() ? 2 : 6).u32(index).bytes(offsetZero(is64));
            segment.bytes(elements.indices() ? new byte[] {0} : reftype).u32(n).bytes(elements.items());
            return;
        }
        Limits limits = limitValues(c);
        byte[] reftype = types.referenceType(c.next());
        byte[] type = new Bytes().bytes(reftype).bytes(limits(is64, limits, false, null)).toArray();
        if (c.atEnd()) {
            section("table").bytes(type);
        } else {
            Bytes init = new Bytes();
            new CodeEncoder(this, null).expression(c, init);
            // A table with an initializer: 0x40 0x00, the table type, the expression.
            section("table").u8(0x40).u8(0).bytes(type).bytes(init);
        }
    }

    /** The optional address type {@code i32} or {@code i64}; whether it is 64-bit. */
    private static boolean addressType(Cursor c) {
        if (c.accept("i64")) return true;
        c.accept("i32");
        return false;
    }

    private byte[] tableType(Cursor c) {
        boolean is64 = addressType(c);
        Limits limits = limitValues(c);
        byte[] reftype = types.referenceType(c.next());
        return new Bytes().bytes(reftype).bytes(limits(is64, limits, false, null)).toArray();
    }

    /** @param max {@code null} when there is none */
    private record Limits(long min, Long max) {}

    private static Limits limitValues(Cursor c) {
        long min = Literals.unsigned(c.atom(), 64);
        return new Limits(min, Literals.isNat(c.peek()) ? Literals.unsigned(c.atom(), 64) : null);
    }

    /**
     * Limits with their flags: bit 0 a maximum, bit 1 shared, bit 2 64-bit addresses, bit 3 a page
     * size (the custom page sizes proposal) as its log2 after the limits.
     */
    private static byte[] limits(boolean is64, Limits limits, boolean shared, Integer pageSizeLog2) {
        int flags = (limits.max() != null ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0) | (pageSizeLog2 != null ? 8 : 0);
        Bytes b = new Bytes().u8(flags).u64(limits.min());
        if (limits.max() != null) b.u64(limits.max());
        if (pageSizeLog2 != null) b.u32(pageSizeLog2);
        return b.toArray();
    }

    private byte[] offsetZero(boolean is64) {
        return is64 ? new byte[] {0x42, 0, 0x0b} : new byte[] {0x41, 0, 0x0b};
    }

    private void memory(Cursor c) {
        c.id();
        int index = memoryIndex++;
        exports(c, 2, index);
        byte[][] imported = inlineImport(c);
        if (imported != null) {
            section("import").name(imported[0]).name(imported[1]).u8(2).bytes(memoryType(c));
            c.end();
            return;
        }
        if (c.peekList("data") || (c.peekKeyword("i64") || c.peekKeyword("i32")) && c.peek(1) instanceof SExpr.Node n && n.startsWith("data")) {
            boolean is64 = addressType(c);
            Bytes bytes = strings(new Cursor(c.list(), 1));
            c.end();
            long pages = (bytes.size() + 0xffffL) / 0x10000;
            section("memory").bytes(limits(is64, new Limits(pages, pages), false, null));
            section("data").u8(2).u32(index).bytes(offsetZero(is64)).u32(bytes.size()).bytes(bytes);
            return;
        }
        section("memory").bytes(memoryType(c));
        c.end();
    }

    private byte[] memoryType(Cursor c) {
        boolean is64 = addressType(c);
        Limits limits = limitValues(c);
        boolean shared = c.accept("shared");
        if (!shared) c.accept("unshared");
        Integer pageSize = null;
        if (c.peekList("pagesize")) {
            Cursor p = new Cursor(c.list(), 1);
            long size = Literals.unsigned(p.atom(), 32);
            p.end();
            if (Long.bitCount(size) != 1) throw Syntax.error(p.node(), "invalid custom page size");
            pageSize = Long.numberOfTrailingZeros(size);
        }
        return limits(is64, limits, shared, pageSize);
    }

    private byte[] globalType(SExpr item) {
        if (item instanceof SExpr.Node n && n.startsWith("mut")) {
            Cursor m = new Cursor(n, 1);
            byte[] type = types.valueType(m.next());
            m.end();
            return new Bytes().bytes(type).u8(1).toArray();
        }
        return new Bytes().bytes(types.valueType(item)).u8(0).toArray();
    }

    private void global(Cursor c) {
        c.id();
        exports(c, 3, globalIndex++);
        byte[][] imported = inlineImport(c);
        if (imported != null) {
            section("import").name(imported[0]).name(imported[1]).u8(3).bytes(globalType(c.next()));
            c.end();
            return;
        }
        Bytes global = section("global").bytes(globalType(c.next()));
        new CodeEncoder(this, null).expression(c, global);
    }

    private void tag(Cursor c) {
        c.id();
        exports(c, 4, tagIndex++);
        byte[][] imported = inlineImport(c);
        int typeidx = typeUse(c, null);
        c.end();
        if (imported != null) section("import").name(imported[0]).name(imported[1]).u8(4).u8(0).u32(typeidx);
        else section("tag").u8(0).u32(typeidx);
    }

    /** The items of an element segment: function indices, or expressions (each ending with {@code end}). */
    private record Elements(boolean indices, int count, Bytes items) {}

    private Elements elementList(Cursor c, boolean indices) {
        Bytes items = new Bytes();
        int n = 0;
        while (!c.atEnd()) {
            if (indices) {
                items.u32(funcs.index(c.next()));
            } else {
                SExpr.Node item = c.list();
                if (item.startsWith("item")) {
                    new CodeEncoder(this, null).expression(new Cursor(item, 1), items);
                } else {
                    new CodeEncoder(this, null).instruction(new Cursor(wrap(item), 0), items);
                    items.u8(0x0b);
                }
            }
            n++;
        }
        return new Elements(indices, n, items);
    }

    private static SExpr.Node wrap(SExpr.Node node) {
        return new SExpr.Node(List.of(node), List.of(), null, node.line(), node.column());
    }

    private void elem(Cursor c) {
        c.id();
        Bytes segment = section("elem");
        boolean declare = c.accept("declare");
        Integer table = null;
        if (c.peekList("table")) {
            Cursor t = new Cursor(c.list(), 1);
            table = tables.index(t.next());
            t.end();
        } else if (!declare && c.peekIndex() && c.peek(1) instanceof SExpr.Node) {
            table = tables.index(c.next());
        }
        byte[] offset = null;
        if (!declare && (c.peekList("offset") || c.peek() instanceof SExpr.Node n && !n.startsWith("ref") && !n.startsWith("item"))) {
            offset = offset(c.list());
        }
        byte[] reftype = null;
        boolean indices;
        if (c.accept("func")) {
            indices = true;
        } else if (c.peek() instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD || c.peekList("ref")) {
            reftype = types.referenceType(c.next());
            indices = false;
        } else {
            if (offset == null) throw Syntax.unexpected(c.peek() == null ? c.node() : c.peek());
            indices = true;
        }
        Elements elements = elementList(c, indices);
        if (indices) {
            if (offset == null) segment.u8(declare ? 3 : 1).u8(0);
            else if (table == null) segment.u8(0).bytes(offset);
            else segment.u8(2).u32(table).bytes(offset).u8(0);
        } else if (offset == null) {
            segment.u8(declare ? 7 : 5).bytes(reftype);
        } else if (table == null && reftype.length == 1 && reftype[0] == 0x70) {
            segment.u8(4).bytes(offset);
        } else {
            segment.u8(6).u32(table == null ? 0 : table).bytes(offset).bytes(reftype);
        }
        segment.u32(elements.count()).bytes(elements.items());
    }

    /** {@code (offset instr*)} or one folded instruction, as a constant expression. */
    private byte[] offset(SExpr.Node node) {
        Bytes b = new Bytes();
        if (node.startsWith("offset")) {
            new CodeEncoder(this, null).expression(new Cursor(node, 1), b);
        } else {
            new CodeEncoder(this, null).instruction(new Cursor(wrap(node), 0), b);
            b.u8(0x0b);
        }
        return b.toArray();
    }

    private void data(Cursor c) {
        c.id();
        Bytes segment = section("data");
        Integer memory = null;
        if (c.peekList("memory")) {
            Cursor m = new Cursor(c.list(), 1);
            memory = memories.index(m.next());
            m.end();
        } else if (c.peekIndex()) {
            memory = memories.index(c.next());
        }
        byte[] offset = c.peek() instanceof SExpr.Node ? offset(c.list()) : null;
        Bytes bytes = strings(c);
        if (offset == null) {
            if (memory != null) throw Syntax.unexpected(c.node());
            segment.u8(1);
        } else if (memory == null || memory == 0) {
            segment.u8(0).bytes(offset);
        } else {
            segment.u8(2).u32(memory).bytes(offset);
        }
        segment.u32(bytes.size()).bytes(bytes);
    }

    /** The rest of {@code c}: strings, concatenated. */
    static Bytes strings(Cursor c) {
        Bytes bytes = new Bytes();
        while (!c.atEnd()) {
            SExpr.Atom s = c.atom();
            if (s.kind() != SExpr.Kind.STRING) throw Syntax.unexpected(s);
            bytes.bytes(s.bytes());
        }
        return bytes;
    }

    // ---- assembly ----

    private byte[] assemble() {
        sections.put("type", types.section());
        counts.put("type", types.count() == 0 ? 0 : 1);
        if (startFunction >= 0) {
            sections.put("start", new Bytes().u32(startFunction));
            counts.put("start", 1);
        }
        if (datas.count() > 0 || usesDataCount) {
            sections.put("datacount", new Bytes().u32(datas.count()));
            counts.put("datacount", 1);
        }
        List<CustomSection> customs = customSections();
        Bytes out = new Bytes().bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        emitCustoms(out, customs, "first");
        for (int i = 0; i < SECTIONS.size(); i++) {
            String name = SECTIONS.get(i);
            emitCustoms(out, customs, "before " + name);
            Integer count = counts.get(name);
            if (count != null && count > 0) {
                Bytes content = sections.get(name);
                Bytes body = switch (name) {
                    case "type", "start", "datacount" -> content;
                    default -> new Bytes().u32(count).bytes(content);
                };
                out.u8(SECTION_IDS[i]).u32(body.size()).bytes(body);
            }
            emitCustoms(out, customs, "after " + name);
        }
        Bytes names = nameSection();
        if (names != null) out.u8(0).u32(names.size()).bytes(names);
        emitCustoms(out, customs, "last");
        return out.toArray();
    }

    /** Function names from the identifiers, as the name section's subsection 1. */
    private Bytes nameSection() {
        List<Map.Entry<Integer, String>> named = functionNames.entrySet().stream().filter(e -> e.getValue() != null)
                .sorted(Map.Entry.comparingByKey()).toList();
        if (named.isEmpty()) return null;
        Bytes map = new Bytes().u32(named.size());
        for (Map.Entry<Integer, String> e : named) map.u32(e.getKey()).name(e.getValue());
        return new Bytes().name("name").u8(1).u32(map.size()).bytes(map);
    }

    private record CustomSection(String placement, byte[] name, byte[] content) {}

    /** The {@code (@custom "name" (before|after section)? "content"*)} annotations of the module. */
    private List<CustomSection> customSections() {
        List<CustomSection> customs = new ArrayList<>();
        for (SExpr.Node annotation : module.annotations()) {
            if (!"custom".equals(annotation.annotation())) continue;
            Cursor c = new Cursor(annotation, 0);
            if (!(c.peek() instanceof SExpr.Atom a && a.kind() == SExpr.Kind.STRING)) {
                throw Syntax.error(c.peek() == null ? annotation : c.peek(), "@custom annotation: missing section name");
            }
            SExpr.Atom name = c.atom();
            SExprReader.utf8(name.bytes(), "@custom annotation: malformed UTF-8 encoding", name.line(), name.column());
            String placement = "last";
            if (c.peek() instanceof SExpr.Node p) {
                c.next();
                placement = placement(p);
            }
            Bytes content = new Bytes();
            while (!c.atEnd()) {
                SExpr item = c.next();
                if (!(item instanceof SExpr.Atom s && s.kind() == SExpr.Kind.STRING)) {
                    throw Syntax.error(item, "@custom annotation: unexpected token");
                }
                content.bytes(s.bytes());
            }
            customs.add(new CustomSection(placement, name.bytes(), content.toArray()));
        }
        return customs;
    }

    private static String placement(SExpr.Node p) {
        if (p.items().isEmpty() || !(p.items().get(0) instanceof SExpr.Atom where)
                || !where.is("before") && !where.is("after")) {
            throw Syntax.error(p, "@custom annotation: malformed placement");
        }
        if (p.items().size() != 2 || !(p.items().get(1) instanceof SExpr.Atom what)) {
            throw Syntax.error(p, "@custom annotation: malformed section kind");
        }
        if (what.is("first") && where.is("before")) return "first";
        if (what.is("last") && where.is("after")) return "last";
        if (!SECTIONS.contains(what.text()) || what.kind() != SExpr.Kind.KEYWORD) {
            throw Syntax.error(what, "@custom annotation: malformed section kind");
        }
        return where.text() + " " + what.text();
    }

    private static void emitCustoms(Bytes out, List<CustomSection> customs, String placement) {
        for (CustomSection custom : customs) {
            if (!custom.placement().equals(placement)) continue;
            Bytes body = new Bytes().name(custom.name()).bytes(custom.content());
            out.u8(0).u32(body.size()).bytes(body);
        }
    }
}
