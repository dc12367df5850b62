package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files a guest reads by a plain name from a preopen it has not used otherwise, which the JDK's
 * channels open and read ({@link ChannelFiles}): they behave as files opened natively, and the
 * sandbox holds as on the native path.
 */
class ChannelFilesTest {
    private static final long READING = Rights.FD_READ | Rights.FD_SEEK | Rights.FD_TELL | Rights.FD_FILESTAT_GET;
    private static final int PREOPEN = 3;

    @TempDir
    Path dir;

    private Guest guest() throws IOException {
        return new Guest(WasiOptions.builder().preopenDirectory(dir, "d").build());
    }

    private static byte[] hundredBytes() {
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        return data;
    }

    /**
     * What {@code fd_filestat_get} writes but the access time (which reading may move), and the
     * results of a run of reads, seeks and tells.
     */
    private static List<String> transcript(Guest g, int fd) {
        int stat = g.alloc(64);
        g.ok("fd_filestat_get", fd, stat);
        String status = Arrays.toString(g.read(stat, 40)) + Arrays.toString(g.read(stat + 48, 16));
        int position = g.alloc(8);
        String first = g.readString(fd, 10);
        g.ok("fd_seek", fd, 50L, Abi.WHENCE_SET, position);
        long afterSet = g.i64(position);
        g.ok("fd_seek", fd, -5L, Abi.WHENCE_CUR, position);
        long afterCur = g.i64(position);
        String atCur = g.readString(fd, 3) + " " + scattered(g, fd);
        g.ok("fd_tell", fd, position);
        long told = g.i64(position);
        g.ok("fd_seek", fd, -1L, Abi.WHENCE_END, position);
        long afterEnd = g.i64(position);
        String last = g.readString(fd, 10);
        int beforeStart = g.call("fd_seek", fd, -200L, Abi.WHENCE_END, position);
        g.ok("fd_seek", fd, 1000L, Abi.WHENCE_SET, position);
        String pastEnd = g.readString(fd, 10);
        int buf = g.alloc(10);
        int nread = g.alloc(4);
        g.ok("fd_pread", fd, g.iovec(buf, 10), 1, 95L, nread);
        String preadTail = Arrays.toString(g.read(buf, g.i32(nread)));
        int negative = g.call("fd_pread", fd, g.iovec(buf, 10), 1, -1L, nread);
        int written = g.call("fd_write", fd, g.iovec(buf, 1), 1, nread);
        return List.of(status, first, afterSet + " " + afterCur + " " + told + " " + afterEnd, atCur, last,
                "errno " + beforeStart, pastEnd, preadTail, "errno " + negative, "write errno " + written);
    }

    /** A read into two buffers, of 2 and 3 bytes, as it fills them, then the count it reports. */
    private static String scattered(Guest g, int fd) {
        int buffers = g.alloc(10);
        int iovs = g.alloc(16);
        g.memory.writeI32(iovs, buffers);
        g.memory.writeI32(iovs + 4, 2);
        g.memory.writeI32(iovs + 8, buffers + 5);
        g.memory.writeI32(iovs + 12, 3);
        int nread = g.alloc(4);
        g.ok("fd_read", fd, iovs, 2, nread);
        return Arrays.toString(g.read(buffers, 2)) + Arrays.toString(g.read(buffers + 5, 3)) + " " + g.i32(nread);
    }

    @Test
    void readsPositionsAndStatusAreThoseOfTheNativePath() throws IOException {
        Files.write(dir.resolve("f"), hundredBytes());
        Guest g = guest();
        int channelFile = g.open(PREOPEN, "./f", 0, READING, 0, 0);
        List<String> throughChannel = transcript(g, channelFile);
        // A right to write takes the native path, which from then on serves every open.
        int nativeFile = g.open(PREOPEN, "f", 0, READING | Rights.FD_WRITE, 0, 0);
        g.ok("fd_close", g.open(PREOPEN, "f", 0, READING | Rights.FD_WRITE, 0, 0));
        List<String> throughNative = transcript(g, g.open(PREOPEN, "f", 0, READING, 0, 0));
        assertEquals(throughNative, throughChannel);
        assertEquals("errno " + Errno.INVAL, throughChannel.get(5), "a seek before the start");
        assertEquals("write errno " + Errno.BADF, throughChannel.get(9), "a write without the right");
        g.ok("fd_close", channelFile);
        g.ok("fd_close", nativeFile);
        g.wasi.close();
    }

