package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleClasses;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.objectweb.asm.Opcodes.*;

/**
 * Gives a method its stack map frames and its maximum stack and locals, which ASM's
 * {@code COMPUTE_FRAMES} otherwise finds by a data flow over the method's basic blocks to a fixpoint:
 * the largest single share of a warm compiler's thread (12.7% for the SQLite shell). This visitor
 * follows the JVM types of the locals and the operand stack forward through the bytecodes as they
 * are visited, and takes at each label the types that the jumps visited so far and the code
 * falling into it bring, merged (references of two classes meet at {@code Object}, as the class
 * writer's do; slots of two types are unknown after). That needs no fixpoint because the only labels
 * jumped to from code after them are {@link LoopStart}s (loop headers, a self tail call's function
 * start, a split function's state machine dispatchers, calls of outlined parts that are resumed),
 * whose frame is the code falling in but in the slots that hold nothing live there: the code that
 * jumps back can change a slot of that frame only by storing another type into it, which the jump
 * back finds ({@code checkBackward}), as it finds a jump back to any other label, so that such a
 * mistake is found while the method is written rather than by the class's verification when it is
 * loaded: this visitor then throws {@link Unresolved}, and the compilation writes the function's
 * methods again with the frames that the class writer computes ({@code emit.ModuleEmitter}). An
 * exception handler's frame has the locals at the start of its range ({@code RangeStart}) but
 * those stored into, in the range, with another type than they held. A {@code null} stored into a
 * wasm reference local's slot is taken for a reference of the local's class, which the slot holds
 * later: else a loop's frame would say {@code null} where the jump back brings a reference. A legacy {@code try}'s
 * handler jumps back to its clauses, whose frames nothing before them tells: the class writer
 * computes the frames of such a function's methods.
 *
 * <p>Code after a jump, a return, a throw or a switch that no jump visited so far reaches is left
 * out, where ASM's frame computation would replace it by {@code nop}s and an {@code athrow}; the
 * emitters leave out unreachable wasm code already, so that no module measured had any.
 *
 * <p>Frames are written as changes from the frame before (same, one stack value, appended or
 * chopped locals, else full), which the class writer takes as they are: frames given expanded cost
 * it a conversion of every type of every frame, 3% of the shell's compiling thread. What following
 * the types costs (async-profiler, the SQLite shell, 10 rounds): 8.9% of the thread, against the
 * 12.7% that ASM's frames and maximums took, which are 1.3% now (the methods that the emitters of
 * {@code emit.instance} write). The class files differ from ASM's in their {@code StackMapTable}s
 * alone: frames at loop headers that nothing jumps back to, and the types of slots that the frame
 * after a merge or at a loop's header leaves unknown where ASM's data flow knows them dead or not.
 */
public final class StackMapFrames extends MethodVisitor {
    /**
     * A state of the method that this visitor cannot give a frame for, though the class writer's data
     * flow can: a jump back that does not fit its loop's frame (a slot given another type that
     * the loop's frame says live), a jump back to a label not marked a {@link LoopStart}, a handler
     * whose range does not start at a {@link RangeStart}, a value not initialized yet in a frame, a
     * bytecode it does not follow. The emitters broke an assumption of this visitor, not the JVM's
     * rules. What no frames make valid (stacks of two heights or values of two kinds meeting, a
     * label jumped to and never placed) is an {@link IllegalStateException} of its own, which the
     * compilation does not survive.
     */
    public static final class Unresolved extends IllegalStateException {
        Unresolved(String message) {
            super(message);
        }
    }

    /**
     * The names of the methods that this visitor gives up on at their end, as on a state it cannot
     * resolve. No module met such a state (the spec suites', the fuzzers'), so this is the tests' one
     * way to the compilation's fallback to the class writer's frames; empty but in those tests.
     */
    static volatile Set<String> givenUp = Set.of();

    /**
     * The header of a loop: a label that code after it may jump back to. Its frame has the types of
     * the code falling into it but in the slots that hold nothing live there.
     */
    public static final class LoopStart extends Label {
        private final int deadFrom;
        private final int deadTo;
        private final int deadBeyond;
        private State frame;

        /** A header where every slot may hold something live. */
        public LoopStart() {
            this(0, 0, Integer.MAX_VALUE);
        }

