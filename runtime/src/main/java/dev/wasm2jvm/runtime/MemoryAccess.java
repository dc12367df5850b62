package dev.wasm2jvm.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The loads and stores of linear memory, one static method per instruction ({@code i32.load} is
 * {@link #i32Load}, {@code i64.store8} is {@link #i64Store8}), which generated code calls with the
 * instruction's operands, its {@code memarg.offset} and the memory's {@link Memory#segment}. The
 * effective address is {@code zext(address) + zext(offset)} as a {@code long}, so the whole 4 GiB
 * address space is reachable and an access past the end fails the segment's own bounds check. Wasm
 * memory is little-endian whatever the host.
 *
 * <p>Why a call per access rather than an inline {@code VarHandle} access in generated code. The
 * choice was measured with {@code benchmarks}' {@code MemoryAccessBenchmark} (the same kernels
 * written with each access path, each tier forced) and on whole programs:
 * <ul>
 *   <li><b>Interpreter.</b> An inline var handle access is an {@code invokevirtual} of a signature
 *       polymorphic method: every execution goes through the handle's generic linkage. A static
 *       call lands in this class's method, which is among the first methods the JIT compiles, so an
 *       interpreted loop (a function entered once, before its OSR compilation) pays one call.
 *   <li><b>C1.</b> A var handle access is {@code @ForceInline} all the way down, so C1 inlined
 *       every one whatever the method's size: long methods ran C1 out of registers or overflowed
 *       its range check elimination. A helper obeys C1's inlining budget: C1 inlines the first
 *       accesses of a method and calls the rest, so the size of generated methods no longer decides
 *       whether C1 can compile them.
 *   <li><b>C2.</b> The helpers are tiny and hot, so C2 inlines them and compiles exactly what the
 *       inline access compiled: a bounds check that loop predication hoists out of counted loops and
 *       one load or store. The segment is received through {@link MemorySegment}'s interface call
 *       in this class, whose type profile sees only the native segments of linear memories, so the
 *       segment's own virtual calls bind statically; an inline handle shares the JDK's profile with
 *       every other segment user of the JVM and lost that binding in large programs.
 *   <li><b>Code size.</b> A load is three instructions in generated code instead of nine, and a
 *       store needs no spilled operand, so fewer functions need splitting.
 * </ul>
 */
public final class MemoryAccess {
    private MemoryAccess() {}

    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The effective address of an access: both operands are unsigned 32-bit. */
    private static long ea(int address, int offset) {
        return (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
    }

    public static int i32Load(int address, int offset, MemorySegment m) {
        return m.get(I32, ea(address, offset));
    }

    public static long i64Load(int address, int offset, MemorySegment m) {
        return m.get(I64, ea(address, offset));
    }

    public static float f32Load(int address, int offset, MemorySegment m) {
        return m.get(F32, ea(address, offset));
    }

    public static double f64Load(int address, int offset, MemorySegment m) {
        return m.get(F64, ea(address, offset));
    }

    public static int i32Load8S(int address, int offset, MemorySegment m) {
        return m.get(I8, ea(address, offset));
    }

    public static int i32Load8U(int address, int offset, MemorySegment m) {
        return m.get(I8, ea(address, offset)) & 0xFF;
    }

    public static int i32Load16S(int address, int offset, MemorySegment m) {
        return m.get(I16, ea(address, offset));
    }

    public static int i32Load16U(int address, int offset, MemorySegment m) {
        return m.get(I16, ea(address, offset)) & 0xFFFF;
    }

    public static long i64Load8S(int address, int offset, MemorySegment m) {
        return m.get(I8, ea(address, offset));
    }

    public static long i64Load8U(int address, int offset, MemorySegment m) {
        return m.get(I8, ea(address, offset)) & 0xFFL;
    }

    public static long i64Load16S(int address, int offset, MemorySegment m) {
        return m.get(I16, ea(address, offset));
    }

    public static long i64Load16U(int address, int offset, MemorySegment m) {
        return m.get(I16, ea(address, offset)) & 0xFFFFL;
    }

    public static long i64Load32S(int address, int offset, MemorySegment m) {
        return m.get(I32, ea(address, offset));
    }

    public static long i64Load32U(int address, int offset, MemorySegment m) {
        return m.get(I32, ea(address, offset)) & 0xFFFF_FFFFL;
    }

    public static void i32Store(int address, int value, int offset, MemorySegment m) {
        m.set(I32, ea(address, offset), value);
    }

    public static void i64Store(int address, long value, int offset, MemorySegment m) {
        m.set(I64, ea(address, offset), value);
    }

    public static void f32Store(int address, float value, int offset, MemorySegment m) {
        m.set(F32, ea(address, offset), value);
    }

    public static void f64Store(int address, double value, int offset, MemorySegment m) {
        m.set(F64, ea(address, offset), value);
    }

    public static void i32Store8(int address, int value, int offset, MemorySegment m) {
        m.set(I8, ea(address, offset), (byte) value);
    }

    public static void i32Store16(int address, int value, int offset, MemorySegment m) {
        m.set(I16, ea(address, offset), (short) value);
    }

    public static void i64Store8(int address, long value, int offset, MemorySegment m) {
        m.set(I8, ea(address, offset), (byte) value);
    }

    public static void i64Store16(int address, long value, int offset, MemorySegment m) {
        m.set(I16, ea(address, offset), (short) value);
    }

    public static void i64Store32(int address, long value, int offset, MemorySegment m) {
        m.set(I32, ea(address, offset), (int) value);
    }
}
