package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.emit.body.ControlEmitter;
import dev.wasm2jvm.compiler.emit.body.RangeDispatch;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleClasses;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PROTECTED;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SYNCHRONIZED;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.F_SAME;
import static org.objectweb.asm.Opcodes.F_SAME1;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.H_INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IF_ACMPEQ;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INSTANCEOF;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * The generated methods that are not wasm functions: a static method per imported function that
 * calls the imported {@code FuncRef}, directly when it is a function of the runtime's own hosts and
 * else through its handle (so calls to imports look like any other call), the
 * {@code call_indirect} dispatchers, and {@code funcRef(int)} with the factories of references to
 * the module's own functions.
 */
public final class HelperEmitter {
    private static final String METHOD_HANDLE = "java/lang/invoke/MethodHandle";
    private static final String FUNC_REF_DESC = "L" + JvmType.FUNC_REF + ";";
    private static final String FUNCTION_HANDLE_DESC = "(I)L" + METHOD_HANDLE + ";";

    private final ModuleClasses classes;
    private final ModuleLayout layout;

    public HelperEmitter(ModuleClasses classes, ModuleLayout layout) {
        this.classes = classes;
        this.layout = layout;
    }

    /**
     * The static method standing for imported function {@code funcidx}. An import that one of the
     * runtime's hosts implements ({@link BuiltinImports}) first checks whether the bound function is
     * that host's method ({@code FuncRef#builtin}, {@code builtinName}) and then calls it as a Java
     * method: a WASI program makes no method handle for its imports, and the JIT compiles plain
     * interface calls, which it inlines, instead of a handle's invoker per signature. Any other
     * function, such as an embedder's own bound to a WASI name, is called through its handle.
     */
    public void importTrampoline(int funcidx) {
        FuncType type = layout.module.funcType(funcidx);
        MethodVisitor mv = classes.of(layout.functionOwner(funcidx))
                .visitMethod(ACC_STATIC, layout.functionName(funcidx), layout.functionDescriptor(funcidx), null, null);
        mv.visitCode();
        int instance = JvmType.parameterSlots(type);
        mv.visitVarInsn(ALOAD, instance);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.importField(funcidx), FUNC_REF_DESC);
        Import imp = layout.module.importOf(ExternKind.FUNC, funcidx);
        BuiltinImports.Builtin builtin = BuiltinImports.of(imp.module(), imp.name(), type);
        if (builtin != null) {
            int ref = instance + 1;
            mv.visitVarInsn(ASTORE, ref);
            Label viaHandle = new Label();
            // Names are interned, so the method's name is the same string as the constant.
            mv.visitVarInsn(ALOAD, ref);
            RuntimeRefs.FUNC_REF_BUILTIN_NAME.get(mv);
            mv.visitLdcInsn(builtin.name());
            mv.visitJumpInsn(IF_ACMPNE, viaHandle);
            mv.visitVarInsn(ALOAD, ref);
            RuntimeRefs.FUNC_REF_BUILTIN.get(mv);
            mv.visitTypeInsn(INSTANCEOF, builtin.api());
            mv.visitJumpInsn(IFEQ, viaHandle);
            mv.visitVarInsn(ALOAD, ref);
            RuntimeRefs.FUNC_REF_BUILTIN.get(mv);
            mv.visitTypeInsn(CHECKCAST, builtin.api());
            JvmType.loadParameters(mv, type);
            mv.visitMethodInsn(INVOKEINTERFACE, builtin.api(), builtin.name(), builtin.descriptor(), true);
            returnResults(mv, type);
            mv.visitLabel(viaHandle);
            mv.visitVarInsn(ALOAD, ref);
        }
        returnThroughHandle(mv, type);
    }

    /**
     * Ends a method of the parameters of {@code type}: calls the function reference on the stack
     * through its method handle with them, and returns its results.
     */
    private static void returnThroughHandle(MethodVisitor mv, FuncType type) {
        RuntimeRefs.FUNC_REF_HANDLE.invoke(mv);
        JvmType.loadParameters(mv, type);
        mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "invokeExact", JvmType.handleDescriptor(type), false);
        returnResults(mv, type);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The module class's {@code wasiStart()} ({@code WasiCommand}): calls {@code _start}'s static
     * method between {@code Instance.enter} and {@code exit}, for the command runner, which would
     * otherwise call it through a method handle.
     */
    public static void wasiStart(ClassVisitor cv, ModuleLayout layout, int funcidx) {
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC, RuntimeRefs.WASI_COMMAND_START.name(),
                RuntimeRefs.WASI_COMMAND_START.descriptor(), null, null);
        mv.visitCode();
        int caller = 1;
        mv.visitVarInsn(ALOAD, 0);
        RuntimeRefs.INSTANCE_ENTER.invoke(mv);
        mv.visitVarInsn(ASTORE, caller);
        Label start = new Label();
        Label end = new Label();
        mv.visitTryCatchBlock(start, end, end, null);
        mv.visitLabel(start);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESTATIC, layout.functionOwner(funcidx), layout.functionName(funcidx),
                layout.functionDescriptor(funcidx), false);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, caller);
        RuntimeRefs.INSTANCE_EXIT.invoke(mv);
        mv.visitInsn(RETURN);
        mv.visitLabel(end);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, caller);
        RuntimeRefs.INSTANCE_EXIT.invoke(mv);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Every call_indirect dispatcher that function bodies asked for. */
    public void callIndirectDispatchers() {
        int[][] byType = definedFunctionsByType();
        for (Map.Entry<String, int[]> e : layout.callIndirects().entrySet()) {
            callIndirect(e.getKey(), e.getValue()[0], e.getValue()[1], byType);
        }
    }

    /**
     * The module's defined functions of each type, by typeidx, in funcidx order; equal types share
     * one array. Indexed once: a scan of every function per dispatcher took 3% of compiling Ruby's
     * module (hundreds of dispatchers times 17,490 functions). Each function is placed by the index
     * of the first type equal to its own, found once per type: a map from each function's
     * {@code FuncType} to a list of boxed indices hashed the type and boxed the index per function
     * (0.25% of Sightglass {@code sqlite3}'s compiling thread, async-profiler, 60 rounds).
     */
    private int[][] definedFunctionsByType() {
        List<FuncType> types = layout.module.types();
        int[] first = new int[types.size()];
        Map<FuncType, Integer> firstOfType = new HashMap<>();
        for (int t = 0; t < first.length; t++) {
            Integer earlier = firstOfType.putIfAbsent(types.get(t), t);
            first[t] = earlier != null ? earlier : t;
        }
        int defined = layout.module.importCount(ExternKind.FUNC);
        int count = layout.module.functionCount();
        int[] sizes = new int[first.length];
        for (int f = defined; f < count; f++) sizes[first[layout.module.typeIndexOf(f)]]++;
        int[][] byType = new int[first.length][];
        for (int t = 0; t < first.length; t++) byType[t] = new int[sizes[t]];
        int[] filled = new int[first.length];
        for (int f = defined; f < count; f++) {
            int t = first[layout.module.typeIndexOf(f)];
            byType[t][filled[t]++] = f;
        }
        for (int t = 0; t < first.length; t++) byType[t] = byType[first[t]];
        return byType;
    }

    /**
     * A dispatcher: the element's signature is checked, then a function of this instance is called
     * directly, by a switch on its index, so that the JIT can inline it; any other function (a host
     * function, another instance's) through its handle. {@code byType} holds the module's own
     * functions by typeidx ({@link #definedFunctionsByType}).
     */
    private void callIndirect(String name, int typeidx, int tableidx, int[][] byType) {
        FuncType type = layout.module.types().get(typeidx);
        MethodVisitor mv = classes.moduleClass().visitMethod(ACC_STATIC, name, layout.callIndirectDescriptor(typeidx), null, null);
        mv.visitCode();
        int index = JvmType.parameterSlots(type);
        int instance = index + 1;
        int ref = instance + 1;
        mv.visitVarInsn(ILOAD, index);
        mv.visitVarInsn(ALOAD, instance);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.tableField(tableidx), RuntimeRefs.TABLE_DESCRIPTOR);
        RuntimeRefs.TABLE_FUNC_FOR_CALL.invoke(mv);
        mv.visitVarInsn(ASTORE, ref);
        // Signature strings are interned, so equal types are the same string.
        Label match = new Label();
        mv.visitVarInsn(ALOAD, ref);
        RuntimeRefs.FUNC_REF_TYPE.get(mv);
        mv.visitLdcInsn(layout.signature(typeidx));
        mv.visitJumpInsn(IF_ACMPEQ, match);
        ControlEmitter.throwTrap(mv, RuntimeRefs.TRAPS_INDIRECT_CALL_TYPE_MISMATCH);
        mv.visitLabel(match);
        int[] candidates = byType[typeidx];
        Label viaHandle = new Label();
        if (candidates.length > 0) {
            mv.visitVarInsn(ALOAD, ref);
            RuntimeRefs.FUNC_REF_OWNER.get(mv);
            mv.visitVarInsn(ALOAD, instance);
            mv.visitJumpInsn(IF_ACMPNE, viaHandle);
            mv.visitVarInsn(ALOAD, ref);
            RuntimeRefs.FUNC_REF_FUNCIDX.get(mv);
            directSwitch(mv, name, typeidx, candidates, instance, viaHandle);
        }
        mv.visitLabel(viaHandle);
        mv.visitVarInsn(ALOAD, ref);
        returnThroughHandle(mv, type);
    }

    /**
     * With a funcidx on the stack, calls that function of {@code candidates}, the functions of type
     * {@code typeidx}, and returns its result; other indices jump to {@code other}. Past
     * {@link #casesPerSwitch} candidates, or when they are in
     * code classes, the cases are spread over helper methods beside the functions they call (in the
     * classes of references, {@link ModuleLayout#refsOwner}), each small enough for the JIT to
     * compile, and the dispatcher finds the helper by a {@link RangeDispatch} search of its own.
     * That search stays in the dispatcher rather than in a method between it and the helpers: HotSpot
     * compiles every hot method of such a chain on its own, each inlining the ones below, so the
     * uncommon trap of a function or helper called for the first time threw away the C2 code of each
     * level (SQLite: the same trap in 3 dispatcher methods and in the callers they were inlined into).
     */
    private void directSwitch(MethodVisitor mv, String name, int typeidx, int[] candidates, int instance, Label other) {
        FuncType type = layout.module.types().get(typeidx);
        int perSwitch = casesPerSwitch(type);
        if (candidates.length <= perSwitch && layout.codeClasses().isEmpty()) {
            directCases(mv, type, candidates, 0, candidates.length, instance, other, false);
            return;
        }
        String descriptor = layout.callIndirectDescriptor(typeidx);
        List<RangeDispatch.Target> helpers = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= candidates.length; i++) {
            if (i < candidates.length && i - from < perSwitch
                    && layout.functionOwner(candidates[i]).equals(layout.functionOwner(candidates[from]))) {
                continue;
            }
            String owner = layout.refsOwner(candidates[from]);
            String helper = GeneratedNames.part(name, helpers.size());
            directHelper(owner, helper, typeidx, candidates, from, i);
            helpers.add(new RangeDispatch.Target(candidates[i - 1], owner, helper));
            from = i;
        }
        // A helper takes the dispatcher's parameters with the funcidx in place of the element index,
        // which the dispatcher no longer needs: there, its own parameters are the helper's arguments.
        int funcidx = instance - 1;
        mv.visitVarInsn(ISTORE, funcidx);
        RangeDispatch.emitSearch(classes.moduleClass(), layout.owner, GeneratedNames.directCalls(name), mv, descriptor,
                funcidx, helpers);
    }

    /**
     * The direct calls that fit one switch: each costs its switch entry, the loads of its arguments
     * (two bytes a slot at most), the call and the return; and no more calls than C1 compiles in one
     * method.
     */
    private static int casesPerSwitch(FuncType type) {
        return Math.max(1, Math.min(JvmLimits.MAX_CALLS, JvmLimits.DISPATCH_METHOD / (14 + 2 * JvmType.parameterSlots(type))));
    }

    /**
     * A helper of {@link #directSwitch} calling {@code candidates} {@code from} to {@code to}
     * (excluded): the same parameters as a dispatcher, the funcidx in place of the element index.
     * Every case returns and no local is stored, so each label has the frame the helper is entered
     * with: the helper gives those frames and the class writer computes its maximums alone
     * ({@link #sameFrame}).
     */
    private void directHelper(String owner, String name, int typeidx, int[] candidates, int from, int to) {
        FuncType type = layout.module.types().get(typeidx);
        MethodVisitor mv = ModuleClasses.visitMethod(classes.of(owner), ClassWriter.COMPUTE_MAXS, ACC_STATIC, name,
                layout.callIndirectDescriptor(typeidx));
        mv.visitCode();
        int funcidx = JvmType.parameterSlots(type);
        Label invalid = new Label();
        mv.visitVarInsn(ILOAD, funcidx);
        directCases(mv, type, candidates, from, to, funcidx + 1, invalid, true);
        endWithNoSuchFunction(mv, invalid, true);
    }

    /**
     * A switch with a case for each of {@code candidates} {@code from} to {@code to} (excluded), each
     * calling it; with {@code sameFrames}, each case is given the frame the method was entered with.
     */
    private void directCases(MethodVisitor mv, FuncType type, int[] candidates, int from, int to, int instance, Label other,
            boolean sameFrames) {
        Label[] cases = new Label[to - from];
        for (int i = 0; i < cases.length; i++) cases[i] = new Label();
        int[] keys = Arrays.copyOfRange(candidates, from, to);
        mv.visitLookupSwitchInsn(other, keys, cases);
        for (int i = 0; i < cases.length; i++) {
            mv.visitLabel(cases[i]);
            if (sameFrames) sameFrame(mv);
            JvmType.loadParameters(mv, type);
            mv.visitVarInsn(ALOAD, instance);
            mv.visitMethodInsn(INVOKESTATIC, layout.functionOwner(keys[i]), layout.functionName(keys[i]),
                    layout.functionDescriptor(keys[i]), false);
            returnResults(mv, type);
        }
    }

    /**
     * The most functions a factory of handles covers ({@link #functionHandleChunk}): a case and a
     * frame each, and HotSpot's verifier finds each case's frame by a linear search of the method's
     * frames, so a factory of n cases costs it n * n / 2 steps whenever its class is linked, which
     * the class of the {@code call_indirect} dispatchers' helpers is, though a handle is rarely asked
     * for. At 400 (the chunks of references) Sightglass {@code sqlite3}'s 9 factories of handles cost
     * 0.44 million steps, more than half of what all its function methods cost (0.78 million,
     * {@code benchmarks/startup/FrameSearch.java}); at 50, its 54 factories 0.07 million
     * (rust-html-rewriter 0.16 to 0.02, regex 0.14 to 0.02).
     */
    private static final int HANDLE_CHUNK = 50;

    /**
     * {@code funcRef(int)}: the cached reference to a function, made on first use by a factory
     * {@code newFuncRef$<k>} beside the functions it covers ({@link ModuleLayout#refsOwner}), at most
     * {@link ModuleLayout#FUNC_REF_CHUNK} of them, which a {@link RangeDispatch} finds; and {@code functionHandle(int)}, the handle of a function's
     * method that a reference binds when its handle is first asked for, from factories
     * {@code newFuncRef$handle<k>} beside the functions they cover, {@link #HANDLE_CHUNK} at most.
     */
    public void funcRefs() {
        int count = layout.module.functionCount();
        List<RangeDispatch.Target> factories = new ArrayList<>();
        List<RangeDispatch.Target> handles = new ArrayList<>();
        int first = 0;
        do {
            String owner = layout.refsOwner(first);
            int end = Math.min(count, first + 1);
            while (end < count && end - first < ModuleLayout.FUNC_REF_CHUNK && layout.refsOwner(end).equals(owner)) end++;
            String name = GeneratedNames.newFuncRefChunk(factories.size());
            newFuncRefChunk(owner, name, first, end - 1);
            factories.add(new RangeDispatch.Target(end - 1, owner, name));
            int from = first;
            do {
                int to = Math.min(end, from + HANDLE_CHUNK);
                String handleName = GeneratedNames.functionHandleChunk(handles.size());
                functionHandleChunk(owner, handleName, from, to - 1);
                handles.add(new RangeDispatch.Target(to - 1, owner, handleName));
                from = to;
            } while (from < end);
            first = end;
        } while (first < count);
        RangeDispatch.Target factory = dispatch(factories, GeneratedNames.NEW_FUNC_REF_FIND, newFuncRefDescriptor(), count);
        RangeDispatch.Target handle = dispatch(handles, GeneratedNames.FUNCTION_HANDLE_FIND, FUNCTION_HANDLE_DESC, count);

        MethodVisitor mv = classes.moduleClass().visitMethod(ACC_PROTECTED | ACC_FINAL | ACC_SYNCHRONIZED,
                RuntimeRefs.INSTANCE_FUNC_REF.name(), RuntimeRefs.INSTANCE_FUNC_REF.descriptor(), null, null);
        mv.visitCode();
        Label cached = new Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.FUNC_REFS_FIELD, "[" + FUNC_REF_DESC);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitInsn(AALOAD);
        mv.visitInsn(DUP);
        mv.visitJumpInsn(IFNONNULL, cached);
        mv.visitInsn(org.objectweb.asm.Opcodes.POP);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.FUNC_REFS_FIELD, "[" + FUNC_REF_DESC);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESTATIC, factory.owner(), factory.name(), newFuncRefDescriptor(), false);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, 2);
        mv.visitInsn(AASTORE);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitLabel(cached);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = classes.moduleClass().visitMethod(ACC_PROTECTED | ACC_FINAL,
                RuntimeRefs.INSTANCE_FUNCTION_HANDLE.name(), RuntimeRefs.INSTANCE_FUNCTION_HANDLE.descriptor(), null, null);
        mv.visitCode();
        mv.visitVarInsn(ILOAD, 1);
        mv.visitMethodInsn(INVOKESTATIC, handle.owner(), handle.name(), FUNCTION_HANDLE_DESC, false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The static method of the module class named {@code find} that calls the chunk of a funcidx, or the one chunk. */
    private RangeDispatch.Target dispatch(List<RangeDispatch.Target> chunks, String find, String descriptor, int count) {
        if (chunks.size() == 1) return chunks.get(0);
        RangeDispatch.Target target = new RangeDispatch.Target(count - 1, layout.owner, find);
        RangeDispatch.emit(classes.moduleClass(), target.owner(), target.name(), descriptor, 0, chunks);
        return target;
    }

    private String newFuncRefDescriptor() {
        return "(I" + layout.ownerDescriptor() + ")" + FUNC_REF_DESC;
    }

    /**
     * A factory of references to functions {@code first} to {@code last}, which class {@code owner}
     * holds: an import's case returns the import's reference; the cases of the module's functions of
     * one signature share one target, which pushes the signature and joins the factory's one call of
     * {@code FuncRef.function}, which takes the funcidx from the parameter the switch read. Nothing
     * is stored, so every target has the frame the method is entered with ({@link #sameFrame}), the
     * call's with the signature on the stack. Every jump goes forward: a backward one would count
     * as a loop's to the interpreter, which would count it at every reference made.
     *
     * <p>One call rather than one a case: element segments call the factory once per element at
     * instantiation, so a table of a few hundred references has HotSpot compile it at tier 3 while
     * the program starts, when C1's queue is longest, and a call site is most of what C1 spends on
     * a case. Sightglass rust-html-rewriter (384 references, 400 functions in the chunk) had
     * {@code newFuncRef$0} compiled in 15.4 ms of C1's thread, 56 KB of code, with a call a case
     * (JFR {@code jdk.Compilation}; in other runs the task went stale in the queue and was dropped).
     *
     * <p>One target a signature rather than one a function: the factory is linked, so verified, as
     * the program is instantiated, and HotSpot's verifier finds the frame of every jump's target by
     * a linear search of the method's frames ({@code StackMapTable::get_index_from_offset}). With a
     * target and a frame a function, each jumping on to the call at the end, a chunk of 400
     * functions cost that search some 160,000 steps (Sightglass {@code sqlite3}: 1.33 million over
     * its 9 factories, against 0.78 million for all its function methods; rust-html-rewriter
     * 0.47 million, regex 0.44); now a case's search ends at its signature's frame, the few
     * signatures ordered by how many cases share them, and the few jumps to the call at the
     * signatures' count of frames (0.023, 0.006 and 0.005 million).
     */
    private void newFuncRefChunk(String owner, String name, int first, int last) {
        MethodVisitor mv = ModuleClasses.visitMethod(classes.of(owner), ClassWriter.COMPUTE_MAXS, ACC_STATIC, name,
                newFuncRefDescriptor());
        mv.visitCode();
        Label invalid = new Label();
        if (last >= first) {
            Label[] cases = new Label[last - first + 1];
            Map<String, Label> signatures = new HashMap<>();
            Map<Label, Integer> shares = new HashMap<>();
            List<Integer> imports = new ArrayList<>();
            for (int funcidx = first; funcidx <= last; funcidx++) {
                if (layout.isImportedFunction(funcidx)) {
                    cases[funcidx - first] = new Label();
                    imports.add(funcidx);
                } else {
                    Label target = signatures.computeIfAbsent(layout.signature(layout.module.typeIndexOf(funcidx)),
                            k -> new Label());
                    cases[funcidx - first] = target;
                    shares.merge(target, 1, Integer::sum);
                }
            }
            mv.visitVarInsn(ILOAD, 0);
            mv.visitTableSwitchInsn(first, last, invalid, cases);
            List<Map.Entry<String, Label>> bySharing = new ArrayList<>(signatures.entrySet());
            bySharing.sort(Comparator.comparing((Map.Entry<String, Label> e) -> -shares.get(e.getValue()))
                    .thenComparing(Map.Entry::getKey));
            Label make = new Label();
            for (Map.Entry<String, Label> signature : bySharing) {
                mv.visitLabel(signature.getValue());
                sameFrame(mv);
                mv.visitLdcInsn(signature.getKey());
                mv.visitJumpInsn(GOTO, make);
            }
            for (int funcidx : imports) {
                mv.visitLabel(cases[funcidx - first]);
                sameFrame(mv);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, layout.owner, layout.importField(funcidx), FUNC_REF_DESC);
                mv.visitInsn(ARETURN);
            }
            if (!signatures.isEmpty()) {
                mv.visitLabel(make);
                mv.visitFrame(F_SAME1, 0, null, 1, new Object[] {"java/lang/String"});
                mv.visitVarInsn(ALOAD, 1);
                mv.visitVarInsn(ILOAD, 0);
                RuntimeRefs.FUNC_REF_FUNCTION.invoke(mv);
                mv.visitInsn(ARETURN);
            }
        }
        endWithNoSuchFunction(mv, invalid, last >= first);
    }

    /**
     * The handles of the methods of the module's functions among {@code first} to {@code last}, which
     * class {@code owner} holds; imported functions have none, their references have their handles.
     * A switch on the funcidx whose cases each return a handle constant; nothing is stored, so each
     * label has the frame the method is entered with, which the method gives ({@link #sameFrame}).
     */
    private void functionHandleChunk(String owner, String name, int first, int last) {
        int defined = Math.max(first, layout.module.importCount(ExternKind.FUNC));
        MethodVisitor mv = ModuleClasses.visitMethod(classes.of(owner), ClassWriter.COMPUTE_MAXS, ACC_STATIC, name,
                FUNCTION_HANDLE_DESC);
        mv.visitCode();
        Label invalid = new Label();
        if (last >= defined) {
            Label[] cases = new Label[last - defined + 1];
            for (int i = 0; i < cases.length; i++) cases[i] = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitTableSwitchInsn(defined, last, invalid, cases);
            for (int funcidx = defined; funcidx <= last; funcidx++) {
                mv.visitLabel(cases[funcidx - defined]);
                sameFrame(mv);
                // A handle to a method links its class, which verifies all of it: one to a function of a
                // code class goes through a trampoline beside the factory, so that the code class waits for a call.
                String target = layout.functionOwner(funcidx).equals(layout.owner) ? layout.owner : owner;
                if (!target.equals(layout.owner)) trampoline(target, funcidx);
                mv.visitLdcInsn(new Handle(H_INVOKESTATIC, target, layout.functionName(funcidx),
                        layout.functionDescriptor(funcidx), false));
                mv.visitInsn(ARETURN);
            }
        }
        endWithNoSuchFunction(mv, invalid, last >= defined);
    }

    /**
     * Ends a method of a switch on a funcidx with {@code invalid}, where a funcidx it has no case for
     * throws; {@code switched} is whether a switch jumps there: without one, nothing does, and the
     * throw has no frame.
     */
    private static void endWithNoSuchFunction(MethodVisitor mv, Label invalid, boolean switched) {
        mv.visitLabel(invalid);
        if (switched) sameFrame(mv);
        throwNew(mv, "java/lang/IllegalArgumentException", "no such function");
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * A method of class {@code owner} that calls function {@code funcidx} in its code class, under
     * the same name and descriptor. It has no branch, so no frame: the class writer computes its
     * maximums alone, without the data flow of frames it runs over the writer's other methods.
     */
    private void trampoline(String owner, int funcidx) {
        FuncType type = layout.module.funcType(funcidx);
        MethodVisitor mv = ModuleClasses.visitMethod(classes.of(owner), ClassWriter.COMPUTE_MAXS, ACC_STATIC,
                layout.functionName(funcidx), layout.functionDescriptor(funcidx));
        mv.visitCode();
        JvmType.loadParameters(mv, type);
        mv.visitVarInsn(ALOAD, JvmType.parameterSlots(type));
        mv.visitMethodInsn(INVOKESTATIC, layout.functionOwner(funcidx), layout.functionName(funcidx), layout.functionDescriptor(funcidx), false);
        returnResults(mv, type);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The frame of a label of a method that has stored no local since its entry, with nothing on the
     * stack: the switches of a function handle factory and of a dispatcher's helper, whose frames the
     * class writer would compute with its data flow over the whole method (0.26% of Sightglass
     * {@code sqlite3}'s compiling thread, a label per function; async-profiler, 60 rounds). The
     * writer writes it as it writes the frame it computes, so the class is the same byte for byte.
     */
    private static void sameFrame(MethodVisitor mv) {
        mv.visitFrame(F_SAME, 0, null, 0, null);
    }

    static void throwNew(MethodVisitor mv, String exception, String message) {
        mv.visitTypeInsn(NEW, exception);
        mv.visitInsn(DUP);
        mv.visitLdcInsn(message);
        mv.visitMethodInsn(INVOKESPECIAL, exception, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
    }

    /** Returns what a method of functions of {@code type} returns: nothing, the one result, or the results' array. */
    private static void returnResults(MethodVisitor mv, FuncType type) {
        List<ValType> results = type.results();
        mv.visitInsn(switch (results.size()) {
            case 0 -> RETURN;
            case 1 -> JvmType.opcode(results.get(0), IRETURN);
            default -> ARETURN;
        });
    }
}
