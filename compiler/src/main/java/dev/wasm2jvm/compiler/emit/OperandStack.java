package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;

/**
 * The types of the wasm operand stack, which is the JVM operand stack, at the current point of
 * reachable code; and the stack manipulations that need those types (dropping values from under
 * others, boxing several results).
 */
final class OperandStack {
    private final List<ValType> types = new ArrayList<>();
    private final MethodVisitor mv;
    private final Locals locals;

    OperandStack(MethodVisitor mv, Locals locals) {
        this.mv = mv;
        this.locals = locals;
    }

    int size() {
        return types.size();
    }

    void push(ValType t) {
        types.add(t);
    }

    void pushAll(List<ValType> ts) {
        types.addAll(ts);
    }

    ValType pop() {
        return types.remove(types.size() - 1);
    }

    void pop(int n) {
        for (int i = 0; i < n; i++) pop();
    }

    /** The types of the top {@code n} values, bottom first: a view that follows the stack's changes. */
    List<ValType> top(int n) {
        return types.subList(types.size() - n, types.size());
    }

    ValType peek() {
        return types.get(types.size() - 1);
    }

    /** Forgets everything above {@code height}; used where control flow resets the stack. */
    void truncate(int height) {
        while (types.size() > height) pop();
    }

    /**
     * Removes the {@code drop} values lying directly under the top {@code keep} values from the JVM
     * stack (the type stack is left alone: callers use it on paths that leave the current block).
     */
    void dropUnder(int keep, int drop) {
        if (drop == 0) return;
        int top = types.size();
        int mark = locals.mark();
        if (keep == 1 && drop == 1 && JvmType.size(types.get(top - 1)) == 1 && JvmType.size(types.get(top - 2)) == 1) {
            mv.visitInsn(Opcodes.SWAP);
            mv.visitInsn(Opcodes.POP);
            return;
        }
        int[] slots = new int[keep];
        for (int i = 0; i < keep; i++) {
            ValType t = types.get(top - 1 - i);
            slots[i] = locals.borrow(t);
            JvmType.store(mv, t, slots[i]);
        }
        for (int i = 0; i < drop; i++) JvmType.pop(mv, types.get(top - keep - 1 - i));
        for (int i = keep - 1; i >= 0; i--) JvmType.load(mv, types.get(top - 1 - i), slots[i]);
        locals.release(mark);
    }

    /**
     * Pops the bottom {@code n} values of the type stack off the JVM stack, where nothing lies above
     * them any more (the type stack is left alone).
     */
    void discardBottom(int n) {
        for (int i = n - 1; i >= 0; i--) JvmType.pop(mv, types.get(i));
    }

    /** Replaces the top {@code ts.size()} values, of types {@code ts}, by an {@code Object[]} of them boxed. */
    void box(List<ValType> ts) {
        int n = ts.size();
        int mark = locals.mark();
        int array = locals.borrow(ValType.EXTERNREF);
        Push.intConst(mv, n);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, JvmType.OBJECT);
        mv.visitVarInsn(Opcodes.ASTORE, array);
        for (int i = n - 1; i >= 0; i--) {
            ValType t = ts.get(i);
            JvmType.box(mv, t);
            mv.visitVarInsn(Opcodes.ALOAD, array);
            mv.visitInsn(Opcodes.SWAP);
            Push.intConst(mv, i);
            mv.visitInsn(Opcodes.SWAP);
            mv.visitInsn(Opcodes.AASTORE);
        }
        mv.visitVarInsn(Opcodes.ALOAD, array);
        locals.release(mark);
    }

    /** Replaces an {@code Object[]} on top of the JVM stack by its elements unboxed as {@code ts}. */
    void unbox(List<ValType> ts) {
        int mark = locals.mark();
        int array = locals.borrow(ValType.EXTERNREF);
        mv.visitVarInsn(Opcodes.ASTORE, array);
        for (int i = 0; i < ts.size(); i++) {
            mv.visitVarInsn(Opcodes.ALOAD, array);
            Push.intConst(mv, i);
            mv.visitInsn(Opcodes.AALOAD);
            JvmType.unbox(mv, ts.get(i));
        }
        locals.release(mark);
    }
}