        /** A header where slots {@code deadFrom} to {@code deadTo}, excluded, and those from {@code deadBeyond} on hold nothing live. */
        LoopStart(int deadFrom, int deadTo, int deadBeyond) {
            this.deadFrom = deadFrom;
            this.deadTo = deadTo;
            this.deadBeyond = deadBeyond;
        }
    }

    /** The start of an exception handler's range, whose locals its handler starts from. */
    static final class RangeStart extends Label {
        private Object[] locals;
        private int order;
    }

    /** The type of a value that {@code new} made and no constructor has initialized yet. */
    private record Uninitialized(String type) { }

    /** Locals and stack, one entry per slot (a long's second slot is {@code TOP}), in ASM's frame format. */
    private static final class State {
        Object[] locals;
        Object[] stack;
        int stackSize;
        /**
         * The {@link #localsVersion} of the locals last merged into these ({@link #NO_VERSION} for
         * none), so that merging the same locals again is skipped; and whether these may differ from
         * them, other jumps' locals merged in.
         */
        int absorbed;
        boolean mixed;

        State(Object[] locals, Object[] stack, int stackSize, int absorbed, boolean mixed) {
            this.locals = locals;
            this.stack = stack;
            this.stackSize = stackSize;
            this.absorbed = absorbed;
            this.mixed = mixed;
        }
    }

    /** The version of locals that are none of the method's. */
    private static final int NO_VERSION = -1;

    private Object[] locals;
    private Object[] stack = new Object[16];
    private int sp;
    /** Whether the code being visited is reached: else it is left out. */
    private boolean reached = true;
    /** Whether the next bytecode needs a frame: it follows a label that a jump goes to. */
    private boolean framePending;
    private int maxStack;
    private int maxLocals;
    /**
     * The locals of the frame before, one entry per value as frames have them, of which the first
     * {@code previousCount}: each frame is written as the change from it, which ASM's writer takes
     * as it is (expanded frames cost it a conversion of every type of every frame, most of what
     * making the frames cost).
     */
    private Object[] previous;
    private int previousCount;
    private Object[] current = new Object[16];
    /**
     * Counts the changes of the locals' types: a frame whose locals' version is the frame before's
     * has its locals, and a state that absorbed this version gains nothing from a merge of it, so
     * that the pass over every slot at each label and each jump is made only where a slot's type
     * changed since. Wasm locals keep their types, so few labels see a change: the passes over the
     * slots (merging, splitting wides, writing and comparing a frame's locals) took 2.3% of the
     * SQLite shell's compiling thread, 0.8% now (async-profiler, 30 rounds with {@code --library}).
     */
    private int localsVersion;
    /** The {@link #localsVersion} of the frame before's locals. */
    private int frameVersion;
    /**
     * The labels that jumps visited so far go to and that are not placed yet hold what those jumps
     * bring in {@link Label#info}, as a {@link State}; this many of them. An {@code IdentityHashMap}
     * from label to state cost 1.0% of the SQLite shell's compiling thread, the labels' identity
     * hashes included, against 0.1% for this (async-profiler, 30 rounds); a search of an array of
     * the pending labels would be quadratic in a deep nest of blocks that a {@code br_table} jumps
     * out of. {@link LineEntries}, before this visitor, marks a label that a jump from reached code
     * goes to in its {@code info} too, and takes any {@code info} for that mark: the state that
     * replaces its mark is there for the same jumps.
     */
    private int pending;
    /** Every label that was given a state, for {@link #visitMaxs} to name what was left pending. */
    private final List<Label> targets = new ArrayList<>();
    /** The label of line entries in reached code ({@link LineEntries}): most labels visited, none jumped to. */
    private final Label debugLabel;
    /** By slot, the class a {@code null} stored there is taken for, or {@code null}. */
    private final String[] referenceSlots;
    /** Per slot, the order of the last bytecode that stored into it a type it did not hold, or 0. */
    private int[] retyped;
    private int order = 1;
    /**
     * Whether a {@code new} was visited, so that a value not initialized yet may be in a frame: the
     * emitters of function bodies make few, and only such methods have their frames' types checked.
     */
    private boolean madeNew;
    /** Whether this method is one of {@link #givenUp}. */
    private final boolean givesUp;

