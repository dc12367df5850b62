package dev.wasm2jvm.runtime.wasi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding 2 as a bounded stress test: while a host thread swaps a directory inside the preopen
 * with a symbolic link to a directory outside it ({@code renameat2(RENAME_EXCHANGE)}, atomic, in
 * a loop), the guest opens and stats {@code d/f} thousands of times. Each open must give the
 * inside file or fail; not one may reach the outside file.
 */
class RenameExchangeRaceTest {
    private static final int PREOPEN = 3;
    private static final int ITERATIONS = 5_000;
    private static final long TIME_LIMIT_NANOS = 20_000_000_000L;
    private static final int RENAME_EXCHANGE = 2;

    @TempDir
    Path root;

    /** {@code renameat2}, which the JDK has no call for. */
    private static final class Renameat2 {
        static final MethodHandle H = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("renameat2").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    }

    static int exchange(Arena arena, Path a, Path b) throws Throwable {
        return (int) Renameat2.H.invokeExact(LinuxFs.AT_FDCWD, arena.allocateFrom(a.toString()), LinuxFs.AT_FDCWD,
                arena.allocateFrom(b.toString()), RENAME_EXCHANGE);
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void aRacingExchangeNeverLetsAPathReachOutside(boolean openat2) throws Exception {
        if (openat2) assumeTrue(PathResolverTest.kernelHasOpenat2(), "this kernel has no openat2");
        Path sandbox = Files.createDirectory(root.resolve("sandbox"));
        Path outside = Files.createDirectory(root.resolve("outside"));
        Path d = Files.createDirectory(sandbox.resolve("d"));
        Files.writeString(d.resolve("f"), "inside");
        Files.writeString(outside.resolve("f"), "OUTSIDE");
        long outsideIno = SandboxEscapeTest.inode(outside.resolve("f"));
        Path x = Files.createSymbolicLink(sandbox.resolve("x"), Path.of("../outside"));
        Map<String, String> outsideBefore = SandboxEscapeTest.snapshot(outside);
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(sandbox, ".").build(), new PathResolver(openat2));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        Thread swapper = new Thread(() -> {
            try (Arena arena = Arena.ofConfined()) {
                while (!stop.get()) {
                    if (exchange(arena, d, x) == 0) swaps.incrementAndGet();
                }
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }, "rename-exchange");
        int path = g.string("d/f");
        int opened = g.alloc(4);
        int buf = g.alloc(16);
        int iov = g.iovec(buf, 16);
        int nread = g.alloc(4);
        int stat = g.alloc(Filestat.SIZE);
        int insideReads = 0;
        int outsideReads = 0;
        int refused = 0;
        int iterations = 0;
        Set<Integer> refusals = Set.of(Errno.PERM, Errno.NOTDIR);
        swapper.start();
        try {
            long start = System.nanoTime();
            for (; iterations < ITERATIONS && System.nanoTime() - start < TIME_LIMIT_NANOS; iterations++) {
                int lookup = iterations % 2 == 0 ? 0 : Abi.LOOKUPFLAGS_SYMLINK_FOLLOW;
                int errno = g.call("path_open", PREOPEN, lookup, path, 3, 0, Rights.FD_READ, 0L, 0, opened);
                if (errno == 0) {
                    int fd = g.i32(opened);
                    g.ok("fd_read", fd, iov, 1, nread);
                    String content = g.text(buf, g.i32(nread));
                    g.ok("fd_close", fd);
                    if (content.equals("inside")) insideReads++;
                    else outsideReads++;
                } else {
                    assertTrue(refusals.contains(errno), "errno " + errno);
                    refused++;
                }
                errno = g.call("path_filestat_get", PREOPEN, lookup, path, 3, stat);
                if (errno == 0) assertNotEquals(outsideIno, g.i64(stat + 8), "the outside file's status");
                else assertTrue(refusals.contains(errno), "errno " + errno);
            }
        } finally {
            stop.set(true);
            swapper.join();
            g.wasi.close();
        }
        System.out.printf("openat2=%s: %d opens during %d exchanges: %d inside, %d refused, %d outside%n", openat2,
                iterations, swaps.get(), insideReads, refused, outsideReads);
        assertEquals(0, outsideReads, "reads of the outside file");
        assertTrue(swaps.get() > 0 && insideReads > 0 && refused > 0, "the race was run");
        assertEquals(outsideBefore, SandboxEscapeTest.snapshot(outside));
    }
}
