package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What generated code uses for the threads proposal's atomic memory accesses: aligned var handles
 * on {@link Memory#segment()}, whose volatile and read-modify-write access modes give the sequentially
 * consistent accesses the proposal asks for, and the read-modify-writes of 8 and 16 bits, which the
 * JDK's byte and short segment var handles do not support (they only {@code get} and {@code set}).
 *
 * <p>Generated code checks alignment itself before it uses a handle, so that a misaligned access
 * traps with {@code "unaligned atomic"} before the bounds check of the handle fails.
 */
public final class AtomicAccess {
    private AtomicAccess() {}

    public static final VarHandle I8 = ValueLayout.JAVA_BYTE.varHandle();
    public static final VarHandle I16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    public static final VarHandle I32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    public static final VarHandle I64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private static final int ADD = 0;
    private static final int AND = 1;
    private static final int OR = 2;
    private static final int XOR = 3;
    private static final int XCHG = 4;

    /** The trap of a misaligned atomic access, for generated code to throw. */
    public static WasmTrap unaligned() {
        return new WasmTrap("unaligned atomic");
    }

    /**
     * The effective address {@code ea} of {@code memory.atomic.wait} or {@code notify} as the
     * unsigned {@code int} that {@link Memory#wait32} takes, after the checks the int can no longer
     * express: alignment first, then that {@code ea} lies below 4 GiB, where every memory ends.
     */
    public static int address32(long ea, int size) {
        if ((ea & (size - 1)) != 0) throw unaligned();
        if (ea >>> 32 != 0) throw new WasmTrap("out of bounds memory access");
        return (int) ea;
    }

    // The 8- and 16-bit read-modify-writes at the aligned effective address ea: each uses the low bits
    // of its operand and returns the lane's old value zero-extended, as rmw8.add_u and the like do.

    public static int rmw8Add(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFF, ADD, operand);
    }

    public static int rmw16Add(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFFFF, ADD, operand);
    }

    public static int rmw8And(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFF, AND, operand);
    }

    public static int rmw16And(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFFFF, AND, operand);
    }

    public static int rmw8Or(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFF, OR, operand);
    }

    public static int rmw16Or(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFFFF, OR, operand);
    }

    public static int rmw8Xor(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFF, XOR, operand);
    }

    public static int rmw16Xor(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFFFF, XOR, operand);
    }

    public static int rmw8Xchg(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFF, XCHG, operand);
    }

    public static int rmw16Xchg(MemorySegment s, long ea, int operand) {
        return update(s, ea, 0xFFFF, XCHG, operand);
    }

    /** {@code rmw8.cmpxchg_u}: the expected value is wrapped to 8 bits before the comparison. */
    public static int rmw8Cmpxchg(MemorySegment s, long ea, int expected, int replacement) {
        return compareAndExchange(s, ea, 0xFF, expected, replacement);
    }

    /** {@code rmw16.cmpxchg_u}: the expected value is wrapped to 16 bits before the comparison. */
    public static int rmw16Cmpxchg(MemorySegment s, long ea, int expected, int replacement) {
        return compareAndExchange(s, ea, 0xFFFF, expected, replacement);
    }

    /**
     * Applies {@code op} to the {@code mask}-wide lane at {@code ea} by a CAS loop on the aligned
     * 32-bit word that contains it; returns the lane's old value, zero-extended. The lane lies in the
     * word because it is naturally aligned, and the word lies in the memory whenever the lane does,
     * because memories are whole pages.
     */
    private static int update(MemorySegment s, long ea, int mask, int op, int operand) {
        long word = ea & ~3L;
        int shift = (int) (ea & 3) * 8;
        int current = (int) I32.getVolatile(s, word);
        while (true) {
            int old = current >>> shift & mask;
            int lane = switch (op) {
                case ADD -> old + operand;
                case AND -> old & operand;
                case OR -> old | operand;
                case XOR -> old ^ operand;
                default -> operand;
            };
            int witness = (int) I32.compareAndExchange(s, word, current, replace(current, shift, mask, lane));
            if (witness == current) return old;
            current = witness;
        }
    }

    private static int compareAndExchange(MemorySegment s, long ea, int mask, int expected, int replacement) {
        long word = ea & ~3L;
        int shift = (int) (ea & 3) * 8;
        int current = (int) I32.getVolatile(s, word);
        while (true) {
            int old = current >>> shift & mask;
            if (old != (expected & mask)) return old;
            int witness = (int) I32.compareAndExchange(s, word, current, replace(current, shift, mask, replacement));
            if (witness == current) return old;
            current = witness;
        }
    }

    /** {@code word} with its lane at {@code shift} set to the low bits of {@code lane}; wasm memory is little-endian. */
    private static int replace(int word, int shift, int mask, int lane) {
        return word & ~(mask << shift) | (lane & mask) << shift;
    }
}