    /** A static method of {@code descriptor}. */
    private StackMapFrames(MethodVisitor mv, String descriptor, String[] referenceSlots, boolean givesUp) {
        super(ASM9, mv);
        this.referenceSlots = referenceSlots;
        this.givesUp = givesUp;
        debugLabel = LineEntries.threadDebugLabel();
        locals = new Object[16];
        Arrays.fill(locals, TOP);
        retyped = new int[locals.length];
        int slot = 0;
        for (int i = 1; descriptor.charAt(i) != ')'; i = end(descriptor, i)) {
            Object t = ofDescriptor(descriptor, i);
            setLocal(slot, t);
            slot += wide(t) ? 2 : 1;
        }
        // The parameters hold their types from the start.
        Arrays.fill(retyped, 0);
        previous = new Object[locals.length];
        previousCount = compress(locals, maxLocals, previous);
        frameVersion = localsVersion;
    }

    /**
     * Method {@code name} of {@code cw}, whose frames and maximums the visitor returned gives rather
     * than the class writer, which goes on computing the frames of its other methods.
     */
    static MethodVisitor method(ClassWriter cw, int access, String name, String descriptor) {
        return method(cw, access, name, descriptor, new String[0]);
    }

    /**
     * Method {@code name} of {@code cw}, whose frames and maximums the visitor returned gives rather
     * than the class writer, which goes on computing the frames of its other methods; a
     * {@code null} stored into slot {@code s} is taken for a value of class
     * {@code referenceSlots[s]} if that is not {@code null}:
     * a wasm reference local is zeroed to {@code null} and holds references of its type later, also
     * at a loop's header, whose frame is that of the code falling in.
     */
    public static MethodVisitor method(ClassWriter cw, int access, String name, String descriptor, String[] referenceSlots) {
        if ((access & ACC_STATIC) == 0) throw new IllegalArgumentException("not a static method: " + name);
        MethodVisitor mv = ModuleClasses.visitMethod(cw, 0, access, name, descriptor);
        return new StackMapFrames(mv, descriptor, referenceSlots, givenUp.contains(name));
    }

    // ---- types

    /** The type of a value of descriptor {@code d} from index {@code i}. */
    private static Object ofDescriptor(String d, int i) {
        return switch (d.charAt(i)) {
            case 'Z', 'B', 'C', 'S', 'I' -> INTEGER;
            case 'F' -> FLOAT;
            case 'J' -> LONG;
            case 'D' -> DOUBLE;
            case 'L' -> d.substring(i + 1, d.indexOf(';', i));
            case '[' -> i == 0 ? d : d.substring(i, end(d, i));
            default -> throw new IllegalArgumentException(d);
        };
    }

    /** The index past the type of descriptor {@code d} at {@code i}. */
    private static int end(String d, int i) {
        while (d.charAt(i) == '[') i++;
        return d.charAt(i) == 'L' ? d.indexOf(';', i) + 1 : i + 1;
    }

    private static boolean wide(Object t) {
        return t == LONG || t == DOUBLE;
    }

    private static boolean reference(Object t) {
        return t == NULL || t instanceof String;
    }

    /** The type both {@code a} and {@code b} are, references meeting at {@code Object} as the class writer's do. */
    private static Object merge(Object a, Object b) {
        if (a == b || a.equals(b)) return a;
        if (a == NULL && b instanceof String) return b;
        if (b == NULL && a instanceof String) return a;
        if (a instanceof String && b instanceof String) return JvmType.OBJECT;
        return TOP;
    }

    /** Whether a value of type {@code from} may be where the frame says {@code to}. */
    private static boolean assignable(Object from, Object to) {
        return to == TOP || from.equals(to) || reference(from) && (from == NULL || to.equals(JvmType.OBJECT)) && to instanceof String;
    }

    // ---- the stack and the locals

    private void push(Object t) {
        if (sp + 2 > stack.length) stack = Arrays.copyOf(stack, stack.length * 2);
        stack[sp++] = t;
        if (wide(t)) stack[sp++] = TOP;
        if (sp > maxStack) maxStack = sp;
    }

    private Object pop() {
        Object t = stack[--sp];
        return t == TOP && sp > 0 && wide(stack[sp - 1]) ? stack[--sp] : t;
    }

