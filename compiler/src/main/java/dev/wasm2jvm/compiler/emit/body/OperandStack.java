package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The wasm operand stack at the current point of reachable code: the types of its values, and where
 * each one is; and the stack manipulations that need those types (dropping values from under others,
 * boxing several values).
 *
 * <p>The wasm operand stack is the JVM operand stack, but a deep one would overflow it: a JVM method's
 * max_stack is a u2, and ASM's frame computation counts stack slots in a short. So a frame whose
 * values would take the method's JVM stack past {@link #SPILL_THRESHOLD} slots goes deep
 * ({@link ControlEmitter}): between its instructions its values are spilled to the function's value
 * arrays ({@link Locals}), each at the element of its position on the function's operand stack;
 * each instruction's operands are loaded before it ({@link #need}) and what it pushes is spilled after
 * it ({@link #spill}).
 *
 * <p>The values form an immutable list, so that a {@link #snapshot} of the stack is one reference.
 */
public final class OperandStack {
    /**
     * The JVM operand stack slots beyond which the current frame spills its values. Compiled code
     * rarely holds a tenth of it; kept low, it keeps the spill that a frame going deep emits at once
     * (about 10 bytes of bytecode per value) small.
     */
    public static final int SPILL_THRESHOLD = 1024;
    /**
     * The most JVM stack slots that wasm values may take: ASM's frame computation fails past
     * {@code Short.MAX_VALUE}, and the emitters push a few temporary values of their own.
     */
    private static final int MAX_JVM_SLOTS = Short.MAX_VALUE - 64;

    /**
     * The spill elements of a function's value arrays: {@code capacity} operand stack positions in
     * the arrays of {@code kinds} (from {@link Locals#KINDS}).
     */
    public record Spill(int capacity, Set<ValType> kinds) {
        public static final Spill NONE = new Spill(0, Set.of());
        /** For emissions that find out whether the function spills: every kind, a placeholder capacity. */
        public static final Spill ANY = new Spill(1, Set.copyOf(Locals.KINDS));
    }

    /**
     * A value on the stack and the values under it.
     *
     * @param height how many values there are up to this one
     * @param jvmSlots the JVM slots that those of them which are not spilled take
     */
    public record Value(ValType type, boolean spilled, Value below, int height, int jvmSlots) {}

    private final MethodVisitor mv;
    private final Locals locals;
    /** The position on the function's operand stack of this method's bottom value. */
    private final int base;
    private Value top;
    private int maxHeight;
    /** The lowest height since {@link #takeLowWater} was last called. */
    private int lowWater;
    private boolean spilledAny;
    /**
     * The {@link Locals#KINDS} of the values pushed, a bit each by index: the search of the list and
     * the set at every push were 0.2% of the SQLite shell's compiling thread.
     */
    private int kinds;

    public OperandStack(MethodVisitor mv, Locals locals) {
        this(mv, locals, 0);
    }

    /** The stack of a method whose bottom value is at position {@code base} of the function's operand stack. */
    OperandStack(MethodVisitor mv, Locals locals, int base) {
        this.mv = mv;
        this.locals = locals;
        this.base = base;
    }

    int size() {
        return top == null ? 0 : top.height;
    }

    /** The JVM operand stack slots that the values which are not spilled take. */
    int jvmSlots() {
        return top == null ? 0 : top.jvmSlots;
    }

    /**
     * The lowest the stack has been, as a position on the function's operand stack, since the last
     * call; a call before each instruction tells how deep into the stack the one before it reached.
     */
    int takeLowWater() {
        int low = base + lowWater;
        lowWater = size();
        return low;
    }

    /** The stack as it is now, unaffected by later changes. */
    Value snapshot() {
        return top;
    }

    /**
     * Makes {@code stack}, a {@link #snapshot} taken earlier, the stack again: an exception handler
     * puts back the values it saved, which the JVM cleared.
     */
    void reset(Value stack) {
        top = stack;
        lowWater = Math.min(lowWater, size());
    }

    public void push(ValType t) {
        push(t, false);
    }

    /** Pushes a value of type {@code t} that is in its spill element rather than on the JVM stack. */
    void pushSpilled(ValType t) {
        push(t, true);
    }

    /** Pushes values of the types of the top {@code count} values of {@code stack}, spilled. */
    public void pushSpilled(Value stack, int count) {
        ValType[] types = new ValType[count];
        Value v = stack;
        for (int i = count - 1; i >= 0; i--, v = v.below) types[i] = v.type;
        for (ValType t : types) pushSpilled(t);
    }

    private void push(ValType t, boolean inArray) {
        top = new Value(t, inArray, top, size() + 1, jvmSlots() + (inArray ? 0 : JvmType.size(t)));
        maxHeight = Math.max(maxHeight, base + top.height);
        kinds |= 1 << Locals.kind(t);
        if (top.jvmSlots > MAX_JVM_SLOTS) {
            throw CompileException.unsupported("an operand stack of more than " + MAX_JVM_SLOTS + " JVM slots", -1, -1);
        }
    }

    public void pushAll(List<ValType> ts) {
        // Indexed: an iterator per call was a fiftieth of emitting's allocation.
        for (int i = 0, n = ts.size(); i < n; i++) push(ts.get(i));
    }

    ValType pop() {
        ValType t = top.type;
        top = top.below;
        lowWater = Math.min(lowWater, size());
        return t;
    }

    public void pop(int n) {
        for (int i = 0; i < n; i++) pop();
    }

    ValType peek() {
        return top.type;
    }

    /** Forgets everything above {@code height}; used where control flow resets the stack. */
    void truncate(int height) {
        while (size() > height) pop();
    }

    /**
     * What the function's value arrays must hold for the spills of this emission: nothing if it
     * spilled nothing, else every position it reached, in the arrays of the kinds it pushed.
     */
    Spill spillNeeds() {
        if (!spilledAny) return Spill.NONE;
        Set<ValType> pushed = EnumSet.noneOf(ValType.class);
        for (int k = 0; k < Locals.KINDS.size(); k++) {
            if ((kinds & 1 << k) != 0) pushed.add(Locals.KINDS.get(k));
        }
        return new Spill(maxHeight, Set.copyOf(pushed));
    }

    /**
     * Spills the values above {@code height} that are on the JVM stack, given that those up to
     * {@code height} take {@code jvmBelow} of its slots: the walk down the stack ends at the lowest
     * of them.
     */
    void spill(int height, int jvmBelow) {
        List<Value> above = new ArrayList<>();
        for (Value v = top; v != null && v.height > height && v.jvmSlots > jvmBelow; v = v.below) above.add(v);
        if (above.isEmpty()) return;
        spilledAny = true;
        for (Value v : above) {
            if (!v.spilled) locals.storeSpilled(mv, v.type, base + v.height - 1);
        }
        top = above.get(above.size() - 1).below;
        for (int i = above.size() - 1; i >= 0; i--) pushSpilled(above.get(i).type);
    }

    /** Loads spilled values so that the top {@code n} are all on the JVM stack. */
    public void need(int n) {
        Value deepest = null;
        Value v = top;
        for (int i = 0; i < n; i++, v = v.below) {
            if (v.spilled) deepest = v;
        }
        if (deepest == null) return;
        spill(deepest.height, deepest.jvmSlots);
        List<Value> reloaded = new ArrayList<>();
        for (v = top; v != deepest.below; v = v.below) reloaded.add(v);
        top = deepest.below;
        for (int i = reloaded.size() - 1; i >= 0; i--) {
            ValType t = reloaded.get(i).type;
            locals.loadSpilled(mv, t, base + size());
            push(t);
        }
    }

    /**
     * Removes the {@code drop} values lying directly under the top {@code keep} values, which must be
     * on the JVM stack (the type stack is left alone: callers use it on paths that leave the current
     * block). Spilled values need no removal.
     */
    void dropUnder(int keep, int drop) {
        List<Value> dropped = new ArrayList<>();
        Value v = top;
        for (int i = 0; i < keep; i++) v = v.below;
        for (int i = 0; i < drop; i++, v = v.below) {
            if (!v.spilled) dropped.add(v);
        }
        if (dropped.isEmpty()) return;
        if (keep == 1 && dropped.size() == 1 && JvmType.size(top.type) == 1 && JvmType.size(dropped.get(0).type) == 1) {
            mv.visitInsn(Opcodes.SWAP);
            mv.visitInsn(Opcodes.POP);
            return;
        }
        int mark = locals.mark();
        int[] slots = new int[keep];
        v = top;
        for (int i = 0; i < keep; i++, v = v.below) {
            slots[i] = locals.borrow(v.type);
            JvmType.store(mv, v.type, slots[i]);
        }
        for (Value d : dropped) JvmType.pop(mv, d.type);
        List<ValType> kept = new ArrayList<>();
        for (v = top; kept.size() < keep; v = v.below) kept.add(v.type);
        for (int i = keep - 1; i >= 0; i--) JvmType.load(mv, kept.get(i), slots[i]);
        locals.release(mark);
    }

    /**
     * Pops off the JVM stack the values of the type stack under its top {@code skip} ones, which
     * have left the JVM stack already: those that are not spilled (the type stack is left alone).
     */
    public void discardUnder(int skip) {
        Value v = top;
        for (int i = 0; i < skip; i++) v = v.below;
        for (; v != null; v = v.below) {
            if (!v.spilled) JvmType.pop(mv, v.type);
        }
    }

    /**
     * Replaces the top {@code ts.size()} values, of types {@code ts}, by an {@code Object[]} of them
     * boxed; those of them that are spilled are boxed from their spill elements.
     */
    void box(List<ValType> ts) {
        int n = ts.size();
        int mark = locals.mark();
        int array = locals.borrow(ValType.EXTERNREF);
        Push.intConst(mv, n);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, JvmType.OBJECT);
        mv.visitVarInsn(Opcodes.ASTORE, array);
        Value v = top;
        for (int i = n - 1; i >= 0; i--, v = v.below) {
            ValType t = ts.get(i);
            if (v.spilled) {
                mv.visitVarInsn(Opcodes.ALOAD, array);
                Push.intConst(mv, i);
                locals.loadSpilled(mv, t, base + v.height - 1);
                JvmType.box(mv, t);
            } else {
                JvmType.box(mv, t);
                mv.visitVarInsn(Opcodes.ALOAD, array);
                mv.visitInsn(Opcodes.SWAP);
                Push.intConst(mv, i);
                mv.visitInsn(Opcodes.SWAP);
            }
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
