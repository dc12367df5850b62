package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.debug.LineTable;
import org.objectweb.asm.MethodVisitor;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Where each entity of a module lives in its generated classes: the static method of every function
 * (named after the name section) and the class holding it, and the fields of memories, tables,
 * globals and imported functions. Helpers that the emitters request ({@code call_indirect}
 * dispatchers, the maps of large {@code br_table}s) are collected here so the module emitter can
 * generate each once; trial emissions request theirs of a {@link #scratch} copy.
 */
public final class ModuleLayout {
    /** Functions per generated factory method of function references; keeps each method small. */
    public static final int FUNC_REF_CHUNK = 400;

    public final WasmModule module;
    /** The internal name of the module class, e.g. {@code com/example/Hello}. */
    public final String owner;
    /** The source lines of the module's code, from its DWARF, or {@code null} without usable DWARF. */
    public final LineTable lines;
    private final String[] functionNames;
    private final boolean[] exportedGlobals;
    private final int importedFunctions;
    private final int importedGlobals;
    private final Map<String, int[]> callIndirects = new LinkedHashMap<>();
    /**
     * The name of each dispatcher requested, by {@code typeidx << 32 | tableidx}: every
     * {@code call_indirect} asks, and building the name and hashing it each time was 0.2% of the
     * SQLite shell's compiling thread.
     */
    private final Map<Long, String> callIndirectNames = new HashMap<>();
    private final Map<String, int[]> brTableMaps = new LinkedHashMap<>();
    private final int maxResultSlots;
    private final boolean v128Global;
    /** The type of each memory, imported or defined: emitters ask at every access. */
    private final MemoryType[] memoryTypes;
    /** Where the methods of the code are: in the module class until they are spread. */
    private IntUnaryOperator functionClass = funcidx -> 0;
    private String[] codeClasses = new String[0];
    private String[] refsClasses = new String[0];

    /** What the layout learns by reading the code, shared with its scratch copies. */
    private final CodeFacts codeFacts;
    /**
     * The method descriptor of the functions of each type, by typeidx, and the field name and
     * descriptor of each global: emitters ask at every call and every access of a global, and
     * building the strings each time was a tenth of the allocation of emitting.
     */
    private final String[] typeDescriptors;
    private final String[] globalFields;
    private final String[] globalDescriptors;
    /**
     * The descriptor of each type's {@code call_indirect} dispatcher, by typeidx, the name of each
     * memory's field and the module class's descriptor: as above, asked at every indirect call and
     * memory access; built each time, they were 0.5% of the SQLite shell's compiling thread, and
     * the new strings cost as much again in {@code StackMapFrames}' table of descriptors and ASM's
     * constant pool, which hash and compare them. Both kinds of descriptor are interned: a direct
     * call of a function of {@code (i32, i32) -> i32} and an indirect call of type
     * {@code (i32) -> i32} share one, as do equal types, and the table, shared by compilations,
     * finds by identity only the instance it met first (2,000 of the shell's indirect calls
     * reached it with another).
     */
    private final String[] callIndirectDescriptors;
    /**
     * The signature string of each type ({@code FuncType.signature}), by typeidx: a reference
     * factory pushes its function's at every case, a case per function of the module.
     */
    private final String[] signatures;
    private final String[] memoryFields;
    private final String ownerDescriptor;

    public ModuleLayout(WasmModule module, String owner) {
        this.module = module;
        this.owner = owner;
        this.lines = LineTable.of(module).orElse(null);
        this.importedFunctions = module.importCount(ExternKind.FUNC);
        this.importedGlobals = module.importCount(ExternKind.GLOBAL);
        this.functionNames = functionNames(module);
        this.codeFacts = new CodeFacts(module, functionNames);
        this.maxResultSlots = module.types().stream()
                .mapToInt(t -> t.results().stream().mapToInt(JvmLimits::slots).sum()).max().orElse(0);
        this.v128Global = IntStream.range(0, module.globalCount()).anyMatch(g -> module.globalType(g).valType() == ValType.V128);
        this.memoryTypes = new MemoryType[module.memoryCount()];
        this.memoryFields = new String[memoryTypes.length];
        for (int m = 0; m < memoryTypes.length; m++) {
            memoryTypes[m] = module.memoryType(m);
            memoryFields[m] = GeneratedNames.memoryField(m);
        }
        this.exportedGlobals = new boolean[module.globalCount()];
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.GLOBAL) exportedGlobals[e.index()] = true;
        }
        List<FuncType> types = module.types();
        this.typeDescriptors = new String[types.size()];
        this.ownerDescriptor = "L" + owner + ";";
        this.callIndirectDescriptors = new String[types.size()];
        this.signatures = new String[types.size()];
        for (int t = 0; t < typeDescriptors.length; t++) {
            typeDescriptors[t] = JvmType.methodDescriptor(types.get(t), owner).intern();
            callIndirectDescriptors[t] = callIndirectDescriptor(types.get(t)).intern();
            signatures[t] = types.get(t).signature();
        }
        this.globalFields = new String[module.globalCount()];
        this.globalDescriptors = new String[globalFields.length];
        for (int g = 0; g < globalFields.length; g++) {
            globalFields[g] = GeneratedNames.globalField(g);
            globalDescriptors[g] = isGlobalBoxed(g) ? RuntimeRefs.GLOBAL_DESCRIPTOR
                    : JvmType.singleDescriptor(module.globalType(g).valType());
        }
    }

    /** A copy of {@code layout} whose requests for helpers are its own: see {@link #scratch}. */
    private ModuleLayout(ModuleLayout layout) {
        this.module = layout.module;
        this.owner = layout.owner;
        this.lines = layout.lines;
        this.importedFunctions = layout.importedFunctions;
        this.importedGlobals = layout.importedGlobals;
        this.functionNames = layout.functionNames;
        this.codeFacts = layout.codeFacts;
        this.maxResultSlots = layout.maxResultSlots;
        this.v128Global = layout.v128Global;
        this.memoryTypes = layout.memoryTypes;
        this.exportedGlobals = layout.exportedGlobals;
        this.typeDescriptors = layout.typeDescriptors;
        this.globalFields = layout.globalFields;
        this.globalDescriptors = layout.globalDescriptors;
        this.callIndirectDescriptors = layout.callIndirectDescriptors;
        this.signatures = layout.signatures;
        this.memoryFields = layout.memoryFields;
        this.ownerDescriptor = layout.ownerDescriptor;
        this.functionClass = layout.functionClass;
        this.codeClasses = layout.codeClasses;
        this.refsClasses = layout.refsClasses;
    }

    /**
     * The layout for a trial emission, which only measures: the same names and places, but the
     * {@code call_indirect} dispatchers and {@code br_table} maps it requests are not generated, so
     * that a rejected split leaves nothing in the module's classes.
     */
    public ModuleLayout scratch() {
        return new ModuleLayout(this);
    }

    /** The most JVM stack slots the results of any function type of the module take: the most one call pushes. */
    public int maxResultSlots() {
        return maxResultSlots;
    }

    /** Whether a global of the module holds a {@code v128}, whose {@code global.get} pushes four slots. */
    public boolean v128Global() {
        return v128Global;
    }

    public String ownerDescriptor() {
        return ownerDescriptor;
    }

    /**
     * Moves the methods of functions and outlined constructs out of the module class into
     * {@code count} code classes {@code <owner>$Code<k>}, function {@code funcidx}'s into code class
     * {@code functionClass(funcidx)}; the pipeline's {@code ClassPartition} decides them.
     */
    public void spread(int count, IntUnaryOperator functionClass) {
        this.functionClass = functionClass;
        this.codeClasses = new String[count];
        this.refsClasses = new String[codeClasses.length];
        for (int k = 0; k < codeClasses.length; k++) {
            codeClasses[k] = GeneratedNames.codeClass(owner, k);
            refsClasses[k] = GeneratedNames.refsClass(owner, k);
        }
    }

    /**
     * The internal name of the class holding the factory of references to function {@code funcidx}
     * and the {@code call_indirect} cases that call it: the module class, or beside code class k the
     * class {@code <owner>$Refs<k>}. Kept out of the code class so that making a reference (a table
     * of thousands is filled at instantiation) loads the code class but neither initialises nor
     * verifies it: that waits for the first call.
     */
    public String refsOwner(int funcidx) {
        return codeClasses.length == 0 ? owner : refsClasses[functionClass.applyAsInt(funcidx)];
    }

    /** The index of the code class holding function {@code funcidx}'s method; 0 when there are none. */
    public int codeClassIndex(int funcidx) {
        return codeClasses.length == 0 ? 0 : functionClass.applyAsInt(funcidx);
    }

    /** The internal names of the classes of references beside the code classes, by index. */
    List<String> refsClasses() {
        return List.of(refsClasses);
    }

    /** The internal name of the class holding function {@code funcidx}'s method. */
    public String functionOwner(int funcidx) {
        return codeClasses.length == 0 ? owner : codeClasses[functionClass.applyAsInt(funcidx)];
    }

    /** The internal name of code class {@code k}, or of the module class while it holds every method. */
    public String codeClassOwner(int k) {
        return codeClasses.length == 0 ? owner : codeClasses[k];
    }

    /** The internal names of the code classes: none when the methods are in the module class. */
    public List<String> codeClasses() {
        return List.of(codeClasses);
    }

    public boolean isImportedFunction(int funcidx) {
        return funcidx < importedFunctions;
    }

    public String functionName(int funcidx) {
        return functionNames[funcidx];
    }

    /** Whether function {@code funcidx} is defined and makes tail calls. */
    public boolean makesTailCalls(int funcidx) {
        return codeFacts.get().bodyNames[funcidx] != null;
    }

    /**
     * The name of the method holding the code of function {@code funcidx}: its {@link #functionName}
     * unless it makes tail calls, whose code is a body beside the method of the function's name.
     */
    public String bodyName(int funcidx) {
        String body = codeFacts.get().bodyNames[funcidx];
        return body != null ? body : functionNames[funcidx];
    }

    public CallEffects callEffects() {
        return codeFacts.get().callEffects;
    }

    /** The defined functions entered at most once per instance. */
    public EnteredOnce enteredOnce() {
        return codeFacts.get().enteredOnce;
    }

    /**
     * What the bodies' effects ({@code module.CodeEffects}, found by validation) tell the layout,
     * worked out when an emitter first asks, once, whichever thread asks first: a layout that only
     * names the module's API for its Java source ({@code facade.FacadeSource}) never builds the call
     * graph.
     */
    private static final class CodeFacts {
        private final WasmModule module;
        private final String[] functionNames;
        private volatile Read read;

        /**
         * @param bodyNames   the name of the body of each defined function that makes tail calls, whose
         *                    method of the function's name runs the body's tail calls
         *                    ({@code body.CallEmitter}); null for the others
         * @param callEffects which functions poll on entry and which calls leave memory 0's cached
         *                    segment valid
         * @param enteredOnce which functions are entered at most once per instance
         */
        private record Read(String[] bodyNames, CallEffects callEffects, EnteredOnce enteredOnce) {}

        CodeFacts(WasmModule module, String[] functionNames) {
            this.module = module;
            this.functionNames = functionNames;
        }

        Read get() {
            Read r = read;
            if (r == null) {
                synchronized (this) {
                    r = read;
                    if (r == null) {
                        CallEffects effects = CallEffects.of(module);
                        read = r = new Read(bodyNames(module, functionNames, effects), effects, EnteredOnce.of(module));
                    }
                }
            }
            return r;
        }
    }

    private static String[] bodyNames(WasmModule module, String[] functionNames, CallEffects effects) {
        String[] names = new String[functionNames.length];
        int imported = module.importCount(ExternKind.FUNC);
        Set<String> taken = null;
        for (int i = 0; i < module.codes().size(); i++) {
            if (!effects.makesTailCalls(imported + i)) continue;
            if (taken == null) taken = new HashSet<>(List.of(functionNames));
            String name = functionNames[imported + i] + "$tail";
            while (!taken.add(name)) name += "$";
            names[imported + i] = name;
        }
        return names;
    }

    public String functionDescriptor(int funcidx) {
        return typeDescriptors[module.typeIndexOf(funcidx)];
    }

    /** The field holding the {@code FuncRef} an imported function resolved to. */
    public String importField(int funcidx) {
        return GeneratedNames.importField(funcidx);
    }

    public MemoryType memoryType(int memidx) {
        return memoryTypes[memidx];
    }

    public String memoryField(int memidx) {
        return memoryFields[memidx];
    }

    public String tableField(int tableidx) {
        return GeneratedNames.tableField(tableidx);
    }

    public String globalField(int globalidx) {
        return globalFields[globalidx];
    }

    public String tagField(int tagidx) {
        return GeneratedNames.tagField(tagidx);
    }

    /** Pushes the {@code Tag} of tag {@code tagidx}, given the instance on the stack. */
    public void getTag(MethodVisitor mv, int tagidx) {
        mv.visitFieldInsn(org.objectweb.asm.Opcodes.GETFIELD, owner, tagField(tagidx), RuntimeRefs.TAG_DESCRIPTOR);
    }

    /**
     * Whether global {@code globalidx} is a shared {@code Global} object (imported or exported) rather
     * than a plain field of its JVM type.
     */
    public boolean isGlobalBoxed(int globalidx) {
        return globalidx < importedGlobals || exportedGlobals[globalidx];
    }

    public String globalDescriptor(int globalidx) {
        return globalDescriptors[globalidx];
    }

    /** The dispatcher for {@code call_indirect typeidx tableidx}, registering it for generation. */
    public String callIndirectMethod(int typeidx, int tableidx) {
        long key = (long) typeidx << 32 | tableidx;
        String name = callIndirectNames.get(key);
        if (name == null) {
            name = GeneratedNames.callIndirect(typeidx, tableidx);
            callIndirectNames.put(key, name);
            callIndirects.put(name, new int[] {typeidx, tableidx});
        }
        return name;
    }

    /** The signature string of type {@code typeidx}, which {@code FuncRef}s carry: {@code FuncType.signature}. */
    public String signature(int typeidx) {
        return signatures[typeidx];
    }

    /** The descriptor of a call_indirect dispatcher: the function's parameters, the element index, the instance. */
    public String callIndirectDescriptor(int typeidx) {
        return callIndirectDescriptors[typeidx];
    }

    private String callIndirectDescriptor(FuncType type) {
        return "(" + JvmType.parameterDescriptors(type) + "I" + ownerDescriptor() + ")" + JvmType.returnDescriptor(type.results());
    }

    /** The call_indirect dispatchers requested so far: name to {typeidx, tableidx}. */
    public Map<String, int[]> callIndirects() {
        return callIndirects;
    }

    /**
     * A static {@code int[]} field holding {@code map}, for the {@code br_table} at module offset
     * {@code offset} that is too large for one tableswitch.
     */
    public String brTableMap(int offset, int[] map) {
        String name = GeneratedNames.brTableMap(offset);
        brTableMaps.put(name, map);
        return name;
    }

    public Map<String, int[]> brTableMaps() {
        return brTableMaps;
    }

    /**
     * Method names: the name section's, made legal for the JVM ({@code . ; [ / < >} become {@code _})
     * and unique; functions without one are called after their first export, or their import, or
     * else {@code func<funcidx>}.
     */
    private static String[] functionNames(WasmModule module) {
        int count = module.functionCount();
        // The first export's name of each function in an array, not a map of boxed indices. The
        // name section's map is asked per function: walking it (Map.forEach) was 0.3% of
        // Sightglass regex's compiling thread against 0.05% for the lookups.
        String[] names = new String[count];
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC && names[e.index()] == null) names[e.index()] = e.name();
        }
        Set<String> used = HashSet.newHashSet(count);
        for (int i = 0; i < count; i++) {
            String name = module.names().functions().get(i);
            if (name == null) name = names[i];
            if (name == null) {
                Import imp = module.importOf(ExternKind.FUNC, i);
                name = imp != null ? imp.name() : "func" + i;
            }
            name = legal(name);
            if (GeneratedNames.isReserved(name) || !used.add(name)) {
                name = GeneratedNames.uniqueFunction(name, i);
                used.add(name);
            }
            names[i] = name;
        }
        return names;
    }

    /**
     * {@code name} with the characters the JVM forbids in member names replaced, cut at 1,000
     * characters. A name that needs neither is returned as it is, not copied: most do, and copying
     * Sightglass {@code regex}'s long Rust names char by char was 1.6% of its compiling thread
     * (async-profiler, 60 rounds with {@code --library}; a layout for each Java source too).
     */
    public static String legal(String name) {
        if (name.isEmpty()) return "_";
        int length = Math.min(name.length(), 1000);
        int i = 0;
        while (i < length && !forbidden(name.charAt(i))) i++;
        if (i == name.length()) return name;
        StringBuilder sb = new StringBuilder(length).append(name, 0, i);
        for (; i < length; i++) {
            char c = name.charAt(i);
            sb.append(forbidden(c) ? '_' : c);
        }
        return sb.toString();
    }

    private static boolean forbidden(char c) {
        return c == '.' || c == ';' || c == '[' || c == '/' || c == '<' || c == '>';
    }
}
