package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * A host file descriptor held by one guest descriptor. Calls use it between {@link #acquire} and
 * {@link #release}; closing it while a call is under way defers the host {@code close} until that
 * call ends. Otherwise the number could be reused by an unrelated open meanwhile, and a call in
 * flight would act relative to a directory the guest was never given.
 */
final class HostFd {
    private final int fd;
    /** 1 for the owner until {@link #close}, plus 1 per call in progress; at 0 the host fd is closed. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    HostFd(int fd) {
        this.fd = fd;
    }

    /**
     * Opens the host directory {@code path} for a preopen: the embedder's path, so symbolic links
     * in it are followed; everything the guest reaches later is resolved beneath the result.
     */
    static HostFd openDirectory(Path path) throws IOException {
        if (!LinuxFs.supported()) {
            throw new IOException("preopened directories need Linux on x86_64; this host is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        LinuxFs.bind();
        int fd = LinuxFs.openDirectory(LinuxFs.AT_FDCWD, path.toString(), 0);
        if (fd == -LinuxFs.ENOENT) throw new NoSuchFileException(path.toString());
        if (fd < 0) {
            String reason = switch (-fd) {
                case LinuxFs.ENOTDIR -> "not a directory";
                case LinuxFs.EACCES -> "permission denied";
                default -> "errno " + -fd;
            };
            throw new IOException(path + ": " + reason);
        }
        return new HostFd(fd);
    }

    /** The fd, which stays open until the matching {@link #release}; {@code EBADF} once closed. */
    int acquire() {
        while (true) {
            int n = users.get();
            if (n == 0) throw new WasiError(Errno.BADF);
            if (users.compareAndSet(n, n + 1)) return fd;
        }
    }

    void release() {
        if (users.decrementAndGet() == 0) LinuxFs.close(fd);
    }

    /**
     * The result of {@code call} on the fd, which stays open for the call's length; a failure
     * ({@code -errno}) is thrown as the guest's errno.
     */
    long call(IntToLongFunction call) {
        int fd = acquire();
        try {
            long result = call.applyAsLong(fd);
            if (result < 0) throw new WasiError(Errno.ofLinux((int) -result));
            return result;
        } finally {
            release();
        }
    }

    /** The status of the file or directory itself, whatever name it has now. */
    Filestat filestat() {
        int fd = acquire();
        try {
            return LinuxFs.stat(fd, null).filestat();
        } finally {
            release();
        }
    }

    /** Gives up the owner's hold; the host fd closes now, or when the last call using it ends. */
    void close() {
        if (closed.compareAndSet(false, true)) release();
    }
}
