package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;

/**
 * The JVM local variable slots of one generated method: the method's parameters first (so the slots
 * match its descriptor), then the instance and a few fixed slots (the cached memory segment, a spill
 * slot, the frame object of outlined constructs), then the wasm locals, then scratch slots that the
 * emitters borrow for short spills and give back in LIFO order. The fixed slots come before the wasm
 * locals so that they are reached without {@code wide} instructions.
 */
final class Locals {
    /** Slots for one short spill of any value. */
    private static final int SPILL_SLOTS = 2;

    private final List<ValType> types;
    private final int[] slots;
    private final int[] operandSlots;
    private final int instanceSlot;
    private final int segmentSlot;
    private final int spillSlot;
    private final int frameSlot;
    private final int firstScratch;
    private int nextScratch;

    private Locals(List<ValType> operands, List<ValType> types, int localsAsParams, boolean cachesSegment,
                   boolean frameParams, boolean frameLocals, java.util.BitSet used) {
        this.types = types;
        this.slots = new int[types.size()];
        this.operandSlots = new int[operands.size()];
        int slot = 0;
        for (int i = 0; i < operands.size(); i++) {
            operandSlots[i] = slot;
            slot += JvmType.size(operands.get(i));
        }
        for (int l = 0; l < localsAsParams; l++) {
            slots[l] = slot;
            slot += JvmType.size(types.get(l));
        }
        int frame = -1;
        if (frameParams) frame = slot++;
        instanceSlot = slot++;
        if (!frameParams && frameLocals) frame = slot++;
        frameSlot = frame;
        segmentSlot = cachesSegment ? slot++ : -1;
        spillSlot = slot;
        slot += SPILL_SLOTS;
        for (int l = localsAsParams; l < types.size(); l++) {
            if (used != null && !used.get(l)) {
                slots[l] = -1;
                continue;
            }
            slots[l] = slot;
            slot += JvmType.size(types.get(l));
        }
        firstScratch = nextScratch = slot;
    }

    /**
     * A function's method: its parameters (the first wasm locals), the instance, then the declared
     * locals. {@code outlines} gives it a slot for the frame object of its outlined parts.
     */
    static Locals function(List<ValType> params, List<ValType> locals, boolean cachesSegment, boolean outlines) {
        return new Locals(List.of(), locals, params.size(), cachesSegment, false, outlines, null);
    }

    /**
     * An outlined construct's method: the construct's operands, the frame object and the instance as
     * parameters, then the wasm locals it touches (the others have no slot: its code never names them).
     */
    static Locals region(List<ValType> operands, List<ValType> locals, java.util.BitSet touched, boolean cachesSegment) {
        return new Locals(operands, locals, 0, cachesSegment, true, true, touched);
    }

    /** Code with no wasm locals (constant expressions) whose instance is in {@code instanceSlot}. */
    static Locals expression(int instanceSlot, int firstFree) {
        return new Locals(instanceSlot, firstFree);
    }

    private Locals(int instanceSlot, int firstFree) {
        this.types = List.of();
        this.slots = new int[0];
        this.operandSlots = new int[0];
        this.instanceSlot = instanceSlot;
        this.segmentSlot = -1;
        this.frameSlot = -1;
        this.spillSlot = firstFree;
        this.firstScratch = this.nextScratch = firstFree + SPILL_SLOTS;
    }

    int instanceSlot() {
        return instanceSlot;
    }

    void loadInstance(MethodVisitor mv) {
        mv.visitVarInsn(Opcodes.ALOAD, instanceSlot);
    }

    /** The slot caching memory 0's segment, or -1 if code reads it from the memory each time. */
    int segmentSlot() {
        return segmentSlot;
    }

    /** The slot of the frame object of outlined constructs, or -1. */
    int frameSlot() {
        return frameSlot;
    }

    /** The slot of an outlined construct's operand {@code i}. */
    int operandSlot(int i) {
        return operandSlots[i];
    }

    int slot(int localidx) {
        return slots[localidx];
    }

    ValType type(int localidx) {
        return types.get(localidx);
    }

    int count() {
        return types.size();
    }

    /**
     * The slot for one value held only across a few instructions that themselves spill nothing, such
     * as the value of a store while its address is computed.
     */
    int spill() {
        return spillSlot;
    }

    /** Borrows a scratch slot for a value of type {@code t}. */
    int borrow(ValType t) {
        int slot = nextScratch;
        nextScratch += JvmType.size(t);
        return slot;
    }

    /** The mark to give back to with {@link #release}. */
    int mark() {
        return nextScratch;
    }

    /** Gives back every scratch slot borrowed since {@code mark}. */
    void release(int mark) {
        if (mark < firstScratch || mark > nextScratch) throw new IllegalStateException("bad scratch mark " + mark);
        nextScratch = mark;
    }
}
