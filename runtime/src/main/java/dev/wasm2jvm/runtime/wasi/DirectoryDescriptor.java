package dev.wasm2jvm.runtime.wasi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

    /** One listed entry: its name, inode and file type. */
    record Entry(String name, long ino, byte filetype) {}

    /** The entries listed by the last fd_readdir from cookie 0, which later cookies index into. */
    private List<Entry> entries = List.of();

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
     * The entries from {@code cookie} on: {@code "."}, {@code ".."} and then the directory's
     * entries by name. Listing afresh at cookie 0 and keeping that snapshot for later cookies makes
     * the cookies of one pass consistent however the directory changes meanwhile. {@code ".."} is
     * reported as the directory itself, which keeps the sandbox's outside unseen.
     */
    List<Entry> entriesFrom(long cookie) {
        lock.lock();
        try {
            if (cookie == 0 || entries.isEmpty()) entries = list();
            if (cookie < 0 || cookie >= entries.size()) return List.of();
            return entries.subList((int) cookie, entries.size());
        } finally {
            lock.unlock();
        }
    }

    private List<Entry> list() {
        int fd = handle.acquire();
        try {
            // A fresh open of the directory, so that the listing starts at its beginning and
            // leaves no position behind in the descriptor's own fd.
            int listing = LinuxFs.check(LinuxFs.openat(fd, ".",
                    LinuxFs.O_RDONLY | LinuxFs.O_DIRECTORY | LinuxFs.O_CLOEXEC, 0));
            List<LinuxFs.Dirent> children;
            long ino;
            try {
                children = LinuxFs.readDirectory(listing);
                ino = LinuxFs.stat(listing, null).filestat().ino();
            } finally {
                LinuxFs.close(listing);
            }
            List<Entry> names = new ArrayList<>(children.size() + 2);
            names.add(new Entry(".", ino, Abi.FILETYPE_DIRECTORY));
            names.add(new Entry("..", ino, Abi.FILETYPE_DIRECTORY));
            children.stream()
                    .sorted(Comparator.comparing(LinuxFs.Dirent::name))
                    .forEach(d -> names.add(new Entry(d.name(), d.ino(), d.filetype())));
            return names;
        } finally {
            handle.release();
        }
    }
}
