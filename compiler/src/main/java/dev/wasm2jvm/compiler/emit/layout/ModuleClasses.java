package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.CompileException;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.MethodTooLargeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.V22;

/**
 * The classes of one module being written: the module class, its code classes when the functions
 * are spread over several ({@link ModuleLayout#functionOwner}), and the nested classes that the
 * emitters add. Every other class is a nestmate of the module class, so that code anywhere reads
 * and writes the instance's private fields.
 */
public final class ModuleClasses {
    private final ModuleLayout layout;
    private final ClassWriter moduleClass;
    private final Map<String, ClassWriter> codeClasses = new LinkedHashMap<>();
    /** The code classes already ended, so that only the one being filled holds the writer's state. */
    private final Map<String, byte[]> finished = new LinkedHashMap<>();
    private final Map<String, byte[]> nested = new LinkedHashMap<>();
    /** The code classes before this index are finished ({@link #finishCodeClassesBefore}). */
    private int finishedBefore;

    /**
     * @param interfaces the interfaces the module class implements, or {@code null}
     * @param sourceFile the source file that stack traces name
     */
    public ModuleClasses(ModuleLayout layout, String[] interfaces, String sourceFile) {
        this.layout = layout;
        this.moduleClass = writer();
        moduleClass.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, interfaces);
        moduleClass.visitSource(sourceFile, null);
        List<String> names = new ArrayList<>(layout.codeClasses());
        names.addAll(layout.refsClasses());
        for (String name : names) {
            ClassWriter cw = writer();
            cw.visit(V22, ACC_FINAL | ACC_SUPER, name, null, JvmType.OBJECT, null);
            cw.visitSource(sourceFile, null);
            cw.visitNestHost(layout.owner);
            cw.visitInnerClass(name, layout.owner, simpleName(name), ACC_STATIC | ACC_FINAL);
            codeClasses.put(name, cw);
            declareNested(name);
        }
    }

    /**
     * A writer that computes frames; only the module's own reference types meet at merge points.
     *
     * <p>ASM's frame computation was the largest single share of a warm compiler's thread: 12.5% (the
     * SQLite shell) to 17.6% (Ruby), its data flow over every method (async-profiler, cpu, 1 ms).
     * Writing the methods of function bodies and outlined parts with {@code COMPUTE_MAXS} alone, no
     * frames (classes that do not verify, a measurement only), took 0.865 of the CPU for the shell
     * and 0.822 for Ruby ({@code benchmarks/run.sh throughput --against}, 16 and 5 rounds). So those
     * methods now give their frames and maximums ({@code emit.body.StackMapFrames}, which sets this
     * writer's flags around their {@code visitMethod}): CPU 0.961 and 0.936 of computed frames for
     * the shell, 0.960 for Ruby, 0.889 to 0.974 for the other modules measured (5 to 20 rounds,
     * loaded machine; benchmarks/README.md, "Frames given by the emitters"), following the types
     * costing most of what the data flow did. The other methods, few and small, keep theirs
     * computed here, as do the methods of a function whose frames the emitters could not give
     * ({@link #computingFrames}).
     */
    static ClassWriter writer() {
        return new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return JvmType.OBJECT;
            }
        };
    }

    /**
     * Visits method {@code name} of {@code cw}, a writer of {@link #writer()}, with the writer's
     * flags set to {@code flags} for that method alone: ASM takes a method's flags from its writer
     * when the method is visited, and the writer goes on computing the frames of its other methods.
     */
    public static MethodVisitor visitMethod(ClassWriter cw, int flags, int access, String name, String descriptor) {
        cw.setFlags(flags);
        MethodVisitor mv = cw.visitMethod(access, name, descriptor, null, null);
        cw.setFlags(ClassWriter.COMPUTE_FRAMES);
        return mv;
    }

    public ClassWriter moduleClass() {
        return moduleClass;
    }

    /** The writer of class {@code internalName}: the module class or one of its code classes. */
    public ClassWriter of(String internalName) {
        return internalName.equals(layout.owner) ? moduleClass : codeClasses.get(internalName);
    }

    /**
     * Class {@code internalName}, the module class or a code class, as a visitor that is not its
     * writer, so that the methods emitted into it get the frames the writer computes: those of a
     * function whose frames the emitters could not give ({@code emit.body.StackMapFrames.Unresolved}),
     * as {@code emit.split.FunctionMethods} gives frames only into a class writer.
     */
    public ClassVisitor computingFrames(String internalName) {
        return new ClassVisitor(ASM9, of(internalName)) { };
    }

    /**
     * New writers, dropped with the function returned, for the classes that one function's methods
     * go into: once the emitters could not give the frames of a function, the classes being written
     * hold its unfinished method (a class writer cannot take a method back) and are dropped, and the
     * functions after it are emitted alike, into these, only to find which others the emitters
     * cannot give frames for.
     */
    public static Function<String, ClassVisitor> scratch() {
        Map<String, ClassWriter> writers = new HashMap<>();
        return name -> writers.computeIfAbsent(name, n -> {
            ClassWriter cw = writer();
            cw.visit(V22, ACC_FINAL | ACC_SUPER, n, null, JvmType.OBJECT, null);
            return cw;
        });
    }

    /**
     * Ends the code classes before code class {@code k}, which no method emitted from now on goes
     * into: functions are emitted in funcidx order, and {@code emit.ClassPartition} fills the classes in
     * that order. Their writers are dropped, so the compiler's heap holds one class being written.
     */
    public void finishCodeClassesBefore(int k) {
        // Asked after every function: those before the last k asked are finished already.
        if (k <= finishedBefore) return;
        List<String> names = layout.codeClasses();
        for (int i = finishedBefore; i < k && i < names.size(); i++) {
            ClassWriter cw = codeClasses.remove(names.get(i));
            if (cw != null) finished.put(names.get(i), codeClassBytes(names.get(i), cw));
        }
        finishedBefore = k;
    }

    /** Adds class {@code internalName}, already written, as a static member of the module class. */
    public void addNested(String internalName, byte[] classFile) {
        declareNested(internalName);
        nested.put(internalName.replace('/', '.'), classFile);
    }

    private void declareNested(String internalName) {
        moduleClass.visitNestMember(internalName);
        moduleClass.visitInnerClass(internalName, layout.owner, simpleName(internalName), ACC_STATIC | ACC_FINAL);
    }

    private static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('$') + 1);
    }

    /**
     * Ends every class and returns the class files by binary name, the module class first.
     *
     * @throws CompileException if a method is larger than the JVM allows, or the instance's state
     *     and API need more constants than one class holds
     */
    public Map<String, byte[]> finish() {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        moduleClass.visitEnd();
        try {
            classes.put(layout.owner.replace('/', '.'), bytes(moduleClass));
        } catch (ClassTooLargeException e) {
            throw CompileException.unsupported("more imports, globals, exports and segments than one JVM class holds ("
                    + e.getConstantPoolCount() + " constants)", -1, -1);
        }
        for (Map.Entry<String, ClassWriter> e : codeClasses.entrySet()) finished.put(e.getKey(), codeClassBytes(e.getKey(), e.getValue()));
        codeClasses.clear();
        finished.forEach((name, bytes) -> classes.put(name.replace('/', '.'), bytes));
        classes.putAll(nested);
        return classes;
    }

    private static byte[] codeClassBytes(String name, ClassWriter cw) {
        cw.visitEnd();
        try {
            return bytes(cw);
        } catch (ClassTooLargeException tooLarge) {
            throw new IllegalStateException("code class " + name + " has " + tooLarge.getConstantPoolCount()
                    + " constants: the estimate of its constant pool was wrong", tooLarge);
        }
    }

    private static byte[] bytes(ClassWriter cw) {
        try {
            return cw.toByteArray();
        } catch (MethodTooLargeException e) {
            throw CompileException.unsupported("function " + e.getMethodName() + " is larger than one JVM method allows ("
                    + e.getCodeSize() + " bytes of bytecode)", -1, -1);
        }
    }
}
