package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory: the root of its own sandbox (paths resolved from it never leave it), and possibly
 * a preopen, which the guest knows by its guest name only.
 */
final class DirectoryDescriptor extends Descriptor {
    /** The host directory, without symbolic links in it. */
    final Path path;
    /** The name the guest sees in fd_prestat_dir_name, or {@code null} if this is not a preopen. */
    final String preopenName;

    /** The entries listed by the last fd_readdir from cookie 0, which later cookies index into. */
    private List<String> entries = List.of();

    DirectoryDescriptor(Path path, String preopenName, long rightsBase, long rightsInheriting, int fdflags) {
        super(rightsBase, rightsInheriting, fdflags);
        this.path = path;
        this.preopenName = preopenName;
    }

    @Override
    byte filetype() {
        return Abi.FILETYPE_DIRECTORY;
    }

    @Override
    Filestat filestat() throws IOException {
        return Filestat.of(path);
    }

    @Override
    void setTimes(long atim, long mtim, int fstflags) throws IOException {
        FileTimes.set(path, atim, mtim, fstflags);
    }

    byte[] preopenNameBytes() {
        return preopenName.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The entry names from {@code cookie} on: {@code "."}, {@code ".."} and then the directory's
     * names in a stable order. Listing afresh at cookie 0 and keeping that snapshot for later
     * cookies makes the cookies of one pass consistent however the directory changes meanwhile.
     */
    List<String> entriesFrom(long cookie) throws IOException {
        lock.lock();
        try {
            if (cookie == 0 || entries.isEmpty()) {
                List<String> names = new ArrayList<>();
                names.add(".");
                names.add("..");
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                    List<String> children = new ArrayList<>();
                    for (Path child : stream) children.add(child.getFileName().toString());
                    children.sort(null);
                    names.addAll(children);
                }
                entries = names;
            }
            if (cookie < 0 || cookie >= entries.size()) return List.of();
            return entries.subList((int) cookie, entries.size());
        } finally {
            lock.unlock();
        }
    }
}
