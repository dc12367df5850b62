package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.emit.body.CallEmitter;
import dev.wasm2jvm.compiler.emit.body.StackMapFrames;
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
import dev.wasm2jvm.compiler.emit.split.FunctionMethods;
import dev.wasm2jvm.compiler.emit.split.FunctionPlanner;
import dev.wasm2jvm.compiler.emit.split.Outlining;
import dev.wasm2jvm.compiler.emit.split.StepMethods;
import dev.wasm2jvm.compiler.module.DataSegment;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.command.CommandSettings;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntPredicate;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTSTATIC;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * Compiles a validated module to a JVM class that extends {@code dev.wasm2jvm.runtime.Instance}:
 * a static method per function, fields for memories, tables, globals and imports, and a constructor
 * that instantiates the module; the data segments are a resource beside the class
 * ({@link #resources}). It plans how to split each function too large for one method, on as many
 * threads as the JVM has processors, then where every method goes ({@link ClassPartition}: the
 * module class, or code classes beside it for a large module), then emits the functions in funcidx
 * order on the calling thread, ending each code class once it is full (and all again, in the rare
 * case of a function whose frames the emitters cannot give, with that function's frames computed,
 * or whose plan, taken without a trial, made a method too large, with that function measured).
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

    /**
     * As {@link #emit(WasmModule, String, CommandSettings, CompileProgress)}, planning functions on
     * {@code threads} threads.
     *
     * <p>The emitters give the stack map frames of the functions' methods; where they cannot
     * ({@link StackMapFrames.Unresolved}, which no module met, the spec suites' and the fuzzers'
     * included), the class writer computes that function's frames. A class writer cannot take a
     * method back, so the module is then planned and emitted again: the common case pays nothing
     * (planning and emitting each function into a buffer that could be dropped would cost every
     * compilation), the rare one a second compilation, whatever the number of such functions,
     * each pass finding them all. Each pass that fails adds a function to those whose frames are
     * computed, which cannot fail, so the passes end.
     *
     * <p>A split function's plan is taken at its first budget without a trial of its methods
     * ({@link FunctionPlanner#plan(ModuleLayout, int, boolean)}), and its methods are bounded as
     * they are emitted ({@link FunctionMethods}); one past {@link JvmLimits#HUGE_METHOD}, which
     * HotSpot would never compile, fails the pass in the same way, and the function is planned with
     * its trials in the next, whose plans are measured to fit. So the SQLite shell compiles in 0.916
     * of the CPU, Sightglass {@code sqlite3} in 0.956, {@code regex} in 0.933 and Ruby in 0.924 (12
     * rounds each of {@code benchmarks/run.sh throughput --against} the compiler with the trials,
     * outputs identical).
     */
    static Map<String, byte[]> emit(WasmModule module, String className, CommandSettings command, CompileProgress progress,
                                    int threads) {
        BitSet framesComputed = new BitSet();
        BitSet measured = new BitSet();
        Map<String, byte[]> classes;
        do {
            classes = emit(module, className, command, progress, threads, framesComputed, measured);
        } while (classes == null);
        return classes;
    }

    /**
     * The classes of {@code module}, the frames of the functions in {@code framesComputed} computed by
     * the class writer, the functions in {@code measured} planned with trials of their methods; or
     * {@code null}, having added to {@code framesComputed} the functions whose frames the emitters
     * could not give and told {@code progress} of them, and to {@code measured} those whose
     * unmeasured plans made a method too large.
     */
    private static Map<String, byte[]> emit(WasmModule module, String className, CommandSettings command,
                                            CompileProgress progress, int threads, BitSet framesComputed,
                                            BitSet measured) {
        ModuleLayout layout = new ModuleLayout(module, className.replace('.', '/'));
        int imported = module.importCount(ExternKind.FUNC);
        int functions = module.functionCount();
        int steps = 2 * (functions - imported);
        FunctionPlanner.Plan[] plans = new FunctionPlanner.Plan[functions];
        BitSet[] entryWrites = new BitSet[functions];
        ClassPartition partition = planAll(layout, plans, entryWrites, measured, progress, steps, threads);
        Outlining[] outlinings = new Outlining[functions];
        for (int funcidx = imported; funcidx < functions; funcidx++) outlinings[funcidx] = plans[funcidx].outlining();
        layout.spread(partition.codeClassCount(), partition::functionClass);
        // With no code classes the module class holds every part's method, where outlinings start.
        if (partition.codeClassCount() > 0) {
            for (Outlining outlining : outlinings) {
                if (outlining != null) outlining.place(partition::regionClass);
            }
        }
        int threadStart = ThreadStartEmitter.threadStart(module);
        int commandStart = module.commandStart();
        List<String> implemented = new ArrayList<>();
        if (threadStart >= 0) implemented.add(RuntimeRefs.WASI_THREAD_START_INTERFACE);
        if (commandStart >= 0) implemented.add(RuntimeRefs.WASI_COMMAND_INTERFACE);
        String[] interfaces = implemented.isEmpty() ? null : implemented.toArray(new String[0]);
        ModuleClasses classes = new ModuleClasses(layout, interfaces, sourceFile(layout));
        ClassWriter cw = classes.moduleClass();
        fields(cw, layout);
        new InstanceEmitter(cw, layout).emit();
        HelperEmitter helpers = new HelperEmitter(classes, layout);
        BitSet unresolved = new BitSet();
        BitSet oversized = new BitSet();
        boolean failed = false;
        // Made once, not per function: each bound method reference is an object.
        Function<String, ClassVisitor> writers = classes::of;
        Function<String, ClassVisitor> computingFrames = classes::computingFrames;
        for (int funcidx = 0; funcidx < functions; funcidx++) {
            if (layout.isImportedFunction(funcidx)) {
                helpers.importTrampoline(funcidx);
                continue;
            }
            Outlining outlining = outlinings[funcidx];
            Function<String, ClassVisitor> classOf = failed ? ModuleClasses.scratch()
                    : framesComputed.get(funcidx) ? computingFrames : writers;
            Map<String, Integer> sizes = plans[funcidx].measured() ? null : new HashMap<>();
            try {
                FunctionMethods.emit(classOf, layout, funcidx, outlining, plans[funcidx].spill(), null, entryWrites[funcidx],
                        sizes);
            } catch (StackMapFrames.Unresolved e) {
                unresolved.set(funcidx);
                progress.framesComputed(funcidx, e.getMessage());
            }
            if (sizes != null && anyHuge(sizes)) oversized.set(funcidx);
            failed = !unresolved.isEmpty() || !oversized.isEmpty();
            plans[funcidx] = null;
            entryWrites[funcidx] = null;
            outlinings[funcidx] = null;
            if (!failed) {
                if (outlining != null) classes.addNested(outlining.frame.className, outlining.frame.classFile(layout.owner));
                if (funcidx + 1 < functions) classes.finishCodeClassesBefore(layout.codeClassIndex(funcidx + 1));
            }
            progress.advanced(functions + funcidx + 1 - 2 * imported, steps);
        }
        if (failed) {
            framesComputed.or(unresolved);
            measured.or(oversized);
            return null;
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
     * Whether one of a function's methods, of these bytecode sizes by name, is past
     * {@link JvmLimits#HUGE_METHOD}. A loop, not a stream: every function not measured asks.
     */
    private static boolean anyHuge(Map<String, Integer> sizes) {
        for (int size : sizes.values()) {
            if (size > JvmLimits.HUGE_METHOD) return true;
        }
        return false;
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
            cw.visitField(ACC_PRIVATE, layout.memoryField(m), RuntimeRefs.MEMORY_DESCRIPTOR, null, null).visitEnd();
        }
        for (int t = 0; t < module.tableCount(); t++) {
            cw.visitField(ACC_PRIVATE, layout.tableField(t), RuntimeRefs.TABLE_DESCRIPTOR, null, null).visitEnd();
        }
        for (int g = 0; g < module.globalCount(); g++) {
            cw.visitField(ACC_PRIVATE, layout.globalField(g), layout.globalDescriptor(g), null, null).visitEnd();
        }
        for (int t = 0; t < module.tagCount(); t++) {
            cw.visitField(ACC_PRIVATE, layout.tagField(t), RuntimeRefs.TAG_DESCRIPTOR, null, null).visitEnd();
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

    /**
     * Puts the plan of every defined function into {@code plans} by funcidx, and the locals the
     * entry code of each that is not split sets first into {@code entryWrites} (found by the count
     * of its constants, which reads its body anyway), and returns the classes of their methods; the
     * functions in {@code measured} are planned with trials of their methods. The plans are made on
     * {@code threads} threads, the calling thread one of
     * them, which alone tells {@code progress}: a function's plan reads only the module
     * and the layout's names, which do not change while planning, so plans are the same whatever
     * thread makes them and in whatever order. Planning is most of the work of a large function
     * (trial emissions of it), and counting the constant pool entries of its methods a full read of
     * its code, so both run there.
     */
    private static ClassPartition planAll(ModuleLayout layout, FunctionPlanner.Plan[] plans, BitSet[] entryWrites,
                                          BitSet measured, CompileProgress progress, int steps, int threads) {
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
                plans[f] = FunctionPlanner.plan(layout, f, measured.get(f));
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
        for (int funcidx = imported; funcidx < functions; funcidx++) entryWrites[funcidx] = entries[funcidx].entryWrites();
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
}
