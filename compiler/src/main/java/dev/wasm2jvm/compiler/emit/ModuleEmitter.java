package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.emit.body.BranchFusion;
import dev.wasm2jvm.compiler.emit.body.CallEmitter;
import dev.wasm2jvm.compiler.emit.body.EntryWrites;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.LineEntries;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.facade.FacadeEmitter;
import dev.wasm2jvm.compiler.emit.instance.HelperEmitter;
import dev.wasm2jvm.compiler.emit.instance.InstanceEmitter;
import dev.wasm2jvm.compiler.emit.instance.ThreadStartEmitter;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleClasses;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.emit.layout.StringConstant;
import dev.wasm2jvm.compiler.emit.split.BlockNest;
import dev.wasm2jvm.compiler.emit.split.GroupDispatch;
import dev.wasm2jvm.compiler.emit.split.Outlining;
import dev.wasm2jvm.compiler.emit.split.Region;
import dev.wasm2jvm.compiler.emit.split.RegionScanner;
import dev.wasm2jvm.compiler.emit.split.SplitPlan;
import dev.wasm2jvm.compiler.emit.split.StepMethods;
import dev.wasm2jvm.compiler.module.DataSegment;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.command.CommandSettings;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntPredicate;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEWARRAY;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTSTATIC;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V22;

/**
 * Compiles a validated module to a JVM class that extends {@code dev.wasm2jvm.runtime.Instance}:
 * a static method per function, fields for memories, tables, globals and imports, and a constructor
 * that instantiates the module; the data segments are a resource beside the class
 * ({@link #resources}). It plans how to split each function too large for one method, on as many
 * threads as the JVM has processors, then where every method goes ({@link ClassPartition}: the
 * module class, or code classes beside it for a large module), then emits the functions in funcidx
 * order on the calling thread, ending each code class once it is full.
 */
public final class ModuleEmitter {

    private ModuleEmitter() {}

    /**
     * Emits the classes of {@code module}, which must be valid, as class {@code className}.
     *
     * @return the class files by binary class name
     * @throws CompileException if the module uses a feature wasm2jvm does not compile
     */
    public static Map<String, byte[]> emit(WasmModule module, String className) {
        return emit(module, className, null, CompileProgress.NONE);
    }

