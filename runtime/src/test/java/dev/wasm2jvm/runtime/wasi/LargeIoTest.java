package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.Memory;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large reads and writes move guest bytes in bounded pieces: a call of any size allocates no more
 * heap than a small constant, so a 1 GiB fd_write to stdout runs in a 64 MiB heap.
 */
class LargeIoTest {
    /** The size of each large call here: far above what any call may allocate. */
    private static final int SIZE = 32 << 20;
    /** Room for two regions of {@link #SIZE} after the scratch page. */
    private static final int PAGES = 2 * (SIZE / Memory.PAGE_SIZE) + 2;
    private static final int FIRST = Memory.PAGE_SIZE;
    private static final int SECOND = FIRST + SIZE;
    /** The most heap one large call may allocate: its 64 KiB buffer and a little bookkeeping. */
    private static final long ALLOCATION_BOUND = 1 << 20;
    /** The length of the runs of equal bytes in the test pattern: prime, so that no chunk boundary aligns with them. */
    private static final int RUN = 4093;

    @TempDir
    Path dir;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The pattern's byte at {@code offset}: each run of {@link #RUN} bytes has its own value. */
    private static byte pattern(long offset) {
        long run = offset / RUN;
        return (byte) (run * 31 + (run >>> 8));
    }

    private static void fill(MemorySegment memory, long base, long size) {
        for (long run = 0; run * RUN < size; run++) {
            long length = Math.min(RUN, size - run * RUN);
            memory.asSlice(base + run * RUN, length).fill(pattern(run * RUN));
        }
    }

    /** Whether {@code size} bytes at {@code base} hold the pattern. */
    private static boolean holdsPattern(MemorySegment memory, long base, long size) {
        for (long i = 0; i < size; i++) {
            if (memory.get(java.lang.foreign.ValueLayout.JAVA_BYTE, base + i) != pattern(i)) return false;
        }
        return true;
    }

    /** Consumes what it is given, checking it against the pattern; keeps nothing. */
    private static final class PatternSink extends OutputStream {
        long count;
        boolean matches = true;

        @Override
        public void write(int b) {
            matches &= (byte) b == pattern(count++);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }
    }

    @Test
    void aLargeWriteToAStreamAllocatesNoCopyOfIt() throws Exception {
        PatternSink out = new PatternSink();
        Guest g = new Guest(WasiOptions.builder().stdout(out).build(), PAGES);
        fill(g.memory.segment(), FIRST, SIZE);
        int iov = g.iovec(FIRST, SIZE);
        int nwritten = g.alloc(4);
        g.ok("fd_write", 1, g.iovec(FIRST, 1), 1, nwritten);
        out.count = 0;

        long before = allocated();
        g.ok("fd_write", 1, iov, 1, nwritten);
        long used = allocated() - before;

        assertTrue(used < ALLOCATION_BOUND, "fd_write of " + SIZE + " bytes allocated " + used);
        assertEquals(SIZE, g.i32(nwritten));
        assertEquals(SIZE, out.count);
        assertTrue(out.matches, "the bytes arrive in order");
    }

    @Test
    void largeFileReadsAndWritesAllocateNoCopyOfThem() throws Exception {
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build(), PAGES);
        int fd = g.open(3, "big", Abi.OFLAGS_CREAT, Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK, 0, 0);
        fill(g.memory.segment(), FIRST, SIZE);
        int first = g.iovec(FIRST, SIZE);
        int second = g.iovec(SECOND, SIZE);
        int n = g.alloc(4);
        int position = g.alloc(8);
        g.ok("fd_write", fd, g.iovec(FIRST, 1), 1, n);
        g.ok("fd_seek", fd, 0L, Abi.WHENCE_SET, position);

