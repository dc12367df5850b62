package dev.wasm2jvm.runtime.wasi;

/** fd_filestat_set_times and path_filestat_set_times: the {@code fstflags} and their effect. */
final class FileTimes {
    private FileTimes() {}

    /** Checks {@code fstflags} before anything changes: a time cannot be both given and "now". */
    static void validate(int fstflags) {
        int all = Abi.FSTFLAGS_ATIM | Abi.FSTFLAGS_ATIM_NOW | Abi.FSTFLAGS_MTIM | Abi.FSTFLAGS_MTIM_NOW;
        if ((fstflags & ~all) != 0
                || (fstflags & (Abi.FSTFLAGS_ATIM | Abi.FSTFLAGS_ATIM_NOW)) == (Abi.FSTFLAGS_ATIM | Abi.FSTFLAGS_ATIM_NOW)
                || (fstflags & (Abi.FSTFLAGS_MTIM | Abi.FSTFLAGS_MTIM_NOW)) == (Abi.FSTFLAGS_MTIM | Abi.FSTFLAGS_MTIM_NOW)) {
            throw new WasiError(Errno.INVAL);
        }
    }

    /** The access time to set, as utimensat takes it: nanoseconds, {@code UTIME_NOW} or {@code UTIME_OMIT}. */
    static long atim(long nanos, int fstflags) {
        return time(fstflags, Abi.FSTFLAGS_ATIM, Abi.FSTFLAGS_ATIM_NOW, nanos);
    }

    /** The modification time to set, as {@link #atim}. */
    static long mtim(long nanos, int fstflags) {
        return time(fstflags, Abi.FSTFLAGS_MTIM, Abi.FSTFLAGS_MTIM_NOW, nanos);
    }

    private static long time(int fstflags, int given, int now, long nanos) {
        if ((fstflags & now) != 0) return LinuxFs.UTIME_NOW;
        if ((fstflags & given) == 0) return LinuxFs.UTIME_OMIT;
        return nanos;
    }
}
