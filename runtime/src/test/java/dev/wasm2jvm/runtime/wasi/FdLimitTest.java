package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest holds at most its limit of descriptors and learns of any shortage as {@code EMFILE},
 * whether the limit is its own or the host's; opening many costs no more per open than opening few.
 */
class FdLimitTest {
    @TempDir
    Path dir;

    @Test
    void openingPastTheLimitIsEmfileAndAClosedNumberIsReused() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        // Three streams and a preopen, so six more fit under ten.
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").maxFds(10).build());
        List<Integer> opened = new ArrayList<>();
        for (int i = 0; i < 6; i++) opened.add(g.open(3, "f", 0, Rights.FD_READ, 0, 0));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), opened);

        assertEquals(Errno.MFILE, g.openErrno(3, 0, "f", 0, Rights.FD_READ));
        assertEquals(Errno.MFILE, g.openErrno(3, 0, "new", Abi.OFLAGS_CREAT, Rights.FD_READ));
        assertFalse(Files.exists(dir.resolve("new")), "a refused open creates nothing");

        g.ok("fd_close", 6);
        g.ok("fd_close", 5);
        assertEquals(5, g.open(3, "f", 0, Rights.FD_READ, 0, 0), "the lowest free number");
        assertEquals(6, g.open(3, "f", 0, Rights.FD_READ, 0, 0));
        assertEquals(Errno.MFILE, g.openErrno(3, 0, "f", 0, Rights.FD_READ));

        g.ok("fd_renumber", 9, 4);
        assertEquals(Errno.BADF, g.call("fd_close", 9));
        assertEquals(9, g.open(3, "f", 0, Rights.FD_READ, 0, 0), "renumbering freed 9");
        g.wasi.close();
    }

    @Test
    void theLimitMustBePositiveAndStreamsAndPreopensAlwaysFit() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> WasiOptions.builder().maxFds(0));
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").maxFds(2).build());
        g.ok("fd_prestat_get", 3, g.alloc(8));
        assertEquals(Errno.MFILE, g.openErrno(3, 0, ".", 0, 0));
    }

    @Test
    void acceptingPastTheLimitIsEmfileAndLeavesTheConnectionQueued() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Guest g = new Guest(WasiOptions.builder().preopenSocket(server).maxFds(4).build());
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                int accepted = g.alloc(4);
                assertEquals(Errno.MFILE, g.call("sock_accept", 3, 0, accepted));
                // With room again, the same connection is still there to accept.
                g.ok("fd_close", 2);
                g.ok("sock_accept", 3, 0, accepted);
                assertEquals(2, g.i32(accepted));
                client.write(java.nio.ByteBuffer.wrap(new byte[] {'!'}));
                assertEquals("!", g.readString(2, 10));
            }
            g.wasi.close();
        }
    }

    /**
     * A guest's open file holds one host descriptor, and closing it gives that one back: so the
     * guest limit and the host's count alike, and no file depends on {@code /proc} being mounted.
     */
    @Test
    void eachOpenFileHoldsOneHostDescriptor() throws Exception {
        var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Files.writeString(dir.resolve("f"), "x");
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build());
        // The preopen's own descriptor is opened by its first use, which this is (with a right to
        // write, which the JDK's channels leave to the native path).
        g.ok("fd_close", g.open(3, "f", 0, Rights.FD_READ | Rights.FD_WRITE, 0, 0));
        long before = os.getOpenFileDescriptorCount();
        List<Integer> opened = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            opened.add(g.open(3, "f", i % 2 == 0 ? Abi.OFLAGS_CREAT : 0, Rights.FD_READ | Rights.FD_WRITE, 0, 0));
        }
        assertEquals(before + 100, os.getOpenFileDescriptorCount(), "host descriptors after 100 opens");
        for (int fd : opened) g.ok("fd_close", fd);
        assertEquals(before, os.getOpenFileDescriptorCount(), "host descriptors after closing them");
        g.wasi.close();
    }

    /**
     * Opening many files costs as much per open at the end as at the start. The cost is measured as
     * the heap the opens allocate, which does not depend on the machine's speed or load: a table that
     * copied or scanned itself on each open allocated or worked in proportion to its size.
     */
    @Test
    void twentyThousandOpensCostTheSameEach() throws Exception {
        var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int opens = (int) Math.min(20_000, os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 200);
        assumeTrue(opens >= 8_000, "the host lets this JVM open only " + opens + " more files");
        Files.writeString(dir.resolve("f"), "x");
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").maxFds(opens + 4).build());
        int window = opens / 10;
        long[] allocatedIn = new long[10];
        try {
            for (int i = 0; i < opens; i++) {
                long before = allocated();
                g.reset();
                assertEquals(i + 4, g.open(3, "f", 0, Rights.FD_READ, 0, 0));
                allocatedIn[Math.min(i / window, 9)] += allocated() - before;
            }
            assertEquals(Errno.MFILE, g.openErrno(3, 0, "f", 0, Rights.FD_READ), "at the limit");
        } finally {
            g.wasi.close();
        }
        // The first tenth warms up the JIT; the second is the reference.
        for (int w = 2; w < 10; w++) {
            assertTrue(allocatedIn[w] < 2 * allocatedIn[1],
                    "opens " + w * window + ".." + (w + 1) * window + " allocated " + allocatedIn[w] + " bytes, against "
                            + allocatedIn[1] + " for opens " + window + ".." + 2 * window);
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * When the host runs out of descriptors before the guest reaches its own limit, the guest gets
     * {@code EMFILE} too, not {@code EIO}, whichever host call finds none left, and can open again
     * once it closes one: a failed open leaves no host descriptor behind. The host limit is
     * set low for a JVM of its own, since the one running the tests must keep its descriptors.
     */
    @Test
    void theHostRunningOutIsEmfileToo() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/f"), "x");
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n 256 && exec \"$@\"", "bash"));
        command.addAll(LargeIoTest.javaCommand(HostLimitOpener.class));
        command.add(dir.toString());
        LargeIoTest.ChildRun child = LargeIoTest.run(command);
        String out = child.out();
        String diagnostics = child.err();
        assertEquals(0, child.exit(), out + diagnostics);
        assertTrue(out.matches("errno 33 after (\\d+) opens, then errno 33 through a directory, then errno 0\\n"),
                out + diagnostics);
        int opened = Integer.parseInt(out.replaceAll("(?s)errno 33 after (\\d+) opens.*", "$1"));
        assertTrue(opened > 100 && opened < 256, out);
        assertFalse(diagnostics.contains("Exception") || diagnostics.contains("Error"), diagnostics);
    }

    /**
     * Opens the file {@code f} in the directory of its argument until that fails, then closes one
     * and opens {@code sub/f}, whose directory takes the one free host descriptor and whose file
     * then finds none, then {@code f} again, which finds the descriptor the failed open gave back.
     * Prints the three errnos.
     */
    static final class HostLimitOpener {
        public static void main(String[] args) throws Exception {
            Guest g = new Guest(WasiOptions.builder().preopenDirectory(Path.of(args[0]), "d").maxFds(1_000_000).build());
            // Bound before the host runs out, as a module's imports are when it is instantiated: a
            // function's classes are loaded when it is first bound, from the class path's folders here.
            g.function("path_open");
            g.function("fd_close");
            int result = g.alloc(4);
            int opens = 0;
            int errno;
            while ((errno = g.call("path_open", 3, 0, g.string("f"), 1, 0, Rights.FD_READ, 0L, 0, result)) == 0) {
                opens++;
                g.reset();
                result = g.alloc(4);
            }
            int last = 3 + opens;
            g.call("fd_close", last);
            int throughDirectory = g.call("path_open", 3, 0, g.string("sub/f"), 5, 0, Rights.FD_READ, 0L, 0, result);
            int again = g.call("path_open", 3, 0, g.string("f"), 1, 0, Rights.FD_READ, 0L, 0, result);
            System.out.print("errno " + errno + " after " + opens + " opens, then errno " + throughDirectory
                    + " through a directory, then errno " + again + "\n");
        }
    }
}
