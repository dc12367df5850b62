package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.wasm2jvm.runtime.internal.Syscall;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A preopen's directory is held from the start and opened for the guest on its first use; the
 * attacks on that (a preopen replaced before its first use) are in {@link SandboxEscapeTest}. A
 * host fd closed while a call uses it stays open until that call ends.
 */
class HostFdTest {
    private static final UnixOperatingSystemMXBean OS =
            (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @TempDir
    Path dir;

    /**
     * A preopen holds its directory open until its first use; one the guest closes before using
     * any gives back what held it, and so does the end of a host whose preopens were never used.
     */
    @Test
    void aPreopenNeverUsedHoldsOneDescriptorUntilClosed() throws Exception {
        // Once, so that the classes this loads are loaded before the counting starts.
        new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build()).wasi.close();
        long before = OS.getOpenFileDescriptorCount();
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build());
        assertTrue(OS.getOpenFileDescriptorCount() > before, "an unused preopen holds its directory");
        g.ok("fd_close", 3);
        assertEquals(before, OS.getOpenFileDescriptorCount(), "host descriptors once it is closed");
        g.wasi.close();

        Guest unused = new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build());
        unused.wasi.close();
        assertEquals(before, OS.getOpenFileDescriptorCount(), "host descriptors once the host is closed");
    }

    /** Once used, a preopen holds its own descriptor only, whichever of several was used first. */
    @Test
    void theFirstUseOfAnyPreopenOpensAllAndLetsGoOfWhatHeldThem() throws Exception {
        Files.createDirectory(dir.resolve("a"));
        Files.writeString(dir.resolve("a/f"), "a");
        Files.createDirectory(dir.resolve("b"));
        Files.writeString(dir.resolve("b/f"), "b");
        new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build()).wasi.close();
        long before = OS.getOpenFileDescriptorCount();
        Guest g = new Guest(WasiOptions.builder().preopenDirectory(dir.resolve("a"), "a")
                .preopenDirectory(dir.resolve("b"), "b").build());
        // With a right to write, which the JDK's channels leave to the native path (ChannelFilesTest).
        assertEquals("b", g.readString(g.open(4, "f", 0, Rights.FD_READ | Rights.FD_WRITE, 0, 0), 4));
        // Two preopens and the file just opened.
        assertEquals(before + 3, OS.getOpenFileDescriptorCount(), "host descriptors after the first use");
        assertEquals("a", g.readString(g.open(3, "f", 0, Rights.FD_READ, 0, 0), 4));
        g.wasi.close();
        assertEquals(before, OS.getOpenFileDescriptorCount(), "host descriptors once the host is closed");
    }

    /** Preopened directories are supported exactly where the system calls they act through are available. */
    @Test
    void preopensAreSupportedWhereTheSystemCallsAreAvailable() {
        assertEquals(Syscall.AVAILABLE, HostFd.nativeSupported());
    }

    /**
     * A guest that has preopens but never uses them, whatever else it asks of them (their names,
     * their type, closing one), makes the JVM link no native call, nor load the class that makes
     * them: linking the first costs a program's start more than a tenth of a second. Checked in a JVM of its own, which reports the
     * classes it loads.
     */
    @Test
    void nothingIsLinkedUntilAPreopenIsUsed() throws Exception {
        List<String> command = LargeIoTest.javaCommand(UnusedPreopens.class, "-Xlog:class+load=info:stderr");
        command.add(dir.toString());
        LargeIoTest.ChildRun child = LargeIoTest.run(command);
        String classes = child.err();
        assertEquals(0, child.exit(), child.out() + classes);
        assertEquals("d 0 3 0\n", child.out().replaceAll("(?m)^\\[.*\\n", ""), classes);
        assertTrue(classes.contains("dev.wasm2jvm.runtime.wasi.HostFd "), "the child ran the host");
        assertFalse(classes.contains("jdk.internal.foreign.abi.DowncallLinker "), "a downcall was linked");
        assertFalse(classes.contains("dev.wasm2jvm.runtime.internal.Syscall "), "the system call's class was loaded");
        assertFalse(classes.contains("dev.wasm2jvm.runtime.wasi.LinuxFs "), "the file system's calls were loaded");
    }

    /**
     * Asks for the name of its argument's preopen, its file type, then closes it, and prints the
     * name and the three errnos.
     */
    static final class UnusedPreopens {
        public static void main(String[] args) throws Exception {
            Guest g = new Guest(WasiOptions.builder().preopenDirectory(Path.of(args[0]), "d").build());
            int name = g.alloc(1);
            g.ok("fd_prestat_dir_name", 3, name, 1);
            int stat = g.alloc(24);
            int fdstat = g.call("fd_fdstat_get", 3, stat);
            int filetype = g.read(stat, 1)[0];
            int closed = g.call("fd_close", 3);
            g.wasi.close();
            System.out.print(g.text(name, 1) + " " + fdstat + " " + filetype + " " + closed + "\n");
        }
    }

    /**
     * A read of two buffers from a FIFO, closed by another thread while the read waits for its
     * first buffer: another file opened then must not take the closed number, which the read's
     * second system call still uses, so that call reads the FIFO (here its end), never the other file.
     */
    @Test
    void aCloseDuringAReadLeavesTheReadItsOwnFile() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path other = Files.writeString(dir.resolve("other"), "o".repeat(64));
        int fd = LinuxFs.check(LinuxFs.openat(LinuxFs.AT_FDCWD, fifo.toString(),
                LinuxFs.O_RDONLY | LinuxFs.O_NONBLOCK | LinuxFs.O_CLOEXEC, 0));
        LinuxFs.check(LinuxFs.setBlocking(fd));
        FileDescriptor file = new FileDescriptor(new HostFd(fd), Abi.FILETYPE_CHARACTER_DEVICE, false, Rights.FD_READ, 0, 0);
        ByteBuffer first = ByteBuffer.allocateDirect(8);
        ByteBuffer second = ByteBuffer.allocateDirect(8);
        long[] read = new long[1];
        Thread reader = new Thread(() -> read[0] = file.read(new ByteBuffer[] {first, second}));
        try (FileOutputStream writer = new FileOutputStream(fifo.toFile())) {
            reader.start();
            // The reader is in its first read(2) once it waits in native code for the FIFO.
            while (reader.getState() != Thread.State.RUNNABLE || !inRead(reader)) Thread.onSpinWait();
            file.close();
            int otherFd = LinuxFs.check(LinuxFs.openat(LinuxFs.AT_FDCWD, other.toString(),
                    LinuxFs.O_RDONLY | LinuxFs.O_CLOEXEC, 0));
            try {
                assertNotEquals(fd, otherFd, "the number of a descriptor still in use was reused");
                writer.write("ffffffff".getBytes(StandardCharsets.ISO_8859_1));
                writer.flush();
            } finally {
                writer.close();
                reader.join();
                LinuxFs.close(otherFd);
            }
        }
        assertEquals(8, read[0], "the first buffer, then the FIFO's end");
        assertEquals("ffffffff", text(first));
        assertEquals("\0".repeat(8), text(second), "the second buffer");
        assertThrows(WasiError.class, () -> file.read(new ByteBuffer[] {ByteBuffer.allocateDirect(1)}));
    }

    /** The bytes of {@code buffer}, which a read fills without moving its position. */
    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.get(0, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code thread} is inside {@link LinuxFs#transfer}, where it waits in read(2). */
    private static boolean inRead(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(LinuxFs.class.getName()) && frame.getMethodName().equals("transfer")) {
                return true;
            }
        }
        return false;
    }
}
