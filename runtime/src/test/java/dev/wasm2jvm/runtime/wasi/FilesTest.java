package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesTest {
    private static final int PREOPEN = 3;
    private static final long RW = Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL
            | Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_READDIR;

    @TempDir
    Path dir;

    Guest g;

    @BeforeEach
    void setUp() throws IOException {
        g = new Guest(WasiOptions.builder().preopenDirectory(dir, "sandbox").build());
    }

    @Test
    void preopenHasItsGuestNameAndDirectoryRights() {
        int prestat = g.alloc(8);
        g.ok("fd_prestat_get", PREOPEN, prestat);
        assertEquals(Abi.PREOPENTYPE_DIR, g.read(prestat, 1)[0]);
        assertEquals(7, g.i32(prestat + 4));
        int name = g.alloc(8);
        assertEquals(Errno.INVAL, g.call("fd_prestat_dir_name", PREOPEN, name, 0));
        g.ok("fd_prestat_dir_name", PREOPEN, name, 8);
        assertEquals("sandbox", g.text(name, 7));
        assertEquals(Errno.BADF, g.call("fd_prestat_get", 1, prestat));
        assertEquals(Errno.BADF, g.call("fd_prestat_get", 4, prestat));

        int fdstat = g.alloc(24);
        g.ok("fd_fdstat_get", PREOPEN, fdstat);
        assertEquals(Abi.FILETYPE_DIRECTORY, g.read(fdstat, 1)[0]);
        assertEquals(Rights.DIRECTORY, g.i64(fdstat + 8));
        assertEquals(Rights.DIRECTORY_INHERITING, g.i64(fdstat + 16));
    }

    @Test
    void createWriteSeekReadTell() throws IOException {
        int fd = g.open(PREOPEN, "file.txt", Abi.OFLAGS_CREAT, RW, 0, 0);
        assertTrue(fd > PREOPEN);
        assertEquals(11, g.write(fd, "hello world"));
        assertEquals("hello world", Files.readString(dir.resolve("file.txt")));

        int offset = g.alloc(8);
        g.ok("fd_seek", fd, 6L, Abi.WHENCE_SET, offset);
        assertEquals(6, g.i64(offset));
        assertEquals("world", g.readString(fd, 100));
        assertEquals("", g.readString(fd, 100));
        g.ok("fd_tell", fd, offset);
        assertEquals(11, g.i64(offset));
        g.ok("fd_seek", fd, -5L, Abi.WHENCE_END, offset);
        assertEquals(6, g.i64(offset));
        assertEquals(Errno.INVAL, g.call("fd_seek", fd, -100L, Abi.WHENCE_CUR, offset));

        int buf = g.alloc(5);
        int n = g.alloc(4);
        g.ok("fd_pread", fd, g.iovec(buf, 5), 1, 0L, n);
        assertEquals("hello", g.text(buf, g.i32(n)));
        int data = g.string("HELLO");
        g.ok("fd_pwrite", fd, g.iovec(data, 5), 1, 0L, n);
        g.ok("fd_tell", fd, offset);
        assertEquals(6, g.i64(offset), "pread and pwrite leave the offset");
        assertEquals("HELLO world", Files.readString(dir.resolve("file.txt")));
        g.ok("fd_close", fd);
        assertEquals(Errno.BADF, g.call("fd_close", fd));
    }

    @Test
    void scatterAndGatherUseEveryIovec() throws IOException {
        int fd = g.open(PREOPEN, "f", Abi.OFLAGS_CREAT, RW, 0, 0);
        int iovs = g.alloc(16);
        int a = g.string("ab");
        int b = g.string("cde");
        g.memory.writeI32(iovs, a);
        g.memory.writeI32(iovs + 4, 2);
        g.memory.writeI32(iovs + 8, b);
        g.memory.writeI32(iovs + 12, 3);
        int n = g.alloc(4);
        g.ok("fd_write", fd, iovs, 2, n);
        assertEquals(5, g.i32(n));
        assertEquals("abcde", Files.readString(dir.resolve("f")));
        g.ok("fd_seek", fd, 0L, Abi.WHENCE_SET, g.alloc(8));
        g.memory.writeI32(iovs + 4, 3);
        g.memory.writeI32(iovs + 12, 2);
        g.ok("fd_read", fd, iovs, 2, n);
        assertEquals(5, g.i32(n));
        assertEquals("abc", g.text(a, 3));
        assertEquals("de", g.text(b, 2));
    }

    @Test
    void openFlags() throws IOException {
        Files.writeString(dir.resolve("existing"), "content");
        assertEquals(Errno.EXIST, g.openErrno(PREOPEN, 0, "existing", Abi.OFLAGS_CREAT | Abi.OFLAGS_EXCL, RW));
        assertEquals(Errno.NOENT, g.openErrno(PREOPEN, 0, "missing", 0, RW));
        assertEquals(Errno.NOTDIR, g.openErrno(PREOPEN, 0, "existing", Abi.OFLAGS_DIRECTORY, 0));
        assertEquals(Errno.NOTDIR, g.openErrno(PREOPEN, 0, "existing/", 0, 0));
        assertEquals(Errno.ISDIR, g.openErrno(PREOPEN, 0, ".", Abi.OFLAGS_DIRECTORY, Rights.FD_READ | Rights.FD_WRITE));
        assertEquals(Errno.NOTDIR, g.openErrno(1, 0, "existing", 0, 0));

        int fd = g.open(PREOPEN, "existing", Abi.OFLAGS_TRUNC, RW, 0, 0);
        assertEquals("", Files.readString(dir.resolve("existing")));
        g.ok("fd_close", fd);

        Files.writeString(dir.resolve("log"), "one ");
        fd = g.open(PREOPEN, "log", 0, RW, 0, Abi.FDFLAGS_APPEND);
        g.ok("fd_seek", fd, 0L, Abi.WHENCE_SET, g.alloc(8));
        g.write(fd, "two");
        assertEquals("one two", Files.readString(dir.resolve("log")));
        int fdstat = g.alloc(24);
        g.ok("fd_fdstat_get", fd, fdstat);
        assertEquals(Abi.FILETYPE_REGULAR_FILE, g.read(fdstat, 1)[0]);
        assertEquals(Abi.FDFLAGS_APPEND, g.memory.readI32(fdstat + 2) & 0xffff);
        assertEquals(RW & ~Rights.FD_READDIR, g.i64(fdstat + 8), "a file has no directory rights");
        g.ok("fd_fdstat_set_flags", fd, 0);
        g.ok("fd_seek", fd, 0L, Abi.WHENCE_SET, g.alloc(8));
        g.write(fd, "ONE");
        assertEquals("ONE two", Files.readString(dir.resolve("log")));
    }

    @Test
    void rightsAreInheritedNarrowedAndEnforced() throws IOException {
        Files.writeString(dir.resolve("f"), "data");
        int fd = g.open(PREOPEN, "f", 0, Rights.FD_WRITE, 0, 0);
        int buf = g.alloc(4);
        assertEquals(Errno.BADF, g.call("fd_read", fd, g.iovec(buf, 4), 1, g.alloc(4)));
        assertEquals(Errno.BADF, g.call("fd_seek", fd, 1L, Abi.WHENCE_SET, g.alloc(8)));
        assertEquals(Errno.BADF, g.call("fd_filestat_get", fd, g.alloc(64)));

        int rw = g.open(PREOPEN, "f", 0, RW, 0, 0);
        g.ok("fd_fdstat_set_rights", rw, Rights.FD_READ, 0L);
        assertEquals(Errno.BADF, g.call("fd_write", rw, g.iovec(buf, 1), 1, g.alloc(4)));
        assertEquals(Errno.NOTCAPABLE, g.call("fd_fdstat_set_rights", rw, RW, 0L));
        assertEquals("data", g.readString(rw, 10));

        // A directory without the right to pass on FD_READ opens files that cannot be read.
        int sub = g.open(PREOPEN, ".", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING & ~Rights.FD_READ, 0);
        int unreadable = g.open(sub, "f", 0, Rights.FD_READ, 0, 0);
        assertEquals(Errno.BADF, g.call("fd_read", unreadable, g.iovec(buf, 4), 1, g.alloc(4)));

        g.ok("fd_fdstat_set_rights", sub, Rights.DIRECTORY & ~Rights.PATH_FILESTAT_SET_SIZE, 0L);
        assertEquals(Errno.PERM, g.openErrno(sub, 0, "f", Abi.OFLAGS_TRUNC, 0));
        g.ok("fd_fdstat_set_rights", sub, Rights.FD_READDIR, 0L);
        assertEquals(Errno.NOTCAPABLE, g.openErrno(sub, 0, "f", 0, 0));
    }

    /** Changing the size needs the file open for writing: without FD_WRITE it fails as a write does. */
    @Test
    void aFileOpenedForReadingOnlyKeepsItsSize() throws IOException {
        Files.writeString(dir.resolve("f"), "abc");
        int fd = g.open(PREOPEN, "f", 0, Rights.FD_READ | Rights.FD_FILESTAT_SET_SIZE | Rights.FD_ALLOCATE, 0, 0);
        assertEquals(Errno.BADF, g.call("fd_filestat_set_size", fd, 1L));
        assertEquals(Errno.BADF, g.call("fd_allocate", fd, 0L, 10L));
        assertEquals(Errno.BADF, g.call("fd_write", fd, g.iovec(g.string("x"), 1), 1, g.alloc(4)));
        assertEquals("abc", Files.readString(dir.resolve("f")));
    }

    /** Devices are read and written through their host descriptor as files are, blocking as they would. */
    @Test
    void characterDevicesReadAndWrite() throws IOException {
        Guest dev = new Guest(WasiOptions.builder().preopenDirectory(Path.of("/dev"), "dev").build());
        int zero = dev.open(PREOPEN, "zero", 0, Rights.FD_READ | Rights.FD_FILESTAT_GET, 0, 0);
        int buf = dev.alloc(4096);
        dev.memory.writeBytes(buf, new byte[] {1, 2, 3}, 0, 3);
        int nread = dev.alloc(4);
        dev.ok("fd_read", zero, dev.iovec(buf, 4096), 1, nread);
        assertEquals(4096, dev.i32(nread));
        assertEquals(0, dev.read(buf, 3)[0] | dev.read(buf, 3)[1] | dev.read(buf, 3)[2]);
        int stat = dev.alloc(64);
        dev.ok("fd_filestat_get", zero, stat);
        assertEquals(Abi.FILETYPE_CHARACTER_DEVICE, dev.read(stat + 16, 1)[0]);
        int nul = dev.open(PREOPEN, "null", 0, Rights.FD_WRITE, 0, 0);
        assertEquals(5, dev.write(nul, "hello"));
        dev.wasi.close();
    }

    @Test
    void directoriesAreNotByteStreams() {
        int fd = g.open(PREOPEN, ".", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY | Rights.FD_SEEK, 0, 0);
        int buf = g.alloc(8);
        assertEquals(Errno.BADF, g.call("fd_read", fd, g.iovec(buf, 8), 1, g.alloc(4)));
        assertEquals(Errno.BADF, g.call("fd_write", fd, g.iovec(buf, 8), 1, g.alloc(4)));
        assertEquals(Errno.BADF, g.call("fd_seek", fd, 0L, Abi.WHENCE_CUR, g.alloc(8)));
        assertEquals(Errno.BADF, g.call("fd_tell", fd, g.alloc(8)));
        assertEquals(Errno.BADF, g.call("fd_allocate", fd, 0L, 1L));
        assertEquals(Errno.BADF, g.call("fd_filestat_set_size", fd, 0L));
    }

    @Test
    void filestatSizeTimesAndIdentity() throws IOException {
        int fd = g.open(PREOPEN, "f", Abi.OFLAGS_CREAT, RW | Rights.FD_FILESTAT_SET_TIMES | Rights.FD_ALLOCATE, 0, 0);
        int stat = g.alloc(64);
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(Abi.FILETYPE_REGULAR_FILE, g.read(stat + 16, 1)[0]);
        assertEquals(0, g.i64(stat + 32));
        g.ok("fd_filestat_set_size", fd, 100L);
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(100, g.i64(stat + 32));
        g.ok("fd_allocate", fd, 90L, 20L);
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(110, g.i64(stat + 32));
        g.ok("fd_filestat_set_size", fd, 3L);
        assertEquals(3, Files.size(dir.resolve("f")));

        g.ok("fd_filestat_set_times", fd, 0L, 1_000_000_000_000L, Abi.FSTFLAGS_MTIM);
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(1_000_000_000_000L, g.i64(stat + 48));
        assertEquals(Errno.INVAL, g.call("fd_filestat_set_times", fd, 0L, 5L, Abi.FSTFLAGS_MTIM | Abi.FSTFLAGS_MTIM_NOW));
        assertEquals(Errno.INVAL, g.call("fd_filestat_set_times", fd, 5L, 0L, Abi.FSTFLAGS_ATIM | Abi.FSTFLAGS_ATIM_NOW));

        long ino = g.i64(stat + 8);
        long dev = g.i64(stat);
        String path = "f";
        int pathStat = g.alloc(64);
        g.ok("path_filestat_get", PREOPEN, 0, g.string(path), 1, pathStat);
        assertEquals(ino, g.i64(pathStat + 8));
        assertEquals(dev, g.i64(pathStat));
        assertEquals(1, g.i64(pathStat + 24));

        g.ok("path_filestat_set_times", PREOPEN, 0, g.string(path), 1, 2_000_000_000_000L, 0L, Abi.FSTFLAGS_ATIM);
        g.ok("path_filestat_get", PREOPEN, 0, g.string(path), 1, pathStat);
        assertEquals(2_000_000_000_000L, g.i64(pathStat + 40));

        Files.writeString(dir.resolve("g"), "");
        g.ok("path_filestat_get", PREOPEN, 0, g.string("g"), 1, pathStat);
        assertTrue(g.i64(pathStat + 8) != ino, "different files, different inodes");
    }

    @Test
    void readdirListsDotsAndEntriesWithCookies() throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("a"), "");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
        Map<String, Byte> types = new TreeMap<>();
        List<Long> cookies = new ArrayList<>();
        int buf = g.alloc(4096);
        int used = g.alloc(4);
        g.ok("fd_readdir", PREOPEN, buf, 4096, 0L, used);
        int end = buf + g.i32(used);
        for (int at = buf; at < end; ) {
            int namlen = g.i32(at + 16);
            types.put(g.text(at + 24, namlen), g.read(at + 20, 1)[0]);
            cookies.add(g.i64(at));
            at += 24 + namlen;
        }
        // In the file system's order: by name here only to compare.
        assertEquals(Map.of(".", Abi.FILETYPE_DIRECTORY, "..", Abi.FILETYPE_DIRECTORY, "a", Abi.FILETYPE_REGULAR_FILE,
                "link", Abi.FILETYPE_SYMBOLIC_LINK, "sub", Abi.FILETYPE_DIRECTORY), types);
        assertEquals(5, cookies.size());

        g.ok("fd_readdir", PREOPEN, buf, 4096, cookies.get(2), used);
        int rest = 0;
        for (int at = buf; at < buf + g.i32(used); rest++) at += 24 + g.i32(at + 16);
        assertEquals(2, rest, "from the third cookie: the last two");
        g.ok("fd_readdir", PREOPEN, buf, 4096, cookies.get(4), used);
        assertEquals(0, g.i32(used), "from the last cookie: nothing");

        // A buffer too small for the next entry is filled completely, telling the guest to ask again.
        g.ok("fd_readdir", PREOPEN, buf, 30, 0L, used);
        assertEquals(30, g.i32(used));
    }

    /**
     * Cookies of 2<sup>63</sup> or more, which no file system gives, list nothing (other cookies
     * no listing gave: {@code DirectoryDescriptorTest}); an empty buffer takes nothing; a buffer
     * past the memory's end is {@code EFAULT}, whatever the directory holds.
     */
    @Test
    void readdirWithHostileCookiesAndBuffers() throws IOException {
        Files.writeString(dir.resolve("a"), "");
        int buf = g.alloc(256);
        int used = g.alloc(4);
        for (long cookie : new long[] {-1L, Long.MIN_VALUE}) {
            g.memory.writeI32(used, -1);
            g.ok("fd_readdir", PREOPEN, buf, 256, cookie, used);
            assertEquals(0, g.i32(used), "cookie " + cookie);
        }
        g.ok("fd_readdir", PREOPEN, buf, 0, 0L, used);
        assertEquals(0, g.i32(used), "an empty buffer");
        int end = (int) g.memory.segment().byteSize();
        assertEquals(Errno.FAULT, g.call("fd_readdir", PREOPEN, buf, -1, 0L, used));
        assertEquals(Errno.FAULT, g.call("fd_readdir", PREOPEN, end - 10, 11, 0L, used));
        assertEquals(Errno.FAULT, g.call("fd_readdir", PREOPEN, buf, 256, 0L, end - 2));
        g.ok("fd_readdir", PREOPEN, end - 10, 10, 0L, used);
        assertEquals(10, g.i32(used), "a buffer ending at the memory's end, filled");
    }

    /**
     * Names past the kernel's limits: a component of 256 bytes and a path of 4,096 are
     * {@code ENAMETOOLONG}, and nothing is created; 255 bytes is a name like any other.
     */
    @Test
    void namesPastTheLimitsAreNametoolong() throws IOException {
        String longest = "n".repeat(255);
        g.ok("fd_close", g.open(PREOPEN, longest, Abi.OFLAGS_CREAT, RW, 0, 0));
        String tooLong = "n".repeat(256);
        assertEquals(Errno.NAMETOOLONG, g.openErrno(PREOPEN, 0, tooLong, Abi.OFLAGS_CREAT, RW));
        String deep = "a/".repeat(2047) + "bc";
        assertEquals(4096, deep.length());
        assertEquals(Errno.NAMETOOLONG, g.call("path_create_directory", PREOPEN, g.string(deep), deep.length()));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(longest)), entries.toList());
        }
    }

    /**
     * A file renumbered onto the preopen's number, and the number of a closed preopen reused by
     * an open: neither is a preopen or a directory any more. The standard streams and the preopen
     * may be replaced by a file or a directory, which then act as themselves at the new number.
     */
    @Test
    void renumberingOntoThePreopenAndTheStandardStreams() throws IOException {
        int prestat = g.alloc(8);
        int again = g.open(PREOPEN, ".", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
        g.ok("fd_close", PREOPEN);
        int file = g.open(again, "f", Abi.OFLAGS_CREAT, RW, 0, 0);
        assertEquals(PREOPEN, file, "the closed preopen's number is reused");
        assertEquals(Errno.BADF, g.call("fd_prestat_get", PREOPEN, prestat), "a reused number is no preopen");
        assertEquals(Errno.NOTDIR, g.openErrno(PREOPEN, 0, "x", Abi.OFLAGS_CREAT, RW));
        g.ok("fd_renumber", PREOPEN, 1);
        assertEquals(Errno.BADF, g.call("fd_close", PREOPEN));
        g.write(1, "to the file");
        assertEquals("to the file", Files.readString(dir.resolve("f")));
        g.ok("fd_renumber", again, 0);
        int nread = g.alloc(4);
        assertEquals(Errno.BADF, g.call("fd_read", 0, g.iovec(g.alloc(4), 4), 1, nread),
                "a directory at 0 is no stream");
        assertEquals(Errno.BADF, g.call("fd_prestat_get", 0, prestat));
        assertEquals("to the file", g.readString(g.open(0, "f", 0, RW, 0, 0), 20));
        assertEquals(Errno.PERM, g.openErrno(0, 0, "../x", Abi.OFLAGS_CREAT, RW));
    }

    @Test
    void readdirPagesThroughManyEntries() throws IOException {
        for (int i = 0; i < 300; i++) Files.writeString(dir.resolve("file." + i), "");
        int buf = g.alloc(256);
        int used = g.alloc(4);
        long cookie = 0;
        int total = 0;
        while (true) {
            g.ok("fd_readdir", PREOPEN, buf, 256, cookie, used);
            int n = g.i32(used);
            int at = buf;
            while (at + 24 <= buf + n) {
                int namlen = g.i32(at + 16);
                if (at + 24 + namlen > buf + n) break;
                total++;
                cookie = g.i64(at);
                at += 24 + namlen;
            }
            if (n < 256) break;
        }
        assertEquals(302, total);
    }

    @Test
    void createRenameUnlinkAndRemoveDirectories() throws IOException {
        g.ok("path_create_directory", PREOPEN, g.string("d"), 1);
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertEquals(Errno.EXIST, g.call("path_create_directory", PREOPEN, g.string("d"), 1));
        g.ok("path_create_directory", PREOPEN, g.string("d/e/"), 4);
        Files.writeString(dir.resolve("d/e/f"), "x");

        assertEquals(Errno.NOTEMPTY, g.call("path_remove_directory", PREOPEN, g.string("d"), 1));
        assertEquals(Errno.ISDIR, g.call("path_unlink_file", PREOPEN, g.string("d"), 1));
        assertEquals(Errno.ISDIR, g.call("path_unlink_file", PREOPEN, g.string("d/"), 2));
        assertEquals(Errno.NOTDIR, g.call("path_unlink_file", PREOPEN, g.string("d/e/f/"), 6));
        assertEquals(Errno.NOTDIR, g.call("path_remove_directory", PREOPEN, g.string("d/e/f"), 5));
        assertEquals(Errno.NOENT, g.call("path_unlink_file", PREOPEN, g.string("nothing"), 7));

        g.ok("path_rename", PREOPEN, g.string("d/e/f"), 5, PREOPEN, g.string("g"), 1);
        assertEquals("x", Files.readString(dir.resolve("g")));
        assertEquals(Errno.NOTDIR, g.call("path_rename", PREOPEN, g.string("g/"), 2, PREOPEN, g.string("h"), 1));
        assertEquals(Errno.ISDIR, g.call("path_rename", PREOPEN, g.string("g"), 1, PREOPEN, g.string("d"), 1));
        assertEquals(Errno.NOTDIR, g.call("path_rename", PREOPEN, g.string("d"), 1, PREOPEN, g.string("g"), 1));
        g.ok("path_rename", PREOPEN, g.string("d/"), 2, PREOPEN, g.string("renamed/"), 8);
        assertTrue(Files.isDirectory(dir.resolve("renamed/e")));
        Files.createDirectory(dir.resolve("empty"));
        g.ok("path_rename", PREOPEN, g.string("renamed"), 7, PREOPEN, g.string("empty"), 5);
        assertTrue(Files.isDirectory(dir.resolve("empty/e")));
        assertFalse(Files.exists(dir.resolve("renamed")));

        g.ok("path_remove_directory", PREOPEN, g.string("empty/e"), 7);
        g.ok("path_remove_directory", PREOPEN, g.string("empty/"), 6);
        g.ok("path_unlink_file", PREOPEN, g.string("g"), 1);
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void linksAndSymlinks() throws IOException {
        Files.writeString(dir.resolve("target"), "t");
        g.ok("path_symlink", g.string("target"), 6, PREOPEN, g.string("sym"), 3);
        assertEquals(Path.of("target"), Files.readSymbolicLink(dir.resolve("sym")));
        int buf = g.alloc(10);
        int used = g.alloc(4);
        g.ok("path_readlink", PREOPEN, g.string("sym"), 3, buf, 10, used);
        assertEquals("target", g.text(buf, g.i32(used)));
        g.ok("path_readlink", PREOPEN, g.string("sym"), 3, buf, 4, used);
        assertEquals(4, g.i32(used));
        assertEquals(Errno.INVAL, g.call("path_readlink", PREOPEN, g.string("target"), 6, buf, 10, used));
        assertEquals(Errno.EXIST, g.call("path_symlink", g.string("x"), 1, PREOPEN, g.string("target"), 6));
        assertEquals(Errno.NOENT, g.call("path_symlink", g.string("x"), 1, PREOPEN, g.string("new/"), 4));

        // Without SYMLINK_FOLLOW the link itself is what is opened or stated.
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, 0, "sym", 0, Rights.FD_READ));
        int followed = g.alloc(4);
        g.ok("path_open", PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, g.string("sym"), 3, 0, Rights.FD_READ, 0L, 0, followed);
        assertEquals("t", g.readString(g.i32(followed), 10));
        int stat = g.alloc(64);
        g.ok("path_filestat_get", PREOPEN, 0, g.string("sym"), 3, stat);
        assertEquals(Abi.FILETYPE_SYMBOLIC_LINK, g.read(stat + 16, 1)[0]);
        g.ok("path_filestat_get", PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, g.string("sym"), 3, stat);
        assertEquals(Abi.FILETYPE_REGULAR_FILE, g.read(stat + 16, 1)[0]);

        g.ok("path_link", PREOPEN, 0, g.string("target"), 6, PREOPEN, g.string("hard"), 4);
        assertEquals(2, (int) Files.getAttribute(dir.resolve("hard"), "unix:nlink"));
        assertEquals(Errno.EXIST, g.call("path_link", PREOPEN, 0, g.string("target"), 6, PREOPEN, g.string("hard"), 4));
        assertEquals(Errno.INVAL, g.call("path_link", PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, g.string("sym"), 3,
                PREOPEN, g.string("h2"), 2));
        assertEquals(Errno.NOENT, g.call("path_link", PREOPEN, 0, g.string("target"), 6, PREOPEN, g.string("h3/"), 3));

        g.ok("path_symlink", g.string("loop"), 4, PREOPEN, g.string("loop"), 4);
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, "loop", 0, 0));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, 0, "loop/x", 0, 0));

        g.ok("path_symlink", g.string("nowhere"), 7, PREOPEN, g.string("dangling"), 8);
        assertEquals(Errno.NOENT, g.openErrno(PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0, 0));
        g.ok("path_unlink_file", PREOPEN, g.string("dangling"), 8);
        g.ok("path_unlink_file", PREOPEN, g.string("sym"), 3);
        assertTrue(Files.exists(dir.resolve("target")));
    }

    @Test
    void anOpenFileOutlivesItsName() throws IOException {
        int fd = g.open(PREOPEN, "f", Abi.OFLAGS_CREAT, RW | Rights.FD_FILESTAT_SET_TIMES, 0, 0);
        g.write(fd, "abc");
        int stat = g.alloc(64);
        g.ok("fd_filestat_get", fd, stat);
        long ino = g.i64(stat + 8);
        g.ok("path_rename", PREOPEN, g.string("f"), 1, PREOPEN, g.string("g"), 1);
        Files.writeString(dir.resolve("f"), "another file");
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(ino, g.i64(stat + 8));
        assertEquals(3, g.i64(stat + 32));
        // The descriptor holds the file itself, not its name: its times can still be set.
        g.ok("fd_filestat_set_times", fd, 0L, 3_000_000_000L, Abi.FSTFLAGS_MTIM);
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(3_000_000_000L, g.i64(stat + 48));
        assertEquals(3_000_000_000L, ((java.nio.file.attribute.FileTime) Files.getAttribute(dir.resolve("g"),
                "lastModifiedTime")).toMillis() * 1_000_000L, "the renamed file's, not the new one's");
        g.ok("path_unlink_file", PREOPEN, g.string("g"), 1);
        g.write(fd, "d");
        g.ok("fd_filestat_get", fd, stat);
        assertEquals(4, g.i64(stat + 32));
        assertEquals(0, g.i64(stat + 24), "no links left");
    }

    @Test
    void symlinkTimesAreItsOwn() throws IOException {
        Files.writeString(dir.resolve("file"), "");
        g.ok("path_symlink", g.string("file"), 4, PREOPEN, g.string("link"), 4);
        int fileStat = g.alloc(64);
        g.ok("path_filestat_get", PREOPEN, 0, g.string("file"), 4, fileStat);
        long fileMtim = g.i64(fileStat + 48);
        g.ok("path_filestat_set_times", PREOPEN, 0, g.string("link"), 4, 0L, 5_000_000_000L, Abi.FSTFLAGS_MTIM);
        int linkStat = g.alloc(64);
        g.ok("path_filestat_get", PREOPEN, 0, g.string("link"), 4, linkStat);
        assertEquals(5_000_000_000L, g.i64(linkStat + 48));
        g.ok("path_filestat_get", PREOPEN, 0, g.string("file"), 4, fileStat);
        assertEquals(fileMtim, g.i64(fileStat + 48));
        g.ok("path_filestat_set_times", PREOPEN, Abi.LOOKUPFLAGS_SYMLINK_FOLLOW, g.string("link"), 4, 0L,
                7_000_000_000L, Abi.FSTFLAGS_MTIM);
        g.ok("path_filestat_get", PREOPEN, 0, g.string("file"), 4, fileStat);
        assertEquals(7_000_000_000L, g.i64(fileStat + 48));
    }

    @Test
    void renumberMovesTheDescriptor() throws IOException {
        int a = g.open(PREOPEN, "a", Abi.OFLAGS_CREAT, RW, 0, 0);
        int b = g.open(PREOPEN, "b", Abi.OFLAGS_CREAT, RW, 0, 0);
        g.ok("fd_renumber", a, b);
        assertEquals(Errno.BADF, g.call("fd_close", a));
        g.write(b, "to a");
        assertEquals("to a", Files.readString(dir.resolve("a")));
        assertEquals(Errno.BADF, g.call("fd_renumber", a, b));
        int c = g.open(PREOPEN, "c", Abi.OFLAGS_CREAT, RW, 0, 0);
        assertEquals(a, c, "the lowest free number is reused");
    }

    @Test
    void closingThePreopenLeavesOtherDescriptorsWorking() {
        int scratch = g.open(PREOPEN, ".", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
        g.ok("fd_close", PREOPEN);
        int fd = g.open(scratch, "x", Abi.OFLAGS_CREAT, RW, 0, 0);
        g.ok("fd_close", fd);
    }

    @Test
    void badResultPointersFailBeforeAnythingHappens() throws IOException {
        Files.writeString(dir.resolve("f"), "data");
        int end = 2 * 65536;
        assertEquals(Errno.FAULT, g.call("path_open", PREOPEN, 0, g.string("f"), 1, 0, RW, 0L, 0, end));
        int fd = g.open(PREOPEN, "f", 0, RW, 0, 0);
        assertEquals(PREOPEN + 1, fd, "the failed open took no descriptor");
        int buf = g.alloc(4);
        assertEquals(Errno.FAULT, g.call("fd_read", fd, g.iovec(buf, 4), 1, end - 2));
        assertEquals(Errno.FAULT, g.call("fd_read", fd, g.iovec(end - 2, 4), 1, g.alloc(4)));
        assertEquals("data", g.readString(fd, 4), "nothing was read");
        assertEquals(Errno.FAULT, g.call("fd_readdir", PREOPEN, end - 10, 100, 0L, g.alloc(4)));
    }

    @Test
    void fifosAreNotOpened() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        assertEquals(Errno.NOTSUP, g.openErrno(PREOPEN, 0, "fifo", 0, Rights.FD_READ));
    }

    @Test
    void pathsAreUtf8WithoutNul() {
        assertEquals(Errno.INVAL, g.openErrno(PREOPEN, 0, "a\0", Abi.OFLAGS_CREAT, 0));
        int bad = g.bytes(new byte[] {(byte) 0xff, 'a'});
        assertEquals(Errno.ILSEQ, g.call("path_create_directory", PREOPEN, bad, 2));
        assertEquals(Errno.NOENT, g.openErrno(PREOPEN, 0, "", 0, 0));
        String name = "dïr";
        g.ok("path_create_directory", PREOPEN, g.string(name), Guest.length(name));
        assertTrue(Files.isDirectory(dir.resolve(name)));
        // ASCII, which takes no decoder, is the same bytes on the host.
        String ascii = "dir ~!";
        g.ok("path_create_directory", PREOPEN, g.string(ascii), Guest.length(ascii));
        assertTrue(Files.isDirectory(dir.resolve(ascii)));
        int lastBad = g.bytes(new byte[] {'a', 'b', (byte) 0xc3});
        assertEquals(Errno.ILSEQ, g.call("path_create_directory", PREOPEN, lastBad, 3));
    }
}
