package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resolver itself: both ways of resolving (openat2, and the component walk used where the
 * kernel lacks it) give the same directory and name, or the same errno, for the same path.
 */
class PathResolverTest {
    @TempDir
    Path root;

    Path sandbox;
    DirectoryDescriptor dir;

    @BeforeEach
    void setUp() throws IOException {
        sandbox = Files.createDirectory(root.resolve("sandbox"));
        Files.createDirectory(root.resolve("outside"));
        Files.createDirectories(sandbox.resolve("a/b/c"));
        Files.writeString(sandbox.resolve("a/file"), "");
        Files.createSymbolicLink(sandbox.resolve("toB"), Path.of("a/b"));
        Files.createSymbolicLink(sandbox.resolve("a/b/up"), Path.of("../.."));
        Files.createSymbolicLink(sandbox.resolve("a/b/out"), Path.of("../../../outside"));
        Files.createSymbolicLink(sandbox.resolve("abs"), sandbox.resolve("a"));
        Files.createSymbolicLink(sandbox.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(sandbox.resolve("toFile"), Path.of("a/file"));
        dir = new DirectoryDescriptor(HostFd.openDirectories(List.of(sandbox)).get(0), ".", Rights.DIRECTORY,
                Rights.DIRECTORY_INHERITING, 0);
    }

    @AfterEach
    void tearDown() {
        dir.close();
    }

    /** Whether this kernel resolves with openat2 (Linux 5.6 on, unless a seccomp filter refuses it). */
    static boolean kernelHasOpenat2() {
        int fd = LinuxFs.openat(LinuxFs.AT_FDCWD, "/", LinuxFs.O_PATH | LinuxFs.O_DIRECTORY | LinuxFs.O_CLOEXEC, 0);
        try {
            int opened = LinuxFs.openat2(fd, ".", LinuxFs.O_PATH | LinuxFs.O_CLOEXEC, LinuxFs.RESOLVE_BENEATH);
            if (opened < 0) return false;
            LinuxFs.close(opened);
            return true;
        } finally {
            LinuxFs.close(fd);
        }
    }

    private PathResolver resolver(boolean openat2) {
        if (openat2) assumeTrue(kernelHasOpenat2(), "this kernel has no openat2");
        return new PathResolver(openat2);
    }

    /** Resolves {@code path} and describes the result as "parent-relative-to-sandbox:name". */
    private String resolve(PathResolver resolver, String path, boolean follow) throws IOException {
        try (PathResolver.Resolved r = resolver.resolve(dir, path, follow)) {
            long ino = LinuxFs.stat(r.dirfd, null).filestat().ino();
            String parent;
            try (Stream<Path> all = Files.walk(sandbox)) {
                parent = all.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> SandboxEscapeTest.inode(p) == ino)
                        .map(p -> "/" + sandbox.relativize(p))
                        .findFirst().orElse("?");
            }
            return parent + ":" + r.name + (r.trailingSlash ? "/" : "");
        } catch (WasiError e) {
            return "errno " + e.errno;
        }
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void resolvesToTheParentDirectoryAndTheFinalName(boolean openat2) throws IOException {
        PathResolver r = resolver(openat2);
        assertEquals("/a/b:c", resolve(r, "a/b/c", false));
        assertEquals("/a/b:c/", resolve(r, "a/./b//c//", false));
        assertEquals("/a:b", resolve(r, "a/b/c/../../b", false));
        assertEquals("/a/b:c", resolve(r, "toB/c", false));
        assertEquals("/:toB", resolve(r, "toB", false));
        assertEquals("/a:b", resolve(r, "toB", true));
        assertEquals("/a:file", resolve(r, "toFile", true));
        assertEquals("/:a", resolve(r, "toB/up/a", false));
        assertEquals("/a/b:up", resolve(r, "a/b/up", false));
        assertEquals("/:null", resolve(r, "a/b/up", true));
        assertEquals("/:null", resolve(r, ".", false));
        assertEquals("/:null/", resolve(r, "a/..//", false));
        assertEquals("/a:null", resolve(r, "a/b/..", false));
        assertEquals("/a/b:missing", resolve(r, "a/b/missing", true));
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void refusesWithTheSameErrnos(boolean openat2) throws IOException {
        PathResolver r = resolver(openat2);
        assertEquals("errno " + Errno.PERM, resolve(r, "..", false));
        assertEquals("errno " + Errno.PERM, resolve(r, "../sandbox/a", false));
        assertEquals("errno " + Errno.PERM, resolve(r, "a/../../x", false));
        assertEquals("errno " + Errno.PERM, resolve(r, "/a", false));
        assertEquals("errno " + Errno.PERM, resolve(r, "abs/file", false));
        assertEquals("errno " + Errno.PERM, resolve(r, "abs", true));
        assertEquals("errno " + Errno.PERM, resolve(r, "a/b/out/x", false));
        assertEquals("errno " + Errno.PERM, resolve(r, "toB/up/../x", false));
        assertEquals("errno " + Errno.LOOP, resolve(r, "loop/x", false));
        assertEquals("errno " + Errno.LOOP, resolve(r, "loop", true));
        assertEquals("errno " + Errno.NOENT, resolve(r, "missing/x", false));
        assertEquals("errno " + Errno.NOENT, resolve(r, "", false));
        assertEquals("errno " + Errno.NOTDIR, resolve(r, "a/file/x", false));
        assertEquals("errno " + Errno.NOTDIR, resolve(r, "toFile/x", false));
    }

    @ParameterizedTest(name = "openat2={0}")
    @ValueSource(booleans = {true, false})
    void leavesNoHostFdOpen(boolean openat2) throws IOException {
        PathResolver r = resolver(openat2);
        resolve(r, "a/b/c", false);
        long before = openFds();
        for (int i = 0; i < 50; i++) {
            for (String path : new String[] {"a/b/c", "toB/up/a/b", "a/b/up", "..", "loop/x", "a/b/out/x",
                    "a/file/x", "toB/c/../missing/x", "a/b/.."}) {
                resolve(r, path, i % 2 == 0);
            }
        }
        assertEquals(before, openFds());
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aHostFdClosedDuringACallStaysOpenUntilTheCallEnds() {
        HostFd handle = new HostFd(LinuxFs.openat(LinuxFs.AT_FDCWD, sandbox.toString(),
                LinuxFs.O_PATH | LinuxFs.O_DIRECTORY | LinuxFs.O_CLOEXEC, 0));
        int fd = handle.acquire();
        handle.close();
        assertEquals(Abi.FILETYPE_DIRECTORY, LinuxFs.stat(fd, null).filestat().filetype(), "still open");
        handle.release();
        WasiError e = assertThrows(WasiError.class, handle::acquire);
        assertEquals(Errno.BADF, e.errno);
    }

    @Test
    void runningOutOfDescriptorsIsEmfileNeverEio() {
        assertEquals(Errno.MFILE, Errno.ofLinux(24), "EMFILE");
        assertEquals(Errno.MFILE, Errno.ofLinux(23), "ENFILE");
        // As the JDK reports them when it opens a file's channel.
        assertEquals(Errno.MFILE, Errno.of(new FileSystemException("/proc/self/fd/9", null, "Too many open files")));
        assertEquals(Errno.MFILE, Errno.of(new FileSystemException("/proc/self/fd/9", null,
                "Too many open files in system")));
    }
}
