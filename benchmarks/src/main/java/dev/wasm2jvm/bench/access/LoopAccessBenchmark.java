package dev.wasm2jvm.bench.access;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.internal.MemoryAccess;
import dev.wasm2jvm.runtime.internal.MemoryAccess64;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The multiply of {@code programs/kernels/matmul.c} (N x N doubles) written as wasm2jvm compiles it: static
 * methods, {@code int} addresses built with {@code int} additions, and each access a static helper
 * call on the runtime's {@code Memory}. One JVM runs one variant (arguments, in order):
 * <ul>
 *   <li>{@code check}: {@code int} (the runtime's {@code MemoryAccess}: {@code Objects.checkIndex} of
 *       the {@code int} address against the room the offset leaves, in memories below 2 GiB) or
 *       {@code long} (the check of the former helpers: {@code Objects.checkIndex} of the
 *       {@code long} {@code zext(address) + offset}, here through the runtime's
 *       {@code MemoryAccess64}, which still checks so);
 *   <li>{@code segment}: {@code field} (the memory read from the instance's field at every access) or
 *       {@code local} (cached in a local and reloaded after each call, as generated code once did
 *       with the memory's segment);
 *   <li>{@code latch}: {@code ne} (the loop ends with a backward jump on {@code !=}, as clang writes
 *       it) or {@code ltgt} (a jump on {@code <} then one on {@code >});
 *   <li>{@code place}: {@code main} (every loop in one method entered once, compiled on stack
 *       replacement, as a C {@code main}) or {@code called} (the multiply a method called once per
 *       round).
 * </ul>
 * It prints the thread CPU milliseconds of each round on one line, tab-separated. The variant is
 * read into static finals, which C1 and C2 fold: each compiled loop holds only its variant's code.
 * {@code benchmarks/access.sh} runs every variant in each tier.
 */
public final class LoopAccessBenchmark {
    private static int size;
    private static boolean longCheck;
    private static boolean fieldSegment;
    private static boolean splitLatch;

    /** Where generated code finds its memory: the instance's field, read at every access or cached in a local. */
    private static final class Instance {
        Memory memory;
    }

    private static final Instance MEMORY = new Instance();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoopAccessBenchmark() {}

    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: LoopAccessBenchmark int|long field|local ne|ltgt main|called ROUNDS N");
            System.exit(2);
        }
        longCheck = args[0].equals("long");
        fieldSegment = args[1].equals("field");
        splitLatch = args[2].equals("ltgt");
        boolean inMain = args[3].equals("main");
        int rounds = Integer.parseInt(args[4]);
        size = Integer.parseInt(args[5]);
        long pages = (24L * size * size + 2 * 65536 - 1) / 65536;
        MEMORY.memory = new Memory(pages, pages, false);
        long[] times = inMain ? Kernels.runInMain(rounds) : Kernels.runCalled(rounds);
        StringBuilder line = new StringBuilder();
        for (long t : times) line.append(line.isEmpty() ? "" : "\t").append(t / 1_000_000);
        System.out.println(line);
        long[] sorted = Arrays.copyOfRange(times, times.length / 2, times.length);
        Arrays.sort(sorted);
        System.err.printf("median of the second half %d ms, checksum %x%n", sorted[sorted.length / 2] / 1_000_000,
                Double.doubleToLongBits(Kernels.sum(MEMORY.memory)));
    }

    /** Static finals read once the arguments are known, so that the JIT folds each variant's tests. */
    private static final class Kernels {
        /** The matrices' order, the bytes of a row, and where A, B and C lie: constants, as clang's. */
        static final int N = size;
        static final int ROW = 8 * N;
        static final int A = 0;
        static final int B = 8 * N * N;
        static final int C = 16 * N * N;
        static final boolean LONG = longCheck;
        static final boolean FIELD = fieldSegment;
        static final boolean SPLIT = splitLatch;

        /** Every loop here, as in a C main: initialisation, then each round's multiply. */
        static long[] runInMain(int rounds) {
            long[] times = new long[rounds];
            Memory local = MEMORY.memory;
            for (int i = 0; i < N * N; i++) {
                f64Store(A + 8 * i, (i * 31 % 101) / 101.0 - 0.5, 0, FIELD ? MEMORY.memory : local);
                f64Store(B + 8 * i, (i * 7 % 97) / 97.0 - 0.5, 0, FIELD ? MEMORY.memory : local);
            }
            for (int r = 0; r < rounds; r++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                int out = C;
                int i = 0;
                do {
                    clear(out);
                    local = MEMORY.memory;
                    int row = B;
                    int k = 0;
                    do {
                        double aik = f64Load(A + i * ROW + 8 * k, 0, FIELD ? MEMORY.memory : local);
                        int j = 0;
                        do {
                            int c = out + j;
                            Memory s = FIELD ? MEMORY.memory : local;
                            f64Store(c, f64Load(c, 0, s) + aik * f64Load(row + j, 0, s), 0, s);
                            s = FIELD ? MEMORY.memory : local;
                            f64Store(c, f64Load(c, 8, s) + aik * f64Load(row + j, 8, s), 8, s);
                            j += 16;
                        } while (SPLIT ? j < ROW || j > ROW : j != ROW);
                        row += ROW;
                        k++;
                    } while (SPLIT ? k < N || k > N : k != N);
                    out += ROW;
                    i++;
                } while (SPLIT ? i < N || i > N : i != N);
                times[r] = THREADS.getCurrentThreadCpuTime() - t0;
                f64Store(A + 8 * r, f64Load(A + 8 * r, 0, MEMORY.memory) + 0.25, 0, MEMORY.memory);
            }
            return times;
        }

        static long[] runCalled(int rounds) {
            long[] times = new long[rounds];
            for (int i = 0; i < N * N; i++) {
                f64Store(A + 8 * i, (i * 31 % 101) / 101.0 - 0.5, 0, MEMORY.memory);
                f64Store(B + 8 * i, (i * 7 % 97) / 97.0 - 0.5, 0, MEMORY.memory);
            }
            for (int r = 0; r < rounds; r++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                multiply();
                times[r] = THREADS.getCurrentThreadCpuTime() - t0;
                f64Store(A + 8 * r, f64Load(A + 8 * r, 0, MEMORY.memory) + 0.25, 0, MEMORY.memory);
            }
            return times;
        }

        /** One round's multiply, the loops of {@link #runInMain} in a method of their own. */
        static void multiply() {
            Memory local = MEMORY.memory;
            int out = C;
            int i = 0;
            do {
                clear(out);
                local = MEMORY.memory;
                int row = B;
                int k = 0;
                do {
                    double aik = f64Load(A + i * ROW + 8 * k, 0, FIELD ? MEMORY.memory : local);
                    int j = 0;
                    do {
                        int c = out + j;
                        Memory s = FIELD ? MEMORY.memory : local;
                        f64Store(c, f64Load(c, 0, s) + aik * f64Load(row + j, 0, s), 0, s);
                        s = FIELD ? MEMORY.memory : local;
                        f64Store(c, f64Load(c, 8, s) + aik * f64Load(row + j, 8, s), 8, s);
                        j += 16;
                    } while (SPLIT ? j < ROW || j > ROW : j != ROW);
                    row += ROW;
                    k++;
                } while (SPLIT ? k < N || k > N : k != N);
                out += ROW;
                i++;
            } while (SPLIT ? i < N || i > N : i != N);
        }

        /** A row of C set to zero by a call, as clang's memset, after which a cached memory is reloaded. */
        static void clear(int out) {
            MEMORY.memory.segment().asSlice(out, ROW).fill((byte) 0);
        }

        static double sum(Memory m) {
            double s = 0;
            for (int i = 0; i < N * N; i++) s += f64Load(C + 8 * i, 0, m);
            return s;
        }

        static double f64Load(int address, int offset, Memory m) {
            return LONG
                    ? MemoryAccess64.f64Load(Integer.toUnsignedLong(address), offset, m)
                    : MemoryAccess.f64Load(address, offset, m);
        }

        static void f64Store(int address, double value, int offset, Memory m) {
            if (LONG) {
                MemoryAccess64.f64Store(Integer.toUnsignedLong(address), value, offset, m);
            } else {
                MemoryAccess.f64Store(address, value, offset, m);
            }
        }
    }
}
