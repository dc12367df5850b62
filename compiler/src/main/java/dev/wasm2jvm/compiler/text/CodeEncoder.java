package dev.wasm2jvm.compiler.text;

import dev.wasm2jvm.compiler.text.Instructions.Instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes instructions, plain or folded, of a function body or a constant expression. Folded
 * instructions are unfolded (operands first); labels and locals are resolved by identifier.
 */
final class CodeEncoder {
    // The opcodes of the structured instructions and select, which this class encodes itself.
    private static final int BLOCK = 0x02;
    private static final int LOOP = 0x03;
    private static final int IF = 0x04;
    private static final int ELSE = 0x05;
    private static final int TRY = 0x06;
    private static final int CATCH = 0x07;
    private static final int END = 0x0b;
    private static final int DELEGATE = 0x18;
    private static final int CATCH_ALL = 0x19;
    private static final int TRY_TABLE = 0x1f;
    private static final int SELECT = 0x1b;
    private static final int SELECT_T = 0x1c;
    private static final int EMPTY_BLOCK_TYPE = 0x40;
    /** Set in a memarg's alignment when a memory index follows it (multi-memory). */
    private static final int MEMORY_INDEX_FLAG = 0x40;

    private final ModuleEncoder module;
    /** The identifiers of the function's parameters and locals; {@code null} in a constant expression. */
    private final Map<String, Integer> locals;
    /** The labels in scope, innermost last; {@code null} for an unnamed one. */
    private final List<String> labels = new ArrayList<>();

    CodeEncoder(ModuleEncoder module, Map<String, Integer> locals) {
        this.module = module;
        this.locals = locals;
    }

    /** The instructions up to the end of {@code c}, then {@code end}. */
    void expression(Cursor c, Bytes out) {
        instructions(c, out);
        c.end();
        out.u8(END);
    }

    /** Instructions up to the end of {@code c} or a keyword that closes a block. */
    private void instructions(Cursor c, Bytes out) {
        while (!c.atEnd()) {
            if (c.peek() instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD && switch (a.text()) {
                case "end", "else", "catch", "catch_all", "delegate" -> true;
                default -> false;
            }) {
                return;
            }
            instruction(c, out);
        }
    }

    /** One instruction: a folded one, or a plain one with its immediates (a whole block for a structured one). */
    void instruction(Cursor c, Bytes out) {
        SExpr item = c.next();
        if (item instanceof SExpr.Node n) {
            folded(n, out);
            return;
        }
        SExpr.Atom op = (SExpr.Atom) item;
        if (op.kind() != SExpr.Kind.KEYWORD) throw Syntax.unexpected(op);
        switch (op.text()) {
            case "block", "loop", "try_table" -> {
                SExpr.Atom label = open(c, out, blockOpcode(op.text()));
                instructions(c, out);
                end(c, label);
                out.u8(END);
            }
            case "if" -> {
                SExpr.Atom label = open(c, out, IF);
                instructions(c, out);
                if (c.accept("else")) {
                    endLabel(c, label);
                    out.u8(ELSE);
                    instructions(c, out);
                }
                end(c, label);
                out.u8(END);
            }
            case "try" -> {
                SExpr.Atom label = open(c, out, TRY);
                instructions(c, out);
                // A try either has clauses or delegates.
                boolean caught = false;
                while (c.accept("catch")) {
                    out.u8(CATCH).u32(module.tags.index(c.next()));
                    instructions(c, out);
                    caught = true;
                }
                if (c.accept("catch_all")) {
                    out.u8(CATCH_ALL);
                    instructions(c, out);
                    caught = true;
                }
                if (!caught && c.accept("delegate")) {
                    labels.removeLast();
                    out.u8(DELEGATE).u32(label(c.next()));
                    return;
                }
                end(c, label);
                out.u8(END);
            }
            default -> plain(op, c, out);
        }
    }

    private static int blockOpcode(String name) {
        return switch (name) {
            case "block" -> BLOCK;
            case "loop" -> LOOP;
            default -> TRY_TABLE;
        };
    }

