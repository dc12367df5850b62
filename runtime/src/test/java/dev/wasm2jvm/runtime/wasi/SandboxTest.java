package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No path leaves its directory descriptor, whatever way the guest tries. */
class SandboxTest {
    private static final int PREOPEN = 3;
    private static final int FOLLOW = Abi.LOOKUPFLAGS_SYMLINK_FOLLOW;

    @TempDir
    Path root;

    Path sandbox;
    Guest g;

    @BeforeEach
    void setUp() throws IOException {
        sandbox = Files.createDirectory(root.resolve("sandbox"));
        Files.writeString(root.resolve("secret"), "secret");
        Files.createDirectories(sandbox.resolve("dir/nested"));
        Files.writeString(sandbox.resolve("dir/nested/file"), "inside");
        g = new Guest(WasiOptions.builder().preopenDirectory(sandbox, ".").build());
    }

    @Test
    void dotDotStaysWithinTheDirectory() {
        int fd = g.open(PREOPEN, "dir/.//nested/../../dir/nested/../nested///./file", 0, Rights.FD_READ, 0, 0);
        assertEquals("inside", g.readString(fd, 10));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "../secret", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "dir/../../secret", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "..", Abi.OFLAGS_DIRECTORY, 0));
        assertEquals(Errno.PERM, g.call("path_create_directory", PREOPEN, g.string("../x"), 4));
        assertFalse(Files.exists(root.resolve("x")));

        // A directory opened beneath the preopen is a sandbox of its own.
        int dir = g.open(PREOPEN, "dir", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
        assertEquals(Errno.PERM, g.openErrno(dir, 0, "nested/../../dir/nested/file", 0, Rights.FD_READ));
    }

    @Test
    void absolutePathsAreRefused() {
        String secret = root.resolve("secret").toString();
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, secret, 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "/dir/nested/file", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.call("path_unlink_file", PREOPEN, g.string(secret), Guest.length(secret)));
        assertTrue(Files.exists(root.resolve("secret")));
    }

    @Test
    void hostSymlinksPointingOutsideAreNotFollowed() throws IOException {
        Files.createSymbolicLink(sandbox.resolve("relative"), Path.of("../secret"));
        Files.createSymbolicLink(sandbox.resolve("absolute"), root.resolve("secret"));
        Files.createSymbolicLink(sandbox.resolve("up"), Path.of(".."));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "relative", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "absolute", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "up/secret", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.call("path_filestat_get", PREOPEN, FOLLOW, g.string("absolute"), 8, g.alloc(64)));

        // Symlinks within the sandbox work, through directories too.
        Files.createSymbolicLink(sandbox.resolve("inner"), Path.of("dir/nested"));
        int fd = g.open(PREOPEN, "inner/file", 0, Rights.FD_READ, 0, 0);
        assertEquals("inside", g.readString(fd, 10));
    }

    @Test
    void guestCreatedSymlinksCannotLeadOutside() throws IOException {
        assertEquals(Errno.PERM, g.call("path_symlink", g.string("/etc"), 4, PREOPEN, g.string("abs"), 3));
        assertFalse(Files.exists(sandbox.resolve("abs"), java.nio.file.LinkOption.NOFOLLOW_LINKS));

        g.ok("path_symlink", g.string("../secret"), 9, PREOPEN, g.string("escape"), 6);
        g.ok("path_symlink", g.string("dir/../../secret"), 16, PREOPEN, g.string("escape2"), 7);
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "escape", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "escape2", 0, Rights.FD_READ));
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, FOLLOW, "escape", Abi.OFLAGS_CREAT | Abi.OFLAGS_TRUNC,
                Rights.FD_WRITE));
        assertEquals("secret", Files.readString(root.resolve("secret")));

        g.ok("path_symlink", g.string(".."), 2, PREOPEN, g.string("dir/nested/up"), 13);
        int fd = g.open(PREOPEN, "dir/nested/up/nested/file", 0, Rights.FD_READ, 0, 0);
        assertEquals("inside", g.readString(fd, 10));
        g.ok("path_symlink", g.string("../../.."), 8, PREOPEN, g.string("dir/nested/out"), 14);
        assertEquals(Errno.PERM, g.openErrno(PREOPEN, 0, "dir/nested/out/secret", 0, Rights.FD_READ));
    }

    @Test
    void theGuestNeverSeesHostPaths() throws IOException {
        int name = g.alloc(64);
        g.ok("fd_prestat_dir_name", PREOPEN, name, 64);
        assertEquals(".", g.text(name, 1));
        Files.createSymbolicLink(sandbox.resolve("absolute"), root.resolve("secret"));
        assertEquals(Errno.PERM, g.call("path_readlink", PREOPEN, g.string("absolute"), 8, name, 64, g.alloc(4)));
    }
}