    /**
     * The status read from the JDK's basic attributes is the one its {@code unix:} attributes give,
     * for a file, a directory and a symbolic link's target alike.
     */
    @Test
    void theStatusFromTheBasicAttributesIsTheUnixAttributes() throws IOException {
        Path file = Files.write(dir.resolve("f"), hundredBytes());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        for (Path path : List.of(file, sub, link, dir)) {
            Filestat read = JdkStat.of(Files.readAttributes(path, BasicFileAttributes.class));
            assertEquals(ChannelFiles.unixStatus(path), read, path.toString());
        }
        assertEquals(Abi.FILETYPE_DIRECTORY, JdkStat.of(Files.readAttributes(sub, BasicFileAttributes.class)).filetype());
    }

    /** Attributes that are not the JDK's own {@code stat} are not read. */
    @Test
    void otherAttributesAreNotRead() throws IOException {
        BasicFileAttributes real = Files.readAttributes(Files.write(dir.resolve("f"), hundredBytes()), BasicFileAttributes.class);
        BasicFileAttributes other = new BasicFileAttributes() {
            @Override public FileTime lastModifiedTime() { return real.lastModifiedTime(); }
            @Override public FileTime lastAccessTime() { return real.lastAccessTime(); }
            @Override public FileTime creationTime() { return real.creationTime(); }
            @Override public boolean isRegularFile() { return true; }
            @Override public boolean isDirectory() { return false; }
            @Override public boolean isSymbolicLink() { return false; }
            @Override public boolean isOther() { return false; }
            @Override public long size() { return real.size(); }
            @Override public Object fileKey() { return real.fileKey(); }
        };
        assertNull(JdkStat.of(other));
    }

    /** Times in nanoseconds as the JDK's {@code FileTime} of them gives them, at a {@code long}'s ends beyond. */
    @Test
    void timesAreTheJdksFileTimes() {
        assertEquals(0, JdkStat.nanos(0, 0));
        assertEquals(1_999_999_999L, JdkStat.nanos(1, 999_999_999));
        assertEquals(-999_999_995L, JdkStat.nanos(-1, 5));
        assertEquals(Long.MAX_VALUE, JdkStat.nanos(9_223_372_036L, 854_775_807));
        assertEquals(9_223_372_036_854_775_000L, JdkStat.nanos(9_223_372_036L, 854_775_808), "in microseconds");
        assertEquals(Long.MAX_VALUE, JdkStat.nanos(9_223_372_037L, 0));
        assertEquals(Long.MAX_VALUE, JdkStat.nanos(Long.MAX_VALUE, 0));
        assertEquals(-9_223_372_036_000_000_000L, JdkStat.nanos(-9_223_372_036L, 0));
        assertEquals(Long.MIN_VALUE, JdkStat.nanos(-9_223_372_037L, 0));
        assertEquals(Long.MIN_VALUE, JdkStat.nanos(-9_223_372_037L, 1));
        assertEquals(Long.MIN_VALUE, JdkStat.nanos(Long.MIN_VALUE, 0));
    }

    /** Only a plain name, after any {@code ./}, takes the JDK's channels. */
    @Test
    void onlyAnEntryOfTheDirectoryItselfIsOpenedThroughAChannel() {
        assertEquals("x", ChannelFiles.entry("x"));
        assertEquals(".x", ChannelFiles.entry(".x"));
        assertEquals("..x", ChannelFiles.entry("..x"));
        assertEquals("x", ChannelFiles.entry("./x"));
        assertEquals("x", ChannelFiles.entry(".//./x"));
        for (String path : List.of("", ".", "..", "./", "./.", "./..", "../x", "a/b", "x/", "/x", "./a/b", "x\0y")) {
            assertEquals(null, ChannelFiles.entry(path), path);
        }
    }

