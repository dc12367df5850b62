package dev.wasm2jvm.runtime.wasi;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A directory: the root of its own sandbox (paths resolved from it never leave it), and possibly
 * a preopen, which the guest knows by its guest name only. It holds the directory open, so it
 * stays the same directory however it is renamed or replaced by name meanwhile.
 */
final class DirectoryDescriptor extends Descriptor {
    /** The host directory, open for reading, or with O_PATH where it may only be searched. */
    final HostFd handle;
    /** The name the guest sees in fd_prestat_dir_name, or {@code null} if this is not a preopen. */
    final String preopenName;

    /** One listed entry: its name, inode and file type, and the cookie of the entry after it. */
    record Entry(String name, long ino, byte filetype, long next) {}

    /** The descriptor of a preopened directory, {@code handle}, which the guest knows as {@code name}. */
    static Descriptor preopened(HostFd handle, String name) {
        return new DirectoryDescriptor(handle, name, Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0);
    }

    DirectoryDescriptor(HostFd handle, String preopenName, long rightsBase, long rightsInheriting, int fdflags) {
        super(rightsBase, rightsInheriting, fdflags);
        this.handle = handle;
        this.preopenName = preopenName;
    }

    @Override
    byte filetype() {
        return Abi.FILETYPE_DIRECTORY;
    }

    @Override
    Filestat filestat() {
        return handle.filestat();
    }

    @Override
    void setTimes(long atim, long mtim, int fstflags) {
        FileTimes.validate(fstflags);
        // Through ".", since the fd may be an O_PATH one, which futimens refuses.
        handle.call(fd -> LinuxFs.utimensat(fd, ".", FileTimes.atim(atim, fstflags), FileTimes.mtim(mtim, fstflags)));
    }

    @Override
    void close() {
        handle.close();
    }

    byte[] preopenNameBytes() {
        return preopenName.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Passes the entries from {@code cookie} on to {@code sink}, each with the cookie that lists
     * the entries after it, until the sink returns false or the listing ends; {@code bufferSize}
     * bounds the bytes read from the kernel at once (the guest's buffer, up to 64 KiB, is enough).
     *
     * <p>A cookie is the kernel's position in the directory: 0 its start, otherwise the
     * {@code d_off} of the entry before, which {@code lseek} on a fresh open of the directory
     * goes back to. So neither the descriptor nor a call holds the listing: a call holds one
     * batch of {@code getdents64}, whatever the directory's size, and a guest resuming from the
     * last cookie it saw (wasi-libc's {@code readdir}) gets every entry that existed throughout
     * exactly once however the directory changed meanwhile, as the file systems keep positions
     * for {@code telldir} and {@code seekdir} (ext4's name hashes, tmpfs's and btrfs's indices
     * that are never reused; overlayfs's merged directories, whose positions count entries, keep it
     * only while the directory is unchanged, for native programs as for guests). The order is the
     * file system's, as native WASI hosts give it: any other order (by name, as this class once
     * kept) needs the whole listing in memory to sort, a copy per open descriptor that a guest
     * creating a million files could have exhaust the heap. {@code .} and {@code ..} are the
     * kernel's, with its positions, so their cookies cannot collide with another entry's;
     * {@code ..} is reported as the directory itself, which keeps the sandbox's outside unseen.
     * A cookie the file system cannot seek to (one of 2<sup>63</sup> or more) lists nothing.
     */
    void list(long cookie, int bufferSize, Predicate<Entry> sink) {
        int fd = handle.acquire();
        try {
            // A fresh open of the directory, since the descriptor's own may be an O_PATH one,
            // which lists nothing, and so that no position is shared between calls.
            int listing = LinuxFs.check(LinuxFs.openat(fd, ".",
                    LinuxFs.O_RDONLY | LinuxFs.O_DIRECTORY | LinuxFs.O_CLOEXEC, 0));
            try {
                long[] self = {-1};
                LinuxFs.readDirectory(listing, cookie, bufferSize, d -> {
                    boolean dot = d.name().equals(".") || d.name().equals("..");
                    if (dot && self[0] < 0) self[0] = LinuxFs.stat(listing, null).filestat().ino();
                    return sink.test(dot
                            ? new Entry(d.name(), self[0], Abi.FILETYPE_DIRECTORY, d.next())
                            : new Entry(d.name(), d.ino(), LinuxFs.direntType(listing, d.name(), d.dtype()), d.next()));
                });
            } finally {
                LinuxFs.close(listing);
            }
        } finally {
            handle.release();
        }
    }
}