    private void pop(int slots) {
        sp -= slots;
    }

    private void setLocal(int slot, Object t) {
        int size = wide(t) ? 2 : 1;
        if (slot + size > locals.length) {
            int old = locals.length;
            locals = Arrays.copyOf(locals, Math.max(old * 2, slot + size));
            Arrays.fill(locals, old, locals.length, TOP);
        }
        if (retyped.length < locals.length) retyped = Arrays.copyOf(retyped, locals.length);
        if (!t.equals(locals[slot])) {
            retyped[slot] = order;
            localsVersion++;
        }
        if (size == 2 && locals[slot + 1] != TOP) {
            retyped[slot + 1] = order;
            localsVersion++;
        }
        if (slot > 0 && wide(locals[slot - 1])) {
            locals[slot - 1] = TOP;
            retyped[slot - 1] = order;
            localsVersion++;
        }
        locals[slot] = t;
        if (size == 2) locals[slot + 1] = TOP;
        if (slot + size > maxLocals) maxLocals = slot + size;
    }

    // ---- frames

    /** Called before each bytecode: whether to emit it, after the frame it needs if any. */
    private boolean begin() {
        if (!reached) return false;
        if (framePending) {
            framePending = false;
            emitFrame();
        }
        order++;
        return true;
    }

    private void emitFrame() {
        // Locals of the frame before's version are its locals: the same, as far as they go.
        Object[] frameLocals = previous;
        int count = previousCount;
        int same = previousCount;
        if (localsVersion != frameVersion) {
            if (current.length < locals.length) current = new Object[locals.length];
            frameLocals = current;
            count = compress(locals, maxLocals, current);
            if (madeNew) for (int i = 0; i < count; i++) check(current[i]);
            same = 0;
            int common = Math.min(count, previousCount);
            while (same < common && (current[same] == previous[same] || current[same].equals(previous[same]))) same++;
        }
        Object[] frameStack = null;
        int m = 0;
        for (int s = 0; s < sp; s++, m++) if (wide(stack[s])) s++;
        if (m > 0) {
            frameStack = new Object[m];
            m = 0;
            for (int s = 0; s < sp; s++) {
                Object t = stack[s];
                if (madeNew) check(t);
                frameStack[m++] = t;
                if (wide(t)) s++;
            }
        }
        if (same == count && count == previousCount && m <= 1) {
            mv.visitFrame(m == 0 ? F_SAME : F_SAME1, 0, null, m, frameStack);
        } else if (same == previousCount && count > same && count - same <= 3 && m == 0) {
            mv.visitFrame(F_APPEND, count - same, Arrays.copyOfRange(current, same, count), 0, null);
        } else if (same == count && previousCount > same && previousCount - same <= 3 && m == 0) {
            mv.visitFrame(F_CHOP, previousCount - same, null, 0, null);
        } else {
            mv.visitFrame(F_FULL, count, Arrays.copyOf(frameLocals, count), m, frameStack);
        }
        if (localsVersion != frameVersion) {
            Object[] swap = previous;
            previous = current;
            current = swap;
            previousCount = count;
            frameVersion = localsVersion;
        }
    }

    /**
     * Writes the first {@code used} of {@code slots} as a frame's locals into {@code into} (one entry
     * for a long or a double), and returns how many there are up to the last that is not {@code TOP}.
     */
    private static int compress(Object[] slots, int used, Object[] into) {
        int n = 0;
        int last = 0;
        for (int s = 0; s < used; s++) {
            Object t = slots[s];
            into[n++] = t;
            if (t != TOP) last = n;
            if (wide(t)) s++;
        }
        return last;
    }

    private static void check(Object t) {
        if (t instanceof Uninitialized) throw new Unresolved("a frame with a value not initialized yet");
    }

    private State snapshot() {
        return new State(Arrays.copyOf(locals, maxLocals), Arrays.copyOf(stack, sp), sp, localsVersion, false);
    }