    /** The status is the open file's, not whatever the name leads to now. */
    @Test
    void theStatusIsTheOpenFilesWhateverTheNameIsNow() throws IOException {
        Files.writeString(dir.resolve("f"), "first");
        Guest g = guest();
        int fd = g.open(PREOPEN, "f", 0, READING, 0, 0);
        Files.delete(dir.resolve("f"));
        Files.writeString(dir.resolve("f"), "a longer second file");
        int stat = g.alloc(64);
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(5, g.i64(stat + 32), "size");
        assertEquals(0, g.i64(stat + 24), "links: the file was removed");
        assertEquals("first", g.readString(fd, 10));
        g.wasi.close();
    }

    /**
     * The channel's check of the entry and its open are two steps: while a host thread swaps the
     * name between a file and a symbolic link out of the directory ({@code renameat2(RENAME_EXCHANGE)}
     * in a loop), each open must give the file inside or leave the name to the native path
     * ({@code null}), never the file outside, which only an open that followed the link could read.
     */
    @Test
    void aNameSwappedForASymlinkOutsideIsNeverOpenedThroughTheChannel() throws Exception {
        Path sandbox = Files.createDirectory(dir.resolve("sandbox"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("f"), "OUTSIDE");
        Path file = Files.writeString(sandbox.resolve("f"), "inside");
        Path link = Files.createSymbolicLink(sandbox.resolve("l"), Path.of("../outside/f"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        Thread swapper = new Thread(() -> {
            try (Arena arena = Arena.ofConfined()) {
                while (!stop.get()) {
                    if (RenameExchangeRaceTest.exchange(arena, file, link) == 0) swaps.incrementAndGet();
                }
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }, "rename-exchange");
        int inside = 0;
        int outsideReads = 0;
        int refused = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(sandbox)) {
            assumeTrue(stream instanceof SecureDirectoryStream<Path>, "no SecureDirectoryStream here");
            SecureDirectoryStream<Path> directory = (SecureDirectoryStream<Path>) stream;
            FileDescriptor unraced = ChannelFiles.open(directory, "f", READING, 0);
            assertNotNull(unraced, "the channel opens the file unraced");
            unraced.close();
            swapper.start();
            long start = System.nanoTime();
            for (int i = 0; i < 100_000 && System.nanoTime() - start < 15_000_000_000L; i++) {
                FileDescriptor opened = ChannelFiles.open(directory, "f", READING, 0);
                if (opened == null) {
                    refused++;
                    continue;
                }
                ByteBuffer buffer = ByteBuffer.allocateDirect(16);
                opened.read(new ByteBuffer[] {buffer});
                opened.close();
                String content = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
                if (content.equals("inside")) inside++;
                else outsideReads++;
            }
        } finally {
            stop.set(true);
            if (swapper.isAlive()) swapper.join();
        }
        assertEquals(0, outsideReads, "reads of the file outside");
        assertTrue(swaps.get() > 0 && inside > 0 && refused > 0,
                swaps.get() + " swaps, " + inside + " opened inside, " + refused + " left to the native path");
    }

    /**
     * A symbolic link, a directory, a FIFO, a missing file, a path of several components and
     * {@code ..} each get what the native path answers: the channel opens none of them.
     */
    @Test
    void everythingButAPlainRegularFileGetsTheNativeAnswer() throws Exception {
        Path outside = Files.createTempFile("outside", ".txt");
        try {
            Files.writeString(outside, "secret");
            Files.createSymbolicLink(dir.resolve("link"), outside);
            Files.createDirectory(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub/g"), "nested");
            Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start();
            assertEquals(0, mkfifo.waitFor());
            List<String> names = List.of("link", "./link", "fifo", "missing", "..", "./..", "sub/../../x", "sub/g/");
            for (String name : names) {
                for (int lookup : new int[] {0, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW}) {
                    Guest held = guest();
                    Guest used = guest();
                    try {
                        used.ok("fd_close", used.open(PREOPEN, "sub", 0, Rights.FD_READDIR, 0, 0));
                        int errno = held.openErrno(PREOPEN, lookup, name, 0, READING);
                        assertEquals(used.openErrno(PREOPEN, lookup, name, 0, READING), errno, name + " lookup " + lookup);
                        assertNotEquals(Errno.SUCCESS, errno, name);
                    } finally {
                        held.wasi.close();
                        used.wasi.close();
                    }
                }
            }
            Guest g = guest();
            int sub = g.open(PREOPEN, "sub", 0, Rights.FD_READDIR | Rights.PATH_OPEN, Rights.REGULAR_FILE, 0);
            assertEquals("nested", g.readString(g.open(sub, "g", 0, READING, 0, 0), 10));
            assertEquals("nested", g.readString(g.open(PREOPEN, "sub/g", 0, READING, 0, 0), 10));
            g.wasi.close();
        } finally {
            Files.delete(outside);
        }
    }

    /**
     * A program that grows its memory by some MiB and reads a file from its preopen makes the JVM
     * link no native call, since the first link costs a short program a large share of its time;
     * without the export of {@code jdk.internal.misc} the same program reads the same bytes
     * natively. Checked in JVMs of their own, which report the classes they load.
     */
    @Test
    void growingMemoryAndReadingAFileLinkNoNativeCall() throws Exception {
        Files.writeString(dir.resolve("input"), "some input");
        String expected = "some input 10 10\n";

        List<String> exported = LargeIoTest.javaCommand(FileReader.class, "-Xlog:class+load=info:stderr",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        exported.add(dir.toString());
        LargeIoTest.ChildRun viaChannel = LargeIoTest.run(exported);
        assertEquals(0, viaChannel.exit(), viaChannel.out() + viaChannel.err());
        assertEquals(expected, viaChannel.out().replaceAll("(?m)^\\[.*\\n", ""), viaChannel.err());
        assertTrue(viaChannel.err().contains("dev.wasm2jvm.runtime.wasi.ChannelFiles "), "the child read through a channel");
        assertFalse(viaChannel.err().contains("jdk.internal.foreign.abi.DowncallLinker "), "a downcall was linked");
        assertFalse(viaChannel.err().contains("sun.nio.fs.UnixFileAttributeViews$Unix "), "the status read by name");

        List<String> notExported = LargeIoTest.javaCommand(FileReader.class, "-Xlog:class+load=info:stderr");
        notExported.add(dir.toString());
        LargeIoTest.ChildRun natively = LargeIoTest.run(notExported);
        assertEquals(0, natively.exit(), natively.out() + natively.err());
        assertEquals(expected, natively.out().replaceAll("(?m)^\\[.*\\n", ""), natively.err());
        assertTrue(natively.err().contains("jdk.internal.foreign.abi.DowncallLinker "), "read natively");
    }

    /**
     * Grows a memory to 8 MiB, opens {@code input} in its argument's preopen, reads it, and prints
     * it, its size and the bytes read.
     */
    static final class FileReader {
        public static void main(String[] args) throws Exception {
            Memory grown = new Memory(1, -1, false);
            for (int i = 1; i < 128; i++) grown.grow(1);
            Guest g = new Guest(WasiOptions.builder().preopenDirectory(Path.of(args[0]), "d").build());
            int fd = g.open(PREOPEN, "input", 0, READING, 0, 0);
            int stat = g.alloc(64);
            g.ok("fd_filestat_get", fd, stat);
            String text = g.readString(fd, 100);
            g.ok("fd_close", fd);
            g.wasi.close();
            System.out.print(text + " " + g.i64(stat + 32) + " " + text.length() + "\n");
        }
    }
}
