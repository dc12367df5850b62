package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

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

    /** Sets the times of {@code path} itself (a symlink's own times when it is one). */
    static void set(Path path, long atim, long mtim, int fstflags) throws IOException {
        validate(fstflags);
        FileTime now = FileTime.from(Instant.now());
        FileTime access = time(fstflags, Abi.FSTFLAGS_ATIM, Abi.FSTFLAGS_ATIM_NOW, atim, now);
        FileTime modified = time(fstflags, Abi.FSTFLAGS_MTIM, Abi.FSTFLAGS_MTIM_NOW, mtim, now);
        if (access == null && modified == null) return;
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(modified, access, null);
    }

    /** The time to set, or {@code null} to leave it. */
    private static FileTime time(int fstflags, int given, int now, long nanos, FileTime current) {
        if ((fstflags & now) != 0) return current;
        if ((fstflags & given) == 0) return null;
        return FileTime.from(Instant.ofEpochSecond(0, nanos));
    }
}