    /** Records that the state after the jump being visited goes to {@code target} too. */
    private void jumpTo(Label target) {
        if (target instanceof LoopStart loop && loop.frame != null) {
            checkBackward(loop.frame);
            return;
        }
        if (!(target.info instanceof State before)) {
            pend(target, snapshot());
            return;
        }
        if (before.stackSize != sp) throw stackHeights(before.stackSize);
        for (int s = 0; s < sp; s++) {
            Object t = merge(before.stack[s], stack[s]);
            if (t == TOP && before.stack[s] != TOP) throw new IllegalStateException("stack values of types " + before.stack[s] + " and " + stack[s] + " meet");
            before.stack[s] = t;
        }
        if (before.absorbed != localsVersion) mergeLocals(before);
    }

    /** Gives {@code label}, not placed yet, the state {@code in} that jumps bring to it. */
    private void pend(Label label, State in) {
        label.info = in;
        pending++;
        targets.add(label);
    }

    /** Merges the locals into those of {@code into}, which absorbs their version. */
    private void mergeLocals(State into) {
        Object[] l = into.locals;
        if (l.length < locals.length) {
            int old = l.length;
            l = into.locals = Arrays.copyOf(l, locals.length);
            Arrays.fill(l, old, l.length, TOP);
        }
        // No slot from maxLocals on was ever set. A merged slot holds a long or a double only where
        // both sides did, whose second slots both hold TOP, so no wide needs splitting after it
        // (splitWides here, a second pass over the slots, found none to split in any module measured).
        boolean differs = false;
        for (int s = 0; s < maxLocals; s++) {
            Object t = locals[s];
            if (l[s] != t) {
                l[s] = merge(l[s], t);
                differs |= l[s] != t;
            }
        }
        into.absorbed = localsVersion;
        into.mixed = differs;
    }

    /** Makes unknown each long or double of {@code l} whose second slot was lost or reused. */
    private void splitWides(Object[] l) {
        for (int s = 0, n = Math.min(l.length, maxLocals); s < n; s++) {
            if (wide(l[s]) && (s + 1 == l.length || l[s + 1] != TOP)) l[s] = TOP;
        }
    }

    /**
     * Stacks of {@code other} slots and of the current height meeting: bytecode that no frames make
     * valid, a defect of the emitters that computing the frames would not mend.
     */
    private IllegalStateException stackHeights(int other) {
        return new IllegalStateException("stacks of " + other + " and " + sp + " slots meet");
    }

    /** A jump back to a loop's header, whose frame was the state falling into it: the state now must fit it. */
    private void checkBackward(State frame) {
        if (frame.stackSize != sp) throw stackHeights(frame.stackSize);
        boolean fits = true;
        for (int s = 0; fits && s < sp; s++) fits = assignable(stack[s], frame.stack[s]);
        for (int s = 0; fits && s < frame.locals.length; s++) fits = assignable(s < locals.length ? locals[s] : TOP, frame.locals[s]);
        if (!fits) {
            throw new Unresolved("a jump back with locals " + Arrays.toString(locals) + " stack " + Arrays.toString(Arrays.copyOf(stack, sp))
                    + " to a loop whose frame has " + Arrays.toString(frame.locals) + " " + Arrays.toString(Arrays.copyOf(frame.stack, frame.stackSize)));
        }
    }

    @Override
    public void visitLabel(Label label) {
        mv.visitLabel(label);
        if (label == debugLabel) return;
        if (label.info instanceof State in) {
            label.info = null;
            pending--;
            // The jumps' locals are these unless they absorbed another version or differed.
            boolean same = in.absorbed == localsVersion && !in.mixed;
            if (reached) {
                if (in.absorbed != localsVersion) mergeLocals(in);
                if (in.mixed) {
                    locals = in.locals;
                    localsVersion++;
                }
                if (in.stackSize != sp) throw stackHeights(in.stackSize);
                for (int s = 0; s < sp; s++) stack[s] = merge(stack[s], in.stack[s]);
            } else {
                if (in.locals.length < locals.length) {
                    int old = in.locals.length;
                    in.locals = Arrays.copyOf(in.locals, locals.length);
                    Arrays.fill(in.locals, old, in.locals.length, TOP);
                }
                locals = in.locals;
                if (!same) localsVersion++;
                if (in.stackSize > stack.length) stack = Arrays.copyOf(stack, in.stackSize * 2);
                System.arraycopy(in.stack, 0, stack, 0, in.stackSize);
                sp = in.stackSize;
                reached = true;
            }
            framePending = true;
        }
        if (!reached) return;
        if (label instanceof LoopStart loop) {
            for (int s = loop.deadFrom; s < loop.deadTo && s < locals.length; s++) locals[s] = TOP;
            for (int s = loop.deadBeyond; s < locals.length; s++) locals[s] = TOP;
            splitWides(locals);
            localsVersion++;
            loop.frame = snapshot();
            framePending = true;
        } else if (label instanceof RangeStart range) {
            range.locals = locals.clone();
            range.order = order;
        }
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        mv.visitTryCatchBlock(start, end, handler, type);
        if (handler.info instanceof State) return;
        if (!(start instanceof RangeStart range) || range.locals == null) throw new Unresolved("a handler's range with no known start");
        Object[] l = range.locals.clone();
        for (int s = 0; s < l.length; s++) {
            // The bytecodes of the range have orders past the one before its start.
            if (s < retyped.length && retyped[s] > range.order) l[s] = TOP;
        }
        splitWides(l);
        pend(handler, new State(l, new Object[] {type == null ? "java/lang/Throwable" : type, null}, 1, NO_VERSION, true));
        // The JVM pushes the exception at the handler; a handler that stores it at once pushes nothing itself.
        if (maxStack < 1) maxStack = 1;
    }

