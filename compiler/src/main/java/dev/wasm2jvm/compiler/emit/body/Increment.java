package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

/**
 * {@code local.get x; i32.const k; i32.add; local.set x} (or {@code i32.sub}, or {@code local.tee x}):
 * a loop's counter stepped, which {@link FunctionEmitter} lowers as one {@code iinc} of the local's
 * slot (then an {@code iload} for the tee) instead of four or five bytecodes. The interpreter, which
 * runs the loops of short programs until their on-stack replacement, pays for each bytecode of every
 * iteration: interpreted ({@code -Xint}; a step and an xor after it 32 times a loop iteration,
 * medians of 21 and 31 rounds), the step as {@code iinc} took 0.70 and 0.85 of the time it took as
 * four bytecodes.
 *
 * @param delta what is added to it: {@code k}, or {@code -k} for {@code i32.sub} (which wraps as
 *     the subtraction does); within a wide {@code iinc}'s 16 bits
 * @param tee whether the value stays on the stack too
 * @param constant the module offset of the {@code i32.const}
 * @param operator the module offset of the {@code i32.add} or {@code i32.sub}
 * @param store the module offset of the {@code local.set} or {@code local.tee}
 * @param end the module offset after it
 */
record Increment(int delta, boolean tee, int constant, int operator, int store, int end) {

    /** The increment of {@code local} whose {@code local.get} is at module offset {@code offset}, or {@code null}. */
    static Increment at(FunctionBody body, int offset, int local) {
        byte[] code = body.code();
        int base = body.offset();
        // Past local.get's opcode and index: the body ends with an end, so every read below is in it.
        int p = skipLeb(code, offset - base + 1);
        int constant = p;
        if ((code[p] & 0xFF) != Opcodes.I32_CONST) return null;
        long k = 0;
        int shift = 0;
        int b;
        do {
            b = code[++p];
            k |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) k |= -1L << shift;
        int operator = ++p;
        int op = code[p] & 0xFF;
        if (op != Opcodes.I32_ADD && op != Opcodes.I32_SUB) return null;
        int store = ++p;
        int set = code[p] & 0xFF;
        if (set != Opcodes.LOCAL_SET && set != Opcodes.LOCAL_TEE) return null;
        int index = 0;
        shift = 0;
        do {
            b = code[++p];
            index |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (index != local) return null;
        int delta = op == Opcodes.I32_ADD ? (int) k : -(int) k;
        if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) return null;
        return new Increment(delta, set == Opcodes.LOCAL_TEE, base + constant, base + operator, base + store, base + p + 1);
    }

    private static int skipLeb(byte[] code, int p) {
        while ((code[p] & 0x80) != 0) p++;
        return p + 1;
    }
}
