package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProcessFunctionsTest {
    @Test
    void argsAreNulTerminatedStringsBehindAnArrayOfPointers() throws Exception {
        Guest g = new Guest(WasiOptions.builder().args("prog", "the \"second\" arg", "ü").build());
        int argc = g.alloc(4);
        int size = g.alloc(4);
        g.ok("args_sizes_get", argc, size);
        assertEquals(3, g.i32(argc));
        assertEquals(5 + 17 + 3, g.i32(size));

        int argv = g.alloc(12);
        int buf = g.alloc(g.i32(size));
        g.ok("args_get", argv, buf);
        assertEquals(buf, g.i32(argv));
        assertEquals("prog\0the \"second\" arg\0ü\0", g.text(buf, 25));
        assertEquals(buf + 5, g.i32(argv + 4));
        assertEquals(buf + 22, g.i32(argv + 8));
    }

    @Test
    void environIsNameEqualsValueInInsertionOrder() throws Exception {
        Guest g = new Guest(WasiOptions.builder().env("b", "new\nline").env("a", "x").build());
        int count = g.alloc(4);
        int size = g.alloc(4);
        g.ok("environ_sizes_get", count, size);
        assertEquals(2, g.i32(count));
        assertEquals(11 + 4, g.i32(size));
        int pointers = g.alloc(8);
        int buf = g.alloc(15);
        g.ok("environ_get", pointers, buf);
        assertEquals("b=new\nline\0a=x\0", g.text(buf, 15));
        assertEquals(buf + 11, g.i32(pointers + 4));
    }

    @Test
    void noArgumentsAndNoEnvironment() throws Exception {
        Guest g = new Guest(WasiOptions.builder().build());
        int count = g.alloc(4);
        int size = g.alloc(4);
        g.ok("args_sizes_get", count, size);
        assertEquals(0, g.i32(count));
        assertEquals(0, g.i32(size));
        g.ok("environ_sizes_get", count, size);
        assertEquals(0, g.i32(count));
    }

    @Test
    void clocksTickAndHaveResolutions() throws Exception {
        Guest g = new Guest(WasiOptions.builder().build());
        int t = g.alloc(8);
        for (int id = Abi.CLOCKID_REALTIME; id <= Abi.CLOCKID_THREAD_CPUTIME_ID; id++) {
            g.ok("clock_res_get", id, t);
            assertTrue(g.i64(t) > 0, "resolution of clock " + id);
            g.ok("clock_time_get", id, 1L, t);
            assertTrue(g.i64(t) > 0, "time of clock " + id);
        }
        g.ok("clock_time_get", Abi.CLOCKID_REALTIME, 1L, t);
        long realtime = g.i64(t);
        assertTrue(Math.abs(realtime / 1_000_000 - System.currentTimeMillis()) < 5_000);

        g.ok("clock_time_get", Abi.CLOCKID_MONOTONIC, 1L, t);
        long before = g.i64(t);
        Thread.sleep(5);
        g.ok("clock_time_get", Abi.CLOCKID_MONOTONIC, 1L, t);
        assertTrue(g.i64(t) - before >= 5_000_000);

        assertEquals(Errno.INVAL, g.call("clock_time_get", 4, 1L, t));
        assertEquals(Errno.INVAL, g.call("clock_res_get", -1, t));
    }

    @Test
    void randomFillsTheBufferAndZeroLengthIsFine() throws Exception {
        Guest g = new Guest(WasiOptions.builder().build());
        int buf = g.alloc(100_000);
        g.ok("random_get", buf, 100_000);
        byte[] bytes = g.read(buf, 100_000);
        assertNotEquals(0, Arrays.hashCode(bytes));
        long zeros = 0;
        for (byte b : bytes) if (b == 0) zeros++;
        assertTrue(zeros < 1_000, "about 1 in 256 bytes are zero, not " + zeros);
        g.ok("random_get", buf, 0);
    }

    @Test
    void procExitFlushesAndThrowsWasiExit() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Guest g = new Guest(WasiOptions.builder().stdout(out).build());
        g.write(1, "bye");
        WasiExit exit = assertThrows(WasiExit.class, () -> g.call("proc_exit", 33));
        assertEquals(33, exit.exitCode());
        assertEquals("bye", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void schedYieldSucceedsAndProcRaiseIsNotSupported() throws Exception {
        Guest g = new Guest(WasiOptions.builder().build());
        g.ok("sched_yield");
        assertEquals(Errno.NOSYS, g.call("proc_raise", 9));
    }

    @Test
    void everyFunctionIsRegisteredWithAnExactHandle() throws Throwable {
        Guest g = new Guest(WasiOptions.builder().stdout(new ByteArrayOutputStream()).build());
        String[] names = {"args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
            "clock_time_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get",
            "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
            "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read",
            "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write", "path_create_directory",
            "path_filestat_get", "path_filestat_set_times", "path_link", "path_open", "path_readlink",
            "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file", "poll_oneoff", "proc_exit",
            "proc_raise", "sched_yield", "random_get", "sock_accept", "sock_recv", "sock_send", "sock_shutdown"};
        assertEquals(46, names.length);
        for (String name : names) {
            assertEquals(dev.wasm2jvm.runtime.FuncRef.methodType(g.function(name).type), g.function(name).handle().type());
        }
        int fd = 1;
        int iovs = g.iovec(g.string("x"), 1);
        int nwritten = g.alloc(4);
        int errno = (int) g.function("fd_write").handle().invokeExact(fd, iovs, 1, nwritten);
        assertEquals(0, errno);
    }

    @Test
    void badPointersAreEfault() throws Exception {
        Guest g = new Guest(WasiOptions.builder().args("a").build());
        int end = 2 * 65536;
        assertEquals(Errno.FAULT, g.call("args_sizes_get", end - 2, 0));
        assertEquals(Errno.FAULT, g.call("args_get", -4, 0));
        assertEquals(Errno.FAULT, g.call("random_get", end - 10, 11));
        assertEquals(Errno.FAULT, g.call("fd_write", 1, end - 4, 1, 0));
    }
}
