package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.WasmTrap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PollAndStdinTest {
    private static final int SUBSCRIPTION = 48;
    private static final int EVENT = 32;

    private static void clock(Guest g, int at, long userdata, long timeoutNanos) {
        g.memory.writeI64(at, userdata);
        g.memory.writeBytes(at + 8, new byte[] {Abi.EVENTTYPE_CLOCK}, 0, 1);
        g.memory.writeI32(at + 16, Abi.CLOCKID_MONOTONIC);
        g.memory.writeI64(at + 24, timeoutNanos);
        g.memory.writeI64(at + 32, 0);
        g.memory.writeI32(at + 40, 0);
    }

    private static void fd(Guest g, int at, long userdata, byte type, int fd) {
        g.memory.writeI64(at, userdata);
        g.memory.writeBytes(at + 8, new byte[] {type}, 0, 1);
        g.memory.writeI32(at + 16, fd);
    }

    @Test
    void clockSubscriptionWaitsForItsTimeout() throws Exception {
        Guest g = new Guest(WasiOptions.builder().build());
        int in = g.alloc(SUBSCRIPTION);
        int out = g.alloc(EVENT);
        int n = g.alloc(4);
        clock(g, in, 42, 50_000_000);
        long start = System.nanoTime();
        g.ok("poll_oneoff", in, out, 1, n);
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 50_000_000, "waited " + elapsed);
        assertTrue(elapsed < 5_000_000_000L, "waited " + elapsed);
        assertEquals(1, g.i32(n));
        assertEquals(42, g.i64(out));
        assertEquals(0, g.memory.readI32(out + 8) & 0xffff);
        assertEquals(Abi.EVENTTYPE_CLOCK, g.read(out + 10, 1)[0]);
        assertEquals(Errno.INVAL, g.call("poll_oneoff", in, out, 0, n));
    }

    @Test
    void absoluteClockDeadlineInThePastFiresAtOnce() throws Exception {
        Guest g = new Guest(WasiOptions.builder().build());
        int in = g.alloc(SUBSCRIPTION);
        clock(g, in, 1, 0);
        g.memory.writeI32(in + 40, Abi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
        int n = g.alloc(4);
        g.ok("poll_oneoff", in, g.alloc(EVENT), 1, n);
        assertEquals(1, g.i32(n));
    }

    @Test
    void stdoutAndStderrAreWritableAndABadFdIsReported() throws Exception {
        Guest g = new Guest(WasiOptions.builder().stdout(new ByteArrayOutputStream()).stderr(new ByteArrayOutputStream())
                .stdin(new PipedInputStream(new PipedOutputStream())).build());
        int in = g.alloc(4 * SUBSCRIPTION);
        fd(g, in, 1, Abi.EVENTTYPE_FD_WRITE, 1);
        fd(g, in + SUBSCRIPTION, 2, Abi.EVENTTYPE_FD_WRITE, 2);
        fd(g, in + 2 * SUBSCRIPTION, 3, Abi.EVENTTYPE_FD_READ, 0);
        clock(g, in + 3 * SUBSCRIPTION, 4, 10_000_000_000L);
        int out = g.alloc(4 * EVENT);
        int n = g.alloc(4);
        g.ok("poll_oneoff", in, out, 4, n);
        assertEquals(2, g.i32(n), "stdin has no input yet, and the clock is far");
        assertEquals(1, g.i64(out));
        assertEquals(2, g.i64(out + EVENT));

        fd(g, in, 9, Abi.EVENTTYPE_FD_READ, 99);
        g.ok("poll_oneoff", in, out, 1, n);
        assertEquals(1, g.i32(n));
        assertEquals(Errno.BADF, g.memory.readI32(out + 8) & 0xffff);
    }

    @Test
    void pollWakesWhenStdinGetsInputAndReadReturnsIt() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdin(new PipedInputStream(feed)).build());
        int in = g.alloc(2 * SUBSCRIPTION);
        fd(g, in, 7, Abi.EVENTTYPE_FD_READ, 0);
        clock(g, in + SUBSCRIPTION, 8, 10_000_000_000L);
        int out = g.alloc(2 * EVENT);
        int n = g.alloc(4);
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(50);
                feed.write("input\n".getBytes(StandardCharsets.UTF_8));
                feed.flush();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.nanoTime();
        g.ok("poll_oneoff", in, out, 2, n);
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        assertEquals(1, g.i32(n));
        assertEquals(7, g.i64(out));
        assertEquals(Abi.EVENTTYPE_FD_READ, g.read(out + 10, 1)[0]);
        assertTrue(g.i64(out + 16) > 0, "nbytes");
        assertEquals("input\n", g.readString(0, 100));
        feed.close();
        assertEquals("", g.readString(0, 100), "end of input");
    }

    @Test
    void stdinReadsWhatTheStreamHas() throws Exception {
        Guest g = new Guest(WasiOptions.builder().stdin(new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)))
                .build());
        assertEquals("ab", g.readString(0, 2));
        assertEquals("c", g.readString(0, 2));
        assertEquals("", g.readString(0, 2));
        assertEquals(Errno.BADF, g.call("fd_write", 0, g.iovec(g.string("x"), 1), 1, g.alloc(4)));
    }

    @Test
    void interruptingABlockedReadOrPollTraps() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdin(new PipedInputStream(feed)).build());
        int buf = g.alloc(10);
        int iov = g.iovec(buf, 10);
        int nread = g.alloc(4);
        int in = g.alloc(SUBSCRIPTION);
        clock(g, in, 1, 60_000_000_000L);
        int out = g.alloc(EVENT);
        int n = g.alloc(4);
        for (Runnable blocked : new Runnable[] {
            () -> g.call("fd_read", 0, iov, 1, nread),
            () -> g.call("poll_oneoff", in, out, 1, n)
        }) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    blocked.run();
                } catch (Throwable e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            Thread.sleep(50);
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(5));
            assertTrue(!t.isAlive(), "stopped promptly");
            assertTrue(thrown.get() instanceof WasmTrap, "trapped: " + thrown.get());
            assertEquals("interrupted", thrown.get().getMessage());
            assertTrue(stillInterrupted.get());
        }
        // Input that arrives afterwards is still there for the next read.
        feed.write('z');
        feed.flush();
        assertEquals("z", g.readString(0, 10));
        assertThrows(WasmTrap.class, () -> {
            Thread.currentThread().interrupt();
            try {
                g.call("poll_oneoff", in, out, 1, n);
            } finally {
                Thread.interrupted();
            }
        });
    }
}
