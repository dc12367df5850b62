package dev.wasm2jvm.compiler.emit.facade;

import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed Java API of a module's class, decided once so that the bytecode ({@link FacadeEmitter})
 * and its Java description ({@link FacadeSource}) agree: a method per exported function, an accessor
 * per exported memory, table and global, the nested interface {@code Imports} of the host
 * functions, the records of multiple results, and whether the module is a WASI command.
 *
 * <p>A module with more than {@link #MAX_TYPED_FUNCTIONS} exported functions has no method per
 * exported function, and one that imports more host functions than that has no {@code Imports}
 * interface: the module class could not hold them beside the instance's state. Such modules are
 * used through {@code Instance.function(name)} and {@code dev.wasm2jvm.runtime.Imports}.
 */
public final class Facade {
    /** The import modules whose functions a {@code WasiPreview1} provides: preview 1 and snapshot 0. */
    static final Set<String> WASI_MODULES = Set.of(WasiPreview1.MODULE, WasiPreview1.SNAPSHOT_0_MODULE);
    static final String IMPORTS_INTERFACE = "Imports";
    static final String INSTANTIATE = "instantiate";
    /** The default method of {@code Imports} that learns each instance before its code runs. */
    static final String BIND = "bind";
    /** The one parameter of the methods for wide functions: their arguments, boxed. */
    static final String WIDE_PARAMETER = "args";
    /** The most exported functions, and the most host functions, that get typed Java methods. */
    public static final int MAX_TYPED_FUNCTIONS = 2048;
    /**
     * The most results that come in a record; more come boxed in an {@code Object[]}, as
     * {@code FuncRef.call} returns them. A record's canonical constructor takes a parameter per
     * component, and a JVM method at most 255 slots (a {@code long} or {@code double} takes two):
     * past them the record's class fails to load ({@code ClassFormatError}). And a record's class
     * file is named after its components, a letter each, where file systems allow 255 bytes.
     */
    static final int MAX_RECORD_COMPONENTS = 100;

    /** Names a generated class inherits or already has, which exports must not take. */
    private static final Set<String> CLASS_RESERVED = Set.of(
            "exports", "export", "exportFunctions", "enter", "exit", "function", "memory", "table", "global", "tag", "funcRef", "funcRefs",
            "getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait", "clone", "finalize",
            INSTANTIATE, "main", "wasiThreadStart", "wasiStart");
    private static final Set<String> INTERFACE_RESERVED = Set.of(BIND,
            "getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait", "clone", "finalize");

    /** An exported function, called by the instance method {@code javaName}. */
    record Function(String javaName, String exportName, int funcidx, FuncType type) {}

    /** An exported memory, table or global, returned by the accessor {@code javaName}. */
    record Accessor(String javaName, String exportName, ExternKind kind, int index) {}

    /** An imported function that the host implements as method {@code javaName} of {@code Imports}. */
    record HostFunction(String javaName, String module, String name, int funcidx, FuncType type) {}

    final WasmModule module;
    /** The internal name of the module class, e.g. {@code com/example/Hello}. */
    final String owner;
    /** Every exported function; {@link #typedFunctions()} are those with a method. */
    final List<Function> functions = new ArrayList<>();
    final List<Accessor> accessors = new ArrayList<>();
    final List<HostFunction> hostFunctions = new ArrayList<>();
    /** Whether the module imports WASI preview 1 or snapshot 0 functions, which a {@code WasiPreview1} provides. */
    final boolean wasi;
    /** The {@code _initialize} function of a WASI reactor, which instantiation calls; -1 if none. */
    final int initialize;
    /** Whether the module is a WASI command: it exports {@code _start: [] -> []}. */
    final boolean command;
    private final CommandSettings settings;

    /**
     * The API of {@code module} compiled as class {@code owner}, an internal name. It takes no
     * {@code ModuleLayout}, so that the Java sources of the API are rendered without building one:
     * the layout names every function of the module, which the API does not need, and a layout for
     * each of the two sources was 1.8% of Sightglass {@code regex}'s compiling thread (its long Rust
     * names made legal and hashed twice over; async-profiler, 60 rounds with {@code --library}).
     *
     * @param settings the settings of {@code main}, or {@code null} for the defaults
     */
    Facade(WasmModule module, String owner, CommandSettings settings) {
        this.settings = settings;
        this.module = module;
        this.owner = owner;
        exports(module);
        hostFunctions(module);
        this.wasi = module.imports().stream()
                .anyMatch(imp -> imp.kind() == ExternKind.FUNC && WASI_MODULES.contains(imp.module()));
        int start = nullaryExport("_start");
        this.command = start >= 0;
        this.initialize = command ? -1 : nullaryExport("_initialize");
    }

    private void exports(WasmModule module) {
        JavaNames members = new JavaNames(CLASS_RESERVED);
        boolean[] kindWordUsed = new boolean[ExternKind.values().length];
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC) {
                functions.add(new Function(members.unique(e.name()), e.name(), e.index(), module.funcType(e.index())));
            } else {
                // An accessor may overload Instance's lookup of the same kind: memory() beside memory(String).
                String word = kindWord(e.kind());
                boolean ownWord = JavaNames.identifier(e.name()).equals(word) && !kindWordUsed[e.kind().ordinal()];
                kindWordUsed[e.kind().ordinal()] |= ownWord;
                accessors.add(new Accessor(ownWord ? word : members.unique(e.name()), e.name(), e.kind(), e.index()));
            }
        }
    }

    /**
     * The imported functions other than WASI's, which the host implements through {@code Imports};
     * none when there are more than {@link #MAX_TYPED_FUNCTIONS}.
     */
    private void hostFunctions(WasmModule module) {
        JavaNames names = new JavaNames(INTERFACE_RESERVED);
        // A module may import one function twice; the host implements it once.
        Set<List<String>> seen = new HashSet<>();
        int funcidx = 0;
        for (Import imp : module.imports()) {
            if (imp.kind() != ExternKind.FUNC) continue;
            if (!WASI_MODULES.contains(imp.module()) && !isThreadSpawn(imp) && seen.add(List.of(imp.module(), imp.name()))) {
                hostFunctions.add(new HostFunction(names.unique(imp.module() + "_" + imp.name()), imp.module(),
                        imp.name(), funcidx, module.types().get(imp.typeidx())));
            }
            funcidx++;
        }
        if (hostFunctions.size() > MAX_TYPED_FUNCTIONS) hostFunctions.clear();
    }

    /** The funcidx of the exported function {@code name} if it has type {@code [] -> []}, or -1. */
    private int nullaryExport(String name) {
        for (Function f : functions) {
            if (f.exportName().equals(name) && f.type().equals(FuncType.EMPTY)) return f.funcidx();
        }
        return -1;
    }

    /** wasi-threads' {@code thread-spawn}, which the program's {@code WasiThreads} provides. */
    private static boolean isThreadSpawn(Import imp) {
        return imp.module().equals("wasi") && imp.name().equals("thread-spawn");
    }

    private static String kindWord(ExternKind kind) {
        return switch (kind) {
            case MEMORY -> "memory";
            case TABLE -> "table";
            case GLOBAL -> "global";
            case TAG -> "tag";
            case FUNC -> "function";
        };
    }

    /**
     * Names for the parameters of function {@code funcidx}: its local names from the name section,
     * made legal, or {@code p0}, {@code p1}, ...; for a wide function, whose parameters come boxed in
     * one array, {@code args}.
     */
    List<String> parameterNames(int funcidx) {
        if (JvmType.isWide(module.funcType(funcidx))) return List.of(WIDE_PARAMETER);
        Map<Integer, String> locals = module.names().locals().getOrDefault(funcidx, Map.of());
        JavaNames names = new JavaNames(Set.of());
        List<String> result = new ArrayList<>();
        int count = module.funcType(funcidx).params().size();
        for (int i = 0; i < count; i++) result.add(names.unique(locals.getOrDefault(i, "p" + i)));
        return result;
    }

    /** The binary class name's simple part, e.g. {@code Hello} for {@code com/example/Hello}. */
    String simpleName() {
        return owner.substring(owner.lastIndexOf('/') + 1);
    }

    /**
     * The guest's {@code argv[0]} when {@code main} runs a command: the module's name from the name
     * section, or else the class's simple name.
     */
    String programName() {
        return module.names().module() != null ? module.names().module() : simpleName();
    }

    /** What {@code main} runs the command with: the given settings, or the program name alone. */
    CommandSettings settings() {
        return settings != null ? settings : new CommandSettings(programName(), List.of(), Map.of());
    }

    /** The exported functions that get a method: all of them, unless there are more than {@link #MAX_TYPED_FUNCTIONS}. */
    List<Function> typedFunctions() {
        return functions.size() > MAX_TYPED_FUNCTIONS ? List.of() : functions;
    }

    boolean hasHostFunctions() {
        return !hostFunctions.isEmpty();
    }

    /** The internal name of the nested interface of host functions. */
    String importsInterface() {
        return owner + "$" + IMPORTS_INTERFACE;
    }

    /** Whether {@code results}, several of them and at most {@link #MAX_RECORD_COMPONENTS}, come in a record. */
    static boolean inRecord(List<ValType> results) {
        return results.size() > 1 && results.size() <= MAX_RECORD_COMPONENTS;
    }

    /** Every distinct list of results that comes in a record, in order of first use. */
    Set<List<ValType>> resultShapes() {
        Set<List<ValType>> shapes = new LinkedHashSet<>();
        for (Function f : typedFunctions()) {
            if (inRecord(f.type.results())) shapes.add(f.type.results());
        }
        for (HostFunction h : hostFunctions) {
            if (inRecord(h.type.results())) shapes.add(h.type.results());
        }
        return shapes;
    }

    /** The simple name of the record of {@code results}: {@code Results_il} for {@code [i32, i64]}. */
    static String recordName(List<ValType> results) {
        StringBuilder sb = new StringBuilder("Results_");
        results.forEach(t -> sb.append(t.letter()));
        return sb.toString();
    }

    /** The internal name of the record of {@code results}. */
    String record(List<ValType> results) {
        return owner + "$" + recordName(results);
    }

    /**
     * The descriptor of a facade method for functions of {@code type}: Java values in (a v128 as a
     * {@code V128}; for a wide type, the boxed arguments' array), a record for several results
     * ({@link #inRecord}), else their boxed array.
     */
    String javaDescriptor(FuncType type) {
        StringBuilder sb = new StringBuilder("(");
        if (JvmType.isWide(type)) sb.append(JvmType.ARGUMENTS_DESCRIPTOR);
        else type.params().forEach(p -> sb.append(JvmType.singleDescriptor(p)));
        String params = sb.append(')').toString();
        if (inRecord(type.results())) return params + "L" + record(type.results()) + ";";
        return params + JvmType.returnDescriptor(type.results());
    }
}
