package dev.wasm2jvm.runtime.wasi;

import jdk.internal.misc.Unsafe;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A file's status ({@code filestat}) read from the {@code stat} that the JDK made for its basic
 * attributes: its {@code sun.nio.fs.UnixFileAttributes} holds every field of {@code struct stat}, of
 * which the basic attributes show only the size and times.
 *
 * <p>The JDK's public way to the rest, the {@code unix:} attributes by name, costs a Rust program's
 * first {@code fd_filestat_get} (its {@code fs::read} asks for the size) some 2.5 ms of its
 * program's thread, interpreted: the view's five classes from the runtime image, its attribute
 * builder and map, and {@link LinuxFs} for the file type (Sightglass {@code blake3-scalar},
 * async-profiler; {@code benchmarks/README.md}, "A program's status calls and memory proven as it
 * grows"). The basic attributes' classes are loaded by then (a preopen's checks use them), and
 * their {@code stat} is the same system call. The fields are read by name with the internal
 * {@code Unsafe}, as {@link ChannelFiles} reads a channel's descriptor; where this JDK's classes are
 * not the ones this was written against (a field or class missing, an object of another class, a
 * size or modification time that differs from the public attributes'), {@link #of} says so and the
 * caller reads the {@code unix:} attributes.
 */
final class JdkStat {
    private JdkStat() {}

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final Unsafe UNSAFE;
    /** The class of the basic attributes' wrapper around the JDK's {@code stat}; null when unavailable. */
    private static final Class<?> BASIC;
    /** The wrapper's {@code UnixFileAttributes} field, then the {@code stat}'s fields this reads. */
    private static final String[] FIELDS = {"attrs", "st_dev", "st_ino", "st_mode", "st_nlink", "st_size",
        "st_atime_sec", "st_atime_nsec", "st_mtime_sec", "st_mtime_nsec", "st_ctime_sec", "st_ctime_nsec"};
    private static final int STAT = 0;
    private static final int DEV = 1;
    private static final int INO = 2;
    private static final int MODE = 3;
    private static final int NLINK = 4;
    private static final int SIZE = 5;
    private static final int ATIME_SEC = 6;
    private static final int ATIME_NSEC = 7;
    private static final int MTIME_SEC = 8;
    private static final int MTIME_NSEC = 9;
    private static final int CTIME_SEC = 10;
    private static final int CTIME_NSEC = 11;
    /** The offsets of {@link #FIELDS}, by the indices above: the wrapper's, then the {@code stat}'s. */
    private static final long[] OFFSETS = new long[FIELDS.length];

    static {
        Unsafe unsafe = null;
        Class<?> basic = null;
        if (Object.class.getModule().isExported("jdk.internal.misc", JdkStat.class.getModule())) {
            try {
                unsafe = Unsafe.getUnsafe();
                Class<?> stat = Class.forName("sun.nio.fs.UnixFileAttributes", false, null);
                basic = Class.forName("sun.nio.fs.UnixFileAttributes$UnixAsBasicFileAttributes", false, null);
                for (int i = 0; i < FIELDS.length; i++) {
                    OFFSETS[i] = unsafe.objectFieldOffset(i == STAT ? basic : stat, FIELDS[i]);
                }
            } catch (ClassNotFoundException | InternalError e) {
                // Another JDK's classes: the caller reads the unix: attributes.
                basic = null;
            }
        }
        UNSAFE = unsafe;
        BASIC = basic;
    }

    /**
     * The status in {@code attributes}, the JDK's basic attributes of a file on this host; null when
     * they are not the JDK's {@code stat} as this class knows it (class comment).
     */
    static Filestat of(BasicFileAttributes attributes) {
        if (BASIC == null || attributes.getClass() != BASIC) return null;
        Object stat = UNSAFE.getReference(attributes, OFFSETS[STAT]);
        if (stat == null) return null;
        long size = UNSAFE.getLong(stat, OFFSETS[SIZE]);
        long mtim = time(stat, MTIME_SEC, MTIME_NSEC);
        if (size != attributes.size() || mtim != attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)) return null;
        return new Filestat(UNSAFE.getLong(stat, OFFSETS[DEV]), UNSAFE.getLong(stat, OFFSETS[INO]),
                Filestat.filetype(UNSAFE.getInt(stat, OFFSETS[MODE])), UNSAFE.getInt(stat, OFFSETS[NLINK]), size,
                time(stat, ATIME_SEC, ATIME_NSEC), mtim, time(stat, CTIME_SEC, CTIME_NSEC));
    }

    /** The time in the {@code stat}'s fields at indices {@code seconds} and {@code nanos}, in nanoseconds. */
    private static long time(Object stat, int seconds, int nanos) {
        return nanos(UNSAFE.getLong(stat, OFFSETS[seconds]), UNSAFE.getLong(stat, OFFSETS[nanos]));
    }

    /**
     * {@code seconds} and {@code nanos} (0 to 999,999,999) in nanoseconds, as the JDK's
     * {@code FileTime} of them converts them: where they overflow a {@code long}, the JDK keeps
     * microseconds, which then convert to a {@code long}'s most or least.
     */
    static long nanos(long seconds, long nanos) {
        if (nanos == 0) return TimeUnit.SECONDS.toNanos(seconds);
        long high = Math.multiplyHigh(seconds, NANOS_PER_SECOND);
        long low = seconds * NANOS_PER_SECOND;
        long sum = low + nanos;
        // Exact where the product fits a long and adding the nanoseconds does not overflow it.
        if (high == low >> 63 && ((low ^ sum) & (nanos ^ sum)) >= 0) return sum;
        return TimeUnit.MICROSECONDS.toNanos(seconds * 1_000_000L + nanos / 1_000L);
    }
}
