package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM local variable slots of one generated method: the wasm parameters first (so the slots
 * match the method descriptor), then the instance, then the wasm locals, then scratch slots that
 * the emitters borrow for short spills and give back in LIFO order.
 */
final class Locals {
    private final List<ValType> types = new ArrayList<>();
    private final int[] slots;
    /** Slots under the wasm locals for one short spill, so that it needs no wide instructions. */
    private static final int SPILL_SLOTS = 2;

    private final int instanceSlot;
    private final int spillSlot;
    private final int segmentSlot;
    private final int firstScratch;
    private int nextScratch;

    /**
     * The layout of a function: parameters, instance, the cached memory segment if
     * {@code cachesSegment}, a spill slot, declared locals.
     */
    Locals(List<ValType> params, List<ValType> declared, boolean cachesSegment) {
        slots = new int[params.size() + declared.size()];
        int slot = 0;
        for (ValType p : params) slot = add(p, slot);
        instanceSlot = slot++;
        segmentSlot = cachesSegment ? slot++ : -1;
        spillSlot = slot;
        slot += SPILL_SLOTS;
        for (ValType l : declared) slot = add(l, slot);
        firstScratch = nextScratch = slot;
    }

    /** The layout of code with no wasm locals whose instance is in {@code instanceSlot}, scratch from {@code firstFree}. */
    Locals(int instanceSlot, int firstFree) {
        slots = new int[0];
        this.instanceSlot = instanceSlot;
        this.segmentSlot = -1;
        this.spillSlot = firstFree;
        firstFree += SPILL_SLOTS;
        firstScratch = nextScratch = firstFree;
    }

    private int add(ValType t, int slot) {
        slots[types.size()] = slot;
        types.add(t);
        return slot + JvmType.size(t);
    }

    int instanceSlot() {
        return instanceSlot;
    }

    void loadInstance(MethodVisitor mv) {
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, instanceSlot);
    }

    /** The slot caching memory 0's segment, or -1 if code reads it from the memory each time. */
    int segmentSlot() {
        return segmentSlot;
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
