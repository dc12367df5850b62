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

    /**
     * A path deeper than the process may hold host fds ({@code RLIMIT_NOFILE}, 256 in the child
     * JVM that resolves it): a symbolic link to 1,000 nested directories, then up 100 of them and
     * down again. Both resolutions find its file, and the walk holds a bounded number of host fds,
     * not one for each directory on the path (which failed with {@code EMFILE}).
     */
    @Test
    void aPathDeeperThanTheHostsFdLimitResolves() throws Exception {
        Path deep = Files.createDirectory(root.resolve("deep"));
        try {
            List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh"));
            command.addAll(LargeIoTest.javaCommand(DeepPath.class));
            command.add(deep.toString());
            LargeIoTest.ChildRun child = LargeIoTest.run(command);
            assertEquals(0, child.exit(), child.out() + child.err());
            String walked = "walk: f, the file, no host fd left open\n";
            assertEquals((kernelHasOpenat2() ? walked.replace("walk", "openat2") : "") + walked, child.out());
        } finally {
            // Deeper than a host path can name: removed by rm, which walks it as the resolver does.
            assertEquals(0, new ProcessBuilder("rm", "-rf", deep.toString()).start().waitFor());
        }
    }

    /** Makes the tree of {@link #aPathDeeperThanTheHostsFdLimitResolves} in its argument and resolves the path. */
    static final class DeepPath {
        public static void main(String[] args) throws Exception {
            Path top = Path.of(args[0]);
            long ino = nestedTree(top, 1000);
            String path = "x/" + "../".repeat(100) + "d/".repeat(100) + "f";
            for (boolean openat2 : new boolean[] {true, false}) {
                if (openat2 && !kernelHasOpenat2()) continue;
                DirectoryDescriptor dir = new DirectoryDescriptor(HostFd.openDirectories(List.of(top)).get(0), ".",
                        Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
                PathResolver resolver = new PathResolver(openat2);
                // The first use opens the directory descriptor's own fd.
                resolver.resolve(dir, "x", false).close();
                long before = openFds();
                String found;
                try (PathResolver.Resolved resolved = resolver.resolve(dir, path, false)) {
                    found = resolved.name + (resolved.stat().filestat().ino() == ino ? ", the file" : ", another file");
                } catch (WasiError e) {
                    found = "errno " + e.errno;
                }
                String left = openFds() == before ? "no host fd left open" : "host fds left open";
                System.out.print((openat2 ? "openat2" : "walk") + ": " + found + ", " + left + "\n");
                dir.close();
            }
        }

        /**
         * In {@code top}, a symbolic link {@code x} to {@code depth} nested directories {@code d},
         * and in the last a file {@code f}, whose inode is returned.
         */
        private static long nestedTree(Path top, int depth) {
            int base = LinuxFs.check(LinuxFs.openDirectory(LinuxFs.AT_FDCWD, top.toString(), 0));
            LinuxFs.check(LinuxFs.symlinkat("d/".repeat(depth - 1) + "d", base, "x"));
            int current = base;
            try {
                for (int i = 0; i < depth; i++) {
                    LinuxFs.check(LinuxFs.mkdirat(current, "d", 0777));
                    int next = LinuxFs.check(LinuxFs.openat(current, "d",
                            LinuxFs.O_PATH | LinuxFs.O_DIRECTORY | LinuxFs.O_CLOEXEC, 0));
                    if (current != base) LinuxFs.close(current);
                    current = next;
                }
                LinuxFs.close(LinuxFs.check(LinuxFs.openat(current, "f", LinuxFs.O_CREAT | LinuxFs.O_WRONLY
                        | LinuxFs.O_CLOEXEC, 0666)));
                return LinuxFs.stat(current, "f").filestat().ino();
            } finally {
                if (current != base) LinuxFs.close(current);
                LinuxFs.close(base);
            }
        }
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
