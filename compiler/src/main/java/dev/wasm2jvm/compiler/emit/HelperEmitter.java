package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PROTECTED;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SYNCHRONIZED;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.H_INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IDIV;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IF_ACMPEQ;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.NEW;

/**
 * The generated methods that are not wasm functions: a static method per imported function that
 * calls the imported {@code FuncRef}'s handle (so calls to imports look like any other call), the
 * {@code call_indirect} dispatchers, and {@code funcRef(int)} with the factories of references to
 * the module's own functions.
 */
final class HelperEmitter {
    private static final String METHOD_HANDLE = "java/lang/invoke/MethodHandle";
    private static final String FUNC_REF_DESC = "L" + JvmType.FUNC_REF + ";";
    /** Functions per switch of direct calls in a call_indirect dispatcher: about 6 KB of bytecode. */
    private static final int DIRECT_CASES = 400;

    private final ClassVisitor cv;
    private final ModuleLayout layout;

    HelperEmitter(ClassVisitor cv, ModuleLayout layout) {
        this.cv = cv;
        this.layout = layout;
    }

    /** The static method standing for imported function {@code funcidx}. */
    void importTrampoline(int funcidx) {
        FuncType type = layout.module.funcType(funcidx);
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, layout.functionName(funcidx), layout.functionDescriptor(funcidx), null, null);
        mv.visitCode();
        int instance = JvmType.parameterSlots(type);
        mv.visitVarInsn(ALOAD, instance);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.importField(funcidx), FUNC_REF_DESC);
        mv.visitFieldInsn(GETFIELD, JvmType.FUNC_REF, "handle", "L" + METHOD_HANDLE + ";");
        JvmType.loadParameters(mv, type);
        mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "invokeExact", JvmType.handleDescriptor(type), false);
        returnResults(mv, type);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Every call_indirect dispatcher that function bodies asked for. */
    void callIndirectDispatchers() {
        for (Map.Entry<String, int[]> e : layout.callIndirects().entrySet()) {
            callIndirect(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
    }

    /**
     * A dispatcher: the element's signature is checked, then a function of this instance is called
     * directly, by a switch on its index, so that the JIT can inline it; any other function (a host
     * function, another instance's) through its handle.
     */
    private void callIndirect(String name, int typeidx, int tableidx) {
        FuncType type = layout.module.types().get(typeidx);
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, name, layout.callIndirectDescriptor(typeidx), null, null);
        mv.visitCode();
        int index = JvmType.parameterSlots(type);
        int instance = index + 1;
        int ref = instance + 1;
        mv.visitVarInsn(ILOAD, index);
        mv.visitVarInsn(ALOAD, instance);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.tableField(tableidx), "L" + TableEmitter.TABLE + ";");
        mv.visitMethodInsn(INVOKESTATIC, TableEmitter.TABLE, "funcForCall", "(IL" + TableEmitter.TABLE + ";)" + FUNC_REF_DESC, false);
        mv.visitVarInsn(ASTORE, ref);
        // Signature strings are interned, so equal types are the same string.
        Label match = new Label();
        mv.visitVarInsn(ALOAD, ref);
        mv.visitFieldInsn(GETFIELD, JvmType.FUNC_REF, "type", "Ljava/lang/String;");
        mv.visitLdcInsn(type.signature());
        mv.visitJumpInsn(IF_ACMPEQ, match);
        throwNew(mv, "dev/wasm2jvm/runtime/WasmTrap", "indirect call type mismatch");
        mv.visitLabel(match);
        List<Integer> candidates = sameType(type);
        Label viaHandle = new Label();
        if (!candidates.isEmpty()) {
            mv.visitVarInsn(ALOAD, ref);
            mv.visitFieldInsn(GETFIELD, JvmType.FUNC_REF, "owner", "Ldev/wasm2jvm/runtime/Instance;");
            mv.visitVarInsn(ALOAD, instance);
            mv.visitJumpInsn(IF_ACMPNE, viaHandle);
            mv.visitVarInsn(ALOAD, ref);
            mv.visitFieldInsn(GETFIELD, JvmType.FUNC_REF, "funcidx", "I");
            directSwitch(mv, name, type, candidates, instance, viaHandle);
        }
        mv.visitLabel(viaHandle);
        mv.visitVarInsn(ALOAD, ref);
        mv.visitFieldInsn(GETFIELD, JvmType.FUNC_REF, "handle", "L" + METHOD_HANDLE + ";");
        JvmType.loadParameters(mv, type);
        mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "invokeExact", JvmType.handleDescriptor(type), false);
        returnResults(mv, type);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The module's own functions whose type is {@code type}: the ones a dispatcher calls directly. */
    private List<Integer> sameType(FuncType type) {
        List<Integer> funcs = new ArrayList<>();
        for (int f = layout.module.importCount(ExternKind.FUNC); f < layout.module.functionCount(); f++) {
            if (layout.module.funcType(f).equals(type)) funcs.add(f);
        }
        return funcs;
    }

    /**
     * With a funcidx on the stack, calls that function of {@code candidates} and returns its result;
     * other indices jump to {@code other}. Past {@link #DIRECT_CASES} candidates the cases are spread
     * over helper methods, each small enough for the JIT to compile.
     */
    private void directSwitch(MethodVisitor mv, String name, FuncType type, List<Integer> candidates, int instance, Label other) {
        if (candidates.size() <= DIRECT_CASES) {
            directCases(mv, type, candidates, instance, other);
            return;
        }
        int funcidx = instance + 2;
        mv.visitVarInsn(ISTORE, funcidx);
        for (int from = 0; from < candidates.size(); from += DIRECT_CASES) {
            List<Integer> chunk = candidates.subList(from, Math.min(candidates.size(), from + DIRECT_CASES));
            String helper = name + "$" + from / DIRECT_CASES;
            Label next = new Label();
            mv.visitVarInsn(ILOAD, funcidx);
            Push.intConst(mv, chunk.get(chunk.size() - 1));
            mv.visitJumpInsn(IF_ICMPGT, next);
            JvmType.loadParameters(mv, type);
            mv.visitVarInsn(ILOAD, funcidx);
            mv.visitVarInsn(ALOAD, instance);
            mv.visitMethodInsn(INVOKESTATIC, layout.owner, helper, layout.callIndirectDescriptor(type), false);
            returnResults(mv, type);
            mv.visitLabel(next);
            directHelper(helper, type, chunk);
        }
        mv.visitJumpInsn(GOTO, other);
    }

    /** A helper of {@link #directSwitch}: the same parameters as a dispatcher, the funcidx in place of the element index. */
    private void directHelper(String name, FuncType type, List<Integer> candidates) {
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, name, layout.callIndirectDescriptor(type), null, null);
        mv.visitCode();
        int funcidx = JvmType.parameterSlots(type);
        Label invalid = new Label();
        mv.visitVarInsn(ILOAD, funcidx);
        directCases(mv, type, candidates, funcidx + 1, invalid);
        mv.visitLabel(invalid);
        throwNew(mv, "java/lang/IllegalArgumentException", "no such function");
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void directCases(MethodVisitor mv, FuncType type, List<Integer> candidates, int instance, Label other) {
        Label[] cases = new Label[candidates.size()];
        int[] keys = new int[candidates.size()];
        for (int i = 0; i < cases.length; i++) {
            cases[i] = new Label();
            keys[i] = candidates.get(i);
        }
        mv.visitLookupSwitchInsn(other, keys, cases);
        for (int i = 0; i < cases.length; i++) {
            mv.visitLabel(cases[i]);
            JvmType.loadParameters(mv, type);
            mv.visitVarInsn(ALOAD, instance);
            mv.visitMethodInsn(INVOKESTATIC, layout.owner, layout.functionName(keys[i]), layout.functionDescriptor(keys[i]), false);
            returnResults(mv, type);
        }
    }

    /**
     * {@code funcRef(int)}: the cached reference to a function, made on first use by
     * {@code newFuncRef$<chunk>}, each of which covers {@link ModuleLayout#FUNC_REF_CHUNK} functions.
     */
    void funcRefs() {
        int count = layout.module.functionCount();
        int chunks = Math.max(1, (count + ModuleLayout.FUNC_REF_CHUNK - 1) / ModuleLayout.FUNC_REF_CHUNK);
        MethodVisitor mv = cv.visitMethod(ACC_PROTECTED | ACC_FINAL | ACC_SYNCHRONIZED, ModuleEmitter.FUNC_REF_METHOD,
                "(I)" + FUNC_REF_DESC, null, null);
        mv.visitCode();
        Label cached = new Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, layout.owner, ModuleEmitter.FUNC_REFS_FIELD, "[" + FUNC_REF_DESC);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitInsn(AALOAD);
        mv.visitInsn(DUP);
        mv.visitJumpInsn(IFNONNULL, cached);
        mv.visitInsn(org.objectweb.asm.Opcodes.POP);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, layout.owner, ModuleEmitter.FUNC_REFS_FIELD, "[" + FUNC_REF_DESC);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ALOAD, 0);
        if (chunks == 1) {
            mv.visitMethodInsn(INVOKESTATIC, layout.owner, "newFuncRef$0", newFuncRefDescriptor(), false);
        } else {
            chunkDispatch(mv, chunks);
        }
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, 2);
        mv.visitInsn(AASTORE);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitLabel(cached);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        for (int c = 0; c < chunks; c++) newFuncRefChunk(c, count);
    }

    /** With (funcidx, instance) on the stack, calls the chunk method that covers funcidx. */
    private void chunkDispatch(MethodVisitor mv, int chunks) {
        int instance = 3;
        int funcidx = 4;
        mv.visitVarInsn(ASTORE, instance);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ISTORE, funcidx);
        Label[] cases = new Label[chunks];
        for (int c = 0; c < chunks; c++) cases[c] = new Label();
        Label done = new Label();
        Label invalid = new Label();
        mv.visitVarInsn(ILOAD, funcidx);
        Push.intConst(mv, ModuleLayout.FUNC_REF_CHUNK);
        mv.visitInsn(IDIV);
        mv.visitTableSwitchInsn(0, chunks - 1, invalid, cases);
        for (int c = 0; c < chunks; c++) {
            mv.visitLabel(cases[c]);
            mv.visitVarInsn(ILOAD, funcidx);
            mv.visitVarInsn(ALOAD, instance);
            mv.visitMethodInsn(INVOKESTATIC, layout.owner, "newFuncRef$" + c, newFuncRefDescriptor(), false);
            mv.visitJumpInsn(org.objectweb.asm.Opcodes.GOTO, done);
        }
        mv.visitLabel(invalid);
        throwNew(mv, "java/lang/IllegalArgumentException", "no such function");
        mv.visitLabel(done);
    }

    private String newFuncRefDescriptor() {
        return "(I" + layout.ownerDescriptor() + ")" + FUNC_REF_DESC;
    }

    private void newFuncRefChunk(int chunk, int count) {
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, "newFuncRef$" + chunk, newFuncRefDescriptor(), null, null);
        mv.visitCode();
        int first = chunk * ModuleLayout.FUNC_REF_CHUNK;
        int last = Math.min(count, first + ModuleLayout.FUNC_REF_CHUNK) - 1;
        Label invalid = new Label();
        if (last >= first) {
            Label[] cases = new Label[last - first + 1];
            for (int i = 0; i < cases.length; i++) cases[i] = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitTableSwitchInsn(first, last, invalid, cases);
            for (int funcidx = first; funcidx <= last; funcidx++) {
                mv.visitLabel(cases[funcidx - first]);
                newFuncRef(mv, funcidx);
                mv.visitInsn(ARETURN);
            }
        }
        mv.visitLabel(invalid);
        throwNew(mv, "java/lang/IllegalArgumentException", "no such function");
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void newFuncRef(MethodVisitor mv, int funcidx) {
        if (layout.isImportedFunction(funcidx)) {
            mv.visitVarInsn(ALOAD, 1);
            mv.visitFieldInsn(GETFIELD, layout.owner, layout.importField(funcidx), FUNC_REF_DESC);
            return;
        }
        mv.visitLdcInsn(layout.module.funcType(funcidx).signature());
        mv.visitLdcInsn(new Handle(H_INVOKESTATIC, layout.owner, layout.functionName(funcidx),
                layout.functionDescriptor(funcidx), false));
        mv.visitVarInsn(ALOAD, 1);
        Push.intConst(mv, funcidx);
        mv.visitMethodInsn(INVOKESTATIC, JvmType.FUNC_REF, "bound",
                "(Ljava/lang/String;L" + METHOD_HANDLE + ";Ldev/wasm2jvm/runtime/Instance;I)" + FUNC_REF_DESC, false);
    }

    static void throwNew(MethodVisitor mv, String exception, String message) {
        mv.visitTypeInsn(NEW, exception);
        mv.visitInsn(DUP);
        mv.visitLdcInsn(message);
        mv.visitMethodInsn(INVOKESPECIAL, exception, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
    }

    private static void returnResults(MethodVisitor mv, FuncType type) {
        String ret = JvmType.returnDescriptor(type.results());
        mv.visitInsn(org.objectweb.asm.Type.getType(ret).getOpcode(IRETURN));
    }
}
