package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.body.EntryWrites;
import dev.wasm2jvm.compiler.emit.facade.Facade;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.StringConstant;
import dev.wasm2jvm.compiler.emit.split.Outlining;
import dev.wasm2jvm.compiler.emit.split.Region;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which class holds each method of a module's code. A class file has at most 65,535 constant pool
 * entries, so a module whose code needs more cannot be one class; and the JVM parses and verifies a
 * class as a whole when it is first used, so a class of megabytes would cost a program that calls
 * one of its functions the time of all of them. A module whose code needs more constants, or is
 * larger than {@link #CODE_BYTES}, keeps the instance's state and API in the module class, and the
 * methods of the functions and of their outlined constructs, in funcidx order, fill code classes one
 * after another, each loaded when one of its methods is first called.
 *
 * <p>The split is decided before any code is emitted, because call sites name the class of the
 * callee, from a conservative count of the entries each method adds to its class: the distinct
 * callees, globals, tables and numeric constants of its code, its own declaration and function
 * reference, its local names, and the frame fields and outlined methods it uses. Entries that any
 * class may share (the runtime's members, trap messages, the module's classes) are covered by a
 * fixed {@link #RESERVED} allowance.
 *
 * <p>Smaller classes would not make a run load less: the functions a run enters are spread through
 * the funcidx order. Sightglass rust-html-rewriter enters 32% of its code classes' bytecode, but
 * classes of at most 40, 20 or 10 KB of bytecode (instead of some 280) would still load 88%, 83% and
 * 78% of it, regex 100%, 100% and 94% (simulated from the methods a run enters); and the call graph
 * does not tell those functions apart, Rust's {@code main} being reached only through the table,
 * which reaches every function. {@code benchmarks/startup/README.md} has the figures.
 */
public final class ClassPartition {
    /** The entries every class may need whatever its methods: runtime members, strings, class names. */
    private static final int RESERVED = 6_000;
    /** The entries a class may give its methods. */
    private static final int BUDGET = JvmLimits.MAX_CONSTANT_POOL - RESERVED;
    /**
     * The bytes of wasm code a class holds at most (a function larger than this has a class of its
     * own): a class file of at most about a megabyte, which HotSpot parses and verifies in tens of
     * milliseconds.
     */
    static final int CODE_BYTES = 192 * 1024;
    /**
     * Outlined constructs by start, enclosing constructs before those they enclose; made once, not
     * per function (the comparator's lambdas and the sorting of an empty list cost each function
     * that is not split 0.3 to 0.4% of Sightglass {@code sqlite3}'s compiling thread).
     */
    private static final Comparator<Region> BY_START = Comparator.comparingInt((Region r) -> r.start).thenComparingInt(r -> -r.end);
    /** Every method in the module class. */
    public static final ClassPartition ONE_CLASS = new ClassPartition(0, null, Map.of());

    private final int codeClasses;
    private final int[] functionClass;
    private final Map<Region, Integer> regionClass;

    private ClassPartition(int codeClasses, int[] functionClass, Map<Region, Integer> regionClass) {
        this.codeClasses = codeClasses;
        this.functionClass = functionClass;
        this.regionClass = regionClass;
    }

    /** The number of code classes, 0 when the module class holds every method. */
    public int codeClassCount() {
        return codeClasses;
    }

    /** The code class of function {@code funcidx}'s method. */
    public int functionClass(int funcidx) {
        return functionClass[funcidx];
    }

    /** The code class of the method of outlined construct {@code r}. */
    public int regionClass(Region r) {
        return regionClass.get(r);
    }

    /**
     * The classes of {@code module}'s methods, from the entries of each function's methods by funcidx
     * ({@link Counter#count}).
     */
    static ClassPartition of(WasmModule module, Entries[] functions) {
        List<Method> methods = new ArrayList<>();
        long moduleClass = moduleClassEntries(module);
        for (Entries f : functions) {
            methods.addAll(f.methods);
            moduleClass += f.moduleClass;
        }
        // Without code to move, a module class too large is not helped by code classes.
        if (module.functionCount() == 0 || fitsOneClass(module, methods, moduleClass)) return ONE_CLASS;
        int[] functionClass = new int[functions.length];
        Map<Region, Integer> regionClass = new IdentityHashMap<>();
        Set<Key> inClass = new HashSet<>();
        int k = 0;
        long used = 0;
        long codeInClass = 0;
        for (Method m : methods) {
            // The method's keys join the class before it is known to fit: if it does not, the class
            // is closed and its set cleared anyway. One lookup per key rather than two (a test,
            // then the class's addAll): this method was 2.2% of the SQLite shell's compiling thread, 1.75% now.
            long added = m.own;
            for (Key key : m.keys) {
                if (inClass.add(key)) added += key.weight();
            }
            if (used > 0 && (used + added > BUDGET || codeInClass + m.code > CODE_BYTES)) {
                k++;
                inClass.clear();
                inClass.addAll(m.keys);
                used = m.own;
                for (Key key : m.keys) used += key.weight();
                codeInClass = m.code;
            } else {
                used += added;
                codeInClass += m.code;
            }
            if (m.region == null) functionClass[m.funcidx] = k;
            else regionClass.put(m.region, k);
        }
        return new ClassPartition(k + 1, functionClass, regionClass);
    }

    /**
     * Whether the module class can hold every method: its code is at most {@link #CODE_BYTES} and
     * the entries of all its methods fit. The code is counted first: a large module's code classes
     * are decided without gathering every entry of the module in one set.
     */
    private static boolean fitsOneClass(WasmModule module, List<Method> methods, long moduleClass) {
        long code = 0;
        for (FunctionBody body : module.codes()) code += body.code().length;
        if (code > CODE_BYTES) return false;
        Set<Key> all = new HashSet<>();
        long total = moduleClass;
        for (Method m : methods) {
            total += m.own;
            for (Key k : m.keys) {
                if (all.add(k)) total += k.weight();
            }
        }
        return total <= BUDGET;
    }

    /**
     * The entries of the module class besides the functions: fields, the constructor's imports,
     * exports and segments, the typed API, the dispatchers and factories of function references.
     */
    private static long moduleClassEntries(WasmModule module) {
        // Per import: its field's name, Fieldref and NameAndType, its names' strings; for a host
        // function, its method handle in the typed API.
        long entries = 12L * module.imports().size();
        entries += 5L * (module.globalCount() + module.tableCount() + module.memoryCount());
        long exportedFunctions = module.exports().stream().filter(e -> e.kind() == ExternKind.FUNC).count();
        for (Export e : module.exports()) {
            // A function's name is a part of one string; its typed method needs a name, descriptor,
            // Methodref and NameAndType, and its parameters' names.
            if (e.kind() != ExternKind.FUNC) entries += 6;
            else if (exportedFunctions <= Facade.MAX_TYPED_FUNCTIONS) entries += 6 + module.funcType(e.index()).params().size();
        }
        entries += 2 * stringChunks(module.exports().stream().mapToLong(e -> e.name().length() + 4).sum());
        for (ElemSegment segment : module.elements()) {
            entries += 6 + 2 * stringChunks(2L * segment.init().size()) + 6L * segment.init().size();
        }
        // Per data segment: the constants of its offset and length (the bytes are in a resource).
        entries += 2L * module.data().size();
        entries += 8L * module.types().size() * Math.max(1, module.tableCount());
        return entries + 5L * (module.functionCount() / ModuleLayout.FUNC_REF_CHUNK + 1);
    }

    /** The typeidx of every function, imported or defined. */
    private static int[] typeIndices(WasmModule module) {
        int[] typeidxs = new int[module.functionCount()];
        int funcidx = 0;
        for (Import imp : module.imports()) {
            if (imp.kind() == ExternKind.FUNC) typeidxs[funcidx++] = imp.typeidx();
        }
        for (int typeidx : module.functions()) typeidxs[funcidx++] = typeidx;
        return typeidxs;
    }

    /** The constants that {@code length} chars of string constants need. */
    private static long stringChunks(long length) {
        return length / StringConstant.CHUNK + 1;
    }

    /**
     * A group of entries that methods of one class share: one kind of entity, one of them. Its
     * {@code equals} and {@code hashCode} are written out, with the hash a record's would have: the
     * record's own, through method handles, were 1% of the compiling thread (Ruby).
     */
    private record Key(char kind, Object value, int weight) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && kind == k.kind && weight == k.weight && value.equals(k.value);
        }

        @Override
        public int hashCode() {
            return (31 * Character.hashCode(kind) + value.hashCode()) * 31 + Integer.hashCode(weight);
        }
    }

    /** The entries a method needs: those only it needs, and those it may share with methods of its class. */
    private static final class Method {
        final int funcidx;
        /** The outlined construct, or {@code null} for the function's own method. */
        final Region region;
        final Set<Key> keys = new HashSet<>();
        int own;
        /** The bytes of wasm code it compiles: a function's body, counted once with its own method. */
        int code;

        Method(int funcidx, Region region) {
            this.funcidx = funcidx;
            this.region = region;
        }
    }

    /**
     * The constant pool entries of one function's methods: its own, then those of its outlined
     * constructs in the order of the code; and those it adds to the module class. The pass that
     * counts a defined function that is not split also finds the locals its entry code sets
     * ({@link EntryWrites}), which its emission needs: {@code entryWrites}, else {@code null}.
     */
    record Entries(List<Method> methods, long moduleClass, BitSet entryWrites) {}

    /**
     * Counts the entries of each function's methods. It only reads the module, so functions may be
     * counted on several threads at once, each as soon as it is planned.
     */
    static final class Counter {
        private final WasmModule module;
        private final int[] typeidxs;
        /** Whether each memory is 64-bit, whose offsets are long constants. */
        private final boolean[] memory64;

        Counter(WasmModule module) {
            this.module = module;
            this.typeidxs = typeIndices(module);
            this.memory64 = new boolean[module.memoryCount()];
            for (int m = 0; m < memory64.length; m++) memory64[m] = module.memoryType(m).address64();
        }

        /** The entries of function {@code funcidx}'s methods, split as {@code outlining} says ({@code null}: not split). */
        Entries count(int funcidx, Outlining outlining) {
            List<Method> methods = new ArrayList<>();
            EntryWrites entryWrites = outlining == null && funcidx >= module.importCount(ExternKind.FUNC) ? new EntryWrites() : null;
            long moduleClass = methods(module, memory64, funcidx, typeidxs, outlining, methods, entryWrites);
            return new Entries(methods, moduleClass, entryWrites == null ? null : entryWrites.written());
        }
    }

    /**
     * Adds the methods of function {@code funcidx} to {@code methods}: its own, then those of its
     * outlined constructs in the order of the code. Returns the entries it adds to the module class.
     */
    private static long methods(WasmModule module, boolean[] memory64, int funcidx, int[] typeidxs, Outlining outlining,
                                List<Method> methods, EntryWrites entryWrites) {
        Method function = new Method(funcidx, null);
        // The handle and funcidx constant of its reference, its share of the names of the factories
        // of references, and for an import the Fieldref, NameAndType and name of its field; its
        // declaration is its entry as a callee.
        function.own = 6;
        function.keys.add(callee(funcidx));
        // Per type in a class: the signature string of references, the descriptors of its handles
        // and of the call_indirect helpers of each table, the names of those helpers.
        function.keys.add(new Key('s', typeidxs[funcidx], 4 + 2 * module.tableCount()));
        methods.add(function);
        // Not module.functions(), which copies its array: called per function, that is quadratic.
        int defined = funcidx - module.importCount(ExternKind.FUNC);
        if (defined < 0) return 0;
        FunctionBody body = module.codes().get(defined);
        function.code = body.code().length;
        Map<Integer, String> names = module.names().locals().get(funcidx);
        if (names != null) names.values().forEach(n -> function.keys.add(new Key('n', n, 1)));
        List<Region> regions = List.of();
        if (outlining != null) {
            regions = new ArrayList<>(outlining.regions());
            regions.sort(BY_START);
        }
        // Only a split function's instructions need their offsets, to find the method holding each.
        OutlinedUses outlined = regions.isEmpty() ? null : new OutlinedUses(memory64, body.offset(), regions, function);
        Uses uses = outlined != null ? outlined
                : entryWrites != null ? new UsesAndEntryWrites(memory64, function, entryWrites)
                : new Uses(memory64, function);
        for (Region r : regions) {
            Method m = new Method(funcidx, r);
            outlined.methods.put(r, m);
            methods.add(m);
        }
        CodeReader.read(body.code(), body.offset(), uses);
        if (outlining != null) {
            int locals = module.funcType(funcidx).params().size() + body.locals().size();
            Key frame = new Key('f', funcidx, 4);
            Key values = new Key('v', funcidx, 3 * (outlining.frame.fieldCount() - locals));
            function.keys.add(frame);
            for (Region r : regions) {
                Method m = outlined.methods.get(r);
                Method caller = outlined.caller(r);
                Key method = new Key('r', r, 4);
                for (Method side : List.of(m, caller)) {
                    side.keys.add(method);
                    side.keys.add(frame);
                    side.keys.add(values);
                    BitSet touched = r.touched();
                    for (int l = touched.nextSetBit(0); l >= 0; l = touched.nextSetBit(l + 1)) {
                        side.keys.add(new Key('l', (long) funcidx << 32 | l, 3));
                    }
                }
            }
        }
        return uses.moduleClass;
    }

    /** A function as a callee: Methodref, NameAndType, name and descriptor; classes are in {@link #RESERVED}. */
    private static Key callee(int funcidx) {
        return new Key('c', funcidx, 4);
    }

    /**
     * Collects the entries that a function's instructions need, each for the method that holds it:
     * the innermost outlined construct around it ({@link OutlinedUses}), else the function's own method.
     */
    private static class Uses extends InstructionVisitor {
        /** The entries the function adds to the module class: the fields and strings of large br_tables. */
        long moduleClass;
        /** Whether each memory is 64-bit, whose offsets are long constants. */
        private final boolean[] memory64;
        final Method function;
        Method current;

        Uses(boolean[] memory64, Method function) {
            this.memory64 = memory64;
            this.function = function;
            this.current = function;
        }

        private void add(char kind, Object value, int weight) {
            current.keys.add(new Key(kind, value, weight));
        }

        private void intConstant(long value) {
            if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) add('I', value, 1);
        }

        @Override public void visitInsn(int opcode) { }
        @Override public void visitBlock(int opcode, BlockType blocktype) { }
        @Override public void visitElse() { }
        @Override public void visitEnd() { }
        @Override public void visitBranch(int opcode, int labelidx) { }
        @Override public void visitCatch(int tagidx) { if (tagidx >= 0) add('t', tagidx, 4); }
        @Override public void visitDelegate(int labelidx) { }
        @Override public void visitRethrow(int labelidx) { }
        @Override public void visitThrow(int tagidx) { add('t', tagidx, 4); }

        @Override
        public void visitTryTable(BlockType blocktype, Catch[] catches) {
            for (Catch c : catches) if (!c.all()) add('t', c.tagidx(), 4);
        }

        @Override
        public void visitBrTable(int[] labels, int defaultLabel) {
            if (labels.length > JvmLimits.MAX_INLINE_TABLE) {
                // Its map's Fieldref, NameAndType and name; the field and string constants in the module class.
                current.own += 3;
                moduleClass += 6 + 2 * stringChunks(2L * labels.length);
                intConstant(labels.length);
            }
        }

        @Override public void visitCall(int funcidx) { current.keys.add(callee(funcidx)); }
        @Override public void visitCallIndirect(int typeidx, int tableidx) { add('i', (long) typeidx << 32 | tableidx, 4); }

        @Override
        public void visitVariable(int opcode, int index) {
            if (opcode == Opcodes.GLOBAL_GET || opcode == Opcodes.GLOBAL_SET) add('g', index, 4);
        }

        @Override public void visitSelectTyped(ValType[] types) { }
        @Override public void visitI32Const(int value) { intConstant(value); }
        @Override public void visitI64Const(long value) { add('J', value, 2); }
        @Override public void visitF32Const(int bits) { add('F', bits, 1); }
        @Override public void visitF64Const(long bits) { add('D', bits, 2); }
        @Override public void visitRefNull(ValType type) { }
        @Override public void visitRefFunc(int funcidx) { intConstant(funcidx); }
        @Override
        public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
            memory(memidx);
            // Atomics and 64-bit addresses add the offset as a long.
            if (Opcodes.prefix(opcode) == Opcodes.PREFIX_ATOMIC || memory64[memidx]) add('J', offset, 2);
            else intConstant((int) offset);
        }

        /** The field of a memory other than memory 0, which a function caches in a local. */
        private void memory(int memidx) {
            if (memidx != 0) add('m', memidx, 4);
        }

        @Override
        public void visitMemoryInsn(int opcode, int index, int index2) {
            if (opcode == Opcodes.MEMORY_INIT) {
                memory(index2);
            } else if (opcode != Opcodes.DATA_DROP) {
                memory(index);
                memory(index2);
            }
            intConstant(index);
            intConstant(index2);
        }

        @Override
        public void visitTableInsn(int opcode, int index, int index2) {
            add('t', index, 4);
            add('t', index2, 4);
            intConstant(index);
            intConstant(index2);
        }

        @Override public void visitV128Const(byte[] bytes) { }
        @Override public void visitShuffle(byte[] lanes) { }
        @Override public void visitLane(int opcode, int lane) { }
        @Override
        public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
            memory(memidx);
            if (memory64[memidx]) add('J', offset, 2);
        }
    }

    /**
     * {@link Uses} of a function that is not split, which also drive {@link EntryWrites} over its
     * body: a pass of their own cost as much as this one (the decoding and a call per instruction).
     */
    private static final class UsesAndEntryWrites extends Uses {
        private final EntryWrites entryWrites;

        UsesAndEntryWrites(boolean[] memory64, Method function, EntryWrites entryWrites) {
            super(memory64, function);
            this.entryWrites = entryWrites;
        }

        @Override
        public void visitInsn(int opcode) {
            super.visitInsn(opcode);
            entryWrites.visitInsn(opcode);
        }

        @Override
        public void visitBlock(int opcode, BlockType blocktype) {
            super.visitBlock(opcode, blocktype);
            entryWrites.visitBlock(opcode, blocktype);
        }

        @Override
        public void visitTryTable(BlockType blocktype, Catch[] catches) {
            super.visitTryTable(blocktype, catches);
            entryWrites.visitTryTable(blocktype, catches);
        }

        @Override
        public void visitThrow(int tagidx) {
            super.visitThrow(tagidx);
            entryWrites.visitThrow(tagidx);
        }

        @Override
        public void visitCatch(int tagidx) {
            super.visitCatch(tagidx);
            entryWrites.visitCatch(tagidx);
        }

        @Override
        public void visitDelegate(int labelidx) {
            super.visitDelegate(labelidx);
            entryWrites.visitDelegate(labelidx);
        }

        @Override
        public void visitRethrow(int labelidx) {
            super.visitRethrow(labelidx);
            entryWrites.visitRethrow(labelidx);
        }

        @Override
        public void visitElse() {
            super.visitElse();
            entryWrites.visitElse();
        }

        @Override
        public void visitEnd() {
            super.visitEnd();
            entryWrites.visitEnd();
        }

        @Override
        public void visitBranch(int opcode, int labelidx) {
            super.visitBranch(opcode, labelidx);
            entryWrites.visitBranch(opcode, labelidx);
        }

        @Override
        public void visitBrTable(int[] labels, int defaultLabel) {
            super.visitBrTable(labels, defaultLabel);
            entryWrites.visitBrTable(labels, defaultLabel);
        }

        @Override
        public void visitReturnCall(int funcidx) {
            super.visitReturnCall(funcidx);
            entryWrites.visitReturnCall(funcidx);
        }

        @Override
        public void visitReturnCallIndirect(int typeidx, int tableidx) {
            super.visitReturnCallIndirect(typeidx, tableidx);
            entryWrites.visitReturnCallIndirect(typeidx, tableidx);
        }

        @Override
        public void visitVariable(int opcode, int index) {
            super.visitVariable(opcode, index);
            entryWrites.visitVariable(opcode, index);
        }
    }

    /** {@link Uses} of a split function: before each instruction, the method that holds it. */
    private static final class OutlinedUses extends Uses {
        final Map<Region, Method> methods = new IdentityHashMap<>();
        private final int bodyOffset;
        /** By start, enclosing constructs before those they enclose. */
        private final List<Region> regions;
        private final Deque<Region> open = new ArrayDeque<>();
        private final Map<Region, Region> parents = new IdentityHashMap<>();
        private int next;
        /**
         * The first position where the method may change: the next region's start or the innermost
         * open one's end. Before it, an instruction is in the method of the one before, which spares
         * a map lookup per instruction: this method was 0.96% of the SQLite shell's compiling thread,
         * 0.18% so.
         */
        private int nextChange;

        OutlinedUses(boolean[] memory64, int bodyOffset, List<Region> regions, Method function) {
            super(memory64, function);
            this.bodyOffset = bodyOffset;
            this.regions = regions;
        }

        /** The method that calls outlined construct {@code r}'s. */
        Method caller(Region r) {
            Region parent = parents.get(r);
            return parent == null ? function : methods.get(parent);
        }

        @Override
        public void visitOffset(int offset) {
            int position = offset - bodyOffset;
            if (position < nextChange) return;
            while (!open.isEmpty() && position >= open.peek().end) open.pop();
            while (next < regions.size() && regions.get(next).start <= position) {
                Region r = regions.get(next++);
                while (!open.isEmpty() && r.start >= open.peek().end) open.pop();
                if (!open.isEmpty()) parents.put(r, open.peek());
                open.push(r);
            }
            while (!open.isEmpty() && position >= open.peek().end) open.pop();
            current = open.isEmpty() ? function : methods.get(open.peek());
            nextChange = Math.min(next < regions.size() ? regions.get(next).start : Integer.MAX_VALUE,
                    open.isEmpty() ? Integer.MAX_VALUE : open.peek().end);
        }
    }
}
