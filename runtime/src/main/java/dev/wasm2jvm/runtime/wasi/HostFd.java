package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
    /**
     * {@link #fd} of a preopen whose directory its opening thread has not opened yet; a failed
     * opening leaves {@code -errno}.
     */
    private static final int PENDING = Integer.MIN_VALUE;

    private volatile int fd;
    /** The preopens this one is opened with, or {@code null} for an fd open from the start. */
    private final Preopens preopens;
    /** 1 for the owner until {@link #close}, plus 1 per call in progress; at 0 the host fd is closed. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    HostFd(int fd) {
        this.fd = fd;
        this.preopens = null;
    }

    private HostFd(Preopens preopens) {
        this.fd = PENDING;
        this.preopens = preopens;
    }

    /**
     * The host directories of a guest's preopens, each the embedder's path, so symbolic links in it
     * are followed; everything the guest reaches later is resolved beneath them. They are opened on
     * a thread of their own, because the first native call a JVM links costs a program's start-up
     * more than a tenth of a second, which the thread spends while the module is instantiated; a
     * program that never touches its preopens does not wait for it at all.
     *
     * <p>Every preopen waits for all of them, so the guest can change the file system through none
     * before each is open: otherwise a guest could rename a directory of one preopen and put a
     * symbolic link to anywhere in the place of another preopen's path before that one is opened.
     *
     * @throws IOException if a directory does not exist or is not a directory now
     */
    static List<HostFd> openDirectories(List<Path> paths) throws IOException {
        if (!LinuxFs.supported()) {
            throw new IOException("preopened directories need Linux on x86_64; this host is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        for (Path path : paths) {
            if (!Files.readAttributes(path, BasicFileAttributes.class).isDirectory()) {
                throw new IOException(path + ": not a directory");
            }
        }
        LinuxFs.bind();
        Preopens preopens = new Preopens(paths);
        List<HostFd> handles = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) handles.add(new HostFd(preopens));
        preopens.start(handles);
        return handles;
    }

    /** The fd, which stays open until the matching {@link #release}; {@code EBADF} once closed. */
    int acquire() {
        while (true) {
            int n = users.get();
            if (n == 0) throw new WasiError(Errno.BADF);
            if (users.compareAndSet(n, n + 1)) break;
        }
        int f = fd;
        if (f >= 0) return f;
        try {
            return awaitOpen();
        } catch (WasiError e) {
            release();
            throw e;
        }
    }

    /** The fd of a preopen once its opening thread is done, or its failure as the guest's errno. */
    private int awaitOpen() {
        if (preopens != null) preopens.await();
        int f = fd;
        // Still pending once the thread is done: it failed unexpectedly, leaving nothing to say but EIO.
        if (f == PENDING) throw new WasiError(Errno.IO);
        if (f < 0) throw new WasiError(Errno.ofLinux(-f));
        return f;
    }

    void release() {
        if (users.decrementAndGet() == 0) closeHost();
    }

    /** Closes the host fd, or has its opening thread close it if it is not open yet. */
    private synchronized void closeHost() {
        int f = fd;
        if (f >= 0) LinuxFs.close(f);
    }

    /** Takes the result of opening a pending preopen; closes it at once if the guest closed it first. */
    private synchronized void opened(int result) {
        fd = result;
        if (result >= 0 && users.get() == 0) LinuxFs.close(result);
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

    /** The opening of a guest's preopens on a daemon thread; see {@link #openDirectories}. */
    private static final class Preopens {
        private final List<Path> paths;
        private final CountDownLatch done = new CountDownLatch(1);

        Preopens(List<Path> paths) {
            this.paths = List.copyOf(paths);
        }

        void start(List<HostFd> handles) {
            Thread opener = new Thread(() -> {
                try {
                    // All are open on the host before any is handed to the guest.
                    int[] fds = new int[paths.size()];
                    for (int i = 0; i < fds.length; i++) {
                        fds[i] = LinuxFs.openDirectory(LinuxFs.AT_FDCWD, paths.get(i).toString(), 0);
                    }
                    for (int i = 0; i < fds.length; i++) handles.get(i).opened(fds[i]);
                } finally {
                    done.countDown();
                }
                LinuxFs.linkCommonCalls();
            }, "wasm2jvm-preopens");
            opener.setDaemon(true);
            opener.start();
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
