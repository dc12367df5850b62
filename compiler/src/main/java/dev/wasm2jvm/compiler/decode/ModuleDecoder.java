package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.binary.ByteReader;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.CustomSection;
import dev.wasm2jvm.compiler.module.DataSegment;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.Global;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.Names;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes the WebAssembly 2.0 binary format, with the threads proposal (shared memories, atomic
 * instructions) and exception handling (tags, {@code exnref}, the legacy {@code try} too), into a {@link WasmModule}. Malformed input is rejected with the spec's
 * {@code assert_malformed} messages.
 *
 * <p>Function bodies are recorded (their locals and code), not read: the reading that must happen
 * anyway, validation's ({@code validate.ModuleValidator}), rejects malformed code with the messages
 * this decoder gave, and finds what the instructions tell the later stages (the bodies'
 * {@link dev.wasm2jvm.compiler.module.CodeEffects}, the use of data segments that requires the data
 * count section). Reading every body here as well was 3.3% of the SQLite shell's compiling thread
 * (async-profiler, 20 rounds). The spec decodes a module before it validates it, so whenever a
 * module is rejected, malformed code outranks what else was found: on any error, here or in
 * validation, the module is decoded again reading every body as the binary format requires
 * ({@link #checkWellFormed}), and the first malformation in that reading's order is reported. That
 * reading follows each body through the module's bytes, past its entry if its final {@code end} is
 * missing, so the messages and offsets are those of a decoder that reads every body.
 */
public final class ModuleDecoder {
    private static final int MAGIC = 0x6D736100;
    private static final int VERSION = 1;

    private static final int CUSTOM = 0;
    private static final int TYPE = 1;
    private static final int IMPORT = 2;
    private static final int FUNCTION = 3;
    private static final int TABLE = 4;
    private static final int MEMORY = 5;
    private static final int GLOBAL = 6;
    private static final int EXPORT = 7;
    private static final int START = 8;
    private static final int ELEMENT = 9;
    private static final int CODE = 10;
    private static final int DATA = 11;
    private static final int DATA_COUNT = 12;
    private static final int TAG = 13;

    /**
     * Where each section id must come in a module: data count sits between element and code, the
     * tag section between memory and global.
     */
    private static final int[] ORDER = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};

    /**
     * The most locals wasm2jvm compiles. Past the first few thousand, locals live in arrays made at
     * each call, so this bounds their memory (8 MiB at most); engines allow 50,000.
     */
    private static final long MAX_LOCALS = 1 << 20;

    private final byte[] bytes;
    /** Whether function bodies are read as they are met ({@link #checkWellFormed}), or only recorded. */
    private final boolean readsCode;
    private final ByteReader in;
    private final SegmentReader segments;
    private final DataIndexUse dataIndexUse = new DataIndexUse();

    private List<FuncType> types = List.of();
    private List<Import> imports = List.of();
    private int[] functions = new int[0];
    private List<TableType> tables = List.of();
    private List<MemoryType> memories = List.of();
    private List<Global> globals = List.of();
    private List<Integer> tags = List.of();
    private List<Export> exports = List.of();
    private int start = -1;
    private List<ElemSegment> elements = List.of();
    private int dataCount = -1;
    private final List<FunctionBody> codes = new ArrayList<>();
    private List<DataSegment> data = List.of();
    private Names names = Names.NONE;
    private final List<CustomSection> customs = new ArrayList<>();
    private int codeSectionOffset = -1;

    private ModuleDecoder(byte[] bytes, boolean readsCode) {
        this.bytes = bytes;
        this.readsCode = readsCode;
        this.in = new ByteReader(bytes, 0, 0);
        this.segments = new SegmentReader(bytes, in);
    }

    /**
     * Decodes a module.
     *
     * @param bytes the module's binary encoding
     * @return the module, not yet validated: its function bodies' code is checked by validation,
     *     which rejects malformed code, and their {@code effects} are found there too
     * @throws CompileException {@link CompileException.Kind#MALFORMED} if the bytes are not a module
     *     in the binary format (function bodies aside), {@link CompileException.Kind#UNSUPPORTED} if a
     *     function has more locals than a JVM method can hold; either preceded, as in the spec's
     *     order, by a malformed body recorded before it
     */
    public static WasmModule decode(byte[] bytes) {
        ModuleDecoder decoder = new ModuleDecoder(bytes, false);
        try {
            return decoder.module();
        } catch (CompileException e) {
            // The bodies met before the error were not read: a malformed one comes first.
            if (decoder.codeSectionOffset >= 0) checkWellFormed(bytes);
            throw e;
        }
    }

    /**
     * Decodes {@code bytes} reading every function body, as the binary format requires: what a
     * module rejected by validation is checked with, since a malformed module is malformed before it
     * is invalid. Only the error paths read the bodies here (3.3% of the SQLite shell's compiling
     * thread when every compilation did).
     *
     * @throws CompileException {@link CompileException.Kind#MALFORMED} if the bytes are not a module
     *     in the binary format, code included, with the message, offset and function index that
     *     decoding reports; {@link CompileException.Kind#UNSUPPORTED} as {@link #decode}
     */
    public static void checkWellFormed(byte[] bytes) {
        new ModuleDecoder(bytes, true).module();
    }

    private WasmModule module() {
        header();
        int last = 0;
        while (!in.atEnd()) {
            int at = in.pos();
            int id = in.u8();
            if (id > TAG) throw in.error("malformed section id", at);
            if (id != CUSTOM) {
                if (ORDER[id] <= last) throw in.error("unexpected content after last section", at);
                last = ORDER[id];
            }
            int size = in.length();
            int sectionStart = in.pos();
            section(id, size);
            if (in.pos() != sectionStart + size) throw in.error("section size mismatch", sectionStart);
        }
        int end = bytes.length;
        if (functions.length != codes.size()) {
            throw in.error("function and code section have inconsistent lengths", end);
        }
        if (dataCount >= 0 && dataCount != data.size()) {
            throw in.error("data count and data section have inconsistent lengths", end);
        }
        if (dataCount < 0 && dataIndexUse.firstOffset() >= 0) {
            throw in.error("data count section required", dataIndexUse.firstOffset());
        }
        return new WasmModule(types, imports, functions, tables, memories, globals, exports, start, elements,
                data, dataCount, codes, names, customs, codeSectionOffset, tags);
    }

    private void header() {
        if (bytes.length < 4) throw in.error("unexpected end", bytes.length);
        if (fixed32At(0) != MAGIC) throw in.error("magic header not detected", 0);
        if (bytes.length < 8) throw in.error("unexpected end", bytes.length);
        if (fixed32At(4) != VERSION) throw in.error("unknown binary version", 4);
        in.skip(8);
    }

    private int fixed32At(int index) {
        return (bytes[index] & 0xFF) | (bytes[index + 1] & 0xFF) << 8 | (bytes[index + 2] & 0xFF) << 16
                | (bytes[index + 3] & 0xFF) << 24;
    }

    private void section(int id, int size) {
        switch (id) {
            case CUSTOM -> custom(size);
            case TYPE -> types = vec(() -> TypeReader.funcType(in));
            case IMPORT -> imports = vec(this::importEntry);
            case FUNCTION -> functions = vec(in::index).stream().mapToInt(Integer::intValue).toArray();
            case TABLE -> tables = vec(() -> TypeReader.tableType(in));
            case MEMORY -> memories = vec(() -> TypeReader.memoryType(in));
            case GLOBAL -> globals = vec(() -> {
                var type = TypeReader.globalType(in);
                return new Global(type, segments.constExpr());
            });
            case EXPORT -> exports = vec(this::export);
            case START -> start = in.index();
            case ELEMENT -> elements = vec(segments::elem);
            case CODE -> {
                codeSectionOffset = in.pos();
                int n = in.length();
                for (int i = 0; i < n; i++) codes.add(code());
            }
            case DATA -> data = vec(segments::data);
            case DATA_COUNT -> dataCount = in.index();
            case TAG -> tags = vec(this::tagType);
        }
    }

    private void custom(int size) {
        int contentEnd = in.pos() + size;
        String name = in.name();
        int contentStart = in.pos();
        // A name longer than the section runs past its end.
        if (contentStart > contentEnd) throw in.unexpectedEnd();
        in.skip(contentEnd - contentStart);
        byte[] content = Arrays.copyOfRange(bytes, contentStart, contentEnd);
        if (name.equals("name")) {
            names = NameSection.parse(content, contentStart);
        } else {
            customs.add(new CustomSection(name, content, contentStart));
        }
    }

    private Import importEntry() {
        String module = in.name();
        String name = in.name();
        int at = in.pos();
        return switch (in.u8()) {
            case 0x00 -> Import.func(module, name, in.index());
            case 0x01 -> Import.table(module, name, TypeReader.tableType(in));
            case 0x02 -> Import.memory(module, name, TypeReader.memoryType(in));
            case 0x03 -> Import.global(module, name, TypeReader.globalType(in));
            case 0x04 -> Import.tag(module, name, tagType());
            default -> throw in.error("malformed import kind", at);
        };
    }

    private Export export() {
        String name = in.name();
        int at = in.pos();
        ExternKind kind = switch (in.u8()) {
            case 0x00 -> ExternKind.FUNC;
            case 0x01 -> ExternKind.TABLE;
            case 0x02 -> ExternKind.MEMORY;
            case 0x03 -> ExternKind.GLOBAL;
            case 0x04 -> ExternKind.TAG;
            default -> throw in.error("malformed export kind", at);
        };
        return new Export(name, kind, in.index());
    }

    /** A tag type: the attribute 0 (an exception), then the typeidx of its parameters. */
    private int tagType() {
        int at = in.pos();
        if (in.u8() != 0) throw in.error("malformed tag attribute", at);
        return in.index();
    }

    /**
     * A code entry: its size, its locals (run-length encoded), and the body, whose code is the rest
     * of the entry. It is read to its final {@code end} only when the decoder reads code, or when the
     * locals overrun the entry, which that reading always rejects.
     */
    private FunctionBody code() {
        int size = in.length();
        int entryStart = in.pos();
        List<ValType> locals = locals(importCount(ExternKind.FUNC) + codes.size());
        int bodyStart = in.pos();
        int end = entryStart + size;
        if (readsCode || end < bodyStart) {
            end = CodeReader.readExpression(bytes, bodyStart, dataIndexUse);
            if (end != entryStart + size) throw in.error("section size mismatch", entryStart);
        }
        in.skip(end - bodyStart);
        return new FunctionBody(locals, Arrays.copyOfRange(bytes, bodyStart, end), bodyStart);
    }

    private int importCount(ExternKind kind) {
        int n = 0;
        for (Import i : imports) if (i.kind() == kind) n++;
        return n;
    }

    /** The locals of function {@code funcidx}, one entry per local. */
    private List<ValType> locals(int funcidx) {
        int at = in.pos();
        int groups = in.length();
        long[] counts = new long[groups];
        ValType[] groupTypes = new ValType[groups];
        long total = 0;
        for (int i = 0; i < groups; i++) {
            counts[i] = Integer.toUnsignedLong(in.u32());
            groupTypes[i] = TypeReader.valType(in);
            total += counts[i];
        }
        if (total > 0xFFFF_FFFFL) throw in.error("too many locals", at);
        if (total > MAX_LOCALS) throw CompileException.unsupported(total + " locals in one function", at, funcidx);
        List<ValType> locals = new ArrayList<>((int) total);
        for (int i = 0; i < groups; i++) locals.addAll(Collections.nCopies((int) counts[i], groupTypes[i]));
        return locals;
    }

    private <T> List<T> vec(Supplier<T> element) {
        int n = in.length();
        List<T> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) list.add(element.get());
        return list;
    }
}
