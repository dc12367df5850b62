package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The JVM local variable slots of one generated method: the method's parameters first (so the slots
 * match its descriptor), then the instance and a few fixed slots (memory 0's cached {@code Memory}, a spill
 * slot, the frame object of outlined constructs), then the wasm locals, then the value arrays, then
 * scratch slots that the emitters borrow for short spills and give back in LIFO order. The fixed
 * slots come before the wasm locals so that they are reached without {@code wide} instructions;
 * the value arrays, which only functions with thousands of locals or a deep operand stack use, come
 * after them, so that a method's locals have the same slots whether or not it might spill. A
 * function's method whose entry allocates (its frame object, its value arrays) has one fixed slot
 * more, for the thread's {@linkplain HeapCharge frame budget}.
 *
 * <p>A function's first wasm locals, up to {@link #LOCAL_SLOTS} slots, have slots of their own; the
 * others live in the function's value arrays, one per {@linkplain #KINDS kind} of value, which also
 * hold what deep operand stacks spill ({@link OperandStack}): a kind's array has its locals first,
 * then one element per operand stack position. The function's prologue makes the arrays, and its
 * outlined parts get them through their frame object.
 */
public final class Locals {
    /**
     * The slots for wasm locals. It keeps methods far from the JVM's 65,535 slots, and the prologue
     * that zeroes the locals (up to 5 bytes of bytecode each) small: the arrays come zeroed.
     */
    static final int LOCAL_SLOTS = 2048;
    /** The value types whose arrays hold the others' values: references of both kinds and v128 share one. */
    public static final List<ValType> KINDS = List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.EXTERNREF);
    /** Slots for one short spill of any value. */
    private static final int SPILL_SLOTS = 2;

    private final List<ValType> types;
    private final int[] slots;
    private final int slotLocals;
    private final int[] arrayIndexes;
    private final int[] arrayLengths = new int[KINDS.size()];
    private final int[] arraySlots = new int[KINDS.size()];
    /** Per kind, the element of operand stack position 0: after the kind's locals. */
    private final int[] spillBases = new int[KINDS.size()];
    private final int[] operandSlots;
    private final int argumentsSlot;
    private final int instanceSlot;
    private final int memorySlot;
    private final int spillSlot;
    private final int frameSlot;
    private final int budgetSlot;
    private final int firstScratch;
    private int nextScratch;

    private Locals(List<ValType> operands, List<ValType> types, int localsAsParams, boolean boxedArguments,
                   boolean cachesMemory, boolean frameParams, boolean frameLocals, boolean charges, BitSet used,
                   OperandStack.Spill spill) {
        this.types = types;
        this.slots = new int[types.size()];
        this.slotLocals = slotLocals(types);
        this.arrayIndexes = new int[types.size()];
        // Counting each kind's locals leaves its spill base after them.
        for (int l = slotLocals; l < types.size(); l++) arrayIndexes[l] = spillBases[kind(types.get(l))]++;
        for (int k = 0; k < KINDS.size(); k++) {
            arrayLengths[k] = spillBases[k] + (spill.kinds().contains(KINDS.get(k)) ? spill.capacity() : 0);
        }
        this.operandSlots = new int[operands.size()];
        int slot = 0;
        for (int i = 0; i < operands.size(); i++) {
            operandSlots[i] = slot;
            slot += JvmType.size(operands.get(i));
        }
        argumentsSlot = boxedArguments ? slot++ : -1;
        for (int l = 0; l < localsAsParams; l++) {
            slots[l] = slot;
            slot += JvmType.size(types.get(l));
        }
        int frame = -1;
        if (frameParams) frame = slot++;
        instanceSlot = slot++;
        if (!frameParams && frameLocals) frame = slot++;
        frameSlot = frame;
        memorySlot = cachesMemory ? slot++ : -1;
        // A trial's spill placeholder (Spill.ANY) makes arrays only to find out whether the function
        // spills: charged for them, every function's trial would be longer than its method, and a
        // function measured at the method limit would be split for a charge it does not make.
        boolean allocates = frameLocals || slotLocals < types.size() || spill != OperandStack.Spill.ANY && heapBytes() > 0;
        budgetSlot = charges && allocates ? slot++ : -1;
        spillSlot = slot;
        slot += SPILL_SLOTS;
        for (int l = localsAsParams; l < types.size(); l++) {
            if (l >= slotLocals || used != null && !used.get(l)) {
                slots[l] = -1;
                continue;
            }
            slots[l] = slot;
            slot += JvmType.size(types.get(l));
        }
        for (int k = 0; k < KINDS.size(); k++) arraySlots[k] = arrayLengths[k] > 0 ? slot++ : -1;
        firstScratch = nextScratch = slot;
        checkSlots(slot);
    }

    /**
     * A function's method: its parameters (the first wasm locals) one by one or, for a wide type,
     * boxed in one array; the instance; then the declared locals. {@code outlines} gives it a slot
     * for the frame object of its outlined parts.
     */
    public static Locals function(FuncType type, List<ValType> locals, boolean cachesMemory, boolean outlines, OperandStack.Spill spill) {
        boolean wide = JvmType.isWide(type);
        return new Locals(List.of(), locals, wide ? 0 : type.params().size(), wide, cachesMemory, false, outlines, true, null, spill);
    }

    /**
     * An outlined construct's method: the construct's operands, the frame object and the instance as
     * parameters, then the wasm locals it touches (the others have no slot: its code never names them).
     */
    public static Locals region(List<ValType> operands, List<ValType> locals, BitSet touched, boolean cachesMemory, OperandStack.Spill spill) {
        return new Locals(operands, locals, 0, false, cachesMemory, true, true, false, touched, spill);
    }

    /** Code with no wasm locals (constant expressions) whose instance is in {@code instanceSlot}. */
    public static Locals expression(int instanceSlot, int firstFree) {
        return new Locals(instanceSlot, firstFree);
    }

    private Locals(int instanceSlot, int firstFree) {
        this.types = List.of();
        this.slots = new int[0];
        this.slotLocals = 0;
        this.arrayIndexes = new int[0];
        Arrays.fill(arraySlots, -1);
        this.operandSlots = new int[0];
        this.argumentsSlot = -1;
        this.instanceSlot = instanceSlot;
        this.memorySlot = -1;
        this.frameSlot = -1;
        this.budgetSlot = -1;
        this.spillSlot = firstFree;
        this.firstScratch = this.nextScratch = firstFree + SPILL_SLOTS;
    }

    /** How many of the wasm locals {@code types} (parameters first) have slots: those within {@link #LOCAL_SLOTS}. */
    public static int slotLocals(List<ValType> types) {
        int slots = 0;
        for (int l = 0; l < types.size(); l++) {
            slots += JvmType.size(types.get(l));
            if (slots > LOCAL_SLOTS) return l;
        }
        return types.size();
    }

    /**
     * The index in {@link #KINDS} of the array that holds values of type {@code t}. A switch rather
     * than a search of the list: {@link OperandStack} asks at every push.
     */
    static int kind(ValType t) {
        return switch (t) {
            case I32 -> 0;
            case I64 -> 1;
            case F32 -> 2;
            case F64 -> 3;
            case FUNCREF, EXTERNREF, EXNREF, V128 -> KINDS.size() - 1;
        };
    }

    /** The descriptor of the value array of kind {@code k}. */
    public static String arrayDescriptor(int k) {
        return "[" + JvmType.descriptor(KINDS.get(k));
    }

    private static void checkSlots(int slots) {
        if (slots > JvmLimits.MAX_LOCAL_SLOTS) {
            throw CompileException.unsupported("a method with more than " + JvmLimits.MAX_LOCAL_SLOTS + " JVM local variable slots", -1, -1);
        }
    }

    /**
     * The prologue of function {@code type}'s method: zeroes the declared locals that have slots but
     * those the function's entry code sets before reading them ({@code setFirst}, see
     * {@link EntryWrites}), makes the value arrays and unboxes a wide function's arguments.
     */
    public void initialize(MethodVisitor mv, FuncType type, BitSet setFirst) {
        for (int l = type.params().size(); l < slotLocals; l++) {
            if (setFirst.get(l)) continue;
            JvmType.pushDefault(mv, types.get(l));
            JvmType.store(mv, types.get(l), slots[l]);
        }
        for (int k = 0; k < KINDS.size(); k++) {
            if (arraySlots[k] < 0) continue;
            Push.intConst(mv, arrayLengths[k]);
            switch (KINDS.get(k)) {
                case I32 -> mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
                case I64 -> mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_LONG);
                case F32 -> mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_FLOAT);
                case F64 -> mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
                default -> mv.visitTypeInsn(Opcodes.ANEWARRAY, JvmType.OBJECT);
            }
            mv.visitVarInsn(Opcodes.ASTORE, arraySlots[k]);
        }
        zeroArrayVectors(mv, type.params().size());
        if (argumentsSlot >= 0) unboxArguments(mv, type);
    }

    /**
     * Puts a zero {@code V128} in the reference array's elements of the declared v128 locals from
     * {@code firstDeclared} on: that array comes filled with {@code null}, the default of the
     * references it also holds, which a v128 read would unbox into a {@code NullPointerException}.
     * One {@code Arrays.fill} per run of consecutive v128 locals, as locals are declared in runs.
     */
    private void zeroArrayVectors(MethodVisitor mv, int firstDeclared) {
        int l = Math.max(slotLocals, firstDeclared);
        while (l < types.size()) {
            if (types.get(l) != ValType.V128) {
                l++;
                continue;
            }
            int first = l;
            while (l < types.size() && types.get(l) == ValType.V128) l++;
            mv.visitVarInsn(Opcodes.ALOAD, arraySlots[kind(ValType.V128)]);
            Push.intUnpooled(mv, arrayIndexes[first]);
            Push.intUnpooled(mv, arrayIndexes[l - 1] + 1);
            JvmType.pushDefault(mv, ValType.V128);
            JvmType.box(mv, ValType.V128);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Arrays", "fill", "([Ljava/lang/Object;IILjava/lang/Object;)V", false);
        }
    }

    /** Unboxes a wide function's arguments: one by one into the parameters' slots, the rest into their arrays. */
    private void unboxArguments(MethodVisitor mv, FuncType type) {
        int params = type.params().size();
        for (int l = 0; l < Math.min(params, slotLocals); l++) {
            mv.visitVarInsn(Opcodes.ALOAD, argumentsSlot);
            Push.intConst(mv, l);
            mv.visitInsn(Opcodes.AALOAD);
            JvmType.unbox(mv, types.get(l));
            JvmType.store(mv, types.get(l), slots[l]);
        }
        if (params > slotLocals) {
            mv.visitLdcInsn(type.signature());
            mv.visitVarInsn(Opcodes.ALOAD, argumentsSlot);
            Push.intConst(mv, slotLocals);
            for (int k = 0; k < KINDS.size(); k++) {
                if (arraySlots[k] < 0) mv.visitInsn(Opcodes.ACONST_NULL);
                else mv.visitVarInsn(Opcodes.ALOAD, arraySlots[k]);
            }
            RuntimeRefs.BOXED_ARGUMENTS_UNPACK.invoke(mv);
        }
    }

    int instanceSlot() {
        return instanceSlot;
    }

    public void loadInstance(MethodVisitor mv) {
        mv.visitVarInsn(Opcodes.ALOAD, instanceSlot);
    }

    /** The slot caching memory 0's {@code Memory}, or -1 if code reads it from the instance each time. */
    int memorySlot() {
        return memorySlot;
    }

    /** The slot of the frame object of outlined constructs, or -1. */
    public int frameSlot() {
        return frameSlot;
    }

    /**
     * The slot of the thread's frame budget in a function's method whose entry allocates (a frame
     * object or value arrays), else -1.
     */
    int budgetSlot() {
        return budgetSlot;
    }

    /**
     * The bytes of the value arrays the function's prologue makes, as HotSpot lays them out with
     * compressed references: a 16-byte header, the elements, a multiple of 8; and the {@code V128}
     * (32 bytes) each v128 local there holds.
     */
    int heapBytes() {
        long bytes = 0;
        for (int k = 0; k < KINDS.size(); k++) {
            if (arrayLengths[k] == 0) continue;
            int element = KINDS.get(k).isRef() ? 4 : JvmType.size(KINDS.get(k)) * 4;
            bytes += HeapCharge.aligned(16 + (long) arrayLengths[k] * element);
        }
        for (int l = slotLocals; l < types.size(); l++) {
            if (types.get(l) == ValType.V128) bytes += 32;
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    /** The slot of an outlined construct's operand {@code i}. */
    public int operandSlot(int i) {
        return operandSlots[i];
    }

    /** The slot of wasm local {@code localidx}, or -1 if it lives in a value array or this method never names it. */
    public int slot(int localidx) {
        return slots[localidx];
    }

    public ValType type(int localidx) {
        return types.get(localidx);
    }

    public int count() {
        return types.size();
    }

    /** The slot of the value array of kind {@code k} (an index in {@link #KINDS}), or -1 if the function has none. */
    public int arraySlot(int k) {
        return arraySlots[k];
    }

    /** Pushes wasm local {@code localidx}. */
    void load(MethodVisitor mv, int localidx) {
        ValType t = types.get(localidx);
        if (localidx < slotLocals) JvmType.load(mv, t, slots[localidx]);
        else loadElement(mv, t, arrayIndexes[localidx]);
    }

    /** Pops the value on top of the stack into wasm local {@code localidx}. */
    void store(MethodVisitor mv, int localidx) {
        ValType t = types.get(localidx);
        if (localidx < slotLocals) JvmType.store(mv, t, slots[localidx]);
        else storeElement(mv, t, arrayIndexes[localidx]);
    }

    /** Pushes the value of type {@code t} spilled from operand stack position {@code position}. */
    void loadSpilled(MethodVisitor mv, ValType t, int position) {
        loadElement(mv, t, spillBases[kind(t)] + position);
    }

    /** Pops the value of type {@code t} on top of the stack into the spill element of operand stack position {@code position}. */
    void storeSpilled(MethodVisitor mv, ValType t, int position) {
        storeElement(mv, t, spillBases[kind(t)] + position);
    }

    private void loadElement(MethodVisitor mv, ValType t, int index) {
        mv.visitVarInsn(Opcodes.ALOAD, arraySlots[kind(t)]);
        Push.intUnpooled(mv, index);
        mv.visitInsn(JvmType.opcode(t, Opcodes.IALOAD));
        if (t == ValType.FUNCREF) mv.visitTypeInsn(Opcodes.CHECKCAST, JvmType.FUNC_REF);
        if (t == ValType.V128) JvmType.unbox(mv, t);
    }

    /** Stores into a value array; a v128 goes into the reference array as a {@code V128}. */
    private void storeElement(MethodVisitor mv, ValType t, int index) {
        if (t == ValType.V128) {
            JvmType.box(mv, t);
            t = ValType.EXTERNREF;
        }
        JvmType.store(mv, t, spillSlot);
        mv.visitVarInsn(Opcodes.ALOAD, arraySlots[kind(t)]);
        Push.intUnpooled(mv, index);
        JvmType.load(mv, t, spillSlot);
        mv.visitInsn(JvmType.opcode(t, Opcodes.IASTORE));
    }

    /**
     * The slot for one value held only across a few instructions that themselves spill nothing, such
     * as the value of a store while its address is computed.
     */
    int spill() {
        return spillSlot;
    }

    /**
     * By slot, the class of the wasm reference local there, else {@code null}: what a frame says
     * such a slot holds from its zeroing on ({@link StackMapFrames}), as its local may hold any
     * reference of its type, not {@code null} alone, at a loop's header or a handler.
     */
    public String[] referenceSlots() {
        String[] classes = new String[nextScratch];
        for (int l = 0; l < slotLocals; l++) {
            ValType t = types.get(l);
            if (slots[l] >= 0 && t.isRef()) classes[slots[l]] = JvmType.of(t).getInternalName();
        }
        return classes;
    }

    /**
     * The label of a loop's header here: across it, the spill slot and the scratch slots not
     * borrowed hold nothing, so its frame leaves them out, and the code of the loop may put any type
     * in them before it jumps back.
     */
    public StackMapFrames.LoopStart loopStart() {
        return new StackMapFrames.LoopStart(spillSlot, spillSlot + SPILL_SLOTS, nextScratch);
    }

    /** Borrows a scratch slot for a value of type {@code t}. */
    public int borrow(ValType t) {
        int slot = nextScratch;
        nextScratch += JvmType.size(t);
        checkSlots(nextScratch);
        return slot;
    }

    /** The mark to give back to with {@link #release}. */
    public int mark() {
        return nextScratch;
    }

    /** Gives back every scratch slot borrowed since {@code mark}. */
    public void release(int mark) {
        if (mark < firstScratch || mark > nextScratch) throw new IllegalStateException("bad scratch mark " + mark);
        nextScratch = mark;
    }
}
