package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the sandbox as a guest makes them, through the WASI functions: each call must act
 * inside the preopen or fail with the errno asserted, and the directory beside the preopen
 * ({@code outside}) must be exactly as it was. Every case runs with each way of resolving: the
 * kernel's {@code openat2} ({@code true}) and the component walk used where it is missing.
 */
class SandboxEscapeTest {
    private static final int PREOPEN = 3;
    private static final int FOLLOW = Abi.LOOKUPFLAGS_SYMLINK_FOLLOW;
    private static final long READ = Rights.FD_READ;
    private static final long WRITE = Rights.FD_WRITE;

    @TempDir
    Path root;

    Path sandbox;
    Path outside;
    Map<String, String> outsideBefore;
    Guest g;

    @BeforeEach
    void setUp() throws IOException {
        sandbox = Files.createDirectory(root.resolve("sandbox"));
        outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "OUTSIDE");
        Files.createDirectory(outside.resolve("sub"));
        Files.writeString(sandbox.resolve("file"), "inside");
        Files.createDirectories(sandbox.resolve("dir/nested"));
        outsideBefore = snapshot(outside);
    }

    @AfterEach
    void outsideIsUntouched() throws IOException {
        if (g != null) g.wasi.close();
        assertEquals(outsideBefore, snapshot(outside), "the directory beside the preopen");
    }

    private void start(boolean openat2) throws IOException {
        start(openat2, sandbox);
    }

    private void start(boolean openat2, Path preopen) throws IOException {
        if (openat2) assumeTrue(PathResolverTest.kernelHasOpenat2(), "this kernel has no openat2");
        g = new Guest(WasiOptions.builder().preopenDirectory(preopen, ".").build(), new PathResolver(openat2));
    }

    /** Finding 1: a directory fd whose name now leads outside still acts on its own directory. */
    @ParameterizedTest(name = "openat2={0}, renamed={1}")
    @CsvSource({"true,false", "true,true", "false,false", "false,true"})
    void aDirectoryFdKeepsItsDirectoryWhenItsNameIsSwappedForASymlinkOutside(boolean openat2, boolean rename)
            throws IOException {
        start(openat2);
        g.ok("path_create_directory", PREOPEN, g.string("v"), 1);
        int v = g.open(PREOPEN, "v", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
        if (rename) g.ok("path_rename", PREOPEN, g.string("v"), 1, PREOPEN, g.string("moved"), 5);
        else g.ok("path_remove_directory", PREOPEN, g.string("v"), 1);
        g.ok("path_symlink", g.string("../outside"), 10, PREOPEN, g.string("v"), 1);

        // Through the fd: the directory it was opened on (renamed, or removed and so empty).
        assertEquals(Errno.NOENT, g.openErrno(v, 0, "secret", 0, READ));
        assertEquals(Errno.NOENT, g.openErrno(v, FOLLOW, "secret", 0, READ));
        assertEquals(Errno.NOENT, g.call("path_unlink_file", v, g.string("secret"), 6));
        assertEquals(Errno.NOENT, g.call("path_filestat_get", v, 0, g.string("secret"), 6, g.alloc(64)));
        assertEquals(Errno.NOENT, g.call("path_remove_directory", v, g.string("sub"), 3));
        assertEquals(Errno.NOENT, g.call("path_rename", v, g.string("secret"), 6, PREOPEN, g.string("stolen"), 6));
        assertEquals(Errno.NOENT, g.call("path_link", v, 0, g.string("secret"), 6, PREOPEN, g.string("stolen"), 6));
        assertEquals(Errno.NOENT, g.call("path_readlink", v, g.string("secret"), 6, g.alloc(64), 64, g.alloc(4)));
        assertEquals(Errno.NOENT, g.call("path_filestat_set_times", v, 0, g.string("secret"), 6, 0L, 0L,
                Abi.FSTFLAGS_MTIM_NOW));
        if (rename) assertEquals(List.of(".", ".."), readdir(v));
        else assertEquals(Errno.NOENT, g.call("fd_readdir", v, g.alloc(256), 256, 0L, g.alloc(4)), "a removed directory");
        int created = g.alloc(4);
        int made = g.call("path_create_directory", v, g.string("made"), 4);
        int opened = g.call("path_open", v, 0, g.string("new"), 3, Abi.OFLAGS_CREAT, WRITE, 0L, 0, created);
        int linked = g.call("path_symlink", g.string("x"), 1, v, g.string("link"), 4);
        if (rename) {
            assertEquals(0, made);
            assertEquals(0, opened);
            assertEquals(0, linked);
            assertTrue(Files.isDirectory(sandbox.resolve("moved/made")));
            assertTrue(Files.isRegularFile(sandbox.resolve("moved/new")));
            assertEquals(List.of(".", "..", "link", "made", "new"), readdir(v));
        } else {
            // A removed directory takes no new entries (Linux: ENOENT).
            assertEquals(Errno.NOENT, made);
            assertEquals(Errno.NOENT, opened);
            assertEquals(Errno.NOENT, linked);
        }
        int stat = g.alloc(64);
        g.ok("path_filestat_get", v, 0, g.string("."), 1, stat);
        assertEquals(Abi.FILETYPE_DIRECTORY, g.read(stat + 16, 1)[0]);
        assertNotEquals(inode(outside), g.i64(stat + 8));
        assertEquals(Errno.PERM, g.openErrno(v, 0, "../outside/secret", 0, READ));

        // Through the name, the symlink leads outside and is refused.
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "v/secret", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "v", Abi.OFLAGS_DIRECTORY, 0));
        assertEquals(Errno.PERM, g.call("path_unlink_file", PREOPEN, g.string("v/secret"), 8));
        assertEquals(Errno.PERM, g.call("path_create_directory", PREOPEN, g.string("v/x"), 3));
        assertEquals(Errno.PERM, g.call("path_filestat_get", PREOPEN, 0, g.string("v/secret"), 8, g.alloc(64)));
        assertEquals(Errno.PERM, g.call("path_filestat_get", PREOPEN, FOLLOW, g.string("v"), 1, g.alloc(64)));
    }

    /** Symbolic links leading from one place inside to another are followed, however chained. */
    /**
     * Preopens are opened for the guest by the first use of any: a guest that renames the
     * directory of a nested preopen through the outer one and puts a symbolic link outside in its
     * place, before it ever used the nested one, still reaches the directory it was given, since no
     * call acts before all preopens are open.
     */
    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void aNestedPreopenIsTheDirectoryItNamedWhenTheGuestStarted(boolean openat2) throws IOException {
        Files.writeString(sandbox.resolve("dir/nested/mine"), "nested");
        Files.writeString(outside.resolve("mine"), "OUTSIDE");
        outsideBefore = snapshot(outside);
        g = new Guest(WasiOptions.builder().preopenDirectory(sandbox, "outer")
                .preopenDirectory(sandbox.resolve("dir/nested"), "inner").build(), new PathResolver(openat2));
        int inner = PREOPEN + 1;
        g.ok("path_rename", PREOPEN, g.string("dir/nested"), 10, PREOPEN, g.string("dir/moved"), 9);
        g.ok("path_symlink", g.string("../../outside"), 13, PREOPEN, g.string("dir/nested"), 10);
        assertEquals("nested", g.readString(g.open(inner, "mine", 0, READ, 0, 0), 10));
    }

    /**
     * A preopen is opened for the guest on its first use, yet it is the directory its path named
     * when the guest started: one moved away before that use and replaced by a symbolic link to
     * outside (by anyone: the guest cannot act on the file system before it uses a preopen) is
     * still the directory given, and the link is not followed.
     */
    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void aPreopenReplacedBeforeItsFirstUseIsTheDirectoryItNamedWhenTheGuestStarted(boolean openat2)
            throws IOException {
        Files.writeString(sandbox.resolve("mine"), "given");
        Files.writeString(outside.resolve("mine"), "OUTSIDE");
        outsideBefore = snapshot(outside);
        start(openat2);
        Path moved = Files.move(sandbox, root.resolve("moved"));
        Files.createSymbolicLink(sandbox, outside);
        assertEquals("given", g.readString(g.open(PREOPEN, "mine", 0, READ, 0, 0), 10));
        g.write(g.open(PREOPEN, "new", Abi.OFLAGS_CREAT, WRITE, 0, 0), "written");
        assertEquals("written", Files.readString(moved.resolve("new")));
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void symlinkChainsInsideAreFollowedAndAnyHopOutsideFails(boolean openat2) throws IOException {
        start(openat2);
        Files.createSymbolicLink(sandbox.resolve("one"), Path.of("dir/two"));
        Files.createSymbolicLink(sandbox.resolve("dir/two"), Path.of("nested/three"));
        Files.createSymbolicLink(sandbox.resolve("dir/nested/three"), Path.of("../../file"));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, 0, "one", 0, READ), "without SYMLINK_FOLLOW");
        int followed = g.alloc(4);
        g.ok("path_open", PREOPEN, FOLLOW, g.string("one"), 3, 0, READ, 0L, 0, followed);
        assertEquals("inside", g.readString(g.i32(followed), 10));

        // Directory links as intermediate components, chained.
        Files.createSymbolicLink(sandbox.resolve("d1"), Path.of("d2"));
        Files.createSymbolicLink(sandbox.resolve("d2"), Path.of("dir/nested/.."));
        Files.writeString(sandbox.resolve("dir/here"), "here");
        assertEquals("here", g.readString(g.open(PREOPEN, "d1/here", 0, READ, 0, 0), 10));
        assertEquals("inside", g.readString(g.open(PREOPEN, "d1/nested/../../file", 0, READ, 0, 0), 10));

        // A hop that leaves, even to come back in, fails.
        Files.createSymbolicLink(sandbox.resolve("dir/out"), Path.of("../../outside/secret"));
        Files.createSymbolicLink(sandbox.resolve("dir/outAndBack"), Path.of("../../sandbox/file"));
        Files.createSymbolicLink(sandbox.resolve("hop"), Path.of("dir/out"));
        Files.createSymbolicLink(sandbox.resolve("hopBack"), Path.of("dir/outAndBack"));
        Files.createSymbolicLink(sandbox.resolve("dirHop"), Path.of("dir/nested/../../../outside"));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "hop", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "hopBack", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "dirHop/secret", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "d1/out", 0, READ));
        assertEquals(Errno.PERM, g.call("path_filestat_get", PREOPEN, FOLLOW, g.string("hop"), 3, g.alloc(64)));
        assertEquals(Errno.PERM, g.call("path_unlink_file", PREOPEN, g.string("dirHop/secret"), 13));
        assertEquals(Errno.PERM, g.call("path_create_directory", PREOPEN, g.string("dirHop/new"), 10));
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void symlinkLoopsFailWithEloop(boolean openat2) throws IOException {
        start(openat2);
        g.ok("path_symlink", g.string("self"), 4, PREOPEN, g.string("self"), 4);
        g.ok("path_symlink", g.string("pong"), 4, PREOPEN, g.string("ping"), 4);
        g.ok("path_symlink", g.string("ping"), 4, PREOPEN, g.string("pong"), 4);
        g.ok("path_symlink", g.string("../loopdir"), 10, PREOPEN, g.string("dir/loopdir"), 11);
        g.ok("path_symlink", g.string("dir/loopdir"), 11, PREOPEN, g.string("loopdir"), 7);
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, FOLLOW, "self", 0, READ));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, FOLLOW, "ping", 0, READ));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, 0, "ping/x", 0, READ));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, 0, "loopdir/file", 0, READ));
        assertEquals(Errno.LOOP, g.call("path_create_directory", PREOPEN, g.string("pong/x"), 6));
        assertEquals(Errno.LOOP, g.call("path_filestat_get", PREOPEN, FOLLOW, g.string("pong"), 4, g.alloc(64)));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, FOLLOW, "self", Abi.OFLAGS_CREAT, WRITE));
        // Forty links in a chain are followed, as on Linux; the forty-first is one too many.
        for (int i = 0; i <= 40; i++) Files.createSymbolicLink(sandbox.resolve("chain" + i), Path.of("chain" + (i + 1)));
        Files.writeString(sandbox.resolve("chain41"), "end");
        assertEquals("end", g.readString(openFollowing("chain1"), 10));
        assertEquals(Errno.LOOP, g.openErrno(PREOPEN, FOLLOW, "chain0", 0, READ));
    }

    private int openFollowing(String path) {
        int fd = g.alloc(4);
        g.ok("path_open", PREOPEN, FOLLOW, g.string(path), Guest.length(path), 0, READ, 0L, 0, fd);
        return g.i32(fd);
    }

    /** A dangling link never makes O_CREAT create its target outside. */
    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void danglingLinksDoNotCreateOutside(boolean openat2) throws IOException {
        start(openat2);
        Files.createSymbolicLink(sandbox.resolve("relative"), Path.of("../outside/created"));
        Files.createSymbolicLink(sandbox.resolve("absolute"), outside.resolve("created"));
        Files.createSymbolicLink(sandbox.resolve("inner"), Path.of("dir/created"));
        int exclusive = Abi.OFLAGS_CREAT | Abi.OFLAGS_EXCL;
        for (String link : List.of("relative", "absolute")) {
            assertEquals(Errno.EXIST, g.openErrno(PREOPEN, 0, link, exclusive, WRITE), link);
            assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, link, exclusive, WRITE), link);
            assertEquals(Errno.LOOP, g.openErrno(PREOPEN, 0, link, Abi.OFLAGS_CREAT, WRITE), link);
            assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, link, Abi.OFLAGS_CREAT, WRITE), link);
        }
        assertEquals(Errno.EXIST, g.openErrno(PREOPEN, 0, "inner", exclusive, WRITE));
        g.write(openCreating("inner"), "made");
        assertEquals("made", Files.readString(sandbox.resolve("dir/created")));
        assertFalse(Files.exists(outside.resolve("created"), LinkOption.NOFOLLOW_LINKS));
    }

    private int openCreating(String path) {
        int fd = g.alloc(4);
        g.ok("path_open", PREOPEN, FOLLOW, g.string(path), Guest.length(path), Abi.OFLAGS_CREAT, WRITE, 0L, 0, fd);
        return g.i32(fd);
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void renameAndLinkAcrossTheBoundaryAreRefused(boolean openat2) throws IOException {
        start(openat2);
        Files.createSymbolicLink(sandbox.resolve("out"), Path.of("../outside"));
        Files.createSymbolicLink(sandbox.resolve("abs"), outside);
        for (String away : List.of("../outside/moved", "out/moved", "abs/moved", "dir/../../outside/moved")) {
            int n = Guest.length(away);
            assertEquals(Errno.PERM, g.call("path_rename", PREOPEN, g.string("file"), 4, PREOPEN, g.string(away), n),
                    away);
            assertEquals(Errno.PERM, g.call("path_link", PREOPEN, 0, g.string("file"), 4, PREOPEN, g.string(away), n),
                    away);
        }
        for (String in : List.of("../outside/secret", "out/secret", "abs/secret", "out/sub")) {
            int n = Guest.length(in);
            assertEquals(Errno.PERM, g.call("path_rename", PREOPEN, g.string(in), n, PREOPEN, g.string("stolen"), 6),
                    in);
            assertEquals(Errno.PERM, g.call("path_link", PREOPEN, 0, g.string(in), n, PREOPEN, g.string("stolen"), 6),
                    in);
        }
        assertEquals("inside", Files.readString(sandbox.resolve("file")));
        assertFalse(Files.exists(sandbox.resolve("stolen"), LinkOption.NOFOLLOW_LINKS));

        // Renaming the link itself moves the link, not what it leads to.
        g.ok("path_rename", PREOPEN, g.string("out"), 3, PREOPEN, g.string("dir/out"), 7);
        assertTrue(Files.isSymbolicLink(sandbox.resolve("dir/out")));
        g.ok("path_link", PREOPEN, 0, g.string("dir/out"), 7, PREOPEN, g.string("hard"), 4);
        assertTrue(Files.isSymbolicLink(sandbox.resolve("hard")));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "hard/secret", 0, READ));
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void absoluteSymlinkTargetsAreNeverFollowed(boolean openat2) throws IOException {
        start(openat2);
        Files.createSymbolicLink(sandbox.resolve("toOutside"), outside.resolve("secret"));
        Files.createSymbolicLink(sandbox.resolve("toInside"), sandbox.resolve("file"));
        Files.createSymbolicLink(sandbox.resolve("root"), Path.of("/"));
        for (String link : List.of("toOutside", "toInside")) {
            assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, link, 0, READ), link);
            assertEquals(Errno.PERM, g.call("path_filestat_get", PREOPEN, FOLLOW, g.string(link), link.length(),
                    g.alloc(64)), link);
            assertEquals(Errno.PERM, g.call("path_readlink", PREOPEN, g.string(link), link.length(), g.alloc(256), 256,
                    g.alloc(4)), link);
        }
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "root/etc/passwd", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "root", Abi.OFLAGS_DIRECTORY, 0));
        assertEquals(Errno.PERM, g.call("path_symlink", g.string("/etc"), 4, PREOPEN, g.string("made"), 4));
        int stat = g.alloc(64);
        g.ok("path_filestat_get", PREOPEN, 0, g.string("toOutside"), 9, stat);
        assertEquals(Abi.FILETYPE_SYMBOLIC_LINK, g.read(stat + 16, 1)[0], "the link itself may be seen");
        g.ok("path_unlink_file", PREOPEN, g.string("toOutside"), 9);
        assertTrue(Files.exists(outside.resolve("secret")));
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void dotDotAboveTheDirectoryIsRefused(boolean openat2) throws IOException {
        start(openat2);
        for (String up : List.of("..", "../", "../outside", "./../outside/secret", "dir/../..", "dir/nested/../../..",
                "../sandbox/file", "dir/..//../outside")) {
            int n = Guest.length(up);
            assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, up, 0, READ), up);
            assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, up, Abi.OFLAGS_CREAT, WRITE), up);
            assertEquals(Errno.PERM, g.call("path_filestat_get", PREOPEN, 0, g.string(up), n, g.alloc(64)), up);
            assertEquals(Errno.PERM, g.call("path_create_directory", PREOPEN, g.string(up + "/x"), n + 2), up);
            assertEquals(Errno.PERM, g.call("path_unlink_file", PREOPEN, g.string(up + "/secret"), n + 7), up);
            assertEquals(Errno.PERM, g.call("path_remove_directory", PREOPEN, g.string(up + "/sub"), n + 4), up);
            assertEquals(Errno.PERM, g.call("path_symlink", g.string("x"), 1, PREOPEN, g.string(up + "/l"), n + 2), up);
            assertEquals(Errno.PERM, g.call("path_readlink", PREOPEN, g.string(up + "/l"), n + 2, g.alloc(8), 8,
                    g.alloc(4)), up);
            assertEquals(Errno.PERM, g.call("path_filestat_set_times", PREOPEN, 0, g.string(up), n, 0L, 0L,
                    Abi.FSTFLAGS_MTIM_NOW), up);
        }
        // A directory opened beneath the preopen is a root of its own.
        int dir = g.open(PREOPEN, "dir", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
        assertEquals(Errno.PERM, g.openErrno(dir, 0, "../file", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(dir, 0, "nested/../../file", 0, READ));
        g.ok("path_filestat_get", dir, 0, g.string("nested/.."), 9, g.alloc(64));
    }

    /** The embedder's path to the preopen may go through symbolic links; the guest's may not leave it. */
    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void aPreopenReachedThroughASymlinkWorks(boolean openat2) throws IOException {
        Path alias = Files.createSymbolicLink(root.resolve("alias"), Path.of("sandbox"));
        Path viaParent = Files.createSymbolicLink(root.resolve("up"), Path.of("."));
        start(openat2, viaParent.resolve("alias"));
        assertEquals("inside", g.readString(g.open(PREOPEN, "file", 0, READ, 0, 0), 10));
        g.write(g.open(PREOPEN, "dir/new", Abi.OFLAGS_CREAT, WRITE, 0, 0), "new");
        assertEquals("new", Files.readString(alias.resolve("dir/new")));
        assertEquals(List.of(".", "..", "dir", "file"), readdir(PREOPEN));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "../outside/secret", 0, READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "../alias/file", 0, READ));
        int stat = g.alloc(64);
        g.ok("fd_filestat_get", PREOPEN, stat);
        assertEquals(inode(sandbox), g.i64(stat + 8));
    }

    /** The names fd_readdir lists, from cookie 0, in one buffer, by name (it lists in the file system's order). */
    private List<String> readdir(int fd) {
        int buf = g.alloc(4096);
        int used = g.alloc(4);
        g.ok("fd_readdir", fd, buf, 4096, 0L, used);
        List<String> names = new ArrayList<>();
        for (int at = buf; at < buf + g.i32(used); ) {
            int namlen = g.i32(at + 16);
            names.add(g.text(at + 24, namlen));
            at += 24 + namlen;
        }
        names.sort(null);
        return names;
    }

    static long inode(Path path) {
        try {
            return (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry beneath {@code dir} (links not followed) with its content, its link target or "dir". */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String name = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) entries.put(name, "-> " + Files.readSymbolicLink(p));
                else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) entries.put(name, "dir");
                else entries.put(name, Files.readString(p) + " @" + Files.getLastModifiedTime(p));
            }
        }
        return entries;
    }
}
