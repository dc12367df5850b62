package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operand and control stacks of the spec's validation algorithm (appendix "Validation
 * Algorithm"). A {@code null} operand is the algorithm's {@code Unknown} type, which unreachable code
 * produces and which matches every type.
 */
final class ValidationStack {

    /** A control frame: a block, loop, if, else, or the function body itself. */
    static final class Frame {
        final int opcode;
        final List<ValType> startTypes;
        final List<ValType> endTypes;
        final int height;
        boolean unreachable;

        Frame(int opcode, List<ValType> startTypes, List<ValType> endTypes, int height) {
            this.opcode = opcode;
            this.startTypes = startTypes;
            this.endTypes = endTypes;
            this.height = height;
        }

        /** A branch to a loop re-enters it, so it carries the loop's parameters, not its results. */
        List<ValType> labelTypes() {
            return opcode == Opcodes.LOOP ? startTypes : endTypes;
        }
    }

    /**
     * The operands, {@code vals[0]} to {@code vals[height - 1]}: an array rather than a list, as every
     * instruction pushes and pops some, and a list's bulk operations copy the types to push first.
     */
    private ValType[] vals = new ValType[16];
    private int height;
    private final List<Frame> ctrls = new ArrayList<>();
    /**
     * The innermost frame, {@code ctrls}' last, {@code null} after the final {@code end}: every pop
     * asks for it, and taking it from the list each time was 0.2% of the SQLite shell's compiling
     * thread (async-profiler, 30 rounds).
     */
    private Frame current;

    void push(ValType type) {
        if (height == vals.length) vals = Arrays.copyOf(vals, 2 * height);
        vals[height++] = type;
    }

    void pushAll(List<ValType> types) {
        for (int i = 0, n = types.size(); i < n; i++) push(types.get(i));
    }

    /** Pops any operand; {@code null} when the current frame is unreachable and has no operand left. */
    ValType pop() {
        Frame frame = current();
        if (height == frame.height) {
            if (frame.unreachable) return null;
            throw mismatch();
        }
        return vals[--height];
    }

    ValType pop(ValType expected) {
        ValType actual = pop();
        expect(actual, expected);
        return actual;
    }

    /** Fails unless {@code actual} matches {@code expected}, {@code null} (unknown) matching any. */
    private static void expect(ValType actual, ValType expected) {
        if (actual != expected && actual != null && expected != null) throw mismatch();
    }

    /**
     * Pops operands of {@code types}, the last on top. When the current frame holds that many, none
     * is {@code Unknown} for want of an operand, so they are checked without asking the frame per
     * operand, as nearly every instruction's are.
     */
    void popAll(List<ValType> types) {
        int n = types.size();
        if (height - current().height < n) {
            for (int i = n - 1; i >= 0; i--) pop(types.get(i));
            return;
        }
        for (int i = n - 1; i >= 0; i--) expect(vals[--height], types.get(i));
    }

    /** Pops operands of {@code types} (the last on top) and returns the actual types, in stack order. */
    ValType[] popActual(List<ValType> types) {
        ValType[] popped = new ValType[types.size()];
        for (int i = types.size() - 1; i >= 0; i--) popped[i] = pop(types.get(i));
        return popped;
    }

    void pushFrame(int opcode, List<ValType> startTypes, List<ValType> endTypes) {
        current = new Frame(opcode, startTypes, endTypes, height);
        ctrls.add(current);
        pushAll(startTypes);
    }

    Frame popFrame() {
        Frame frame = current();
        popAll(frame.endTypes);
        if (height != frame.height) throw mismatch();
        ctrls.removeLast();
        current = ctrls.isEmpty() ? null : ctrls.getLast();
        return frame;
    }

    /** The frame that branch label {@code labelidx} refers to. */
    Frame label(int labelidx) {
        if (labelidx < 0 || labelidx >= ctrls.size()) throw new ValidationFailure("unknown label");
        return ctrls.get(ctrls.size() - 1 - labelidx);
    }

    /** The outermost frame, the function body, whose results {@code return} needs. */
    Frame outermost() {
        return ctrls.getFirst();
    }

    boolean isEmpty() {
        return ctrls.isEmpty();
    }

    /** Marks the rest of the current frame as unreachable, making its operand stack polymorphic. */
    void unreachable() {
        Frame frame = current();
        height = frame.height;
        frame.unreachable = true;
    }

    private Frame current() {
        if (current == null) throw new IllegalStateException("instruction after the expression's final end");
        return current;
    }

    static ValidationFailure mismatch() {
        return new ValidationFailure("type mismatch");
    }
}