    // ---- bytecodes

    @Override
    public void visitInsn(int opcode) {
        if (!begin()) return;
        switch (opcode) {
            case NOP -> { }
            case ACONST_NULL -> push(NULL);
            case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> push(INTEGER);
            case LCONST_0, LCONST_1 -> push(LONG);
            case FCONST_0, FCONST_1, FCONST_2 -> push(FLOAT);
            case DCONST_0, DCONST_1 -> push(DOUBLE);
            case IALOAD, BALOAD, CALOAD, SALOAD -> { pop(2); push(INTEGER); }
            case LALOAD -> { pop(2); push(LONG); }
            case FALOAD -> { pop(2); push(FLOAT); }
            case DALOAD -> { pop(2); push(DOUBLE); }
            case AALOAD -> {
                pop(1);
                Object array = pop();
                push(array instanceof String a && a.startsWith("[") ? ofDescriptor(a, 1) : NULL);
            }
            case IASTORE, BASTORE, CASTORE, SASTORE, FASTORE, AASTORE -> pop(3);
            case LASTORE, DASTORE -> pop(4);
            case POP -> pop(1);
            case POP2 -> pop(2);
            case DUP -> push(stack[sp - 1]);
            case DUP_X1 -> insert(1, 2);
            case DUP_X2 -> insert(1, 3);
            case DUP2 -> insert(2, 2);
            case DUP2_X1 -> insert(2, 3);
            case DUP2_X2 -> insert(2, 4);
            case SWAP -> {
                Object t = stack[sp - 1];
                stack[sp - 1] = stack[sp - 2];
                stack[sp - 2] = t;
            }
            case IADD, ISUB, IMUL, IDIV, IREM, ISHL, ISHR, IUSHR, IAND, IOR, IXOR, FCMPL, FCMPG -> { pop(2); push(INTEGER); }
            case FADD, FSUB, FMUL, FDIV, FREM -> { pop(2); push(FLOAT); }
            case LADD, LSUB, LMUL, LDIV, LREM, LAND, LOR, LXOR -> { pop(4); push(LONG); }
            case LSHL, LSHR, LUSHR -> { pop(3); push(LONG); }
            case DADD, DSUB, DMUL, DDIV, DREM -> { pop(4); push(DOUBLE); }
            case LCMP, DCMPL, DCMPG -> { pop(4); push(INTEGER); }
            case INEG, I2B, I2C, I2S -> { pop(1); push(INTEGER); }
            case FNEG, I2F -> { pop(1); push(FLOAT); }
            case LNEG, D2L -> { pop(2); push(LONG); }
            case DNEG, L2D -> { pop(2); push(DOUBLE); }
            case I2L, F2L -> { pop(1); push(LONG); }
            case I2D, F2D -> { pop(1); push(DOUBLE); }
            case L2I, D2I -> { pop(2); push(INTEGER); }
            case L2F, D2F -> { pop(2); push(FLOAT); }
            case F2I, ARRAYLENGTH -> { pop(1); push(INTEGER); }
            case IRETURN, FRETURN, ARETURN, ATHROW -> { pop(1); reached = false; }
            case LRETURN, DRETURN -> { pop(2); reached = false; }
            case RETURN -> reached = false;
            case MONITORENTER, MONITOREXIT -> pop(1);
            default -> throw new Unresolved("opcode " + opcode);
        }
        mv.visitInsn(opcode);
    }

