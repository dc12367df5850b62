package dev.wasm2jvm.runtime.wasi;

import jdk.internal.misc.Unsafe;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Regular files that a guest opens for reading by a plain name in a preopen that is still held by
 * the JDK (see {@link HostFd#openDirectories}), opened through the JDK's own file channels rather
 * than {@link LinuxFs}. The JVM links its first native call in about a tenth of a second of CPU, a
 * large share of a short program; most programs only read their input files this way, so they now
 * link none. Everything else (other paths, flags, rights, file types, and every error) takes the
 * native path, which gives the exact answer.
 *
 * <p>The sandbox holds as on the native path: the name is one component, neither {@code .} nor
 * {@code ..} (after any {@code ./}, which names the directory itself), opened relative to the held directory by {@link SecureDirectoryStream} with
 * {@link LinkOption#NOFOLLOW_LINKS}, which is {@code openat} with {@code O_NOFOLLOW}: it can name
 * nothing but an entry of that directory, and a symbolic link put there fails the open (the native
 * path then follows it only where it stays beneath). The file's status is read through
 * {@code /proc/self/fd} of the open file itself, so what was opened is what is checked and
 * reported, whatever is renamed meanwhile. Only a FIFO swapped in between the check of the entry
 * and the open can block the open, as it would block any reader of that name. Reading changes
 * nothing, so the guest still changes the file system through no preopen before all are open
 * natively (see {@link HostFd#openDirectories}).
 *
 * <p>The channel's host fd, which the file's status and the native calls of the rarer operations
 * need, is read from the JDK's {@code FileChannelImpl} and {@code FileDescriptor} with the
 * internal {@code Unsafe}; without the export of {@code jdk.internal.misc} (see
 * {@code MemoryAccess}), or if those fields are not found, every open takes the native path.
 */
final class ChannelFiles {
    private ChannelFiles() {}

    private static final Path PROC_FDS = Path.of("/proc/self/fd");
    private static final Set<OpenOption> READ_NOFOLLOW =
            Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private static final Unsafe UNSAFE;
    /** Offset of {@code java.io.FileDescriptor.fd}; -1 when the fast path is off. */
    private static final long DESCRIPTOR_FD;

    static {
        Unsafe unsafe = null;
        long offset = -1;
        if (Object.class.getModule().isExported("jdk.internal.misc", ChannelFiles.class.getModule())) {
            try {
                unsafe = Unsafe.getUnsafe();
                offset = unsafe.objectFieldOffset(java.io.FileDescriptor.class, "fd");
            } catch (InternalError e) {
                // A JDK without the field: the native path serves every open.
                unsafe = null;
                offset = -1;
            }
        }
        UNSAFE = unsafe;
        DESCRIPTOR_FD = offset;
    }

    /**
     * {@code name} in {@code directory} opened for reading, or {@code null} when the native path
     * must open it: not a regular file, not there, or anything else unexpected.
     */
    static FileDescriptor open(SecureDirectoryStream<Path> directory, String name, long rightsBase,
            long rightsInheriting) {
        String plain = entry(name);
        if (UNSAFE == null || plain == null) return null;
        Path entry = Path.of(plain);
        SeekableByteChannel opened = null;
        try {
            // The entry checked first: opening a FIFO for reading would block until a writer came.
            if (!directory.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().isRegularFile()) {
                return null;
            }
            opened = directory.newByteChannel(entry, READ_NOFOLLOW);
            if (!(opened instanceof FileChannel channel)) return null;
            int fd = fd(channel);
            if (fd < 0 || !regularFile(fd)) return null;
            FileDescriptor file = new FileDescriptor(HostFd.ofChannel(channel, fd), channel, rightsBase,
                    rightsInheriting);
            opened = null;
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (opened != null) closeQuietly(opened);
        }
    }

    /**
     * The entry of the directory itself that {@code path} names, as C libraries write it (with
     * {@code ./} before it, any number of times), or {@code null} for any other path.
     */
    static String entry(String path) {
        int start = 0;
        while (path.startsWith("./", start)) {
            start += 2;
            while (path.startsWith("/", start)) start++;
        }
        String name = path.substring(start);
        boolean plain = !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0;
        return plain ? name : null;
    }

    /** The host fd of {@code channel}, or -1 when the JDK's field is not where expected. */
    private static int fd(FileChannel channel) {
        try {
            Object descriptor = UNSAFE.getReference(channel, UNSAFE.objectFieldOffset(channel.getClass(), "fd"));
            return descriptor instanceof java.io.FileDescriptor ? UNSAFE.getInt(descriptor, DESCRIPTOR_FD) : -1;
        } catch (InternalError e) {
            return -1;
        }
    }

    /**
     * Whether the file open at host fd {@code fd} is a regular file: {@code fstat}'s answer through
     * {@code /proc/self/fd/N}, as in {@link #status}, but read as the basic attributes the preopen's
     * checks have already made the JDK load and parse, not as {@code unix:} attributes by name,
     * whose view, builder and map {@link #status} pays for (in Sightglass {@code blake3-scalar}
     * some 3 ms of its first {@code path_open}, interpreted, most of it class loading), which only
     * a guest asking for the file's status needs, and then only where {@link JdkStat} cannot read it.
     */
    private static boolean regularFile(int fd) throws IOException {
        return Files.readAttributes(PROC_FDS.resolve(Integer.toString(fd)), BasicFileAttributes.class).isRegularFile();
    }

    /**
     * The status of the file open at host fd {@code fd}: {@code /proc/self/fd/N} leads to the open
     * file itself, so this is {@code fstat}'s answer, through the JDK's own {@code stat}: read from
     * its basic attributes ({@link JdkStat}), or else from its {@code unix:} attributes.
     */
    static Filestat status(int fd) throws IOException {
        Path file = PROC_FDS.resolve(Integer.toString(fd));
        Filestat status = JdkStat.of(Files.readAttributes(file, BasicFileAttributes.class));
        return status != null ? status : unixStatus(file);
    }

    /** The status of {@code file} read from its {@code unix:} attributes by name. */
    static Filestat unixStatus(Path file) throws IOException {
        // Named rather than "unix:*", which adds the permissions (an EnumSet, whose first use
        // reflects on the enum and spins a method handle form) and looks the owner and group up.
        Map<String, Object> a = Files.readAttributes(file,
                "unix:dev,ino,mode,nlink,size,lastAccessTime,lastModifiedTime,ctime");
        return new Filestat((Long) a.get("dev"), (Long) a.get("ino"), Filestat.filetype((Integer) a.get("mode")),
                (Integer) a.get("nlink"), (Long) a.get("size"), nanos(a.get("lastAccessTime")),
                nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    private static void closeQuietly(SeekableByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing only frees the descriptor, which is gone either way.
        }
    }
}
