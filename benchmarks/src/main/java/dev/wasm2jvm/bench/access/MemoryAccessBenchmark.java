package dev.wasm2jvm.bench.access;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The same kernels over linear memory written with each way generated code could access it, run as
 * a wasm {@code main} runs: each kernel entered once, its loop compiled on stack replacement. Each
 * strategy runs in a JVM of its own per tier ({@code benchmarks/access.sh} forces the tiers and
 * prints the table), and prints one line per kernel: strategy, kernel, milliseconds, checksum. A
 * second argument {@code small} divides the work by about 64, for the interpreter.
 *
 * <p>The kernels address memory as compiled wasm does: {@code int} addresses, zero-extended, plus a
 * constant offset. Strategies: {@code varhandle} (an inline access through a static final var handle,
 * what generated code did before), {@code helper} (a static method per access that calls
 * {@code MemorySegment.get}/{@code set}, what it does now), {@code helper-varhandle} (the same helper
 * through a var handle), and, as references only, {@code bytebuffer} (a direct buffer's int-indexed
 * accessors, limited to 2 GiB) and {@code unsafe} ({@code sun.misc.Unsafe} with an explicit bounds
 * check, deprecated for removal and warned about by JDK 24 and later).
 */
public final class MemoryAccessBenchmark {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_VH = I32.varHandle();
    private static final VarHandle F64_VH = F64.varHandle();
    private static final VarHandle I8_VH = ValueLayout.JAVA_BYTE.varHandle();

    private static final long MEMORY = 64L << 20;
    /** The matrix size, bytes hashed and chase steps, scaled down for the interpreter. */
    private static int n = 400;
    private static int hashed = 32 << 20;
    private static int steps = 16 << 20;

    private interface Access {
        int i32(int a, int offset);
        void i32(int a, int offset, int v);
        int i8(int a, int offset);
        double f64(int a, int offset);
        void f64(int a, int offset, double v);
    }

    public static void main(String[] args) throws Exception {
        String strategy = args[0];
        if (args.length > 1 && args[1].equals("small")) {
            n = 100;
            hashed = 512 << 10;
            steps = 256 << 10;
        }
        MemorySegment segment = Arena.global().allocate(MEMORY, 16);
        Access access = switch (strategy) {
            case "varhandle" -> new VarHandleAccess(segment);
            case "helper" -> new HelperAccess(segment);
            case "helper-varhandle" -> new HelperVarHandleAccess(segment);
            case "bytebuffer" -> new BufferAccess(segment.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            case "unsafe" -> new UnsafeAccess(segment);
            default -> throw new IllegalArgumentException("unknown strategy " + strategy);
        };
        report(strategy, "matmul", () -> matmul(access));
        report(strategy, "bytes", () -> bytes(access));
        report(strategy, "chase", () -> chase(access));
    }

    private static void report(String strategy, String kernel, java.util.function.LongSupplier k) {
        long t0 = System.nanoTime();
        long check = k.getAsLong();
        System.out.printf("%s\t%s\t%d\t%x%n", strategy, kernel, (System.nanoTime() - t0) / 1_000_000, check);
    }

    /** c += a * b over n x n doubles at addresses 0, 8n^2 and 16n^2, loops as clang emits them. */
    private static long matmul(Access m) {
        int a = 0, b = 8 * n * n, c = 16 * n * n;
        for (int i = 0; i < n * n; i++) {
            m.f64(a + 8 * i, 0, i % 7);
            m.f64(b + 8 * i, 0, i % 13);
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double x = m.f64(a + 8 * (i * n + k), 0);
                int row = b + 8 * k * n, out = c + 8 * i * n;
                for (int j = 0; j < n; j += 2) {
                    m.f64(out + 8 * j, 0, m.f64(out + 8 * j, 0) + x * m.f64(row + 8 * j, 0));
                    m.f64(out + 8 * j, 8, m.f64(out + 8 * j, 8) + x * m.f64(row + 8 * j, 8));
                }
            }
        }
        double s = 0;
        for (int i = 0; i < n * n; i++) s += m.f64(c + 8 * i, 0);
        return Double.doubleToLongBits(s);
    }

    /** A byte-wise hash over {@code hashed} bytes, eight times. */
    private static long bytes(Access m) {
        for (int i = 0; i < hashed; i += 4) m.i32(i, 0, i * 0x9E3779B9);
        int h = 0;
        for (int r = 0; r < 8; r++) {
            for (int i = 0; i < hashed; i++) h = h * 31 + m.i8(i, 0);
        }
        return h;
    }