        for (String call : List.of("fd_write", "fd_pwrite", "fd_read", "fd_pread")) {
            if (call.equals("fd_read")) g.ok("fd_seek", fd, 0L, Abi.WHENCE_SET, position);
            g.memory.segment().asSlice(SECOND, SIZE).fill((byte) 0);
            long before = allocated();
            switch (call) {
                case "fd_write", "fd_read" -> g.ok(call, fd, call.equals("fd_write") ? first : second, 1, n);
                default -> g.ok(call, fd, call.equals("fd_pwrite") ? first : second, 1, (long) SIZE, n);
            }
            long used = allocated() - before;
            assertTrue(used < ALLOCATION_BOUND, call + " of " + SIZE + " bytes allocated " + used);
            assertEquals(SIZE, g.i32(n), call);
            if (call.endsWith("read")) assertTrue(holdsPattern(g.memory.segment(), SECOND, SIZE), call + " read back");
        }
        assertEquals(2L * SIZE, Files.size(dir.resolve("big")));
        g.wasi.close();
    }

    /** Calls longer than the stream buffer are still one unit each: several chunks, never interleaved. */
    @Test
    void concurrentWritesLargerThanTheBufferDoNotInterleave() throws Exception {
        int threads = 4;
        int length = 3 * OutputStreamDescriptor.CHUNK + 123;
        int calls = 25;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdout(out).build(), threads * length / Memory.PAGE_SIZE + 4);
        int[] iovs = new int[threads];
        for (int t = 0; t < threads; t++) {
            int base = FIRST + t * length;
            g.memory.segment().asSlice(base, length).fill((byte) ('a' + t));
            iovs[t] = g.iovec(base, length);
        }
        List<CompletableFuture<Void>> writers = new java.util.ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int iov = iovs[t];
                int nwritten = g.alloc(4);
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < calls; i++) assertEquals(0, g.call("fd_write", 1, iov, 1, nwritten));
                }, pool));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        byte[] written = out.toByteArray();
        assertEquals((long) threads * calls * length, written.length);
        for (int call = 0; call < threads * calls; call++) {
            byte first = written[call * length];
            for (int i = 1; i < length; i++) {
                if (written[call * length + i] != first) throw new AssertionError("call " + call + " interleaved at byte " + i);
            }
        }
    }

    /**
     * The whole path of the issue: a guest of 1 GiB writes all of it to the process's stdout in one
     * fd_write, in a JVM of its own with a 64 MiB heap. Its resident peak stays near the guest
     * memory itself, and every byte arrives in order.
     */
    @Test
    void aGibibyteWriteToStdoutRunsInASmallHeap() throws Exception {
        Process child = new ProcessBuilder(javaCommand(GibibyteWriter.class, "-Xmx64m")).start();
        try {
            CompletableFuture<String> diagnostics = CompletableFuture.supplyAsync(() -> readAll(child.getErrorStream()));
            PatternSink sink = new PatternSink();
            child.getInputStream().transferTo(sink);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child ended");
            String report = diagnostics.get(10, TimeUnit.SECONDS);
            assertEquals(0, child.exitValue(), report);
            assertTrue(report.startsWith("errno 0 nwritten 1073741824 "), report);
            assertEquals(1L << 30, sink.count, report);
            assertTrue(sink.matches, "the bytes arrive in order");
            long peakKib = Long.parseLong(report.replaceAll("(?s).*peak (\\d+) kB.*", "$1"));
            assertTrue(peakKib < (1L << 20) + (384 << 10), "resident peak " + peakKib + " kB for a 1 GiB guest");
        } finally {
            child.destroyForcibly();
        }
    }

    static String readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString();
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /** What a child process wrote to its two streams, and its exit status. */
    record ChildRun(int exit, String out, String err) {}

    /** Runs {@code command} to its end, at most a minute, reading both of its streams. */
    static ChildRun run(List<String> command) throws Exception {
        Process child = new ProcessBuilder(command).start();
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(child.getErrorStream()));
            String out = readAll(child.getInputStream());
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ended");
            return new ChildRun(child.exitValue(), out, err.get(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
    }

    /** The command that runs {@code main} of {@code mainClass} in a new JVM with this one's class path. */
    static List<String> javaCommand(Class<?> mainClass, String... jvmOptions) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        return command;
    }

    /** Writes a 1 GiB guest's memory to stdout in one fd_write; reports the result and the resident peak on stderr. */
    static final class GibibyteWriter {
        public static void main(String[] args) throws Exception {
            int size = 1 << 30;
            Guest g = new Guest(WasiOptions.builder().stdout(new FileOutputStream(FileDescriptor.out)).build(),
                    size / Memory.PAGE_SIZE + 1);
            fill(g.memory.segment(), Memory.PAGE_SIZE, size);
            int nwritten = g.alloc(4);
            int errno = g.call("fd_write", 1, g.iovec(Memory.PAGE_SIZE, size), 1, nwritten);
            String peak = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:")).findFirst().orElse("VmHWM: 0 kB")
                    .replaceAll("\\s+", " ").substring("VmHWM: ".length());
            System.err.println("errno " + errno + " nwritten " + g.i32(nwritten) + " peak " + peak);
        }
    }
}