    /**
     * The start of a block: its optional label, its opcode and block type (and a {@code try_table}'s
     * catch clauses, whose labels are outside it); the label is in scope from here on.
     */
    private SExpr.Atom open(Cursor c, Bytes out, int opcode) {
        SExpr.Atom label = c.id();
        out.u8(opcode);
        blockType(c, out);
        if (opcode == TRY_TABLE) catches(c, out);
        labels.add(label == null ? null : label.text());
        return label;
    }

    /** {@code end} and its optional label, which must be the block's. */
    private void end(Cursor c, SExpr.Atom label) {
        c.expect("end");
        endLabel(c, label);
        labels.removeLast();
    }

    private static void endLabel(Cursor c, SExpr.Atom label) {
        SExpr.Atom id = c.id();
        if (id != null && (label == null || !label.text().equals(id.text()))) throw Syntax.error(id, "mismatching label");
    }

    private void folded(SExpr.Node node, Bytes out) {
        String head = node.head();
        if (head == null) throw Syntax.unexpected(node.items().isEmpty() ? node : node.items().getFirst());
        Cursor c = new Cursor(node, 1);
        switch (head) {
            case "block", "loop", "try_table" -> {
                open(c, out, blockOpcode(head));
                expression(c, out);
                labels.removeLast();
            }
            case "if" -> {
                SExpr.Atom label = c.id();
                Bytes type = new Bytes();
                blockType(c, type);
                while (c.peek() instanceof SExpr.Node n && !n.startsWith("then")) instruction(c, out);
                out.u8(IF).bytes(type);
                labels.add(label == null ? null : label.text());
                if (!c.peekList("then")) throw Syntax.unexpected(c.peek() == null ? node : c.peek());
                instructions(new Cursor(c.list(), 1), out, true);
                if (c.peekList("else")) {
                    out.u8(ELSE);
                    instructions(new Cursor(c.list(), 1), out, true);
                }
                c.end();
                labels.removeLast();
                out.u8(END);
            }
            case "try" -> {
                open(c, out, TRY);
                if (!c.peekList("do")) throw Syntax.unexpected(c.peek() == null ? node : c.peek());
                instructions(new Cursor(c.list(), 1), out, true);
                boolean caught = false;
                while (c.peekList("catch")) {
                    Cursor k = new Cursor(c.list(), 1);
                    out.u8(CATCH).u32(module.tags.index(k.next()));
                    instructions(k, out, true);
                    caught = true;
                }
                if (c.peekList("catch_all")) {
                    out.u8(CATCH_ALL);
                    instructions(new Cursor(c.list(), 1), out, true);
                    caught = true;
                }
                labels.removeLast();
                if (!caught && c.peekList("delegate")) {
                    Cursor d = new Cursor(c.list(), 1);
                    out.u8(DELEGATE).u32(label(d.next()));
                    d.end();
                    c.end();
                    return;
                }
                c.end();
                out.u8(END);
            }
            default -> {
                Bytes instruction = new Bytes();
                plain((SExpr.Atom) node.items().getFirst(), c, instruction);
                while (!c.atEnd()) {
                    if (!(c.peek() instanceof SExpr.Node)) throw Syntax.unexpected(c.peek());
                    instruction(c, out);
                }
                out.bytes(instruction);
            }
        }
    }

    /** The whole of {@code c} as instructions, none of them a block's closing keyword. */
    private void instructions(Cursor c, Bytes out, boolean whole) {
        instructions(c, out);
        if (whole) c.end();
    }

    /** {@code (catch x l)}, {@code (catch_ref x l)}, {@code (catch_all l)}, {@code (catch_all_ref l)}. */
    private void catches(Cursor c, Bytes out) {
        Bytes clauses = new Bytes();
        int n = 0;
        while (c.peekList("catch") || c.peekList("catch_ref") || c.peekList("catch_all") || c.peekList("catch_all_ref")) {
            SExpr.Node clause = c.list();
            Cursor k = new Cursor(clause, 1);
            switch (clause.head()) {
                case "catch" -> clauses.u8(0).u32(module.tags.index(k.next())).u32(label(k.next()));
                case "catch_ref" -> clauses.u8(1).u32(module.tags.index(k.next())).u32(label(k.next()));
                case "catch_all" -> clauses.u8(2).u32(label(k.next()));
                default -> clauses.u8(3).u32(label(k.next()));
            }
            k.end();
            n++;
        }
        out.u32(n).bytes(clauses);
    }

