package dev.wasm2jvm.compiler.emit.facade;

import dev.wasm2jvm.compiler.emit.body.Push;
import dev.wasm2jvm.compiler.emit.body.SimdEmitter;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.emit.split.StepMethods;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.command.CommandSettings;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ACC_ABSTRACT;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_INTERFACE;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ACC_SYNTHETIC;
import static org.objectweb.asm.Opcodes.ACC_VARARGS;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.H_GETFIELD;
import static org.objectweb.asm.Opcodes.H_INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.H_INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V22;

/**
 * Adds the typed Java API that {@link Facade} describes to a module's class: methods that call the
 * exported functions' static methods directly, accessors of the exported memories, tables and
 * globals, the static factories {@code instantiate}, and {@code main} for a WASI command; and emits
 * the nested interface {@code Imports} and the records of multiple results as classes of their own.
 */
public final class FacadeEmitter {
    private static final String IMPORTS = RuntimeRefs.IMPORTS;
    private static final String WASI = RuntimeRefs.WASI_PREVIEW1;
    private static final String METHOD_HANDLE = "java/lang/invoke/MethodHandle";
    private static final String MH_DESC = "L" + METHOD_HANDLE + ";";
    private static final Handle RECORD_METHODS = new Handle(H_INVOKESTATIC, "java/lang/runtime/ObjectMethods", "bootstrap",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/TypeDescriptor;Ljava/lang/Class;"
                    + "Ljava/lang/String;[Ljava/lang/invoke/MethodHandle;)Ljava/lang/Object;", false);

    private final ClassVisitor cv;
    private final ModuleLayout layout;
    private final Facade facade;
    private final String owner;

    private FacadeEmitter(ClassVisitor cv, ModuleLayout layout, Facade facade) {
        this.cv = cv;
        this.layout = layout;
        this.facade = facade;
        this.owner = layout.owner;
    }

    /**
     * Adds the API to the module class being visited by {@code cv}.
     *
     * @return the nested classes, by binary class name
     */
    public static Map<String, byte[]> emit(ClassVisitor cv, ModuleLayout layout, CommandSettings command) {
        return new FacadeEmitter(cv, layout, new Facade(layout.module, layout.owner, command)).emit();
    }

    private Map<String, byte[]> emit() {
        Map<String, byte[]> nested = new LinkedHashMap<>();
        for (List<ValType> results : facade.resultShapes()) {
            String name = facade.record(results);
            nest(name, Facade.recordName(results), ACC_PUBLIC | ACC_STATIC | ACC_FINAL);
            nested.put(name.replace('/', '.'), record(name, results));
            if (facade.hostFunctions.stream().anyMatch(h -> h.type().results().equals(results))) toArray(name, results);
        }
        if (facade.hasHostFunctions()) {
            String name = facade.importsInterface();
            nest(name, Facade.IMPORTS_INTERFACE, ACC_PUBLIC | ACC_STATIC | ACC_ABSTRACT | ACC_INTERFACE);
            nested.put(name.replace('/', '.'), importsInterface(name));
        }
        facade.typedFunctions().forEach(this::exportedFunction);
        facade.accessors.forEach(this::accessor);
        instantiate();
        instantiateWithNewImports();
        if (facade.command) main();
        return nested;
    }

    private void nest(String name, String simpleName, int access) {
        cv.visitNestMember(name);
        cv.visitInnerClass(name, owner, simpleName, access);
    }

