package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The sandbox: resolves a guest path relative to a directory descriptor, one component at a time,
 * so that it never leaves that directory. {@code ..} above it, absolute paths and symbolic links
 * whose targets are absolute or climb above it fail with {@code EPERM}; symbolic links are
 * followed by this resolver, never by the host, and the final one only when asked.
 *
 * <p>The host file system could change between resolving and using a path. So that no guest
 * thread can exploit that (say, by swapping a directory for a symbolic link to {@code /} while
 * another thread opens a file beneath it), lookups run under a shared lock and every change of the
 * tree's shape under an exclusive one.
 */
final class PathResolver {
    /** As Linux's limit on symbolic links followed in one lookup. */
    private static final int MAX_SYMLINKS = 40;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /**
     * A resolved path: {@code path} is the host path of the final component, whose parents contain
     * no symbolic links; {@code name} is that component, {@code null} when the path named the
     * directory itself; {@code trailingSlash} says the guest wrote the path with one.
     */
    record Resolved(Path path, String name, boolean trailingSlash) {
        boolean isDirectoryItself() {
            return name == null;
        }
    }

    /** A held lock, released by try-with-resources. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held forLookup() {
        return hold(lock.readLock());
    }

    Held forChange() {
        return hold(lock.writeLock());
    }

    private static Held hold(Lock l) {
        l.lock();
        return l::unlock;
    }

    Resolved resolve(DirectoryDescriptor dir, String guestPath, boolean followFinal) throws IOException {
        if (guestPath.isEmpty()) throw new WasiError(Errno.NOENT);
        if (guestPath.startsWith("/")) throw new WasiError(Errno.PERM);
        boolean trailingSlash = guestPath.endsWith("/");
        Deque<String> pending = new ArrayDeque<>(components(guestPath));
        List<String> resolved = new ArrayList<>();
        int symlinks = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals(".")) continue;
            if (name.equals("..")) {
                if (resolved.isEmpty()) throw new WasiError(Errno.PERM);
                resolved.removeLast();
                continue;
            }
            boolean last = pending.isEmpty();
            Path candidate = join(dir.path, resolved).resolve(name);
            BasicFileAttributes attributes = lstat(candidate);
            if (attributes != null && attributes.isSymbolicLink() && (!last || followFinal)) {
                if (++symlinks > MAX_SYMLINKS) throw new WasiError(Errno.LOOP);
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.isEmpty()) throw new WasiError(Errno.NOENT);
                if (target.startsWith("/")) throw new WasiError(Errno.PERM);
                List<String> expansion = components(target);
                for (int i = expansion.size() - 1; i >= 0; i--) pending.addFirst(expansion.get(i));
                continue;
            }
            if (!last) {
                if (attributes == null) throw new WasiError(Errno.NOENT);
                if (!attributes.isDirectory()) throw new WasiError(Errno.NOTDIR);
            }
            resolved.add(name);
        }
        Path path = join(dir.path, resolved);
        return new Resolved(path, resolved.isEmpty() ? null : resolved.getLast(), trailingSlash);
    }

    /** The non-empty components; a path of slashes and dots alone names the directory itself. */
    private static List<String> components(String path) {
        List<String> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) names.add(part);
        }
        return names;
    }

    private static Path join(Path base, List<String> names) {
        Path p = base;
        for (String n : names) p = p.resolve(n);
        return p;
    }

    /** The attributes of {@code path} itself, or {@code null} if there is nothing there. */
    static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