    /** A block type: none, one result type, or a type index for anything else. */
    private void blockType(Cursor c, Bytes out) {
        if (c.peekList("type")) {
            out.s64(module.typeUse(c, null));
            return;
        }
        List<byte[]> params = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        List<SExpr.Atom> ids = new ArrayList<>();
        module.types.signature(c, params, results, ids);
        for (SExpr.Atom id : ids) if (id != null) throw Syntax.unexpected(id);
        if (params.isEmpty() && results.isEmpty()) out.u8(EMPTY_BLOCK_TYPE);
        else if (params.isEmpty() && results.size() == 1) out.bytes(results.getFirst());
        else out.s64(module.types.functionType(params, results));
    }

    private int label(SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID) {
            for (int i = labels.size() - 1; i >= 0; i--) {
                if (a.text().equals(labels.get(i))) return labels.size() - 1 - i;
            }
            throw Syntax.error(a, "unknown label " + a);
        }
        if (item instanceof SExpr.Atom a) return (int) Literals.unsigned(a, 32);
        throw Syntax.unexpected(item);
    }

    private int local(SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID) {
            Integer index = locals == null ? null : locals.get(a.text());
            if (index == null) throw Syntax.error(a, "unknown local " + a);
            return index;
        }
        if (item instanceof SExpr.Atom a) return (int) Literals.unsigned(a, 32);
        throw Syntax.unexpected(item);
    }

    /** An optional index of {@code space}, 0 when absent. */
    private static int optional(Cursor c, Space space) {
        return c.peekIndex() ? space.index(c.next()) : 0;
    }

    private void plain(SExpr.Atom op, Cursor c, Bytes out) {
        if (op.is("select")) {
            List<byte[]> types = new ArrayList<>();
            boolean typed = false;
            while (c.peekList("result")) {
                typed = true;
                Cursor r = new Cursor(c.list(), 1);
                while (!r.atEnd()) types.add(module.types.valueType(r.next()));
            }
            if (!typed) {
                out.u8(SELECT);
            } else {
                out.u8(SELECT_T).u32(types.size());
                types.forEach(out::bytes);
            }
            return;
        }
        Instruction instruction = op.kind() == SExpr.Kind.KEYWORD ? Instructions.named(op.text()) : null;
        if (instruction == null) throw Syntax.unexpected(op);
        int opcode = instruction.opcode();
        switch (instruction.immediate()) {
            case NONE -> out.opcode(opcode);
            case LABEL -> out.opcode(opcode).u32(label(c.next()));
            case BR_TABLE -> {
                List<Integer> targets = new ArrayList<>();
                while (c.peekIndex()) targets.add(label(c.next()));
                if (targets.isEmpty()) throw Syntax.unexpected(c.peek() == null ? c.node() : c.peek());
                out.opcode(opcode).u32(targets.size() - 1);
                targets.forEach(out::u32);
            }
            case FUNC -> out.opcode(opcode).u32(module.funcs.index(c.next()));
            case CALL_INDIRECT -> {
                int table = optional(c, module.tables);
                List<SExpr.Atom> ids = new ArrayList<>();
                int type = module.typeUse(c, ids);
                for (SExpr.Atom id : ids) if (id != null) throw Syntax.unexpected(id);
                out.opcode(opcode).u32(type).u32(table);
            }
            case TYPE -> out.opcode(opcode).u32(module.types.space().index(c.next()));
            case FIELD -> {
                int type = module.types.space().index(c.next());
                out.opcode(opcode).u32(type).u32(field(type, c.next()));
            }
            case TYPE_COUNT -> out.opcode(opcode).u32(module.types.space().index(c.next())).u32(Literals.unsigned(c.atom(), 32));
            case TYPE_DATA -> {
                module.usesDataCount = true;
                out.opcode(opcode).u32(module.types.space().index(c.next())).u32(module.datas.index(c.next()));
            }
            case TYPE_ELEM -> out.opcode(opcode).u32(module.types.space().index(c.next())).u32(module.elems.index(c.next()));
            case TYPE_TYPE -> out.opcode(opcode).u32(module.types.space().index(c.next()))
                    .u32(module.types.space().index(c.next()));
            case LOCAL -> out.opcode(opcode).u32(local(c.next()));
            case GLOBAL -> out.opcode(opcode).u32(module.globals.index(c.next()));
            case TAG -> out.opcode(opcode).u32(module.tags.index(c.next()));
            case TABLE -> out.opcode(opcode).u32(optional(c, module.tables));
            case MEMORY -> out.opcode(opcode).u32(optional(c, module.memories));
            case MEMARG -> {
                int memory = optional(c, module.memories);
                out.opcode(opcode);
                memarg(c, out, memory, instruction.align());
            }
            case MEMARG_LANE -> {
                int memory = 0;
                if (c.peekIndex()) {
                    int ahead = 1;
                    while (c.peek(ahead) instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD
                            && (a.text().startsWith("offset=") || a.text().startsWith("align="))) {
                        ahead++;
                    }
                    if (Literals.isNat(c.peek(ahead))) memory = module.memories.index(c.next());
                }
                out.opcode(opcode);
                memarg(c, out, memory, instruction.align());
                out.u8(Literals.lane(c.atom(), false));
            }
            case LANE -> out.opcode(opcode).u8(Literals.lane(c.atom(), false));
            case SHUFFLE -> {
                for (int i = 0; i <= 16; i++) {
                    boolean lane = c.peek(i) instanceof SExpr.Atom a && a.kind() == SExpr.Kind.NUMBER;
                    if (lane == (i == 16)) throw Syntax.error(c.peek(i) == null ? op : c.peek(i), "invalid lane length");
                }
                out.opcode(opcode);
                for (int i = 0; i < 16; i++) out.u8(Literals.lane(c.atom(), true));
            }
            case I32 -> out.opcode(opcode).s64((int) Literals.integer(c.atom(), 32));
            case I64 -> out.opcode(opcode).s64(Literals.integer(c.atom(), 64));
            case F32 -> out.opcode(opcode).f32(Literals.f32(c.atom()));
            case F64 -> out.opcode(opcode).f64(Literals.f64(c.atom()));
            case V128 -> out.opcode(opcode).bytes(vector(op, c));
            case HEAPTYPE -> out.opcode(opcode).bytes(module.types.heapType(c.next()));
            case MEMORY_INIT -> {
                module.usesDataCount = true;
                int memory = c.peekIndex() && isIndex(c.peek(1)) ? module.memories.index(c.next()) : 0;
                out.opcode(opcode).u32(module.datas.index(c.next())).u32(memory);
            }
            case DATA -> {
                module.usesDataCount = true;
                out.opcode(opcode).u32(module.datas.index(c.next()));
            }
            case MEMORY_COPY -> {
                int destination = optional(c, module.memories);
                int source = c.peekIndex() ? module.memories.index(c.next()) : destination;
                out.opcode(opcode).u32(destination).u32(source);
            }
            case TABLE_INIT -> {
                int table = c.peekIndex() && isIndex(c.peek(1)) ? module.tables.index(c.next()) : 0;
                out.opcode(opcode).u32(module.elems.index(c.next())).u32(table);
            }
            case TABLE_COPY -> {
                int destination = optional(c, module.tables);
                int source = c.peekIndex() ? module.tables.index(c.next()) : destination;
                out.opcode(opcode).u32(destination).u32(source);
            }
            case ELEM -> out.opcode(opcode).u32(module.elems.index(c.next()));
            case FENCE -> out.opcode(opcode).u8(0);
            case REF_TEST -> {
                byte[] type = module.types.referenceType(c.next());
                out.opcode(Types.nullable(type) ? opcode + 1 : opcode).bytes(Types.heapOf(type));
            }
            case BR_ON_CAST -> {
                int label = label(c.next());
                byte[] from = module.types.referenceType(c.next());
                byte[] to = module.types.referenceType(c.next());
                int flags = (Types.nullable(from) ? 1 : 0) | (Types.nullable(to) ? 2 : 0);
                out.opcode(opcode).u8(flags).u32(label).bytes(Types.heapOf(from)).bytes(Types.heapOf(to));
            }
        }
    }

    private static boolean isIndex(SExpr item) {
        return item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID || Literals.isNat(item);
    }

    private int field(int type, SExpr item) {
        if (item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID) {
            Types.Definition d = module.types.get(type);
            Integer index = d == null ? null : d.fields.get(a.text());
            if (index == null) throw Syntax.error(a, "unknown field " + a);
            return index;
        }
        if (item instanceof SExpr.Atom a) return (int) Literals.unsigned(a, 32);
        throw Syntax.unexpected(item);
    }

    /** {@code offset=N? align=N?}, encoded with the memory index when it is not 0. */
    private static void memarg(Cursor c, Bytes out, int memory, int naturalAlign) {
        long offset = 0;
        int align = naturalAlign;
        if (c.peek() instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD && a.text().startsWith("offset=")) {
            c.next();
            offset = Literals.unsigned(suffix(a, 7), 64);
        }
        if (c.peek() instanceof SExpr.Atom a && a.kind() == SExpr.Kind.KEYWORD && a.text().startsWith("align=")) {
            c.next();
            long value = Literals.unsigned(suffix(a, 6), 64);
            if (Long.bitCount(value) != 1) throw Syntax.error(a, "alignment must be a power of two");
            align = Long.numberOfTrailingZeros(value);
        }
        if (memory != 0) out.u32(align | MEMORY_INDEX_FLAG).u32(memory);
        else out.u32(align);
        out.u64(offset);
    }

    /** The number after {@code offset=} or {@code align=}, as a token of its own. */
    private static SExpr.Atom suffix(SExpr.Atom a, int start) {
        String number = a.text().substring(start);
        SExpr.Kind kind = number.isEmpty() || !Character.isDigit(number.charAt(0)) ? SExpr.Kind.RESERVED : SExpr.Kind.NUMBER;
        return new SExpr.Atom(kind, number, null, a.line(), a.column() + start);
    }

    /** {@code v128.const}'s shape and lanes, as 16 little-endian bytes. */
    private static byte[] vector(SExpr.Atom op, Cursor c) {
        SExpr.Atom shape = c.atom();
        int lanes;
        switch (shape.text()) {
            case "i8x16" -> lanes = 16;
            case "i16x8" -> lanes = 8;
            case "i32x4", "f32x4" -> lanes = 4;
            case "i64x2", "f64x2" -> lanes = 2;
            default -> throw Syntax.unexpected(shape);
        }
        for (int i = 0; i <= lanes; i++) {
            boolean number = c.peek(i) instanceof SExpr.Atom a && a.kind() == SExpr.Kind.NUMBER;
            if (number == (i == lanes)) {
                throw Syntax.error(c.peek(i) == null ? op : c.peek(i), "wrong number of lane literals");
            }
        }
        Bytes bytes = new Bytes();
        for (int i = 0; i < lanes; i++) {
            SExpr.Atom lane = c.atom();
            switch (shape.text()) {
                case "i8x16" -> bytes.u8((int) Literals.integer(lane, 8));
                case "i16x8" -> {
                    long v = Literals.integer(lane, 16);
                    bytes.u8((int) v).u8((int) (v >>> 8));
                }
                case "i32x4" -> bytes.f32((int) Literals.integer(lane, 32));
                case "i64x2" -> bytes.f64(Literals.integer(lane, 64));
                case "f32x4" -> bytes.f32(Literals.f32(lane));
                default -> bytes.f64(Literals.f64(lane));
            }
        }
        return bytes.toArray();
    }
}