    /**
     * {@code public R name(P...)}: calls the function's static method, boxing several results in
     * their record (past {@link Facade#MAX_RECORD_COMPONENTS}, returning the method's array of
     * them); a wide function's {@code public R name(Object... args)} checks its arguments first.
     * The call is bracketed by {@code Instance.enter} and {@code exit}, which refuse a second thread.
     */
    private void exportedFunction(Facade.Function f) {
        FuncType type = f.type();
        boolean wide = JvmType.isWide(type);
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC | (wide ? ACC_VARARGS : 0), f.javaName(), facade.javaDescriptor(type), null, null);
        for (String parameter : facade.parameterNames(f.funcidx())) mv.visitParameter(parameter, 0);
        mv.visitCode();
        int caller = 1;
        if (wide) {
            caller++;
        } else {
            for (ValType p : type.params()) caller += JvmType.size(p);
        }
        mv.visitVarInsn(ALOAD, 0);
        RuntimeRefs.INSTANCE_ENTER.invoke(mv);
        mv.visitVarInsn(ASTORE, caller);
        Label start = new Label();
        Label end = new Label();
        mv.visitTryCatchBlock(start, end, end, "java/lang/Throwable");
        mv.visitLabel(start);
        int slot = 1;
        if (wide) {
            mv.visitLdcInsn(type.signature());
            mv.visitVarInsn(ALOAD, slot++);
            RuntimeRefs.BOXED_ARGUMENTS_CHECK.invoke(mv);
        } else {
            for (ValType p : type.params()) {
                loadJava(mv, p, slot);
                slot += javaSize(p);
            }
        }
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESTATIC, layout.functionOwner(f.funcidx()), layout.functionName(f.funcidx()),
                layout.functionDescriptor(f.funcidx()), false);
        List<ValType> results = type.results();
        exit(mv, caller);
        switch (results.size()) {
            case 0 -> mv.visitInsn(RETURN);
            case 1 -> mv.visitInsn(JvmType.of(results.get(0)).getOpcode(IRETURN));
            default -> {
                // Past MAX_RECORD_COMPONENTS, the method's array of the results is returned as it is.
                if (Facade.inRecord(results)) toRecord(mv, results, caller + 1);
                mv.visitInsn(ARETURN);
            }
        }
        mv.visitLabel(end);
        exit(mv, caller);
        propagate(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Replaces the array of {@code results} on the stack by their record, with {@code slot} free to hold it. */
    private void toRecord(MethodVisitor mv, List<ValType> results, int slot) {
        mv.visitVarInsn(ASTORE, slot);
        String record = facade.record(results);
        mv.visitTypeInsn(NEW, record);
        mv.visitInsn(DUP);
        for (int i = 0; i < results.size(); i++) {
            mv.visitVarInsn(ALOAD, slot);
            Push.intConst(mv, i);
            mv.visitInsn(AALOAD);
            if (results.get(i) == ValType.V128) mv.visitTypeInsn(CHECKCAST, JvmType.V128);
            else JvmType.unbox(mv, results.get(i));
        }
        mv.visitMethodInsn(INVOKESPECIAL, record, "<init>", constructorDescriptor(results), false);
    }

    /** {@code exit(caller)}: ends the call that {@code Instance.enter} began (the operand stack is kept). */
    private void exit(MethodVisitor mv, int caller) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, caller);
        RuntimeRefs.INSTANCE_EXIT.invoke(mv);
    }

    /**
     * The handler of a call into wasm code: JVM errors that stand for traps become {@code WasmTrap}s,
     * as they do when the function is called through its {@code FuncRef}.
     */
    private static void propagate(MethodVisitor mv) {
        RuntimeRefs.WASM_TRAP_PROPAGATE.invoke(mv);
        mv.visitInsn(ATHROW);
    }

    private void accessor(Facade.Accessor a) {
        String descriptor = switch (a.kind()) {
            case MEMORY -> RuntimeRefs.MEMORY_DESCRIPTOR;
            case TABLE -> RuntimeRefs.TABLE_DESCRIPTOR;
            case GLOBAL -> RuntimeRefs.GLOBAL_DESCRIPTOR;
            case TAG -> RuntimeRefs.TAG_DESCRIPTOR;
            case FUNC -> throw new IllegalArgumentException("functions have no accessor");
        };
        String field = switch (a.kind()) {
            case MEMORY -> layout.memoryField(a.index());
            case TABLE -> layout.tableField(a.index());
            case TAG -> layout.tagField(a.index());
            default -> layout.globalField(a.index());
        };
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC, a.javaName(), "()" + descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, owner, field, descriptor);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The parameters of {@code instantiate} before the imports: the host functions, the WASI host. */
    private String leadingParameters() {
        return (facade.hasHostFunctions() ? "L" + facade.importsInterface() + ";" : "") + (facade.wasi ? "L" + WASI + ";" : "");
    }

    /**
     * {@code instantiate([Imports host,] [WasiPreview1 wasi,] dev.wasm2jvm.runtime.Imports imports)}:
     * adds the host functions (in helper methods {@code hostFunctions$<k>} taking the same
     * arguments) and the WASI functions to {@code imports}, instantiates the module, gives the WASI
     * host its memory and initialises a WASI reactor.
     */
    private void instantiate() {
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC | ACC_STATIC, Facade.INSTANTIATE,
                "(" + leadingParameters() + "L" + IMPORTS + ";)" + layout.ownerDescriptor(), null, null);
        int host = facade.hasHostFunctions() ? 0 : -1;
        int wasi = facade.wasi ? host + 1 : -1;
        int imports = Math.max(host, wasi) + 1;
        int instance = imports + 1;
        mv.visitCode();
        Label start = new Label();
        Label end = new Label();
        mv.visitTryCatchBlock(start, end, end, "java/lang/Throwable");
        mv.visitLabel(start);
        if (host >= 0) {
            mv.visitVarInsn(ALOAD, host);
            mv.visitLdcInsn("host");
            mv.visitMethodInsn(INVOKESTATIC, "java/util/Objects", "requireNonNull",
                    "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;", false);
            mv.visitInsn(POP);
            StepMethods steps = new StepMethods(cv, owner, GeneratedNames.HOST_FUNCTION_STEPS, "(" + leadingParameters() + "L" + IMPORTS + ";)V");
            for (Facade.HostFunction h : facade.hostFunctions) {
                addHostFunction(steps.next(), h, host, imports, h == facade.hostFunctions.get(0));
            }
            steps.callAll(mv);
        }
        if (wasi >= 0) {
            mv.visitVarInsn(ALOAD, wasi);
            mv.visitVarInsn(ALOAD, imports);
            RuntimeRefs.WASI_ADD_TO.invoke(mv);
        }
        mv.visitTypeInsn(NEW, owner);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ALOAD, imports);
        mv.visitMethodInsn(INVOKESPECIAL, owner, "<init>", "(L" + IMPORTS + ";)V", false);
        mv.visitVarInsn(ASTORE, instance);
        if (wasi >= 0 && layout.module.memoryCount() > 0) {
            mv.visitVarInsn(ALOAD, wasi);
            mv.visitVarInsn(ALOAD, instance);
            mv.visitFieldInsn(GETFIELD, owner, layout.memoryField(0), RuntimeRefs.MEMORY_DESCRIPTOR);
            RuntimeRefs.WASI_BIND.invoke(mv);
        }
        if (facade.initialize >= 0) {
            mv.visitVarInsn(ALOAD, instance);
            mv.visitMethodInsn(INVOKESTATIC, layout.functionOwner(facade.initialize), layout.functionName(facade.initialize),
                    layout.functionDescriptor(facade.initialize), false);
        }
        mv.visitVarInsn(ALOAD, instance);
        mv.visitInsn(ARETURN);
        mv.visitLabel(end);
        propagate(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * {@code imports.add(module, name, new FuncRef(signature, handle))}, where the handle calls the
     * host's implementation of the interface method, its record of several results turned into
     * the array that function references return. The first host function is wrapped by
     * {@code Linking.binding}, so that linking it calls the host's {@code bind} with the instance.
     */
    private void addHostFunction(MethodVisitor mv, Facade.HostFunction h, int host, int imports, boolean binds) {
        mv.visitVarInsn(ALOAD, imports);
        mv.visitLdcInsn(h.module());
        mv.visitLdcInsn(h.name());
        mv.visitTypeInsn(NEW, JvmType.FUNC_REF);
        mv.visitInsn(DUP);
        mv.visitLdcInsn(h.type().signature());
        mv.visitLdcInsn(new Handle(H_INVOKEINTERFACE, facade.importsInterface(), h.javaName(),
                facade.javaDescriptor(h.type()), true));
        mv.visitVarInsn(ALOAD, host);
        mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "bindTo", "(Ljava/lang/Object;)" + MH_DESC, false);
        if (!JvmType.isWide(h.type())) {
            // The interface takes a v128 as a V128, function references as two longs: from the last
            // parameter back, so that earlier positions hold, each V128 is made from its halves.
            List<ValType> params = h.type().params();
            for (int i = params.size() - 1; i >= 0; i--) {
                if (params.get(i) != ValType.V128) continue;
                Push.intConst(mv, i);
                mv.visitLdcInsn(new Handle(H_INVOKESTATIC, SimdEmitter.SIMD, "box", "(JJ)L" + JvmType.V128 + ";", false));
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "collectArguments",
                        "(" + MH_DESC + "I" + MH_DESC + ")" + MH_DESC, false);
            }
        }
        List<ValType> results = h.type().results();
        if (Facade.inRecord(results)) {
            mv.visitLdcInsn(new Handle(H_INVOKESTATIC, owner, resultsToArray(results),
                    "(L" + facade.record(results) + ";)[Ljava/lang/Object;", false));
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "filterReturnValue",
                    "(" + MH_DESC + MH_DESC + ")" + MH_DESC, false);
        }
        RuntimeRefs.FUNC_REF_NEW.invoke(mv);
        if (binds) {
            mv.visitLdcInsn(new Handle(H_INVOKEINTERFACE, facade.importsInterface(), Facade.BIND,
                    "(" + layout.ownerDescriptor() + ")V", true));
            mv.visitVarInsn(ALOAD, host);
            mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "bindTo", "(Ljava/lang/Object;)" + MH_DESC, false);
            RuntimeRefs.LINKING_BINDING.invoke(mv);
        }
        RuntimeRefs.IMPORTS_ADD.invoke(mv);
        mv.visitInsn(POP);
    }

    /** {@code instantiate([host,] [wasi])}: as the full factory, with no other imports. */
    private void instantiateWithNewImports() {
        String leading = leadingParameters();
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC | ACC_STATIC, Facade.INSTANTIATE,
                "(" + leading + ")" + layout.ownerDescriptor(), null, null);
        mv.visitCode();
        int slot = 0;
        for (Type t : Type.getArgumentTypes("(" + leading + ")V")) mv.visitVarInsn(ALOAD, slot++);
        mv.visitTypeInsn(NEW, IMPORTS);
        mv.visitInsn(DUP);
        RuntimeRefs.IMPORTS_INIT.invoke(mv);
        mv.visitMethodInsn(INVOKESTATIC, owner, Facade.INSTANTIATE,
                "(" + leading + "L" + IMPORTS + ";)" + layout.ownerDescriptor(), false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * {@code main(String[] args)} of a WASI command: runs it as {@code wasm2jvm run} does, with the
     * process's standard streams and environment (plus the variables given at compile time), the
     * program name then {@code args} as its arguments and the directories given at compile time,
     * which the run-time overrides of {@code CommandRunner.main} change; it exits with the program's
     * exit code.
     */
    private void main() {
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC | ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitCode();
        mv.visitLdcInsn(Type.getObjectType(owner));
        mv.visitLdcInsn(facade.settings().encode());
        RuntimeRefs.COMMAND_SETTINGS_DECODE.invoke(mv);
        RuntimeRefs.COMMAND_SETTINGS_INHERIT_ENVIRONMENT.invoke(mv);
        mv.visitVarInsn(ALOAD, 0);
        RuntimeRefs.COMMAND_RUNNER_MAIN.invoke(mv);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The nested interface of host functions: one abstract method per imported function, and the
     * default method {@code bind(Module instance)}, which does nothing.
     */
    private byte[] importsInterface(String name) {
        ClassWriter w = new ClassWriter(0);
        w.visit(V22, ACC_PUBLIC | ACC_ABSTRACT | ACC_INTERFACE, name, null, "java/lang/Object", null);
        w.visitNestHost(owner);
        w.visitInnerClass(name, owner, Facade.IMPORTS_INTERFACE, ACC_PUBLIC | ACC_STATIC | ACC_ABSTRACT | ACC_INTERFACE);
        for (Facade.HostFunction h : facade.hostFunctions) {
            int access = ACC_PUBLIC | ACC_ABSTRACT | (JvmType.isWide(h.type()) ? ACC_VARARGS : 0);
            MethodVisitor mv = w.visitMethod(access, h.javaName(), facade.javaDescriptor(h.type()), null, null);
            for (String parameter : facade.parameterNames(h.funcidx())) mv.visitParameter(parameter, 0);
            mv.visitEnd();
            if (Facade.inRecord(h.type().results())) nestRecord(w, h.type().results());
        }
        MethodVisitor bind = w.visitMethod(ACC_PUBLIC, Facade.BIND, "(" + layout.ownerDescriptor() + ")V", null, null);
        bind.visitParameter("instance", 0);
        bind.visitCode();
        bind.visitInsn(RETURN);
        bind.visitMaxs(0, 2);
        bind.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }

    private void nestRecord(ClassVisitor w, List<ValType> results) {
        w.visitInnerClass(facade.record(results), owner, Facade.recordName(results), ACC_PUBLIC | ACC_STATIC | ACC_FINAL);
    }

    /** The method that the handles of host functions filter their record results through. */
    private static String resultsToArray(List<ValType> results) {
        return GeneratedNames.resultsToArray(Facade.recordName(results));
    }

    /** Pushes a facade method's parameter of type {@code t} from {@code slot} as the wasm function takes it. */
    private static void loadJava(MethodVisitor mv, ValType t, int slot) {
        if (t == ValType.V128) {
            mv.visitVarInsn(ALOAD, slot);
            JvmType.unbox(mv, t);
        } else {
            JvmType.load(mv, t, slot);
        }
    }

    /** The slots of a Java value of type {@code t} in the facade: a v128 is one {@code V128}. */
    private static int javaSize(ValType t) {
        return t == ValType.V128 ? 1 : JvmType.size(t);
    }

    private static String constructorDescriptor(List<ValType> results) {
        StringBuilder sb = new StringBuilder("(");
        results.forEach(r -> sb.append(JvmType.singleDescriptor(r)));
        return sb.append(")V").toString();
    }

    /** {@code public record Results_xy(X r0, Y r1)}, with the methods javac would generate for it. */
    private byte[] record(String name, List<ValType> results) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, name, null, "java/lang/Record", null);
        w.visitNestHost(owner);
        nestRecord(w, results);
        StringBuilder names = new StringBuilder();
        Handle[] getters = new Handle[results.size()];
        for (int i = 0; i < results.size(); i++) {
            String component = "r" + i;
            String descriptor = JvmType.singleDescriptor(results.get(i));
            w.visitRecordComponent(component, descriptor, null).visitEnd();
            w.visitField(ACC_PRIVATE | ACC_FINAL, component, descriptor, null, null).visitEnd();
            names.append(i == 0 ? "" : ";").append(component);
            getters[i] = new Handle(H_GETFIELD, name, component, descriptor, false);
        }
        MethodVisitor init = w.visitMethod(ACC_PUBLIC, "<init>", constructorDescriptor(results), null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Record", "<init>", "()V", false);
        int slot = 1;
        for (int i = 0; i < results.size(); i++) {
            init.visitVarInsn(ALOAD, 0);
            if (results.get(i) == ValType.V128) init.visitVarInsn(ALOAD, slot);
            else JvmType.load(init, results.get(i), slot);
            slot += javaSize(results.get(i));
            init.visitFieldInsn(PUTFIELD, name, "r" + i, JvmType.singleDescriptor(results.get(i)));
        }
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        for (int i = 0; i < results.size(); i++) {
            String descriptor = JvmType.singleDescriptor(results.get(i));
            MethodVisitor get = w.visitMethod(ACC_PUBLIC, "r" + i, "()" + descriptor, null, null);
            get.visitCode();
            get.visitVarInsn(ALOAD, 0);
            get.visitFieldInsn(GETFIELD, name, "r" + i, descriptor);
            get.visitInsn(JvmType.of(results.get(i)).getOpcode(IRETURN));
            get.visitMaxs(0, 0);
            get.visitEnd();
        }
        Object[] bootstrapArgs = new Object[2 + getters.length];
        bootstrapArgs[0] = Type.getObjectType(name);
        bootstrapArgs[1] = names.toString();
        System.arraycopy(getters, 0, bootstrapArgs, 2, getters.length);
        objectMethod(w, name, "toString", "()Ljava/lang/String;", bootstrapArgs);
        objectMethod(w, name, "hashCode", "()I", bootstrapArgs);
        objectMethod(w, name, "equals", "(Ljava/lang/Object;)Z", bootstrapArgs);
        w.visitEnd();
        return w.toByteArray();
    }

    /** A record's {@code toString}, {@code hashCode} or {@code equals}, linked by {@code ObjectMethods}. */
    private static void objectMethod(ClassVisitor w, String record, String method, String descriptor, Object[] bootstrapArgs) {
        MethodVisitor mv = w.visitMethod(ACC_PUBLIC | ACC_FINAL, method, descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        boolean equals = method.equals("equals");
        if (equals) mv.visitVarInsn(ALOAD, 1);
        String indyDescriptor = "(L" + record + ";" + (equals ? "Ljava/lang/Object;" : "") + descriptor.substring(descriptor.indexOf(')'));
        mv.visitInvokeDynamicInsn(method, indyDescriptor, RECORD_METHODS, bootstrapArgs);
        mv.visitInsn(Type.getReturnType(descriptor).getOpcode(IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code private static Object[] toArray$Results_xy(Results_xy r)}: the components, boxed, in an array. */
    private void toArray(String record, List<ValType> results) {
        MethodVisitor mv = cv.visitMethod(ACC_PRIVATE | ACC_STATIC | ACC_SYNTHETIC, resultsToArray(results),
                "(L" + record + ";)[Ljava/lang/Object;", null, null);
        mv.visitCode();
        Push.intConst(mv, results.size());
        mv.visitTypeInsn(ANEWARRAY, JvmType.OBJECT);
        for (int i = 0; i < results.size(); i++) {
            mv.visitInsn(DUP);
            Push.intConst(mv, i);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKEVIRTUAL, record, "r" + i, "()" + JvmType.singleDescriptor(results.get(i)), false);
            if (results.get(i) != ValType.V128) JvmType.box(mv, results.get(i));
            mv.visitInsn(AASTORE);
        }
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
