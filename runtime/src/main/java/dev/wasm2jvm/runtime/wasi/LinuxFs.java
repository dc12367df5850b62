package dev.wasm2jvm.runtime.wasi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Linux file system calls the WASI host acts through, all relative to an open directory fd so
 * that no host path string is ever walked on the guest's behalf, and the reads and writes of the
 * files opened so. The native functions are bound with the first preopen ({@link #bind}), so a
 * guest without preopens links none of them.
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
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_BENEATH = 0x08;
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;

    static final int EPERM = 1;
    static final int ENOENT = 2;
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

    private static final long SYS_GETDENTS64 = 217;
    private static final long SYS_NEWFSTATAT = 262;
    private static final long SYS_OPENAT2 = 437;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    /** {@code struct stat} of x86_64: 144 bytes, the fields read here at these offsets. */
    private static final long STAT_SIZE = 144;
    private static final long PATH_MAX = 4096;
    private static final long DIRENTS_BUFFER = 64 * 1024;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private LinuxFs() {}

    /**
     * Loads the holder of every native function now, while the host still has descriptors to load
     * classes with; each function is linked when first called.
     */
    static void bind() {
        Native.class.getDeclaredClasses();
    }

    /**
     * Links the functions that nearly every use of a preopen calls (resolving a path, reading,
     * closing), for a thread that has time to spare before the guest needs them.
     */
    static void linkCommonCalls() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (Class<?> holder : List.of(Native.Syscall4.class, Native.Fcntl.class, Native.Read.class,
                    Native.Close.class)) {
                lookup.ensureInitialized(holder);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file's type as {@code fstatat} reports it, in WASI's terms. */
    static byte filetype(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> Abi.FILETYPE_REGULAR_FILE;
            case S_IFDIR -> Abi.FILETYPE_DIRECTORY;
            case S_IFLNK -> Abi.FILETYPE_SYMBOLIC_LINK;
            case S_IFCHR -> Abi.FILETYPE_CHARACTER_DEVICE;
            case S_IFBLK -> Abi.FILETYPE_BLOCK_DEVICE;
            case S_IFSOCK -> Abi.FILETYPE_SOCKET_STREAM;
            default -> Abi.FILETYPE_UNKNOWN;
        };
    }

    /** Whether {@code mode} is a FIFO or a socket file, which opening could block on or cannot open. */
    static boolean isFifoOrSocket(int mode) {
        int type = mode & S_IFMT;
        return type == S_IFIFO || type == S_IFSOCK;
    }

    /** {@code result} if it is not a failure; otherwise the failure as the guest's errno. */
    static int check(int result) {
        if (result < 0) throw new WasiError(Errno.ofLinux(-result));
        return result;
    }

    static int openat(int dirfd, String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) Native.Openat.HANDLE.invokeExact(state, dirfd, arena.allocateFrom(path), flags, mode);
            return result(r, state);
        } catch (Throwable t) {
            throw downcallFailed("openat", t);
        }
    }

    /**
     * {@code openat2} with {@code flags} and {@code resolve}; {@code -ENOSYS} where the kernel (or a
     * seccomp filter) lacks it.
     */
    static int openat2(int dirfd, String path, int flags, long resolve) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            // struct open_how { u64 flags; u64 mode; u64 resolve; }
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 16, resolve);
            long r = (long) Native.Syscall4.HANDLE.invokeExact(state, SYS_OPENAT2, (long) dirfd, arena.allocateFrom(path), how,
                    24L);
            return result((int) r, state);
        } catch (Throwable t) {
            throw downcallFailed("openat2", t);
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
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = result((int) Native.Fcntl.HANDLE.invokeExact(state, fd, F_GETFL, 0), state);
            if (flags < 0) return flags;
            return result((int) Native.Fcntl.HANDLE.invokeExact(state, fd, F_SETFL, flags & ~O_NONBLOCK), state);
        } catch (Throwable t) {
            throw downcallFailed("fcntl", t);
        }
    }

    /**
     * {@code read} ({@code write} when {@code write}) of {@code buf} at the file position, or at
     * {@code offset} when it is not negative ({@code pread}, {@code pwrite}): the bytes moved, or
     * {@code -errno}. An interrupted call, which has moved nothing, is made again.
     */
    static long transfer(int fd, MemorySegment buf, boolean write, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            while (true) {
                long n;
                if (offset < 0) {
                    n = (long) (write ? Native.Write.HANDLE : Native.Read.HANDLE).invokeExact(state, fd, buf, buf.byteSize());
                } else {
                    n = (long) (write ? Native.Pwrite.HANDLE : Native.Pread.HANDLE).invokeExact(state, fd, buf, buf.byteSize(),
                            offset);
                }
                if (n >= 0) return n;
                int errno = (int) ERRNO.get(state, 0L);
                if (errno != EINTR) return -errno;
            }
        } catch (Throwable t) {
            throw downcallFailed(write ? "write" : "read", t);
        }
    }

    /** {@code lseek}: the new position, or {@code -errno}. */
    static long lseek(int fd, long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long r = (long) Native.Lseek.HANDLE.invokeExact(state, fd, offset, whence);
            return r < 0 ? -(int) ERRNO.get(state, 0L) : r;
        } catch (Throwable t) {
            throw downcallFailed("lseek", t);
        }
    }

    static int ftruncate(int fd, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) Native.Ftruncate.HANDLE.invokeExact(state, fd, size), state);
        } catch (Throwable t) {
            throw downcallFailed("ftruncate", t);
        }
    }

    /** {@code fsync}, or {@code fdatasync} when the metadata need not be written. */
    static int sync(int fd, boolean metadata) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) (metadata ? Native.Fsync.HANDLE : Native.Fdatasync.HANDLE).invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw downcallFailed("fsync", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) Native.Close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            throw downcallFailed("close", t);
        }
    }

    static int mkdirat(int dirfd, String name, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) Native.Mkdirat.HANDLE.invokeExact(state, dirfd, arena.allocateFrom(name), mode), state);
        } catch (Throwable t) {
            throw downcallFailed("mkdirat", t);
        }
    }

    static int unlinkat(int dirfd, String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) Native.Unlinkat.HANDLE.invokeExact(state, dirfd, arena.allocateFrom(name), flags), state);
        } catch (Throwable t) {
            throw downcallFailed("unlinkat", t);
        }
    }

    static int renameat(int fromDir, String from, int toDir, String to) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) Native.Renameat.HANDLE.invokeExact(state, fromDir, arena.allocateFrom(from), toDir,
                    arena.allocateFrom(to));
            return result(r, state);
        } catch (Throwable t) {
            throw downcallFailed("renameat", t);
        }
    }

    /** A hard link; {@code flags} 0, so a symbolic link is linked itself, never followed. */
    static int linkat(int fromDir, String from, int toDir, String to) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) Native.Linkat.HANDLE.invokeExact(state, fromDir, arena.allocateFrom(from), toDir,
                    arena.allocateFrom(to), 0);
            return result(r, state);
        } catch (Throwable t) {
            throw downcallFailed("linkat", t);
        }
    }

    static int symlinkat(String target, int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) Native.Symlinkat.HANDLE.invokeExact(state, arena.allocateFrom(target), dirfd, arena.allocateFrom(name));
            return result(r, state);
        } catch (Throwable t) {
            throw downcallFailed("symlinkat", t);
        }
    }

    /**
     * The target of the symbolic link {@code name}, as bytes; {@code null} when {@code name} is not
     * a symbolic link ({@code EINVAL}, or {@code ENOENT} when nothing is there). Other failures
     * throw the guest's errno.
     */
    static byte[] readlinkat(int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cName = arena.allocateFrom(name);
            for (long size = PATH_MAX; ; size *= 2) {
                MemorySegment buf = arena.allocate(size);
                long n = (long) Native.Readlinkat.HANDLE.invokeExact(state, dirfd, cName, buf, size);
                if (n < 0) {
                    int errno = (int) ERRNO.get(state, 0L);
                    if (errno == EINVAL || errno == ENOENT) return null;
                    throw new WasiError(Errno.ofLinux(errno));
                }
                // A target as long as the buffer may have been cut short.
                if (n < size) return buf.asSlice(0, n).toArray(JAVA_BYTE);
            }
        } catch (WasiError e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFailed("readlinkat", t);
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
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment times = timespecs(arena, atimNanos, mtimNanos);
            int r = (int) Native.Utimensat.HANDLE.invokeExact(state, dirfd, arena.allocateFrom(name), times, AT_SYMLINK_NOFOLLOW);
            return result(r, state);
        } catch (Throwable t) {
            throw downcallFailed("utimensat", t);
        }
    }

    /** Sets the times of the file open at {@code fd}, as {@link #utimensat}. */
    static int futimens(int fd, long atimNanos, long mtimNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) Native.Futimens.HANDLE.invokeExact(state, fd, timespecs(arena, atimNanos, mtimNanos)), state);
        } catch (Throwable t) {
            throw downcallFailed("futimens", t);
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
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buf = arena.allocate(STAT_SIZE, 8);
            int flags = name == null ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
            long r = (long) Native.Syscall4.HANDLE.invokeExact(state, SYS_NEWFSTATAT, (long) dirfd,
                    arena.allocateFrom(name == null ? "" : name), buf, (long) flags);
            if (r < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == ENOENT && name != null) return null;
                throw new WasiError(Errno.ofLinux(errno));
            }
            int mode = buf.get(JAVA_INT, 24);
            Filestat filestat = new Filestat(
                    buf.get(JAVA_LONG, 0),
                    buf.get(JAVA_LONG, 8),
                    filetype(mode),
                    buf.get(JAVA_LONG, 16),
                    buf.get(JAVA_LONG, 48),
                    nanos(buf, 72),
                    nanos(buf, 88),
                    nanos(buf, 104));
            return new Stat(filestat, mode);
        } catch (WasiError e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFailed("fstatat", t);
        }
    }

    private static long nanos(MemorySegment stat, long offset) {
        return Math.addExact(Math.multiplyExact(stat.get(JAVA_LONG, offset), 1_000_000_000L),
                stat.get(JAVA_LONG, offset + 8));
    }

    /** One entry of a directory, as {@code getdents64} reports it. */
    record Dirent(String name, long ino, byte filetype) {}

    /**
     * The entries of the directory open (for reading) at {@code fd}, except {@code .} and
     * {@code ..}, in the order the file system gives them.
     */
    static List<Dirent> readDirectory(int fd) {
        List<Dirent> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buf = arena.allocate(DIRENTS_BUFFER, 8);
            while (true) {
                long n = (long) Native.Syscall3.HANDLE.invokeExact(state, SYS_GETDENTS64, (long) fd, buf, DIRENTS_BUFFER);
                if (n < 0) throw new WasiError(Errno.ofLinux((int) ERRNO.get(state, 0L)));
                if (n == 0) return entries;
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                for (long at = 0; at < n; ) {
                    long ino = buf.get(JAVA_LONG, at);
                    int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT, at + 16));
                    byte dtype = buf.get(JAVA_BYTE, at + 18);
                    String name = buf.getString(at + 19, StandardCharsets.UTF_8);
                    if (!name.equals(".") && !name.equals("..")) {
                        entries.add(new Dirent(name, ino, direntType(fd, name, dtype)));
                    }
                    at += reclen;
                }
            }
        } catch (WasiError e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFailed("getdents64", t);
        }
    }

    /** The type a {@code d_type} gives; file systems that give none are asked with fstatat. */
    private static byte direntType(int dirfd, String name, byte dtype) {
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

    private static int result(int r, MemorySegment state) {
        return r < 0 ? -(int) ERRNO.get(state, 0L) : r;
    }

    private static IllegalStateException downcallFailed(String function, Throwable t) {
        return new IllegalStateException(function + " downcall failed", t);
    }

    /**
     * Whether the host is Linux on x86_64, the only platform whose ABI this class encodes. Every
     * directory descriptor starts as a preopen, whose opening checks this first; so no other call
     * here is ever made elsewhere.
     */
    static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.equals("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** A libc function that sets {@code errno}, as a handle taking the capture segment first. */
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(options, 0, all, 1, options.length);
        return linker.downcallHandle(symbol, descriptor, all);
    }

    /**
     * Every native function, in a holder class of its own: a function is linked when it is first
     * called, since linking costs a program's start-up some milliseconds per function (the first
     * one far more) and most programs call few. The holders are loaded, not initialised, with the
     * first preopen ({@link #bind}): a class loaded from a class path directory needs a free
     * descriptor, so a holder first loaded once the host has none left, such as {@code close} on
     * the way out of a failed open, could not be, and would lose the descriptor and the
     * {@code EMFILE}. Linking itself opens no file.
     */
    private static final class Native {
        static final class Openat {
            static final MethodHandle HANDLE =
                    downcall("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                            Linker.Option.firstVariadicArg(3));
        }

        static final class Close {
            static final MethodHandle HANDLE =
                    Linker.nativeLinker().downcallHandle(
                            Linker.nativeLinker().defaultLookup().find("close").orElseThrow(),
                            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }

        static final class Mkdirat {
            static final MethodHandle HANDLE =
                    downcall("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        }

        static final class Unlinkat {
            static final MethodHandle HANDLE =
                    downcall("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        }

        static final class Renameat {
            static final MethodHandle HANDLE =
                    downcall("renameat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        }

        static final class Linkat {
            static final MethodHandle HANDLE =
                    downcall("linkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        }

        static final class Symlinkat {
            static final MethodHandle HANDLE =
                    downcall("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        }

        static final class Readlinkat {
            static final MethodHandle HANDLE =
                    downcall("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        }

        static final class Utimensat {
            static final MethodHandle HANDLE =
                    downcall("utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        }

        static final class Futimens {
            static final MethodHandle HANDLE = downcall("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        }

        static final class Read {
            static final MethodHandle HANDLE =
                    downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        }

        static final class Write {
            static final MethodHandle HANDLE =
                    downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        }

        static final class Pread {
            static final MethodHandle HANDLE =
                    downcall("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        }

        static final class Pwrite {
            static final MethodHandle HANDLE =
                    downcall("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        }

        static final class Lseek {
            static final MethodHandle HANDLE =
                    downcall("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        }

        static final class Ftruncate {
            static final MethodHandle HANDLE =
                    downcall("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        }

        static final class Fsync {
            static final MethodHandle HANDLE = downcall("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }

        static final class Fdatasync {
            static final MethodHandle HANDLE = downcall("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }

        static final class Fcntl {
            static final MethodHandle HANDLE =
                    downcall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                            Linker.Option.firstVariadicArg(2));
        }

        /** {@code syscall(number, a, b, c)}, for the calls older C libraries have no wrapper for. */
        static final class Syscall3 {
            static final MethodHandle HANDLE =
                    downcall("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                            Linker.Option.firstVariadicArg(1));
        }

        /** {@code syscall(number, a, b, c, d)}. */
        static final class Syscall4 {
            static final MethodHandle HANDLE =
                    downcall("syscall",
                            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                            Linker.Option.firstVariadicArg(1));
        }
    }
}
