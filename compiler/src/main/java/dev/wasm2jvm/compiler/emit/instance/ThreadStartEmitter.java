package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V22;

/**
 * For a module that exports {@code wasi_thread_start: (i32, i32) -> ()}, the entry of its
 * wasi-threads threads: a nested class {@code <Module>$WasiThreadStart implements Runnable} whose
 * {@code run} calls the function's static method, and the module class's {@code wasiThreadStart}
 * factory of it.
 */
public final class ThreadStartEmitter {
    private static final FuncType TYPE = new FuncType(List.of(ValType.I32, ValType.I32), List.of());

    private ThreadStartEmitter() {}

    /** The funcidx of the exported {@code wasi_thread_start} with the right type, or -1. */
    public static int threadStart(WasmModule module) {
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC && e.name().equals("wasi_thread_start")
                    && module.funcType(e.index()).equals(TYPE)) {
                return e.index();
            }
        }
        return -1;
    }

    public static String runnableName(ModuleLayout layout) {
        return GeneratedNames.threadStartClass(layout.owner);
    }

    /** The module class's {@code Runnable wasiThreadStart(int tid, int startArg)}. */
    public static void factory(ClassVisitor cv, ModuleLayout layout) {
        String runnable = runnableName(layout);
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC, RuntimeRefs.WASI_THREAD_START.name(), RuntimeRefs.WASI_THREAD_START.descriptor(),
                null, null);
        mv.visitCode();
        mv.visitTypeInsn(NEW, runnable);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitMethodInsn(INVOKESPECIAL, runnable, "<init>", "(" + layout.ownerDescriptor() + "II)V", false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The class file of the runnable that calls function {@code funcidx}. */
    public static byte[] runnable(ModuleLayout layout, int funcidx) {
        String name = runnableName(layout);
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(V22, ACC_FINAL | ACC_SUPER, name, null, "java/lang/Object", new String[] {"java/lang/Runnable"});
        cw.visitNestHost(layout.owner);
        cw.visitOuterClass(layout.owner, null, null);
        cw.visitInnerClass(name, layout.owner, "WasiThreadStart", ACC_STATIC | ACC_FINAL);
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "instance", layout.ownerDescriptor(), null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "tid", "I", null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "startArg", "I", null, null).visitEnd();

        MethodVisitor init = cw.visitMethod(0, "<init>", "(" + layout.ownerDescriptor() + "II)V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        setField(init, name, "instance", layout.ownerDescriptor(), ALOAD, 1);
        setField(init, name, "tid", "I", ILOAD, 2);
        setField(init, name, "startArg", "I", ILOAD, 3);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor run = cw.visitMethod(ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        getField(run, name, "tid", "I");
        getField(run, name, "startArg", "I");
        getField(run, name, "instance", layout.ownerDescriptor());
        run.visitMethodInsn(INVOKESTATIC, layout.functionOwner(funcidx), layout.functionName(funcidx), layout.functionDescriptor(funcidx), false);
        run.visitInsn(RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void setField(MethodVisitor mv, String owner, String field, String descriptor, int load, int slot) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(load, slot);
        mv.visitFieldInsn(PUTFIELD, owner, field, descriptor);
    }

    private static void getField(MethodVisitor mv, String owner, String field, String descriptor) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, owner, field, descriptor);
    }
}
