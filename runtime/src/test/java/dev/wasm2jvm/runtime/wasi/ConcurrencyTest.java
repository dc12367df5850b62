package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent fd_write calls lose no bytes and never interleave within a call. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int WRITES = 500;

    @TempDir
    Path dir;

    @Test
    void concurrentWritesToStdout() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdout(out).build());
        writeConcurrently(g, 1);
        check(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void concurrentWritesToAnAppendedFile() throws Exception {
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build());
        int fd = g.open(3, "log", Abi.OFLAGS_CREAT, Rights.FD_WRITE, 0, Abi.FDFLAGS_APPEND);
        writeConcurrently(g, fd);
        check(Files.readString(dir.resolve("log")));
    }

    @Test
    void concurrentWritesAtTheSharedOffset() throws Exception {
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build());
        int fd = g.open(3, "log", Abi.OFLAGS_CREAT, Rights.FD_WRITE, 0, 0);
        writeConcurrently(g, fd);
        check(Files.readString(dir.resolve("log")));
    }

    /**
     * Each thread writes lines made of three iovecs from its own region of guest memory: a call's
     * bytes must stay together even though they come from separate buffers.
     */
    private static void writeConcurrently(Guest g, int fd) throws Exception {
        int[] iovs = new int[THREADS];
        int[] nwritten = new int[THREADS];
        for (int t = 0; t < THREADS; t++) {
            String head = "thread " + t + " ";
            String body = ("payload-" + t).repeat(20);
            int iov = g.alloc(24);
            g.memory.writeI32(iov, g.string(head));
            g.memory.writeI32(iov + 4, head.length());
            g.memory.writeI32(iov + 8, g.string(body));
            g.memory.writeI32(iov + 12, body.length());
            g.memory.writeI32(iov + 16, g.string("\n"));
            g.memory.writeI32(iov + 20, 1);
            iovs[t] = iov;
            nwritten[t] = g.alloc(4);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < WRITES; i++) {
                        assertEquals(0, g.call("fd_write", fd, iovs[thread], 3, nwritten[thread]));
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
    }

    private static void check(String output) {
        Map<Integer, Integer> lines = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split(" ");
            int t = Integer.parseInt(parts[1]);
            assertEquals(("payload-" + t).repeat(20), parts[2], "an intact line");
            lines.merge(t, 1, Integer::sum);
        }
        for (int t = 0; t < THREADS; t++) assertEquals(WRITES, lines.get(t), "lines of thread " + t);
    }
}
