package dev.wasm2jvm.runtime.wasi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * A host file descriptor held by one guest descriptor. Calls use it between {@link #acquire} and
 * {@link #release}; closing it while a call is under way defers the host {@code close} until that
 * call ends. Otherwise the number could be reused by an unrelated open meanwhile, and a call in
 * flight would act relative to a directory the guest was never given.
 */
final class HostFd {
    /** {@link #fd} of a preopen whose directory is not open yet; a failed opening leaves {@code -errno}. */
    private static final int PENDING = Integer.MIN_VALUE;
    /** {@link #fd} once the host fd is closed, so that nothing closes it twice. */
    private static final int CLOSED = Integer.MIN_VALUE + 1;
    /** The folder whose entries name this process's open fds, each a link to the file open there. */
    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private volatile int fd;
    /** The preopens this one is opened with, or {@code null} for an fd open from the start. */
    private final Preopens preopens;
    /** The JDK channel that owns {@link #fd} and closes it, or {@code null} when this class does. */
    private final Closeable owner;
    /** 1 for the owner until {@link #close}, plus 1 per call in progress; at 0 the host fd is closed. */
    private final AtomicInteger users = new AtomicInteger(1);
    /**
     * 1 once {@link #close} has given up the owner's hold. An {@code AtomicInteger}, not an
     * {@code AtomicBoolean}: the JDK builds the one on {@code Unsafe} and the other on a field var
     * handle, whose classes every program's preopen would otherwise load and link at its start.
     */
    private final AtomicInteger closed = new AtomicInteger();

    HostFd(int fd) {
        this(fd, null);
    }

    private HostFd(int fd, Closeable owner) {
        this.fd = fd;
        this.preopens = null;
        this.owner = owner;
    }

    private HostFd(Preopens preopens) {
        this.fd = PENDING;
        this.preopens = preopens;
        this.owner = null;
    }

    /** The host fd {@code fd} of {@code channel}, which closes it when the last user lets go. */
    static HostFd ofChannel(FileChannel channel, int fd) {
        return new HostFd(fd, channel);
    }

    /**
     * {@code name} in this preopen's directory opened for reading through the JDK, while the
     * directory is still held rather than open here (see {@link ChannelFiles}); {@code null} when
     * the native path must open it.
     */
    FileDescriptor openHeldFile(String name, long rightsBase, long rightsInheriting) {
        return preopens == null ? null : preopens.openHeldFile(this, name, rightsBase, rightsInheriting);
    }

    /**
     * The host directories of a guest's preopens, each the embedder's path, so symbolic links in it
     * are followed; everything the guest reaches later is resolved beneath them.
     *
     * <p>Each directory is held open from now on by the JDK's own {@link SecureDirectoryStream},
     * which costs no native call of this class, and is opened as a descriptor of this class only
     * when the guest first uses one of its preopens: the JVM links its first native call at more
     * than a tenth of a second of a program's start, which a program that never touches its
     * preopens (most benchmarks, a hello world given a folder) then never pays. That descriptor is
     * the held directory itself, reopened through {@code /proc/self/fd}, never its path again, so
     * every preopen is the directory it named when the guest started, whatever was renamed or
     * replaced meanwhile. The first use opens every preopen before it acts, so the guest can change
     * the file system through none before each is open: otherwise a guest could rename a directory
     * of one preopen and put a symbolic link to anywhere in the place of another preopen's path
     * before that one is opened. Where a directory cannot be held so (no {@code /proc}, no
     * permission to list it), all are opened here at once.
     *
     * @throws IOException if a directory does not exist or is not a directory now
     */
    static List<HostFd> openDirectories(List<Path> paths) throws IOException {
        if (!nativeSupported()) {
            throw new IOException("preopened directories need Linux on x86_64; this host is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        for (Path path : paths) {
            if (!Files.readAttributes(path, BasicFileAttributes.class).isDirectory()) {
                throw new IOException(path + ": not a directory");
            }
        }
        Preopens preopens = new Preopens(paths);
        List<HostFd> handles = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) handles.add(new HostFd(preopens));
        preopens.handles = handles;
        if (!preopens.hold()) preopens.open();
        return handles;
    }

    /**
     * Whether the host is Linux on x86_64, the only platform whose ABI {@link LinuxFs} encodes.
     * Every directory descriptor starts as a preopen, whose opening checks this first, so no call
     * of {@code LinuxFs} is ever made elsewhere. {@code Syscall.AVAILABLE}'s test, made here: a
     * program whose preopens are never used natively loads neither {@code LinuxFs} nor
     * {@code Syscall}.
     */
    static boolean nativeSupported() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).equals("linux")
                && (arch.equals("amd64") || arch.equals("x86_64"));
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

    /** The fd of a preopen, opened now with all the others if this is the first use of one. */
    private int awaitOpen() {
        if (preopens != null) preopens.open();
        int f = fd;
        // Still pending once all are open: the opening failed unexpectedly, leaving nothing to say but EIO.
        if (f == PENDING) throw new WasiError(Errno.IO);
        if (f < 0) throw new WasiError(Errno.ofLinux(-f));
        return f;
    }

    void release() {
        if (users.decrementAndGet() == 0) closeHost();
    }

    /** Closes the host fd, or has the opening of the preopens close it if it is not open yet. */
    private void closeHost() {
        int f;
        synchronized (this) {
            f = fd;
            if (f >= 0) fd = CLOSED;
        }
        if (f >= 0 && owner != null) {
            try {
                owner.close();
            } catch (IOException e) {
                // Closing only frees the descriptor, which is gone either way.
            }
        } else if (f >= 0) {
            LinuxFs.close(f);
        } else if (f == PENDING && preopens != null) {
            preopens.closed();
        }
    }

    /** Takes the result of opening a pending preopen; closes it at once if the guest closed it first. */
    private synchronized void opened(int result) {
        if (result >= 0 && users.get() == 0) {
            LinuxFs.close(result);
            fd = CLOSED;
        } else {
            fd = result;
        }
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
        if (closed.compareAndSet(0, 1)) release();
    }

    /**
     * A guest's preopens: each directory held open by a {@link SecureDirectoryStream} until the
     * first use of any opens them all; see {@link #openDirectories}.
     */
    private static final class Preopens {
        private final List<Path> paths;
        private List<HostFd> handles;
        /** The held directories and their identities, in the order of {@link #paths}; empty once opened. */
        private final List<DirectoryStream<Path>> held = new ArrayList<>();
        private final List<Object> keys = new ArrayList<>();
        /** Guarded by this. */
        private boolean opened;
        /** How many of the handles the guest closed before any was opened; guarded by this. */
        private int closedPending;

        Preopens(List<Path> paths) {
            this.paths = List.copyOf(paths);
        }

        /**
         * Holds every directory open, with its identity; false, holding none, where any cannot
         * be held or found again through {@code /proc/self/fd}.
         */
        boolean hold() throws IOException {
            if (!Files.isDirectory(PROC_FDS)) return false;
            try {
                for (Path path : paths) {
                    DirectoryStream<Path> stream;
                    try {
                        stream = Files.newDirectoryStream(path);
                    } catch (FileSystemException e) {
                        // Told apart by instanceof, not a catch clause of its own, whose class the
                        // verifier of this class, which every start given a directory links, would
                        // load from the runtime image.
                        if (e instanceof AccessDeniedException) return false;
                        throw e;
                    }
                    held.add(stream);
                    Object key = stream instanceof SecureDirectoryStream<Path> secure
                            ? secure.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey()
                            : null;
                    if (key == null) return false;
                    keys.add(key);
                }
                return true;
            } finally {
                if (keys.size() < paths.size()) release();
            }
        }

        /** See {@link HostFd#openHeldFile}: under this lock, so the held directory stays open meanwhile. */
        synchronized FileDescriptor openHeldFile(HostFd handle, String name, long rightsBase, long rightsInheriting) {
            if (opened || held.isEmpty()) return null;
            return held.get(handles.indexOf(handle)) instanceof SecureDirectoryStream<Path> directory
                    ? ChannelFiles.open(directory, name, rightsBase, rightsInheriting)
                    : null;
        }

        /**
         * Opens every preopen, unless done already: the held directory through {@code /proc}, or
         * the path itself where none is held. All are open on the host before any is handed to
         * the guest.
         */
        synchronized void open() {
            if (opened) return;
            opened = true;
            try {
                int[] fds = new int[paths.size()];
                for (int i = 0; i < fds.length; i++) {
                    fds[i] = held.isEmpty()
                            ? LinuxFs.openDirectory(LinuxFs.AT_FDCWD, paths.get(i).toString(), 0)
                            : reopen(keys.get(i));
                }
                for (int i = 0; i < fds.length; i++) handles.get(i).opened(fds[i]);
            } finally {
                release();
            }
        }

        /**
         * A new fd of the held directory whose identity is {@code key}: found among this process's
         * open fds and opened through its {@code /proc} link, then checked again, since the fd found
         * may have been closed and its number reused in between.
         */
        private static int reopen(Object key) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FDS)) {
                for (Path link : fds) {
                    if (!key.equals(identity(link))) continue;
                    int fd = LinuxFs.openDirectory(LinuxFs.AT_FDCWD, link.toString(), 0);
                    if (fd < 0) return fd;
                    if (key.equals(identity(PROC_FDS.resolve(Integer.toString(fd))))) return fd;
                    LinuxFs.close(fd);
                }
            } catch (IOException e) {
                return -LinuxFs.EIO;
            }
            return -LinuxFs.ENOENT;
        }

        /** The identity of the file that {@code link} leads to, or {@code null} if it leads nowhere now. */
        private static Object identity(Path link) {
            try {
                return Files.readAttributes(link, BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                return null;
            }
        }

        /**
         * Notes that the guest closed one handle before any was opened; once it closed all, the
         * held directories are let go, since nothing can open them any more.
         */
        synchronized void closed() {
            if (opened) return;
            if (++closedPending == paths.size()) {
                opened = true;
                release();
            }
        }

        /** Lets go of the held directories. */
        private void release() {
            for (DirectoryStream<Path> stream : held) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // Closing a directory stream only frees its descriptor, which is gone either way.
                }
            }
            held.clear();
        }
    }
}
