package dev.wasm2jvm.compiler.module;

import java.util.List;

/**
 * A decoded module: the binary format's sections, immutable. Index spaces follow the spec: imported
 * functions, tables, memories and globals come first, then the module's own.
 *
 * @param types the type section
 * @param imports the import section
 * @param functions the typeidx of each defined function (the function section)
 * @param tables the defined tables
 * @param memories the defined memories
 * @param globals the defined globals
 * @param exports the export section
 * @param start the start function's funcidx, or {@code -1}
 * @param elements the element segments
 * @param data the data segments
 * @param dataCount the data count section's value, or {@code -1} when absent
 * @param codes the code section, one body per defined function
 * @param names the name section, or {@link Names#NONE}
 * @param customs the other custom sections
 * @param codeSectionOffset the byte offset in the module of the code section's content (its function
 *     count), which DWARF code addresses are relative to; {@code -1} when there is no code section or
 *     the module was not decoded from a binary
 * @param tags the typeidx of each defined tag (the tag section), whose type has no results
 */
public record WasmModule(List<FuncType> types, List<Import> imports, int[] functions, List<TableType> tables,
                         List<MemoryType> memories, List<Global> globals, List<Export> exports, int start,
                         List<ElemSegment> elements, List<DataSegment> data, int dataCount,
                         List<FunctionBody> codes, Names names, List<CustomSection> customs,
                         int codeSectionOffset, List<Integer> tags) {

    public WasmModule {
        types = List.copyOf(types);
        imports = new ImportList(imports);
        functions = functions.clone();
        tables = List.copyOf(tables);
        memories = List.copyOf(memories);
        globals = List.copyOf(globals);
        exports = List.copyOf(exports);
        elements = List.copyOf(elements);
        data = List.copyOf(data);
        codes = List.copyOf(codes);
        customs = List.copyOf(customs);
        tags = List.copyOf(tags);
    }

    /** A module without tags, decoded at {@code codeSectionOffset}. */
    public WasmModule(List<FuncType> types, List<Import> imports, int[] functions, List<TableType> tables,
                      List<MemoryType> memories, List<Global> globals, List<Export> exports, int start,
                      List<ElemSegment> elements, List<DataSegment> data, int dataCount,
                      List<FunctionBody> codes, Names names, List<CustomSection> customs, int codeSectionOffset) {
        this(types, imports, functions, tables, memories, globals, exports, start, elements, data, dataCount,
                codes, names, customs, codeSectionOffset, List.of());
    }

    /** A module built in memory rather than decoded, so without a code section offset. */
    public WasmModule(List<FuncType> types, List<Import> imports, int[] functions, List<TableType> tables,
                      List<MemoryType> memories, List<Global> globals, List<Export> exports, int start,
                      List<ElemSegment> elements, List<DataSegment> data, int dataCount,
                      List<FunctionBody> codes, Names names, List<CustomSection> customs) {
        this(types, imports, functions, tables, memories, globals, exports, start, elements, data, dataCount,
                codes, names, customs, -1, List.of());
    }

    /** This module with {@code codes} for its code section: the bodies as validation completed them. */
    public WasmModule withCodes(List<FunctionBody> codes) {
        return new WasmModule(types, imports, functions, tables, memories, globals, exports, start, elements, data,
                dataCount, codes, names, customs, codeSectionOffset, tags);
    }

    public int importCount(ExternKind kind) {
        return ((ImportList) imports).count(kind);
    }

    /** The import that provides entry {@code index} of {@code kind}'s index space, or {@code null} if it is defined. */
    public Import importOf(ExternKind kind, int index) {
        return ((ImportList) imports).of(kind, index);
    }

    public int functionCount() {
        return importCount(ExternKind.FUNC) + functions.length;
    }

    public int tableCount() {
        return importCount(ExternKind.TABLE) + tables.size();
    }

    public int memoryCount() {
        return importCount(ExternKind.MEMORY) + memories.size();
    }

    public int globalCount() {
        return importCount(ExternKind.GLOBAL) + globals.size();
    }

    public int tagCount() {
        return importCount(ExternKind.TAG) + tags.size();
    }

    /** The type of tag {@code tagidx}, imported or defined. */
    public FuncType tagType(int tagidx) {
        Import imp = importOf(ExternKind.TAG, tagidx);
        return types.get(imp != null ? imp.typeidx() : tags.get(tagidx - importCount(ExternKind.TAG)));
    }

    /** The typeidx of function {@code funcidx}, imported or defined. */
    public int typeIndexOf(int funcidx) {
        Import imp = importOf(ExternKind.FUNC, funcidx);
        return imp != null ? imp.typeidx() : functions[funcidx - importCount(ExternKind.FUNC)];
    }

    public FuncType funcType(int funcidx) {
        return types.get(typeIndexOf(funcidx));
    }

    /**
     * The function a WASI command runs, its export {@code _start} of type {@code [] -> []}, or -1 if
     * the module is not a command.
     */
    public int commandStart() {
        for (Export e : exports) {
            if (e.kind() == ExternKind.FUNC && e.name().equals("_start") && funcType(e.index()).equals(FuncType.EMPTY)) {
                return e.index();
            }
        }
        return -1;
    }

    public TableType tableType(int tableidx) {
        Import imp = importOf(ExternKind.TABLE, tableidx);
        return imp != null ? imp.table() : tables.get(tableidx - importCount(ExternKind.TABLE));
    }

    public MemoryType memoryType(int memidx) {
        Import imp = importOf(ExternKind.MEMORY, memidx);
        return imp != null ? imp.memory() : memories.get(memidx - importCount(ExternKind.MEMORY));
    }

    public GlobalType globalType(int globalidx) {
        Import imp = importOf(ExternKind.GLOBAL, globalidx);
        return imp != null ? imp.global() : globals.get(globalidx - importCount(ExternKind.GLOBAL)).type();
    }

    @Override
    public int[] functions() {
        return functions.clone();
    }
}
