package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

/**
 * Short sequences of a body's instructions that have a shorter JVM form as a whole than their
 * instructions' lowerings one after another, recognised at their first instruction from the body's
 * bytes, for {@link FunctionEmitter} to lower them as one step:
 * <pre>
 *   local.get x  i32.const c  i32.add|i32.sub  local.set|local.tee x    (an increment: iinc)
 *   i32.const c | i64.const c  OP                                         (a constant operand)
 * </pre>
 * where {@code OP} is an instruction {@link NumericEmitter#foldsConstant folds} its constant top
 * operand into. Every bytecode a body's code does not need costs the interpreter a dispatch and C1
 * compile time, and short programs spend half or more of their time there; C2 compiles either form
 * to the same code. A static survey of the generated classes of six programs (session 28) counted,
 * in Sightglass regex's 337,000 instructions, 1,805 increments of four or five bytecodes each, and
 * 1,077 unsigned comparisons with a constant that took eight; in shootout-keccak's 16,000, 869
 * {@code i64} shift and rotate counts pushed as a {@code long} and narrowed with {@code l2i}.
 * The module classes' code became 2 to 7% smaller (keccak 0.926 of its bytes, regex 0.979, the
 * SQLite shell 0.986) and C1 compiled keccak's in 0.95 of the time; interpreted only
 * ({@code -Xint}), keccak took 0.92 to 0.95 of the CPU, while as whole processes no program moved
 * beyond its A/A spread ({@code benchmarks/README.md}, "Fewer bytecodes").
 *
 * <p>The match reads a few bytes after the instruction, no decoding through a reader: a
 * {@code local.get} and a constant are the commonest instructions, and most matches fail at their
 * first byte. It depends on the code alone, so that every emission of a function (a split plan's
 * probe and the methods it plans) lowers the same sequences as one step and a plan never cuts
 * inside one.
 */
final class ShortForms {
    private final byte[] code;
    private final int base;
    /** The constant the last matched increment adds, negated for {@code i32.sub}. */
    private int addend;
    /** Whether the last matched increment ends with {@code local.tee}, which leaves the sum on the stack. */
    private boolean tee;

    ShortForms(FunctionBody body) {
        this.code = body.code();
        this.base = body.offset();
    }

    /**
     * At the {@code local.get localidx} at module offset {@code offset}: the module offset after an
     * increment of the local that starts there, else -1. A match sets {@link #addend} and
     * {@link #tee}; an addend outside a {@code short}, which {@code iinc} cannot take, does not match.
     */
    int increment(int offset, int localidx) {
        int p = skipLeb(offset - base + 1);
        if (code[p] != Opcodes.I32_CONST) return -1;
        int q = skipLeb(p + 1);
        int op = code[q];
        if (op != Opcodes.I32_ADD && op != Opcodes.I32_SUB) return -1;
        int set = code[q + 1];
        if (set != Opcodes.LOCAL_SET && set != Opcodes.LOCAL_TEE) return -1;
        int end = skipLeb(q + 2);
        if (readU32(q + 2) != localidx) return -1;
        long c = readS32(p + 1);
        long sum = op == Opcodes.I32_ADD ? c : -c;
        if (sum < Short.MIN_VALUE || sum > Short.MAX_VALUE) return -1;
        addend = (int) sum;
        tee = set == Opcodes.LOCAL_TEE;
        return base + end;
    }

    int addend() {
        return addend;
    }

    boolean tee() {
        return tee;
    }

    /**
     * The one-byte opcode of the instruction after the {@code i32.const} or {@code i64.const} at
     * module offset {@code offset}, or that of a prefix; a body's code always goes on past a
     * constant, to its {@code end} at least.
     */
    int opcodeAfterConstant(int offset) {
        return code[skipLeb(offset - base + 1)] & 0xFF;
    }

    /** The module offset after the instruction that follows the constant at {@code offset}, if it is one byte long. */
    int afterConstant(int offset) {
        return base + skipLeb(offset - base + 1) + 1;
    }

    /** The position after the LEB128 number at {@code p}. */
    private int skipLeb(int p) {
        while ((code[p] & 0x80) != 0) p++;
        return p + 1;
    }

    private int readU32(int p) {
        int result = 0;
        for (int shift = 0; ; shift += 7) {
            int b = code[p++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    private int readS32(int p) {
        int result = 0;
        int shift = 0;
        int b;
        do {
            b = code[p++];
            result |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return shift < 32 && (b & 0x40) != 0 ? result | (-1 << shift) : result;
    }
}