    /** A pointer chase through a random cycle of 1 Mi cells of 8 bytes, {@code steps} steps. */
    private static long chase(Access m) {
        int cells = 1 << 20;
        for (int i = 0; i < cells; i++) m.i32(8 * i, 0, i);
        long seed = 42;
        for (int i = cells - 1; i > 0; i--) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            int j = (int) ((seed >>> 33) % (i + 1));
            int t = m.i32(8 * i, 0);
            m.i32(8 * i, 0, m.i32(8 * j, 0));
            m.i32(8 * j, 0, t);
        }
        int p = 0, sum = 0;
        for (int s = 0; s < steps; s++) {
            p = m.i32(8 * p, 0);
            sum += m.i32(8 * p, 4) + p;
        }
        return sum;
    }

    private static long ea(int address, int offset) {
        return (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
    }

    private record VarHandleAccess(MemorySegment s) implements Access {
        public int i32(int a, int o) { return (int) I32_VH.get(s, ea(a, o)); }
        public void i32(int a, int o, int v) { I32_VH.set(s, ea(a, o), v); }
        public int i8(int a, int o) { return (byte) I8_VH.get(s, ea(a, o)); }
        public double f64(int a, int o) { return (double) F64_VH.get(s, ea(a, o)); }
        public void f64(int a, int o, double v) { F64_VH.set(s, ea(a, o), v); }
    }

    private record HelperAccess(MemorySegment s) implements Access {
        public int i32(int a, int o) { return i32Load(a, o, s); }
        public void i32(int a, int o, int v) { i32Store(a, v, o, s); }
        public int i8(int a, int o) { return i32Load8S(a, o, s); }
        public double f64(int a, int o) { return f64Load(a, o, s); }
        public void f64(int a, int o, double v) { f64Store(a, v, o, s); }

        static int i32Load(int a, int o, MemorySegment m) { return m.get(I32, ea(a, o)); }
        static void i32Store(int a, int v, int o, MemorySegment m) { m.set(I32, ea(a, o), v); }
        static int i32Load8S(int a, int o, MemorySegment m) { return m.get(ValueLayout.JAVA_BYTE, ea(a, o)); }
        static double f64Load(int a, int o, MemorySegment m) { return m.get(F64, ea(a, o)); }
        static void f64Store(int a, double v, int o, MemorySegment m) { m.set(F64, ea(a, o), v); }
    }

    private record HelperVarHandleAccess(MemorySegment s) implements Access {
        public int i32(int a, int o) { return i32Load(a, o, s); }
        public void i32(int a, int o, int v) { i32Store(a, v, o, s); }
        public int i8(int a, int o) { return i32Load8S(a, o, s); }
        public double f64(int a, int o) { return f64Load(a, o, s); }
        public void f64(int a, int o, double v) { f64Store(a, v, o, s); }

        static int i32Load(int a, int o, MemorySegment m) { return (int) I32_VH.get(m, ea(a, o)); }
        static void i32Store(int a, int v, int o, MemorySegment m) { I32_VH.set(m, ea(a, o), v); }
        static int i32Load8S(int a, int o, MemorySegment m) { return (byte) I8_VH.get(m, ea(a, o)); }
        static double f64Load(int a, int o, MemorySegment m) { return (double) F64_VH.get(m, ea(a, o)); }
        static void f64Store(int a, double v, int o, MemorySegment m) { F64_VH.set(m, ea(a, o), v); }
    }

    private record BufferAccess(ByteBuffer b) implements Access {
        public int i32(int a, int o) { return b.getInt(a + o); }
        public void i32(int a, int o, int v) { b.putInt(a + o, v); }
        public int i8(int a, int o) { return b.get(a + o); }
        public double f64(int a, int o) { return b.getDouble(a + o); }
        public void f64(int a, int o, double v) { b.putDouble(a + o, v); }
    }

    @SuppressWarnings({"removal", "deprecation"})
    private static final class UnsafeAccess implements Access {
        private static final sun.misc.Unsafe U;
        static {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                U = (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        private final long base;
        private final long size;

        UnsafeAccess(MemorySegment s) {
            base = s.address();
            size = s.byteSize();
        }

        private long at(int a, int o, int bytes) {
            long ea = ea(a, o);
            if (ea > size - bytes) throw new IndexOutOfBoundsException();
            return base + ea;
        }

        public int i32(int a, int o) { return U.getInt(at(a, o, 4)); }
        public void i32(int a, int o, int v) { U.putInt(at(a, o, 4), v); }
        public int i8(int a, int o) { return U.getByte(at(a, o, 1)); }
        public double f64(int a, int o) { return U.getDouble(at(a, o, 8)); }
        public void f64(int a, int o, double v) { U.putDouble(at(a, o, 8), v); }
    }
}
