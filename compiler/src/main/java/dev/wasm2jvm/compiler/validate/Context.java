package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.Global;
import dev.wasm2jvm.compiler.module.GlobalType;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The spec's validation context {@code C} of a module: the types of everything its instructions may
 * refer to, with the index spaces resolved once. Each lookup fails with the spec's "unknown ..."
 * message, naming the index as the reference interpreter does.
 */
final class Context {
    private final List<FuncType> types;
    private final List<Integer> funcs = new ArrayList<>();
    private final List<TableType> tables = new ArrayList<>();
    private final List<MemoryType> mems = new ArrayList<>();
    private final List<GlobalType> globals = new ArrayList<>();
    /** The typeidx of each tag. */
    private final List<Integer> tags = new ArrayList<>();
    private final int importedGlobals;
    private final List<ValType> elems = new ArrayList<>();
    private final int datas;
    private final boolean dataCount;
    private final BitSet refs = new BitSet();

    Context(WasmModule module) {
        types = module.types();
        for (Import imp : module.imports()) {
            switch (imp.kind()) {
                case FUNC -> funcs.add(imp.typeidx());
                case TABLE -> tables.add(imp.table());
                case MEMORY -> mems.add(imp.memory());
                case GLOBAL -> globals.add(imp.global());
                case TAG -> tags.add(imp.typeidx());
            }
        }
        importedGlobals = module.importCount(ExternKind.GLOBAL);
        for (int typeidx : module.functions()) funcs.add(typeidx);
        tables.addAll(module.tables());
        mems.addAll(module.memories());
        for (Global g : module.globals()) globals.add(g.type());
        for (ElemSegment e : module.elements()) elems.add(e.type());
        datas = module.data().size();
        dataCount = module.dataCount() >= 0;
        tags.addAll(module.tags());
    }

    /** The type of tag {@code tagidx}, whose parameters are the values its exceptions carry. */
    FuncType tag(int tagidx) {
        if (tagidx < 0 || tagidx >= tags.size()) throw unknown("tag", tagidx);
        return type(tags.get(tagidx));
    }

    FuncType type(int typeidx) {
        if (typeidx < 0 || typeidx >= types.size()) throw unknown("type", typeidx);
        return types.get(typeidx);
    }

    FuncType func(int funcidx) {
        if (funcidx < 0 || funcidx >= funcs.size()) throw unknown("function", funcidx);
        return type(funcs.get(funcidx));
    }

    TableType table(int tableidx) {
        if (tableidx < 0 || tableidx >= tables.size()) throw unknown("table", tableidx);
        return tables.get(tableidx);
    }

    MemoryType mem(int memidx) {
        if (memidx < 0 || memidx >= mems.size()) throw unknown("memory", memidx);
        return mems.get(memidx);
    }

    GlobalType global(int globalidx) {
        if (globalidx < 0 || globalidx >= globals.size()) throw unknown("global", globalidx);
        return globals.get(globalidx);
    }

    /**
     * A global that a constant expression may read: one of the first {@code scope} globals, so
     * that a global's initialiser sees only imports and the globals defined before it and
     * initialisation order never matters (Wasm 3.0; 2.0 allowed imports only).
     */
    GlobalType constantGlobal(int globalidx, int scope) {
        if (globalidx < 0 || globalidx >= scope) throw unknown("global", globalidx);
        return globals.get(globalidx);
    }

    /** How many globals the module imports; a defined global's index follows them. */
    int importedGlobals() {
        return importedGlobals;
    }

    /** How many globals the module has, imported and defined. */
    int globals() {
        return globals.size();
    }

    ValType elem(int elemidx) {
        if (elemidx < 0 || elemidx >= elems.size()) throw unknown("elem segment", elemidx);
        return elems.get(elemidx);
    }

    /**
     * Checks that the code may name data segments ({@code memory.init}, {@code data.drop}): the
     * binary format allows that only in a module with a data count section, a rule that the decoder
     * leaves to this reading of the code. An instruction checks it first, as decoding comes before
     * validation.
     */
    void dataCountSection() {
        if (!dataCount) throw new ValidationFailure.Malformed("data count section required");
    }

    void data(int dataidx) {
        if (dataidx < 0 || dataidx >= datas) throw unknown("data segment", dataidx);
    }

    /**
     * Adds {@code funcidx} to {@code C.refs}: a function mentioned outside function bodies (in an
     * export or a constant expression) may be referenced by {@code ref.func} inside them.
     */
    void declare(int funcidx) {
        if (funcidx >= 0) refs.set(funcidx);
    }

    /** Checks a {@code ref.func} in a function body: the function must exist and be declared. */
    void reference(int funcidx) {
        func(funcidx);
        if (!refs.get(funcidx)) throw new ValidationFailure("undeclared function reference");
    }

    private static ValidationFailure unknown(String what, int index) {
        return new ValidationFailure("unknown " + what + " " + Integer.toUnsignedString(index));
    }
}
