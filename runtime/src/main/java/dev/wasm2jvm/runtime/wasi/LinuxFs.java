package dev.wasm2jvm.runtime.wasi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.wasm2jvm.runtime.internal.Syscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The Linux file system calls the WASI host acts through, all relative to an open directory fd so
 * that no host path string is ever walked on the guest's behalf, and the reads and writes of the
 * files opened so, each a Linux system call made through {@link Syscall}: one native function,
 * linked when a guest first uses a preopen, so a guest that never does links none.
 *
 * <p>Calls return what the kernel returns, a failure as {@code -errno}; {@link #check} turns a
 * failure into the guest's errno. Only Linux on x86_64 is supported: the layouts of
 * {@code struct stat} and the system call numbers are that ABI's.
 */
final class LinuxFs {
    static final int AT_FDCWD = -100;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_TRUNC = 01000;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    private static final int SEEK_SET = 0;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_BENEATH = 0x08;
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ELOOP = 40;

    /** The x86_64 system call numbers of the calls made here. */
    private static final long SYS_READ = 0;
    private static final long SYS_WRITE = 1;
    private static final long SYS_CLOSE = 3;
    private static final long SYS_LSEEK = 8;
    private static final long SYS_PREAD64 = 17;
    private static final long SYS_PWRITE64 = 18;
    private static final long SYS_FCNTL = 72;
    private static final long SYS_FSYNC = 74;
    private static final long SYS_FDATASYNC = 75;
    private static final long SYS_FTRUNCATE = 77;
    private static final long SYS_GETDENTS64 = 217;
    private static final long SYS_OPENAT = 257;
    private static final long SYS_MKDIRAT = 258;
    private static final long SYS_NEWFSTATAT = 262;
    private static final long SYS_UNLINKAT = 263;
    private static final long SYS_RENAMEAT = 264;
    private static final long SYS_LINKAT = 265;
    private static final long SYS_SYMLINKAT = 266;
    private static final long SYS_READLINKAT = 267;
    private static final long SYS_UTIMENSAT = 280;
    private static final long SYS_OPENAT2 = 437;

    /** {@code struct stat} of x86_64: 144 bytes, the fields read here at these offsets. */
    private static final long STAT_SIZE = 144;
    private static final long PATH_MAX = 4096;
    /** The longest {@code linux_dirent64}: its 19-byte header and a 255-byte name with its NUL, aligned to 8. */
    static final int DIRENT_MAX = 280;

    private LinuxFs() {}

    /**
     * Loads the holder of the native function now, while the host still has descriptors to load
     * classes with; it is linked when first called.
     */
    static void bind() {
        Syscall.load();
    }

    /** Whether {@code mode} is a FIFO or a socket file, which opening could block on or cannot open. */
    static boolean isFifoOrSocket(int mode) {
        int type = mode & Filestat.S_IFMT;
        return type == Filestat.S_IFIFO || type == Filestat.S_IFSOCK;
    }

    /** {@code result} if it is not a failure; otherwise the failure as the guest's errno. */
    static int check(int result) {
        if (result < 0) throw new WasiError(Errno.ofLinux(-result));
        return result;
    }

    static int openat(int dirfd, String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_OPENAT, dirfd, arena.allocateFrom(path).address(), flags, mode, 0);
        }
    }

    /**
     * {@code openat2} with {@code flags} and {@code resolve}; {@code -ENOSYS} where the kernel (or a
     * seccomp filter) lacks it.
     */
    static int openat2(int dirfd, String path, int flags, long resolve) {
        try (Arena arena = Arena.ofConfined()) {
            // struct open_how { u64 flags; u64 mode; u64 resolve; }
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 16, resolve);
            return (int) syscall(arena, SYS_OPENAT2, dirfd, arena.allocateFrom(path).address(), how.address(), 24, 0);
        }
    }

    /**
     * Opens the directory {@code name} in {@code dirfd} (the embedder's path when {@code dirfd} is
     * {@link #AT_FDCWD}) for a directory descriptor: for reading, or with {@code O_PATH} when it
     * may only be searched, which still resolves paths but lists nothing.
     */
    static int openDirectory(int dirfd, String name, int flags) {
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | flags, 0);
        return fd == -EACCES ? openat(dirfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | flags, 0) : fd;
    }

    /** Clears {@code O_NONBLOCK}, which an open sets so as not to hang on a FIFO put in a file's place. */
    static int setBlocking(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int flags = (int) syscall(arena, SYS_FCNTL, fd, F_GETFL, 0, 0, 0);
            if (flags < 0) return flags;
            return (int) syscall(arena, SYS_FCNTL, fd, F_SETFL, flags & ~O_NONBLOCK, 0, 0);
        }
    }

    /**
     * {@code read} ({@code write} when {@code write}) of {@code buf} at the file position, or at
     * {@code offset} when it is not negative ({@code pread}, {@code pwrite}): the bytes moved, or
     * {@code -errno}. An interrupted call, which has moved nothing, is made again.
     */
    static long transfer(int fd, MemorySegment buf, boolean write, long offset) {
        long call = offset < 0 ? (write ? SYS_WRITE : SYS_READ) : (write ? SYS_PWRITE64 : SYS_PREAD64);
        try (Arena arena = Arena.ofConfined()) {
            while (true) {
                long n = syscall(arena, call, fd, buf.address(), buf.byteSize(), offset, 0);
                if (n != -EINTR) return n;
            }
        }
    }

    /** {@code lseek}: the new position, or {@code -errno}. */
    static long lseek(int fd, long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            return syscall(arena, SYS_LSEEK, fd, offset, whence, 0, 0);
        }
    }

    static int ftruncate(int fd, long size) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_FTRUNCATE, fd, size, 0, 0, 0);
        }
    }

    /** {@code fsync}, or {@code fdatasync} when the metadata need not be written. */
    static int sync(int fd, boolean metadata) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, metadata ? SYS_FSYNC : SYS_FDATASYNC, fd, 0, 0, 0, 0);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            // Linux frees the number whatever close reports, so there is nothing to retry or tell.
            syscall(arena, SYS_CLOSE, fd, 0, 0, 0, 0);
        }
    }

    static int mkdirat(int dirfd, String name, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_MKDIRAT, dirfd, arena.allocateFrom(name).address(), mode, 0, 0);
        }
    }

    static int unlinkat(int dirfd, String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_UNLINKAT, dirfd, arena.allocateFrom(name).address(), flags, 0, 0);
        }
    }

    static int renameat(int fromDir, String from, int toDir, String to) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_RENAMEAT, fromDir, arena.allocateFrom(from).address(), toDir,
                    arena.allocateFrom(to).address(), 0);
        }
    }

    /** A hard link; {@code flags} 0, so a symbolic link is linked itself, never followed. */
    static int linkat(int fromDir, String from, int toDir, String to) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_LINKAT, fromDir, arena.allocateFrom(from).address(), toDir,
                    arena.allocateFrom(to).address(), 0);
        }
    }

    static int symlinkat(String target, int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena, SYS_SYMLINKAT, arena.allocateFrom(target).address(), dirfd,
                    arena.allocateFrom(name).address(), 0, 0);
        }
    }

    /**
     * The target of the symbolic link {@code name}, as bytes; {@code null} when {@code name} is not
     * a symbolic link ({@code EINVAL}, or {@code ENOENT} when nothing is there). Other failures
     * throw the guest's errno.
     */
    static byte[] readlinkat(int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            long cName = arena.allocateFrom(name).address();
            for (long size = PATH_MAX; ; size *= 2) {
                MemorySegment buf = arena.allocate(size);
                long n = syscall(arena, SYS_READLINKAT, dirfd, cName, buf.address(), size, 0);
                if (n < 0) {
                    if (n == -EINVAL || n == -ENOENT) return null;
                    throw new WasiError(Errno.ofLinux((int) -n));
                }
                // A target as long as the buffer may have been cut short.
                if (n < size) return buf.asSlice(0, n).toArray(JAVA_BYTE);
            }
        }
    }

    /** As {@link #readlinkat(int, String)}, the target decoded as the host's paths are (UTF-8). */
    static String symlinkTarget(int dirfd, String name) {
        byte[] target = readlinkat(dirfd, name);
        return target == null ? null : new String(target, StandardCharsets.UTF_8);
    }

    /**
     * Sets the times of {@code name} in {@code dirfd}, never following a final symbolic link; each
     * time in nanoseconds or {@link #UTIME_NOW} or {@link #UTIME_OMIT}.
     */
    static int utimensat(int dirfd, String name, long atimNanos, long mtimNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment times = timespecs(arena, atimNanos, mtimNanos);
            return (int) syscall(arena, SYS_UTIMENSAT, dirfd, arena.allocateFrom(name).address(), times.address(),
                    AT_SYMLINK_NOFOLLOW, 0);
        }
    }

    /** Sets the times of the file open at {@code fd}, as {@link #utimensat}. */
    static int futimens(int fd, long atimNanos, long mtimNanos) {
        try (Arena arena = Arena.ofConfined()) {
            // futimens is utimensat with no name.
            return (int) syscall(arena, SYS_UTIMENSAT, fd, 0, timespecs(arena, atimNanos, mtimNanos).address(), 0, 0);
        }
    }

    private static MemorySegment timespecs(Arena arena, long atimNanos, long mtimNanos) {
        MemorySegment times = arena.allocate(32, 8);
        putTimespec(times, 0, atimNanos);
        putTimespec(times, 16, mtimNanos);
        return times;
    }

    private static void putTimespec(MemorySegment times, long offset, long nanos) {
        if (nanos == UTIME_NOW || nanos == UTIME_OMIT) {
            times.set(JAVA_LONG, offset, 0);
            times.set(JAVA_LONG, offset + 8, nanos);
        } else {
            times.set(JAVA_LONG, offset, Long.divideUnsigned(nanos, 1_000_000_000L));
            times.set(JAVA_LONG, offset + 8, Long.remainderUnsigned(nanos, 1_000_000_000L));
        }
    }

    /** What {@code fstatat} tells of a file: its {@link Filestat} and its mode bits. */
    record Stat(Filestat filestat, int mode) {}

    /**
     * The status of {@code name} in {@code dirfd}, never following a final symbolic link, or of
     * {@code dirfd} itself when {@code name} is {@code null}; {@code null} when nothing is there.
     */
    static Stat stat(int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STAT_SIZE, 8);
            int flags = name == null ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
            long r = syscall(arena, SYS_NEWFSTATAT, dirfd, arena.allocateFrom(name == null ? "" : name).address(),
                    buf.address(), flags, 0);
            if (r < 0) {
                if (r == -ENOENT && name != null) return null;
                throw new WasiError(Errno.ofLinux((int) -r));
            }
            int mode = buf.get(JAVA_INT, 24);
            Filestat filestat = new Filestat(
                    buf.get(JAVA_LONG, 0),
                    buf.get(JAVA_LONG, 8),
                    Filestat.filetype(mode),
                    buf.get(JAVA_LONG, 16),
                    buf.get(JAVA_LONG, 48),
                    nanos(buf, 72),
                    nanos(buf, 88),
                    nanos(buf, 104));
            return new Stat(filestat, mode);
        }
    }

    private static long nanos(MemorySegment stat, long offset) {
        return Math.addExact(Math.multiplyExact(stat.get(JAVA_LONG, offset), 1_000_000_000L),
                stat.get(JAVA_LONG, offset + 8));
    }

    /**
     * One entry of a directory, as {@code getdents64} reports it: {@code next} is its
     * {@code d_off}, the position ({@link #lseek} on the directory) of the entry after it, and
     * {@code dtype} its {@code d_type}, which {@link #direntType} turns into a file type.
     */
    record Dirent(String name, long ino, byte dtype, long next) {}

    /**
     * Passes the entries of the directory open (for reading) at {@code fd}, {@code .} and
     * {@code ..} included, from {@code position} on (0 its start, otherwise a {@code d_off} it
     * gave) to {@code sink}, in the order the file system gives them, until the sink returns false
     * or the listing ends. It reads {@code getdents64} batches of at most {@code bufferSize} bytes
     * (at least {@link #DIRENT_MAX} so that any entry fits): the memory it holds is that, whatever
     * the directory's size. A position the file system cannot seek to ({@code EINVAL}) lists nothing.
     */
    static void readDirectory(int fd, long position, int bufferSize, Predicate<Dirent> sink) {
        long seek = lseek(fd, position, SEEK_SET);
        if (seek == -EINVAL) return;
        if (seek < 0) throw new WasiError(Errno.ofLinux((int) -seek));
        long size = Math.max(DIRENT_MAX, bufferSize);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(size, 8);
            while (true) {
                long n = syscall(arena, SYS_GETDENTS64, fd, buf.address(), size, 0, 0);
                if (n < 0) throw new WasiError(Errno.ofLinux((int) -n));
                if (n == 0) return;
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                for (long at = 0; at < n; ) {
                    Dirent entry = new Dirent(buf.getString(at + 19, StandardCharsets.UTF_8), buf.get(JAVA_LONG, at),
                            buf.get(JAVA_BYTE, at + 18), buf.get(JAVA_LONG, at + 8));
                    if (!sink.test(entry)) return;
                    at += Short.toUnsignedInt(buf.get(JAVA_SHORT, at + 16));
                }
            }
        }
    }

    /**
     * The type a {@code d_type} gives of {@code name} in {@code dirfd}; file systems that give
     * none are asked with fstatat.
     */
    static byte direntType(int dirfd, String name, byte dtype) {
        return switch (dtype) {
            case 2 /* DT_CHR */ -> Abi.FILETYPE_CHARACTER_DEVICE;
            case 4 /* DT_DIR */ -> Abi.FILETYPE_DIRECTORY;
            case 6 /* DT_BLK */ -> Abi.FILETYPE_BLOCK_DEVICE;
            case 8 /* DT_REG */ -> Abi.FILETYPE_REGULAR_FILE;
            case 10 /* DT_LNK */ -> Abi.FILETYPE_SYMBOLIC_LINK;
            case 12 /* DT_SOCK */ -> Abi.FILETYPE_SOCKET_STREAM;
            case 0 /* DT_UNKNOWN */ -> {
                Stat s = stat(dirfd, name);
                yield s == null ? Abi.FILETYPE_UNKNOWN : s.filestat().filetype();
            }
            default -> Abi.FILETYPE_UNKNOWN;
        };
    }

    /** {@link Syscall#call} with at most five arguments, all a file-system call takes. */
    private static long syscall(Arena arena, long nr, long a, long b, long c, long d, long e) {
        return Syscall.call(arena, nr, a, b, c, d, e, 0);
    }
}
