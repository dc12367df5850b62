package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.DUP2;
import static org.objectweb.asm.Opcodes.DUP2_X2;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.SWAP;

/**
 * {@code local.get/set/tee} as JVM local variable instructions (or value array accesses for the
 * locals past a function's first ones), and {@code global.get/set} as field
 * accesses: a plain field for the module's private globals, the {@code Global} object's
 * {@code bits} or {@code ref} for imported and exported ones.
 */
public final class VariableEmitter {

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    public VariableEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    public void visitVariable(int opcode, int index, OperandStack stack) {
        switch (opcode) {
            case Opcodes.LOCAL_GET -> {
                locals.load(mv, index);
                stack.push(locals.type(index));
            }
            case Opcodes.LOCAL_SET -> {
                locals.store(mv, index);
                stack.pop();
            }
            case Opcodes.LOCAL_TEE -> {
                duplicate(locals.type(index));
                locals.store(mv, index);
            }
            case Opcodes.GLOBAL_GET -> {
                globalGet(index);
                stack.push(layout.module.globalType(index).valType());
            }
            case Opcodes.GLOBAL_SET -> {
                globalSet(index);
                stack.pop();
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    /** Duplicates the value of type {@code t} on top of the stack; a v128's two halves through a scratch slot. */
    private void duplicate(ValType t) {
        if (t != ValType.V128) {
            mv.visitInsn(JvmType.size(t) == 2 ? DUP2 : DUP);
            return;
        }
        int mark = locals.mark();
        int high = locals.borrow(ValType.I64);
        mv.visitVarInsn(LSTORE, high);
        mv.visitInsn(DUP2);
        mv.visitVarInsn(LLOAD, high);
        mv.visitInsn(DUP2_X2);
        locals.release(mark);
    }

    private void globalGet(int index) {
        ValType type = layout.module.globalType(index).valType();
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.globalField(index), layout.globalDescriptor(index));
        if (!layout.isGlobalBoxed(index)) {
            if (type == ValType.V128) JvmType.unbox(mv, type);
            return;
        }
        if (type == ValType.V128) {
            RuntimeRefs.GLOBAL_REF.get(mv);
            JvmType.unbox(mv, type);
            return;
        }
        if (type.isRef()) {
            RuntimeRefs.GLOBAL_REF.get(mv);
            if (type == ValType.FUNCREF) mv.visitTypeInsn(CHECKCAST, JvmType.FUNC_REF);
            return;
        }
        RuntimeRefs.GLOBAL_BITS.get(mv);
        JvmType.fromBits(mv, type);
    }

    /**
     * Sets global {@code index} to the value on top of the stack. A private global's instance is
     * loaded after the value and swapped under it. Loading it before the value, where the value is
     * a short computation {@link LookAhead} could see (the stack pointer's {@code global.get;
     * i32.const; i32.sub; local.tee; global.set} in prologues and {@code local.get; global.set} in
     * epilogues), would save only that {@code swap}: one byte at each of regex's 907 sites (0.15% of
     * its code), 1,380 in Sightglass {@code sqlite3} (0.13%), bringing 2 and 1 methods under
     * {@code FreqInlineSize} and none under 35 bytes, and one interpreted dispatch a call of a
     * function with a stack frame, which C1 and C2 code never pays. Counted, not done (issue 12,
     * session 28; {@code benchmarks/README.md}).
     */
    private void globalSet(int index) {
        ValType type = layout.module.globalType(index).valType();
        // A v128 global holds an immutable V128, so setting one is the only SIMD path that allocates.
        if (type == ValType.V128) JvmType.box(mv, type);
        if (!layout.isGlobalBoxed(index)) {
            locals.loadInstance(mv);
            moveUnder(type == ValType.V128 ? 1 : JvmType.size(type));
            mv.visitFieldInsn(PUTFIELD, layout.owner, layout.globalField(index), layout.globalDescriptor(index));
            return;
        }
        if (type.isRef() || type == ValType.V128) {
            loadGlobalObject(index);
            mv.visitInsn(SWAP);
            RuntimeRefs.GLOBAL_REF.put(mv);
            return;
        }
        JvmType.toBits(mv, type);
        loadGlobalObject(index);
        moveUnder(2);
        RuntimeRefs.GLOBAL_BITS.put(mv);
    }

    private void loadGlobalObject(int index) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.globalField(index), RuntimeRefs.GLOBAL_DESCRIPTOR);
    }

    /** Moves the reference on top of the stack under the value below it, which takes {@code size} slots. */
    private void moveUnder(int size) {
        if (size == 1) {
            mv.visitInsn(SWAP);
        } else {
            mv.visitInsn(DUP_X2);
            mv.visitInsn(POP);
        }
    }
}
