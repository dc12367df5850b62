package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poll_oneoff subscription that can never become ready is reported at once with its error,
 * alone or beside clocks and descriptors that are not ready yet: no such poll waits.
 */
class PollNeverReadyTest {
    private static final int SUBSCRIPTION = 48;
    private static final int EVENT = 32;
    /** Far beyond the test's time limit: a poll that waited for it would fail the test. */
    private static final long FAR = 3_600_000_000_000L;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final PipedOutputStream feed = new PipedOutputStream();

    /** A guest whose stdin never gets input, with a preopened directory at fd 3. */
    private Guest guest() throws Exception {
        return new Guest(WasiOptions.builder().stdin(new PipedInputStream(feed)).stdout(new ByteArrayOutputStream())
                .preopenDirectory(dir, "d").build());
    }

    private static void fd(Guest g, int at, long userdata, byte type, int fd) {
        g.memory.writeI64(at, userdata);
        g.memory.writeBytes(at + 8, new byte[] {type}, 0, 1);
        g.memory.writeI32(at + 16, fd);
    }

    private static void clock(Guest g, int at, long userdata) {
        g.memory.writeI64(at, userdata);
        g.memory.writeBytes(at + 8, new byte[] {Abi.EVENTTYPE_CLOCK}, 0, 1);
        g.memory.writeI32(at + 16, Abi.CLOCKID_MONOTONIC);
        g.memory.writeI64(at + 24, FAR);
        g.memory.writeI32(at + 40, 0);
    }

    /** Polls the {@code count} subscriptions at {@code in}; returns each event's error by its userdata. */
    private static Map<Long, Integer> poll(Guest g, int in, int count) {
        int out = g.alloc(count * EVENT);
        int n = g.alloc(4);
        assertTimeoutPreemptively(PROMPTLY, () -> g.ok("poll_oneoff", in, out, count, n));
        Map<Long, Integer> errors = new HashMap<>();
        for (int i = 0; i < g.i32(n); i++) {
            errors.put(g.i64(out + i * EVENT), g.memory.readI32(out + i * EVENT + 8) & 0xffff);
        }
        return errors;
    }

    @Test
    void readingStdoutOrStderrIsEbadfAtOnce() throws Exception {
        Guest g = guest();
        int in = g.alloc(2 * SUBSCRIPTION);
        fd(g, in, 1, Abi.EVENTTYPE_FD_READ, 1);
        fd(g, in + SUBSCRIPTION, 2, Abi.EVENTTYPE_FD_READ, 2);
        assertEquals(Map.of(1L, Errno.BADF, 2L, Errno.BADF), poll(g, in, 2));
    }

    @Test
    void writingStdinIsEbadfAtOnce() throws Exception {
        Guest g = guest();
        int in = g.alloc(SUBSCRIPTION);
        fd(g, in, 7, Abi.EVENTTYPE_FD_WRITE, 0);
        assertEquals(Map.of(7L, Errno.BADF), poll(g, in, 1));
    }

    @Test
    void closedAndUnknownDescriptorsAndDirectoriesAreEbadfAtOnce() throws Exception {
        Guest g = guest();
        int fd = g.open(3, "f", Abi.OFLAGS_CREAT, Rights.FD_READ, 0, 0);
        g.ok("fd_close", fd);
        int in = g.alloc(4 * SUBSCRIPTION);
        fd(g, in, 1, Abi.EVENTTYPE_FD_READ, fd);
        fd(g, in + SUBSCRIPTION, 2, Abi.EVENTTYPE_FD_WRITE, 1_000_000);
        fd(g, in + 2 * SUBSCRIPTION, 3, Abi.EVENTTYPE_FD_READ, 3);
        fd(g, in + 3 * SUBSCRIPTION, 4, Abi.EVENTTYPE_FD_WRITE, 3);
        assertEquals(Map.of(1L, Errno.BADF, 2L, Errno.BADF, 3L, Errno.BADF, 4L, Errno.BADF), poll(g, in, 4));
    }

    @Test
    void aFileOpenedForReadingOnlyCannotBeWaitedOnForWriting() throws Exception {
        Guest g = guest();
        int fd = g.open(3, "f", Abi.OFLAGS_CREAT, Rights.FD_READ, 0, 0);
        int in = g.alloc(2 * SUBSCRIPTION);
        fd(g, in, 1, Abi.EVENTTYPE_FD_WRITE, fd);
        fd(g, in + SUBSCRIPTION, 2, Abi.EVENTTYPE_FD_READ, fd);
        assertEquals(Map.of(1L, Errno.BADF, 2L, Errno.SUCCESS), poll(g, in, 2));
    }

    /** Beside a far clock and stdin without input, the never-ready subscription alone is reported, at once. */
    @Test
    void mixedWithAClockAndAnIdleStdinItReturnsAtOnce() throws Exception {
        Guest g = guest();
        int in = g.alloc(3 * SUBSCRIPTION);
        clock(g, in, 1);
        fd(g, in + SUBSCRIPTION, 2, Abi.EVENTTYPE_FD_READ, 0);
        fd(g, in + 2 * SUBSCRIPTION, 3, Abi.EVENTTYPE_FD_READ, 1);
        assertEquals(Map.of(3L, Errno.BADF), poll(g, in, 3));
    }

    /** More subscriptions than the descriptor limit could ever need are refused before any is read. */
    @Test
    void tooManySubscriptionsAreEinval() throws Exception {
        Guest g = new Guest(WasiOptions.builder().maxFds(10).build(), 16);
        int in = g.alloc(22 * SUBSCRIPTION);
        for (int i = 0; i < 22; i++) fd(g, in + i * SUBSCRIPTION, i, Abi.EVENTTYPE_FD_WRITE, 1);
        int out = g.alloc(22 * EVENT);
        int n = g.alloc(4);
        assertEquals(Errno.INVAL, g.call("poll_oneoff", in, out, 22, n));
        g.ok("poll_oneoff", in, out, 21, n);
        assertEquals(21, g.i32(n));
    }

    /** Only the rights matter: stdout whose write right was dropped cannot be waited on for writing either. */
    @Test
    void aDroppedWriteRightIsEbadfAtOnce() throws Exception {
        Guest g = guest();
        g.ok("fd_fdstat_set_rights", 1, Rights.FD_FILESTAT_GET, 0L);
        int in = g.alloc(SUBSCRIPTION);
        fd(g, in, 5, Abi.EVENTTYPE_FD_WRITE, 1);
        assertEquals(Map.of(5L, Errno.BADF), poll(g, in, 1));
    }
}
