package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The loads and stores of linear memory, one static method per instruction ({@code i32.load} is
 * {@link #i32Load}, {@code i64.store8} is {@link #i64Store8}), which generated code calls with the
 * instruction's operands, its {@code memarg.offset} and the memory's {@link Memory#segment}. The
 * effective address is {@code zext(address) + zext(offset)} as a {@code long}, so the whole 4 GiB
 * address space is reachable; an access past the end fails the segment's bounds check and traps
 * with the spec's text followed by where the access fell. Wasm memory is little-endian whatever the
 * host.
 *
 * <p>Why a call per access rather than an inline {@code VarHandle} access in generated code (the
 * figures, from {@code benchmarks/access.sh} and whole programs, are in the README's Benchmarks
 * section):
 * <ul>
 *   <li><b>Interpreter.</b> An inline var handle access is an {@code invokevirtual} of a signature
 *       polymorphic method, which goes through the handle's generic linkage at every execution. A
 *       helper is one static call into a method that is among the first the JIT compiles, which
 *       matters for a loop in a function entered once, until its OSR compilation.
 *   <li><b>C1.</b> A var handle's code is {@code @ForceInline} all the way down, so C1 inlined every
 *       access whatever the method's size, and gave up on access-dense methods ("out of virtual
 *       registers", 36 methods of SQLite), which then stayed interpreted until C2 took them. Each
 *       helper's bytecode is larger than C1's inlining limit ({@code C1MaxInlineSize}, 35 bytes),
 *       which the catch of the bounds failure brings it to, so C1 calls helpers: its code for a
 *       method grows with the method, not with its accesses, and the size of generated methods no
 *       longer decides whether C1 can compile them.
 *   <li><b>C2.</b> The helpers are well under C2's limit for hot calls ({@code FreqInlineSize}, 325
 *       bytes), so C2 inlines them and compiles what an inline access compiled: a bounds check that
 *       loop predication hoists out of counted loops, and one load or store. The segment reaches
 *       the JDK's code through this class's {@code MemorySegment.get}/{@code set} calls, whose type
 *       profile sees only the native segments of linear memories, so the segment's own virtual calls
 *       bind statically; an inline handle shares the JDK's profile with every other segment user of
 *       the JVM.
 *   <li><b>Code size.</b> A load is three instructions in generated code instead of nine, and a
 *       store needs no spilled operand, so fewer functions need splitting.
 * </ul>
 * {@code MemoryAccessHelpersTest} in the compiler's tests holds every helper between the two limits.
 */
public final class MemoryAccess {
    private MemoryAccess() {}

    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static int i32Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static long i64Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(I64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static float f32Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(F32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static double f64Load(int address, int offset, MemorySegment m) {
        try {
            return m.get(F64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static int i32Load8S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static int i32Load8U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFF;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static int i32Load16S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static int i32Load16U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFFF;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static long i64Load8S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static long i64Load8U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFL;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static long i64Load16S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static long i64Load16U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static long i64Load32S(int address, int offset, MemorySegment m) {
        try {
            return m.get(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static long i64Load32U(int address, int offset, MemorySegment m) {
        try {
            return m.get(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL)) & 0xFFFF_FFFFL;
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static void i32Store(int address, int value, int offset, MemorySegment m) {
        try {
            m.set(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static void i64Store(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static void f32Store(int address, float value, int offset, MemorySegment m) {
        try {
            m.set(F32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    public static void f64Store(int address, double value, int offset, MemorySegment m) {
        try {
            m.set(F64, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 8, m.byteSize());
        }
    }

    public static void i32Store8(int address, int value, int offset, MemorySegment m) {
        try {
            m.set(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static void i32Store16(int address, int value, int offset, MemorySegment m) {
        try {
            m.set(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static void i64Store8(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I8, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (byte) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 1, m.byteSize());
        }
    }

    public static void i64Store16(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I16, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (short) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 2, m.byteSize());
        }
    }

    public static void i64Store32(int address, long value, int offset, MemorySegment m) {
        try {
            m.set(I32, (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL), (int) value);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 4, m.byteSize());
        }
    }

    /**
     * The trap of a load or store of {@code bytes} bytes at {@code address + offset} (both unsigned)
     * in a memory of {@code memoryBytes} bytes: the spec's text, then where the access fell.
     */
    static WasmTrap outOfBounds(int address, int offset, int bytes, long memoryBytes) {
        return new WasmTrap("out of bounds memory access: " + bytes + " bytes at " + Integer.toUnsignedString(address)
                + (offset == 0 ? "" : " + " + Integer.toUnsignedString(offset)) + ", memory size " + memoryBytes);
    }
}
