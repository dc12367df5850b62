package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code wasi_unstable} functions write and read snapshot 0's layouts and values, byte for
 * byte, where they differ from preview 1's, and are preview 1's own functions where they do not.
 */
class WasiSnapshot0Test {
    private static final String UNSTABLE = WasiPreview1.SNAPSHOT_0_MODULE;
    private static final int PREOPEN = 3;
    private static final long RW = Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL
            | Rights.FD_FILESTAT_GET;
    private static final byte UNTOUCHED = (byte) 0xa5;

    private static final int WHENCE_CUR = 0;
    private static final int WHENCE_END = 1;
    private static final int WHENCE_SET = 2;

    @TempDir
    Path dir;

    Guest g;
    Imports imports = new Imports();

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("file.txt"), "hello world");
        g = new Guest(WasiOptions.builder().preopenDirectory(dir, ".").stdout(new ByteArrayOutputStream()).build());
        g.wasi.addTo(imports);
    }

    private int call(String module, String name, Object... args) {
        return call(imports, module, name, args);
    }

    private static int call(Imports imports, String module, String name, Object... args) {
        try {
            return (int) ((FuncRef) imports.get(module, name)).handle().invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private int unstable(String name, Object... args) {
        return call(UNSTABLE, name, args);
    }

    /** {@code length} bytes of guest memory filled with a pattern, to see what a function leaves alone. */
    private int filled(int length) {
        return filled(g, length);
    }

    private static int filled(Guest g, int length) {
        int at = g.alloc(length);
        byte[] pattern = new byte[length];
        Arrays.fill(pattern, UNTOUCHED);
        g.memory.writeBytes(at, pattern, 0, length);
        return at;
    }

    @Test
    void providesEverySnapshot0FunctionWithPreview1sOwnWhereTheAbisAgree() {
        Map<String, FuncRef> snapshot0 = new TreeMap<>();
        Map<String, FuncRef> preview1 = new TreeMap<>();
        for (String name : new String[] {"args_get", "args_sizes_get", "environ_get", "environ_sizes_get",
                "clock_res_get", "clock_time_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync",
                "fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get",
                "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name",
                "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
                "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link", "path_open",
                "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file",
                "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_recv", "sock_send",
                "sock_shutdown"}) {
            snapshot0.put(name, (FuncRef) imports.get(UNSTABLE, name));
            preview1.put(name, (FuncRef) imports.get(WasiPreview1.MODULE, name));
        }
        assertEquals(45, snapshot0.size());
        assertNull(imports.get(UNSTABLE, "sock_accept"), "snapshot 0 has no sock_accept");
        for (String name : snapshot0.keySet()) {
            FuncRef function = snapshot0.get(name);
            assertEquals(preview1.get(name).type, function.type, name);
            boolean adapted = Arrays.asList("fd_fdstat_get", "fd_fdstat_set_rights", "fd_filestat_get", "fd_seek",
                    "path_filestat_get", "poll_oneoff").contains(name);
            if (!adapted) assertSame(preview1.get(name), function, name);
        }
    }

    /** Preview 1's {@code filestat} (64 bytes) as snapshot 0 lays it out: {@code nlink} a u32 at 20, 56 bytes. */
    private static byte[] snapshot0Filestat(byte[] preview1) {
        ByteBuffer from = ByteBuffer.wrap(preview1).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer to = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        to.putLong(0, from.getLong(0)).putLong(8, from.getLong(8)).put(16, from.get(16));
        to.putInt(20, (int) from.getLong(24));
        for (int field = 0; field < 4; field++) to.putLong(24 + 8 * field, from.getLong(32 + 8 * field));
        return to.array();
    }

    @Test
    void fdFilestatGetWritesSnapshot0sLayout() {
        int fd = g.open(PREOPEN, "file.txt", 0, RW, 0, 0);
        int preview1 = g.alloc(64);
        g.ok("fd_filestat_get", fd, preview1);
        byte[] expected = snapshot0Filestat(g.read(preview1, 64));
        int buf = filled(64);

        assertEquals(0, unstable("fd_filestat_get", fd, buf));

        assertArrayEquals(expected, g.read(buf, 56));
        assertEquals(Abi.FILETYPE_REGULAR_FILE, g.read(buf + 16, 1)[0]);
        assertArrayEquals(new byte[3], g.read(buf + 17, 3), "padding is zeroed");
        assertEquals(1, g.i32(buf + 20), "nlink");
        assertEquals(11, g.i64(buf + 24), "size");
        assertTrue(g.i64(buf + 40) > 1_000_000_000_000_000_000L, "mtim is a time of this century");
        assertArrayEquals(new byte[] {UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED,
                UNTOUCHED}, g.read(buf + 56, 8), "nothing is written past the 56 bytes");
        assertEquals(Errno.BADF, unstable("fd_filestat_get", 99, buf));
        assertEquals(Errno.FAULT, unstable("fd_filestat_get", fd, (int) g.memory.segment().byteSize() - 55));
    }

    @Test
    void pathFilestatGetWritesSnapshot0sLayout() throws IOException {
        Files.createLink(dir.resolve("second-name.txt"), dir.resolve("file.txt"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("file.txt"));
        int preview1 = g.alloc(64);
        g.ok("path_filestat_get", PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, g.string("link"), 4, preview1);
        byte[] expected = snapshot0Filestat(g.read(preview1, 64));
        int buf = filled(64);

        assertEquals(0, unstable("path_filestat_get", PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, g.string("link"), 4, buf));

        assertArrayEquals(expected, g.read(buf, 56));
        assertEquals(2, g.i32(buf + 20), "nlink of a file with two names");
        assertEquals(11, g.i64(buf + 24), "size of the file linked to");
        assertEquals(UNTOUCHED, g.read(buf + 56, 1)[0]);

        assertEquals(0, unstable("path_filestat_get", PREOPEN, 0, g.string("link"), 4, buf));
        assertEquals(Abi.FILETYPE_SYMBOLIC_LINK, g.read(buf + 16, 1)[0]);
        assertEquals(8, g.i64(buf + 24), "size of the link itself");
        assertEquals(Errno.NOENT, unstable("path_filestat_get", PREOPEN, 0, g.string("missing"), 7, buf));
        assertEquals(Errno.PERM, unstable("path_filestat_get", PREOPEN, 0, g.string("../x"), 4, buf));
    }

    @Test
    void pathFilestatGetChecksTheDescriptorBeforeThePathAsPreview1Does() {
        int outside = (int) g.memory.segment().byteSize() - 2;
        int buf = g.alloc(56);
        for (String module : new String[] {WasiPreview1.MODULE, UNSTABLE}) {
            assertEquals(Errno.BADF, call(module, "path_filestat_get", 99, 0, outside, 4, buf), module);
            assertEquals(Errno.FAULT, call(module, "path_filestat_get", PREOPEN, 0, outside, 4, buf), module);
            assertEquals(Errno.FAULT, call(module, "path_filestat_get", PREOPEN, 0, g.string("file.txt"), 8,
                    (int) g.memory.segment().byteSize() - 8), module);
        }
    }

    @Test
    void fdSeekNumbersWhenceCurEndSet() {
        int fd = g.open(PREOPEN, "file.txt", 0, RW, 0, 0);
        int offset = g.alloc(8);

        assertEquals(0, unstable("fd_seek", fd, 6L, WHENCE_SET, offset));
        assertEquals(6, g.i64(offset));
        assertEquals(0, unstable("fd_seek", fd, 2L, WHENCE_CUR, offset));
        assertEquals(8, g.i64(offset));
        assertEquals(0, unstable("fd_seek", fd, -5L, WHENCE_END, offset));
        assertEquals(6, g.i64(offset));
        assertEquals("world", g.readString(fd, 100));
        assertEquals(Errno.INVAL, unstable("fd_seek", fd, 0L, 3, offset));
        assertEquals(Errno.INVAL, unstable("fd_seek", fd, -1L, WHENCE_SET, offset));
        assertEquals(call(WasiPreview1.MODULE, "fd_seek", 1, 0L, Abi.WHENCE_END, offset),
                unstable("fd_seek", 1, 0L, WHENCE_END, offset), "a stream cannot seek");
    }

    @Test
    void fdSeekByNothingFromTheCurrentOffsetNeedsOnlyTheTellRight() {
        int fd = g.open(PREOPEN, "file.txt", 0, Rights.FD_READ | Rights.FD_TELL, 0, 0);
        int offset = g.alloc(8);
        g.readString(fd, 5);

        assertEquals(0, unstable("fd_seek", fd, 0L, WHENCE_CUR, offset));
        assertEquals(5, g.i64(offset));
        assertEquals(Errno.BADF, unstable("fd_seek", fd, 0L, WHENCE_SET, offset), "as preview 1 lacking a right");
        assertEquals(Errno.BADF, unstable("fd_seek", fd, 1L, WHENCE_CUR, offset));
    }

    /** A snapshot 0 clock subscription: userdata, tag, identifier at 16, id at 24, timeout at 32, flags at 48. */
    private void clock(int at, long userdata, long identifier, int id, long timeout, int flags) {
        g.memory.writeI64(at, userdata);
        g.memory.writeBytes(at + 8, new byte[] {Abi.EVENTTYPE_CLOCK}, 0, 1);
        g.memory.writeI64(at + 16, identifier);
        g.memory.writeI32(at + 24, id);
        g.memory.writeI64(at + 32, timeout);
        g.memory.writeI64(at + 40, 0);
        g.memory.writeBytes(at + 48, new byte[] {(byte) flags, 0}, 0, 2);
    }

    private void fd(int at, long userdata, byte type, int fd) {
        g.memory.writeI64(at, userdata);
        g.memory.writeBytes(at + 8, new byte[] {type}, 0, 1);
        g.memory.writeI32(at + 16, fd);
    }

    private static byte[] event(long userdata, int error, byte type, long nbytes) {
        ByteBuffer event = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        event.putLong(0, userdata).putShort(8, (short) error).put(10, type).putLong(16, nbytes);
        return event.array();
    }

    @Test
    void pollOneoffReadsClockSubscriptionsWithTheirIdentifier() {
        int in = g.alloc(2 * 56);
        int out = filled(2 * 32);
        int n = g.alloc(4);
        // Realtime 10^18 ns is in 2001: as an absolute time (flags at 48) it has passed. Were the
        // flags read elsewhere, it would be a wait of 31 years.
        clock(in, 7, -1L, Abi.CLOCKID_REALTIME, 1_000_000_000_000_000_000L, Abi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
        clock(in + 56, 8, 0x1234, Abi.CLOCKID_MONOTONIC, Long.MAX_VALUE / 8, 0);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals(0, unstable("poll_oneoff", in, out, 2, n)));

        assertEquals(1, g.i32(n));
        assertArrayEquals(event(7, 0, Abi.EVENTTYPE_CLOCK, 0), g.read(out, 32));
        assertEquals(UNTOUCHED, g.read(out + 32, 1)[0], "one event only");
    }

    @Test
    void pollOneoffWaitsForARelativeTimeout() {
        int in = g.alloc(56);
        int out = g.alloc(32);
        int n = g.alloc(4);
        clock(in, 42, 0, Abi.CLOCKID_MONOTONIC, 50_000_000, 0);
        long start = System.nanoTime();

        assertEquals(0, unstable("poll_oneoff", in, out, 1, n));

        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 50_000_000 && elapsed < 5_000_000_000L, "waited " + elapsed);
        assertArrayEquals(event(42, 0, Abi.EVENTTYPE_CLOCK, 0), g.read(out, 32));
    }

    @Test
    void pollOneoffReportsDescriptorsAtSnapshot0sStride() {
        int in = g.alloc(3 * 56);
        int out = filled(3 * 32);
        int n = g.alloc(4);
        clock(in, 1, 0, Abi.CLOCKID_MONOTONIC, Long.MAX_VALUE / 8, 0);
        fd(in + 56, 2, Abi.EVENTTYPE_FD_WRITE, 1);
        fd(in + 112, 3, Abi.EVENTTYPE_FD_READ, 99);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals(0, unstable("poll_oneoff", in, out, 3, n)));

        assertEquals(2, g.i32(n));
        assertArrayEquals(event(2, 0, Abi.EVENTTYPE_FD_WRITE, 0), g.read(out, 32));
        assertArrayEquals(event(3, Errno.BADF, Abi.EVENTTYPE_FD_READ, 0), g.read(out + 32, 32));
        assertEquals(UNTOUCHED, g.read(out + 64, 1)[0]);
    }

    /**
     * A count of subscriptions whose arrays fit in the guest's memory but that preview 1 refuses
     * ({@code EINVAL}, more than two a descriptor the guest may hold) is refused before the
     * translation into a scratch memory, which would otherwise be some 1.4 times the guest's
     * memory (here 230 MB written of a 383 MB memory) for one call.
     */
    @Test
    void pollOneoffRefusesAHugeCountBeforeTranslatingIt() throws Exception {
        Guest big = new Guest(WasiOptions.builder().build(), 4096);
        Imports bigImports = new Imports();
        big.wasi.addTo(bigImports);
        int n = (int) (big.memory.segment().byteSize() / 56);
        long before = residentBytes();
        assertEquals(Errno.INVAL, call(bigImports, UNSTABLE, "poll_oneoff", 0, 0, n, 0));
        long grown = residentBytes() - before;
        assertTrue(grown < 64 << 20, "resident memory grew by " + grown + " bytes");
    }

    /** This process's resident memory, from {@code /proc/self/status}. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    @Test
    void pollOneoffRefusesWhatPreview1Refuses() {
        int in = g.alloc(56);
        int out = g.alloc(32);
        int n = g.alloc(4);
        int end = (int) g.memory.segment().byteSize();
        fd(in, 1, (byte) 3, 1);
        assertEquals(Errno.INVAL, unstable("poll_oneoff", in, out, 1, n), "unknown event type");
        assertEquals(Errno.INVAL, unstable("poll_oneoff", in, out, 0, n), "no subscription");
        assertEquals(Errno.INVAL, unstable("poll_oneoff", end, end, 0, end), "no subscription, before any pointer");
        clock(in, 1, 0, Abi.CLOCKID_MONOTONIC, 0, 0);
        assertEquals(Errno.FAULT, unstable("poll_oneoff", end - 48, out, 1, n), "subscriptions are 56 bytes");
        assertEquals(Errno.FAULT, unstable("poll_oneoff", in, end - 16, 1, n));
        assertEquals(Errno.FAULT, unstable("poll_oneoff", in, out, 1, end - 2));
        clock(in, 1, 0, 9, 0, 0);
        assertEquals(Errno.INVAL, unstable("poll_oneoff", in, out, 1, n), "unknown clock");
    }

    @Test
    void rightsEndAtSockShutdown() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Guest sockets = new Guest(WasiOptions.builder().preopenSocket(server).build());
            Imports own = new Imports();
            sockets.wasi.addTo(own);
            int listener = 3;
            int preview1 = sockets.alloc(24);
            sockets.ok("fd_fdstat_get", listener, preview1);
            assertEquals(Rights.LISTENING_SOCKET, sockets.i64(preview1 + 8));
            int buf = filled(sockets, 32);

            assertEquals(0, call(own, UNSTABLE, "fd_fdstat_get", listener, buf));

            assertArrayEquals(sockets.read(preview1, 8), sockets.read(buf, 8));
            assertEquals(Rights.LISTENING_SOCKET & ~Rights.SOCK_ACCEPT, sockets.i64(buf + 8));
            assertEquals(0, sockets.i64(buf + 16));
            assertEquals(UNTOUCHED, sockets.read(buf + 24, 1)[0]);

            // Setting what snapshot 0 sees keeps sock_accept, which it cannot name.
            assertEquals(0, call(own, UNSTABLE, "fd_fdstat_set_rights", listener, sockets.i64(buf + 8), 0L));
            sockets.ok("fd_fdstat_get", listener, preview1);
            assertEquals(Rights.LISTENING_SOCKET, sockets.i64(preview1 + 8));
            assertEquals(Errno.INVAL, call(own, UNSTABLE, "fd_fdstat_set_rights", listener, Rights.SOCK_ACCEPT, 0L));
            assertEquals(0, call(own, UNSTABLE, "fd_fdstat_set_rights", listener, Rights.SOCK_SHUTDOWN, 0L));
            sockets.ok("fd_fdstat_get", listener, preview1);
            assertEquals(Rights.SOCK_SHUTDOWN | Rights.SOCK_ACCEPT, sockets.i64(preview1 + 8));
            assertEquals(Errno.NOTCAPABLE, call(own, UNSTABLE, "fd_fdstat_set_rights", listener, Rights.FD_READ, 0L));
            assertEquals(Errno.BADF, call(own, UNSTABLE, "fd_fdstat_set_rights", 99, 0L, 0L));
            sockets.wasi.close();
        }
    }

    @Test
    void directoryAndFileFdstatsAreAsInPreview1() {
        int fd = g.open(PREOPEN, "file.txt", 0, RW, 0, Abi.FDFLAGS_APPEND);
        for (int descriptor : new int[] {0, 1, PREOPEN, fd}) {
            int preview1 = g.alloc(24);
            int snapshot0 = g.alloc(24);
            g.ok("fd_fdstat_get", descriptor, preview1);
            assertEquals(0, unstable("fd_fdstat_get", descriptor, snapshot0));
            assertArrayEquals(g.read(preview1, 24), g.read(snapshot0, 24), "fd " + descriptor);
        }
        assertEquals(Errno.BADF, unstable("fd_fdstat_get", 99, g.alloc(24)));
    }

    @Test
    void sharesDescriptorsWithPreview1() throws IOException {
        int opened = g.alloc(4);
        assertEquals(0, unstable("path_open", PREOPEN, 0, g.string("new.txt"), 7, Abi.OFLAGS_CREAT, RW, 0L, 0, opened));
        int fd = g.i32(opened);
        assertEquals(5, g.write(fd, "hello"));
        int nwritten = g.alloc(4);
        assertEquals(0, unstable("fd_write", fd, g.iovec(g.string(" world"), 6), 1, nwritten));
        g.ok("fd_close", fd);
        assertEquals(Errno.BADF, unstable("fd_close", fd));
        assertEquals("hello world", Files.readString(dir.resolve("new.txt")));
    }

    @Test
    void pollsFromManyThreadsAtOnce() throws Exception {
        Thread[] threads = new Thread[8];
        String[] failures = new String[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int in = g.alloc(56);
            int out = g.alloc(32);
            int n = g.alloc(4);
            long userdata = 100 + t;
            clock(in, userdata, 0, Abi.CLOCKID_MONOTONIC, 20_000_000, 0);
            int index = t;
            threads[t] = new Thread(() -> {
                for (int round = 0; round < 5 && failures[index] == null; round++) {
                    int errno = unstable("poll_oneoff", in, out, 1, n);
                    if (errno != 0 || g.i32(n) != 1 || g.i64(out) != userdata) {
                        failures[index] = "errno " + errno + ", " + g.i32(n) + " events, userdata " + g.i64(out);
                    }
                }
            });
        }
        for (Thread thread : threads) thread.start();
        for (Thread thread : threads) thread.join(10_000);
        assertArrayEquals(new String[threads.length], failures);
    }
}