    /** The top {@code n} slots again, under the {@code depth} slots from the top. */
    private void insert(int n, int depth) {
        if (sp + n > stack.length) stack = Arrays.copyOf(stack, stack.length * 2);
        System.arraycopy(stack, sp - depth, stack, sp - depth + n, depth);
        System.arraycopy(stack, sp, stack, sp - depth, n);
        sp += n;
        if (sp > maxStack) maxStack = sp;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        if (!begin()) return;
        if (opcode == NEWARRAY) {
            pop(1);
            push(switch (operand) {
                case T_BOOLEAN -> "[Z";
                case T_CHAR -> "[C";
                case T_FLOAT -> "[F";
                case T_DOUBLE -> "[D";
                case T_BYTE -> "[B";
                case T_SHORT -> "[S";
                case T_INT -> "[I";
                case T_LONG -> "[J";
                default -> throw new Unresolved("newarray " + operand);
            });
        } else {
            push(INTEGER);
        }
        mv.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        if (!begin()) return;
        switch (opcode) {
            case ILOAD -> push(INTEGER);
            case LLOAD -> push(LONG);
            case FLOAD -> push(FLOAT);
            case DLOAD -> push(DOUBLE);
            case ALOAD -> push(locals[varIndex]);
            case ISTORE, LSTORE, FSTORE, DSTORE -> setLocal(varIndex, pop());
            case ASTORE -> {
                Object t = pop();
                setLocal(varIndex, t == NULL && varIndex < referenceSlots.length && referenceSlots[varIndex] != null ? referenceSlots[varIndex] : t);
            }
            default -> throw new Unresolved("opcode " + opcode);
        }
        mv.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        if (!begin()) return;
        mv.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        if (!begin()) return;
        switch (opcode) {
            case NEW -> {
                madeNew = true;
                push(new Uninitialized(type));
            }
            case ANEWARRAY -> { pop(1); push(type.startsWith("[") ? "[" + type : "[L" + type + ";"); }
            case CHECKCAST -> { pop(1); push(type); }
            case INSTANCEOF -> { pop(1); push(INTEGER); }
            default -> throw new Unresolved("opcode " + opcode);
        }
        mv.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        if (!begin()) return;
        switch (opcode) {
            case GETSTATIC -> push(field(descriptor));
            case PUTSTATIC -> pop(slots(descriptor));
            case GETFIELD -> { pop(1); push(field(descriptor)); }
            case PUTFIELD -> pop(slots(descriptor) + 1);
            default -> throw new Unresolved("opcode " + opcode);
        }
        mv.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (!begin()) return;
        Call call = call(descriptor);
        pop(call.argumentSlots());
        if (opcode != INVOKESTATIC) {
            Object receiver = pop();
            if (receiver instanceof Uninitialized u && name.equals("<init>")) {
                for (int s = 0; s < sp; s++) if (stack[s] == receiver) stack[s] = u.type();
                for (int s = 0; s < locals.length; s++) {
                    if (locals[s] == receiver) {
                        locals[s] = u.type();
                        localsVersion++;
                    }
                }
            }
        }
        if (call.result() != null) push(call.result());
        mv.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    /** The slots that a value of field descriptor {@code d} takes. */
    private static int slots(String d) {
        return d.charAt(0) == 'J' || d.charAt(0) == 'D' ? 2 : 1;
    }

    /** The slots that the arguments of method descriptor {@code d} take. */
    private static int argumentSlots(String d) {
        int slots = 0;
        for (int i = 1; d.charAt(i) != ')'; i = end(d, i)) slots += d.charAt(i) == 'J' || d.charAt(i) == 'D' ? 2 : 1;
        return slots;
    }

    /** What a call of a method descriptor pops and pushes: its arguments' slots and its result's type, or {@code null}. */
    private record Call(int argumentSlots, Object result) { }

    /**
     * The calls of each method descriptor met, and the type of each field descriptor: the emitters
     * use a few hundred descriptors, whose parsing for every call cost a sixth of following the
     * types (async-profiler, the SQLite shell). Shared by threads and compilations: it holds
     * descriptors of the runtime and of wasm function types, and those name the module's classes, so
     * a process that compiles many modules under names of their own would grow it without end: past
     * {@link #MAX_DESCRIPTORS} entries it starts again.
     */
    private static final Map<String, Object> DESCRIPTORS = new ConcurrentHashMap<>();
    /** Far more descriptors than one module's emitters use (a few hundred). */
    private static final int MAX_DESCRIPTORS = 1 << 14;

    private static void remember(String descriptor, Object parsed) {
        if (DESCRIPTORS.size() >= MAX_DESCRIPTORS) DESCRIPTORS.clear();
        DESCRIPTORS.put(descriptor, parsed);
    }

    private static Call call(String descriptor) {
        Object known = DESCRIPTORS.get(descriptor);
        if (known != null) return (Call) known;
        int r = descriptor.lastIndexOf(')') + 1;
        Call call = new Call(argumentSlots(descriptor), descriptor.charAt(r) == 'V' ? null : ofDescriptor(descriptor, r));
        remember(descriptor, call);
        return call;
    }

    /** The type of a value of field descriptor {@code descriptor}. */
    private static Object field(String descriptor) {
        char c = descriptor.charAt(0);
        if (c != 'L' && c != '[') return ofDescriptor(descriptor, 0);
        Object known = DESCRIPTORS.get(descriptor);
        if (known != null) return known;
        Object type = ofDescriptor(descriptor, 0);
        remember(descriptor, type);
        return type;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrapMethodHandle, Object... bootstrapMethodArguments) {
        if (!begin()) return;
        Call call = call(descriptor);
        pop(call.argumentSlots());
        if (call.result() != null) push(call.result());
        mv.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitLdcInsn(Object value) {
        if (!begin()) return;
        // instanceof rather than a switch on the type, whose bootstrap's dispatch costs more per call.
        if (value instanceof Integer) push(INTEGER);
        else if (value instanceof Float) push(FLOAT);
        else if (value instanceof Long) push(LONG);
        else if (value instanceof Double) push(DOUBLE);
        else if (value instanceof String) push("java/lang/String");
        else if (value instanceof Type t) push(t.getSort() == Type.METHOD ? "java/lang/invoke/MethodType" : "java/lang/Class");
        else if (value instanceof Handle) push("java/lang/invoke/MethodHandle");
        else if (value instanceof ConstantDynamic c) push(ofDescriptor(c.getDescriptor(), 0));
        else throw new Unresolved("ldc " + value);
        mv.visitLdcInsn(value);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        if (!begin()) return;
        switch (opcode) {
            case IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE, IFNULL, IFNONNULL -> pop(1);
            case IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE, IF_ICMPGT, IF_ICMPLE, IF_ACMPEQ, IF_ACMPNE -> pop(2);
            case GOTO -> reached = false;
            default -> throw new Unresolved("opcode " + opcode);
        }
        jumpTo(label);
        mv.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        if (!begin()) return;
        switchTo(dflt, labels);
        mv.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        if (!begin()) return;
        switchTo(dflt, labels);
        mv.visitLookupSwitchInsn(dflt, keys, labels);
    }

    private void switchTo(Label dflt, Label[] labels) {
        pop(1);
        jumpTo(dflt);
        for (Label l : labels) jumpTo(l);
        reached = false;
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        if (!begin()) return;
        pop(numDimensions);
        push(descriptor);
        mv.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitMaxs(int ignoredStack, int ignoredLocals) {
        if (givesUp) throw new Unresolved("given up on by a test");
        if (pending == 0) {
            mv.visitMaxs(maxStack, maxLocals);
            return;
        }
        for (Label label : targets) {
            if (label.info instanceof State && !placed(label)) throw new IllegalStateException("a label jumped to but never placed");
        }
        throw new Unresolved(pending + " labels jumped back to but not loop starts");
    }

    /** Whether the writer has placed {@code label}: ASM tells only by refusing the offset of a label it has not. */
    private static boolean placed(Label label) {
        try {
            label.getOffset();
            return true;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }
}