    /**
     * As {@link #emit(WasmModule, String)}, with the settings the generated {@code main} of a WASI
     * command runs with ({@code null} for the program name alone), telling {@code progress} of each
     * function planned and emitted.
     */
    public static Map<String, byte[]> emit(WasmModule module, String className, CommandSettings command,
                                           CompileProgress progress) {
        return emit(module, className, command, progress, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #emit(WasmModule, String, CommandSettings, CompileProgress)}, planning functions on {@code threads} threads. */
    static Map<String, byte[]> emit(WasmModule module, String className, CommandSettings command, CompileProgress progress,
                                    int threads) {
        ModuleLayout layout = new ModuleLayout(module, className.replace('.', '/'));
        int imported = module.importCount(ExternKind.FUNC);
        int functions = module.functionCount();
        int steps = 2 * (functions - imported);
        FunctionPlan[] plans = new FunctionPlan[functions];
        ClassPartition partition = planAll(layout, plans, progress, steps, threads);
        Outlining[] outlinings = new Outlining[functions];
        for (int funcidx = imported; funcidx < functions; funcidx++) outlinings[funcidx] = plans[funcidx].outlining();
        layout.spread(partition.codeClassCount(), partition::functionClass);
        // With no code classes the module class holds every part's method, where outlinings start.
        if (partition.codeClassCount() > 0) {
            for (Outlining outlining : outlinings) {
                if (outlining != null) outlining.place(partition::regionClass);
            }
        }
        int threadStart = ThreadStartEmitter.threadStart(layout);
        int commandStart = HelperEmitter.commandStart(layout);
        List<String> implemented = new ArrayList<>();
        if (threadStart >= 0) implemented.add(RuntimeRefs.WASI_THREAD_START_INTERFACE);
        if (commandStart >= 0) implemented.add(RuntimeRefs.WASI_COMMAND_INTERFACE);
        String[] interfaces = implemented.isEmpty() ? null : implemented.toArray(new String[0]);
        ModuleClasses classes = new ModuleClasses(layout, interfaces, sourceFile(layout));
        ClassWriter cw = classes.moduleClass();
        fields(cw, layout);
        new InstanceEmitter(cw, layout).emit();
        HelperEmitter helpers = new HelperEmitter(classes, layout);
        for (int funcidx = 0; funcidx < functions; funcidx++) {
            if (layout.isImportedFunction(funcidx)) {
                helpers.importTrampoline(funcidx);
                continue;
            }
            Outlining outlining = outlinings[funcidx];
            emit(classes::of, layout, funcidx, outlining, plans[funcidx].spill(), null);
            if (outlining != null) classes.addNested(outlining.frame.className, outlining.frame.classFile(layout.owner));
            plans[funcidx] = null;
            outlinings[funcidx] = null;
            if (funcidx + 1 < functions) classes.finishCodeClassesBefore(layout.codeClassIndex(funcidx + 1));
            progress.advanced(functions + funcidx + 1 - 2 * imported, steps);
        }
        helpers.funcRefs();
        helpers.callIndirectDispatchers();
        CallEmitter.tailHandles(classes.moduleClass(), layout);
        SourceFileTable.emit(cw, layout);
        staticInitializer(cw, layout);
        if (commandStart >= 0) HelperEmitter.wasiStart(cw, layout, commandStart);
        if (threadStart >= 0) {
            ThreadStartEmitter.factory(cw, layout);
            classes.addNested(ThreadStartEmitter.runnableName(layout), ThreadStartEmitter.runnable(layout, threadStart));
        }
        Map<String, byte[]> facadeClasses = FacadeEmitter.emit(cw, layout, command);
        Map<String, byte[]> all = classes.finish();
        all.putAll(facadeClasses);
        return all;
    }

    /**
     * The resource files that the classes {@link #emit} writes for {@code module} as class
     * {@code className} read when they are loaded, by path (such as {@code com/example/Hello.data}):
     * the data segments, none for a module without any. They must be served beside the class files,
     * by the same class loader.
     */
    public static Map<String, byte[]> resources(WasmModule module, String className) {
        if (module.data().isEmpty()) return Map.of();
        if (DataResource.inClass(module.data())) return Map.of();
        return Map.of(DataResource.path(className.replace('.', '/')), DataResource.encode(module.data()));
    }

    /** The primary source file named by the module's DWARF, else the module's name with {@code .wasm}. */
    private static String sourceFile(ModuleLayout layout) {
        if (layout.lines != null && layout.lines.primaryFile() != null) return layout.lines.primaryFile();
        if (layout.module.names().module() != null) return layout.module.names().module() + ".wasm";
        return layout.owner.substring(layout.owner.lastIndexOf('/') + 1) + ".wasm";
    }

    /**
     * The instance's fields. Those of imports, memories, tables and globals are set by the
     * constructor's helper methods, so they cannot be final.
     */
    private static void fields(ClassWriter cw, ModuleLayout layout) {
        WasmModule module = layout.module;
        int importedFunctions = module.importCount(ExternKind.FUNC);
        for (int f = 0; f < importedFunctions; f++) {
            cw.visitField(ACC_PRIVATE, layout.importField(f), "L" + JvmType.FUNC_REF + ";", null, null).visitEnd();
        }
        for (int m = 0; m < module.memoryCount(); m++) {
            cw.visitField(ACC_PRIVATE, layout.memoryField(m), "L" + RuntimeRefs.MEMORY + ";", null, null).visitEnd();
        }
        for (int t = 0; t < module.tableCount(); t++) {
            cw.visitField(ACC_PRIVATE, layout.tableField(t), "L" + RuntimeRefs.TABLE + ";", null, null).visitEnd();
        }
        for (int g = 0; g < module.globalCount(); g++) {
            cw.visitField(ACC_PRIVATE, layout.globalField(g), layout.globalDescriptor(g), null, null).visitEnd();
        }
        for (int t = 0; t < module.tagCount(); t++) {
            cw.visitField(ACC_PRIVATE, layout.tagField(t), "L" + RuntimeRefs.TAG + ";", null, null).visitEnd();
        }
        cw.visitField(ACC_PRIVATE | ACC_FINAL, GeneratedNames.FUNC_REFS_FIELD, "[L" + JvmType.FUNC_REF + ";", null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_FINAL, GeneratedNames.DATA_FIELD, "[[B", null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_FINAL, GeneratedNames.ELEMS_FIELD, "[[Ljava/lang/Object;", null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, GeneratedNames.DATA_STATIC, "[[B", null, null).visitEnd();
    }

    /**
     * {@code DATA}, the data segments' bytes, read once per class from the resource beside the class
     * file or, when they are few, decoded from a string constant of the class ({@link DataResource}), and the lookup tables of large {@code br_table}s, decoded from
     * string constants, a step per table in helper methods {@code clinit$<k>}; the tables' fields,
     * set there, cannot be final.
     */
    private static void staticInitializer(ClassWriter cw, ModuleLayout layout) {
        MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        List<DataSegment> data = layout.module.data();
        if (data.isEmpty()) {
            clinit.visitInsn(ICONST_0);
            clinit.visitTypeInsn(ANEWARRAY, "[B");
        } else if (DataResource.inClass(data)) {
            StringConstant.push(clinit, DataResource.inClassString(data));
            RuntimeRefs.CONSTANTS_SEGMENTS_IN_CLASS.invoke(clinit);
        } else {
            String path = "/" + DataResource.path(layout.owner);
            clinit.visitLdcInsn(Type.getObjectType(layout.owner));
            clinit.visitLdcInsn(path);
            // From the class's jar file where it came from one (no URL connection); else opened by
            // the module class itself: in a named module, only its own code may read it.
            clinit.visitLdcInsn(Type.getObjectType(layout.owner));
            clinit.visitLdcInsn(path);
            RuntimeRefs.JAR_RESOURCES_OPEN.invoke(clinit);
            clinit.visitInsn(DUP);
            Label opened = new Label();
            clinit.visitJumpInsn(IFNONNULL, opened);
            clinit.visitInsn(POP);
            clinit.visitLdcInsn(Type.getObjectType(layout.owner));
            clinit.visitLdcInsn(path);
            clinit.visitMethodInsn(INVOKEVIRTUAL, "java/lang/Class", "getResourceAsStream",
                    "(Ljava/lang/String;)Ljava/io/InputStream;", false);
            clinit.visitLabel(opened);
            RuntimeRefs.CONSTANTS_SEGMENTS.invoke(clinit);
        }
        clinit.visitFieldInsn(PUTSTATIC, layout.owner, GeneratedNames.DATA_STATIC, "[[B");
        StepMethods steps = new StepMethods(cw, layout.owner, GeneratedNames.CLINIT_STEPS, "()V");
        for (Map.Entry<String, int[]> table : layout.brTableMaps().entrySet()) {
            cw.visitField(ACC_PRIVATE | ACC_STATIC, table.getKey(), "[I", null, null).visitEnd();
            MethodVisitor mv = steps.next();
            StringConstant.push(mv, StringConstant.ofInts(table.getValue()));
            RuntimeRefs.CONSTANTS_INTS.invoke(mv);
            mv.visitFieldInsn(PUTSTATIC, layout.owner, table.getKey(), "[I");
        }
        steps.callAll(clinit);
        clinit.visitInsn(RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
    }

    /** Wasm bodies smaller than this cannot reach the split budget, so they are not measured. */
    private static final int SMALL_BODY = 1000;

    /**
     * Past this many bytes of wasm, a function's unsplit trial also records the stack states that a
     * split needs ({@link #probe}), sparing a second emission: at the bytecode per wasm byte of
     * compiled C (below 2.1 for every unsplit function of Ruby), a body this long is near the split
     * threshold. Shorter bodies are split seldom enough (for their calls) that recording at every
     * trial would cost more than probing the few again.
     */
    private static final int PROBED_BODY = JvmLimits.HUGE_METHOD / 2;

    /**
     * Puts the plan of every defined function into {@code plans} by funcidx, and returns the classes
     * of their methods. The plans are made on {@code threads} threads, the calling thread one of
     * them, which alone tells {@code progress}: a function's plan reads only the module
     * and the layout's names, which do not change while planning, so plans are the same whatever
     * thread makes them and in whatever order. Planning is most of the work of a large function
     * (trial emissions of it), and counting the constant pool entries of its methods a full read of
     * its code, so both run there.
     */
    private static ClassPartition planAll(ModuleLayout layout, FunctionPlan[] plans, CompileProgress progress, int steps,
                                          int threads) {
        WasmModule module = layout.module;
        int imported = module.importCount(ExternKind.FUNC);
        int functions = module.functionCount();
        ClassPartition.Counter counter = new ClassPartition.Counter(module);
        ClassPartition.Entries[] entries = new ClassPartition.Entries[functions];
        for (int funcidx = 0; funcidx < imported; funcidx++) entries[funcidx] = counter.count(funcidx, null);
        AtomicInteger next = new AtomicInteger(imported);
        AtomicInteger planned = new AtomicInteger();
        // The failure of the lowest funcidx, as planning in order would report: every function before
        // it is still planned, none after it.
        AtomicReference<Failure> failure = new AtomicReference<>();
        IntPredicate planner = f -> {
            Failure failed = failure.get();
            if (failed != null && failed.funcidx() < f) return false;
            try {
                plans[f] = plan(layout, f);
                entries[f] = counter.count(f, plans[f].outlining());
                planned.incrementAndGet();
            } catch (RuntimeException | Error e) {
                failure.accumulateAndGet(new Failure(f, e), (a, b) -> a == null || b.funcidx() < a.funcidx() ? b : a);
            }
            return true;
        };
        Runnable helper = () -> {
            boolean goesOn = true;
            while (goesOn) {
                int f = next.getAndIncrement();
                goesOn = f < functions && planner.test(f);
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int i = 1; i < Math.min(threads, functions - imported); i++) {
            Thread thread = new Thread(helper, "wasm2jvm-plan-" + i);
            thread.setDaemon(true);
            thread.start();
            helpers.add(thread);
        }
        try {
            boolean goesOn = true;
            while (goesOn) {
                int f = next.getAndIncrement();
                goesOn = f < functions && planner.test(f);
                if (goesOn && failure.get() == null) progress.advanced(planned.get(), steps);
            }
        } catch (RuntimeException | Error e) {
            // Thrown by progress: before any function, so that the helpers stop at their next one.
            failure.set(new Failure(-1, e));
        }
        joinAll(helpers);
        Failure failed = failure.get();
        if (failed != null && failed.error() instanceof Error e) throw e;
        if (failed != null) throw (RuntimeException) failed.error();
        progress.advanced(functions - imported, steps);
        return ClassPartition.of(module, entries);
    }

    /** What planning function {@code funcidx} threw (-1: the progress): a {@code RuntimeException} or an {@code Error}. */
    private record Failure(int funcidx, Throwable error) {}

    /** Waits for {@code threads} to end, keeping the calling thread's interrupt for its caller. */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * How to emit defined function {@code funcidx}: the constructs to outline into methods of their
     * own, when it would otherwise exceed {@link JvmLimits#SPLIT_METHOD} (a trial emission measures the
     * bytecode per wasm byte, and the plan is tightened until every method fits), and the spill
     * elements its value arrays need, which the trial finds out when the function may deepen its
     * operand stack.
     */
    private static FunctionPlan plan(ModuleLayout layout, int funcidx) {
        FunctionBody body = layout.module.codes().get(funcidx - layout.module.importCount(ExternKind.FUNC));
        Outlining outlining = null;
        OperandStack.Spill spill = OperandStack.Spill.NONE;
        boolean large = body.code().length >= SMALL_BODY;
        if (large || mayDeepen(layout, funcidx, body)) {
            NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = body.code().length >= PROBED_BODY ? new TreeMap<>() : null;
            Trial unsplit = trial(layout, funcidx, null, OperandStack.Spill.ANY, points == null ? null : recorder(points));
            spill = unsplit.spill();
            int size = unsplit.sizes().getOrDefault(layout.bodyName(funcidx), Integer.MAX_VALUE);
            if (large) outlining = outline(layout, funcidx, body, size, spill, points);
        }
        return new FunctionPlan(outlining, spill);
    }

    /** How to emit a defined function: the outlining of its constructs, or {@code null}, and its value arrays' spill elements. */
    private record FunctionPlan(Outlining outlining, OperandStack.Spill spill) {}

    /**
     * How to split function {@code funcidx}, whose unsplit method has {@code size} bytes, or
     * {@code null} if it need not be; {@code probed} holds the states its unsplit trial recorded, or
     * is {@code null} if it recorded none.
     */
    private static Outlining outline(ModuleLayout layout, int funcidx, FunctionBody body, int size, OperandStack.Spill spill,
                                     NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> probed) {
        WasmModule module = layout.module;
        Region root = RegionScanner.scan(module, body, module.funcType(funcidx));
        if (size <= JvmLimits.HUGE_METHOD && root.calls <= JvmLimits.MAX_CALLS) return null;
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = probed != null ? probed : probe(layout, funcidx, spill);
        double ratio = (double) size / body.code().length;
        List<ValType> locals = allLocals(module, funcidx, body);
        int slotLocals = Locals.slotLocals(locals);
        Outlining outlining = null;
        int best = Integer.MAX_VALUE;
        for (int budget = JvmLimits.SPLIT_METHOD; budget > 500 && best > JvmLimits.HUGE_METHOD; budget = budget * 2 / 3) {
            Outlining candidate = new Outlining(layout, funcidx, body, root,
                    SplitPlan.plan(module, body, root, points, ratio, budget, slotLocals), locals, points);
            int largest = trial(layout, funcidx, candidate, spill, null).sizes().values().stream().max(Integer::compare).orElse(0);
            if (largest < best) {
                best = largest;
                outlining = candidate;
            }
        }
        return outlining;
    }

    /**
     * Whether {@code body}, of function {@code funcidx}, might take the JVM operand stack past
     * {@link OperandStack#SPILL_THRESHOLD} slots. An instruction that pushes without popping takes
     * two bytes at least and pushes one value: at most one slot per byte, but two for a
     * {@code local.get} or {@code global.get} of a {@code v128} (four slots); a call pushes its
     * results, at most {@link ModuleLayout#maxResultSlots} slots for two bytes.
     */
    private static boolean mayDeepen(ModuleLayout layout, int funcidx, FunctionBody body) {
        boolean v128 = layout.v128Global() || body.locals().contains(ValType.V128)
                || layout.module.funcType(funcidx).params().contains(ValType.V128);
        int slotsPerByte = Math.max(v128 ? 2 : 1, (layout.maxResultSlots() + 1) / 2);
        return (long) body.code().length * slotsPerByte > OperandStack.SPILL_THRESHOLD;
    }

    /**
     * Emits function {@code funcidx} of {@code module}, which must be valid, unsplit, and returns the
     * state before each reachable instruction by position: what {@link SplitPlan#plan} takes.
     */
    public static NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> probe(WasmModule module, int funcidx) {
        return probe(new ModuleLayout(module, "Probe"), funcidx, OperandStack.Spill.ANY);
    }

    /** Emits function {@code funcidx} unsplit, and returns the state before each reachable instruction by position. */
    private static NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> probe(ModuleLayout layout, int funcidx, OperandStack.Spill spill) {
        WasmModule module = layout.module;
        FunctionBody body = module.codes().get(funcidx - module.importCount(ExternKind.FUNC));
        FuncType type = module.funcType(funcidx);
        NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points = new TreeMap<>();
        MethodVisitor discard = new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) { };
        Locals locals = Locals.function(type, allLocals(module, funcidx, body), module.memoryCount() > 0, false, spill);
        FunctionEmitter emitter = new FunctionEmitter(discard, layout.scratch(), locals, type, false, funcidx, body.offset());
        emitter.probe(recorder(points));
        CodeReader.read(body.code(), body.offset(), emitter);
        return points;
    }

    /**
     * A probe that puts the state before each instruction into {@code points}. The states depend on
     * the wasm code alone, not on the method visitor or on the spill arrays' sizes, so an unsplit
     * trial records the same ones as {@link #probe}.
     */
    private static FunctionEmitter.StackProbe recorder(NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points) {
        return (position, depth, height, calls, lowWater, stack) ->
                points.put(position, point(depth, height, calls, lowWater, stack));
    }

    /** The state before an instruction, with the types of the frame's {@code jvmHeight} values on the JVM stack if they are few. */
    private static SplitPlan.Point<OperandStack.Value> point(int depth, int jvmHeight, int calls, int lowWater,
                                                            OperandStack.Value stack) {
        List<ValType> operands = null;
        if (jvmHeight <= SplitPlan.MAX_CARRIED) {
            ValType[] types = new ValType[jvmHeight];
            OperandStack.Value v = stack;
            for (int i = jvmHeight - 1; i >= 0; i--, v = v.below()) types[i] = v.type();
            operands = List.of(types);
        }
        return new SplitPlan.Point<>(depth, calls, operands, lowWater, stack == null ? 0 : stack.height(), stack);
    }

    /** The outcome of a trial emission: the methods' sizes, and what the function's spills need. */
    private record Trial(Map<String, Integer> sizes, OperandStack.Spill spill) {}

    /** Emits function {@code funcidx} (and its outlined constructs) alone, telling {@code probe}, if any, of its method's states. */
    private static Trial trial(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill,
                               FunctionEmitter.StackProbe probe) {
        ClassWriter trial = new ClassWriter(0);
        trial.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, null);
        OperandStack.Spill needs = emit(owner -> trial, layout.scratch(), funcidx, outlining, spill, probe);
        trial.visitEnd();
        try {
            return new Trial(CodeSizes.of(trial.toByteArray()), needs);
        } catch (MethodTooLargeException e) {
            return new Trial(Map.of(e.getMethodName(), e.getCodeSize()), needs);
        }
    }

    private static List<ValType> allLocals(WasmModule module, int funcidx, FunctionBody body) {
        List<ValType> all = new ArrayList<>(module.funcType(funcidx).params());
        all.addAll(body.locals());
        return all;
    }

    /**
     * Emits function {@code funcidx}'s method and the methods of its outlined constructs, each into
     * the class that {@code classOf} gives for the internal name of the class holding it, with value
     * arrays that hold {@code spill}, telling {@code probe}, if not {@code null}, of the states of the
     * function's own method; returns what the spills of the function's own method need.
     */
    private static OperandStack.Spill emit(Function<String, ClassVisitor> classOf, ModuleLayout layout, int funcidx,
                                           Outlining outlining, OperandStack.Spill spill, FunctionEmitter.StackProbe probe) {
        WasmModule module = layout.module;
        FuncType type = module.funcType(funcidx);
        FunctionBody body = module.codes().get(funcidx - module.importCount(ExternKind.FUNC));
        List<ValType> all = allLocals(module, funcidx, body);
        boolean cachesSegment = module.memoryCount() > 0;
        ClassVisitor functionClass = classOf.apply(layout.functionOwner(funcidx));
        if (layout.makesTailCalls(funcidx)) CallEmitter.tailWrapper(functionClass, layout, funcidx);
        MethodVisitor mv = new BranchFusion(new LineEntries(
                functionClass.visitMethod(ACC_STATIC, layout.bodyName(funcidx), layout.functionDescriptor(funcidx), null, null)));
        Locals locals = Locals.function(type, all, cachesSegment, outlining != null, spill);
        mv.visitCode();
        Label start = new Label();
        mv.visitLabel(start);
        // A split function's parts read and write its locals through the frame, so all start zeroed.
        locals.initialize(mv, type, outlining == null ? EntryWrites.of(body) : new BitSet());
        FunctionEmitter emitter = outlining == null
                ? new FunctionEmitter(mv, layout, locals, type, false, funcidx, body.offset())
                : new FunctionEmitter(mv, layout, locals, funcidx, outlining.method(null), type);
        if (probe != null) emitter.probe(probe);
        if (outlining == null) emitter.selfTailCallEntry(start);
        emitter.enterFunction(type.params().size());
        CodeReader.read(body.code(), body.offset(), emitter);
        Label end = new Label();
        mv.visitLabel(end);
        localNames(mv, layout, funcidx, locals, start, end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        if (outlining != null) {
            Set<BlockNest> nests = new LinkedHashSet<>();
            for (Region r : outlining.regions()) {
                region(classOf.apply(outlining.owner(layout, r)), layout, funcidx, outlining, r, all, cachesSegment, spill);
                Outlining.NestGroup group = outlining.group(r);
                if (group != null && group.nest().groups.size() > 1) nests.add(group.nest());
            }
            for (BlockNest nest : nests) GroupDispatch.emit(classOf, layout, outlining, nest);
        }
        return emitter.spillNeeds();
    }

    /** The method of outlined construct {@code r}: the construct's code read on its own. */
    private static void region(ClassVisitor cw, ModuleLayout layout, int funcidx, Outlining outlining, Region r,
                               List<ValType> all, boolean cachesSegment, OperandStack.Spill spill) {
        MethodVisitor mv = new BranchFusion(new LineEntries(
                cw.visitMethod(ACC_STATIC, outlining.methodName(r), outlining.methodDescriptor(r), null, null)));
        Locals locals = Locals.region(r.operands(), all, r.touched(), cachesSegment, spill);
        mv.visitCode();
        FunctionEmitter emitter = new FunctionEmitter(mv, layout, locals, funcidx, outlining.method(r), r.type);
        outlining.lowerPart(r, emitter);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A LocalVariableTable from the name section's local names, so debuggers show them. */
    private static void localNames(MethodVisitor mv, ModuleLayout layout, int funcidx, Locals locals, Label start, Label end) {
        Map<Integer, String> names = layout.module.names().locals().get(funcidx);
        if (names == null) return;
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            int l = e.getKey();
            if (l < 0 || l >= locals.count() || locals.slot(l) < 0) continue;
            // A v128 local is two long slots, which no one entry describes: its low half is shown.
            String descriptor = locals.type(l) == ValType.V128 ? "J" : JvmType.descriptor(locals.type(l));
            mv.visitLocalVariable(ModuleLayout.legal(e.getValue()), descriptor, null, start, end, locals.slot(l));
        }
    }
}
