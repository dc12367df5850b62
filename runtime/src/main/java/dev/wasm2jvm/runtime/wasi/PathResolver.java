package dev.wasm2jvm.runtime.wasi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The sandbox: resolves a guest path beneath a directory descriptor's open host directory, never
 * by a host path string. The result is the directory holding the final component, open as a host
 * fd, and that component's name, for the {@code *at} calls to act on; so a path can lead nowhere
 * but beneath the descriptor, whatever the guest or another process does to the tree meanwhile.
 *
 * <p>{@code ..} above the descriptor's directory, absolute paths and symbolic links with absolute
 * targets fail with {@code EPERM}; a symbolic link is followed only where the walk through it stays
 * beneath the directory at every step, and a final one only when the guest asks.
 *
 * <p>The directories leading to the final component are opened by the kernel with {@code openat2}
 * and {@code RESOLVE_BENEATH}, which refuses any step that would leave the directory, checked as
 * the step is taken. Where the kernel lacks {@code openat2}, they are opened one component at a
 * time with {@code O_NOFOLLOW}, symbolic links read and expanded here, and {@code ..} taken as a
 * step back along the directories walked into so far (the guest's own path, never the host's
 * parent), of which only the last few are held open.
 */
final class PathResolver {
    /** As Linux's limit on symbolic links followed in one lookup. */
    static final int MAX_SYMLINKS = 40;
    /**
     * The most directories of a path that the component walk holds open at once: enough that a
     * path of the usual depth is never opened twice, few enough to hold a bounded number of host fds.
     */
    private static final int WALK_HELD = 32;
    /** openat2 fails with EAGAIN when a rename anywhere raced with a {@code ..} step: tries before walking. */
    private static final int OPENAT2_TRIES = 4;
    private static final int DIRECTORY_FLAGS = LinuxFs.O_PATH | LinuxFs.O_DIRECTORY | LinuxFs.O_CLOEXEC;

    /** Set once the kernel is found to lack openat2 (or a seccomp filter to refuse it). */
    private static volatile boolean openat2Missing;

    private final boolean useOpenat2;

    /** @param useOpenat2 whether to resolve with openat2 where the kernel has it; else always walk */
    PathResolver(boolean useOpenat2) {
        this.useOpenat2 = useOpenat2;
    }

    /**
     * A resolved path: {@code dirfd} is the open host directory holding the final component,
     * {@code name} that component ({@code null} when the path names the directory itself, such as
     * {@code "."} or {@code "a/.."}); {@code trailingSlash} says the guest wrote the path with one.
     * Closing it releases the directory.
     */
    static final class Resolved implements AutoCloseable {
        final int dirfd;
        final String name;
        final boolean trailingSlash;
        /** The descriptor's handle when {@code dirfd} is its own fd, borrowed; {@code null} when owned. */
        private final HostFd borrowed;

        private Resolved(int dirfd, String name, boolean trailingSlash, HostFd borrowed) {
            this.dirfd = dirfd;
            this.name = name;
            this.trailingSlash = trailingSlash;
            this.borrowed = borrowed;
        }

        boolean isDirectoryItself() {
            return name == null;
        }

        /** The status of what the path names (a final symbolic link itself), or {@code null} if nothing. */
        LinuxFs.Stat stat() {
            return LinuxFs.stat(dirfd, name);
        }

        @Override
        public void close() {
            if (borrowed != null) borrowed.release();
            else LinuxFs.close(dirfd);
        }
    }

    Resolved resolve(DirectoryDescriptor dir, String guestPath, boolean followFinal) {
        if (guestPath.isEmpty()) throw new WasiError(Errno.NOENT);
        if (guestPath.startsWith("/")) throw new WasiError(Errno.PERM);
        HostFd base = dir.handle;
        int baseFd = base.acquire();
        try {
            String path = guestPath;
            int symlinks = 0;
            while (true) {
                boolean trailingSlash = path.endsWith("/");
                String trimmed = stripTrailingSlashes(path);
                int cut = trimmed.lastIndexOf('/');
                String last = trimmed.substring(cut + 1);
                String prefix = cut < 0 ? "" : trimmed.substring(0, cut);
                if (last.isEmpty() || last.equals(".") || last.equals("..")) {
                    return resolved(base, baseFd, directory(baseFd, trimmed), null, trailingSlash);
                }
                int parent = directory(baseFd, prefix);
                String target;
                try {
                    target = followFinal ? symlinkTarget(parent, last) : null;
                } catch (RuntimeException e) {
                    if (parent != baseFd) LinuxFs.close(parent);
                    throw e;
                }
                if (target == null) return resolved(base, baseFd, parent, last, trailingSlash);
                if (parent != baseFd) LinuxFs.close(parent);
                if (++symlinks > MAX_SYMLINKS) throw new WasiError(Errno.LOOP);
                // The target replaces the link's name, relative to the link's directory: the whole
                // walk is then taken again from the descriptor, beneath it throughout.
                path = (prefix.isEmpty() ? "" : prefix + "/") + target + (trailingSlash ? "/" : "");
            }
        } catch (RuntimeException e) {
            base.release();
            throw e;
        }
    }

    /** Hands the resolution over to a {@link Resolved}, which keeps {@code base} acquired while it uses it. */
    private static Resolved resolved(HostFd base, int baseFd, int dirfd, String name, boolean trailingSlash) {
        if (dirfd == baseFd) return new Resolved(dirfd, name, trailingSlash, base);
        base.release();
        return new Resolved(dirfd, name, trailingSlash, null);
    }

    /** The target of {@code name} in {@code dirfd} if it is a symbolic link a walk may follow; else {@code null}. */
    private static String symlinkTarget(int dirfd, String name) {
        String target = LinuxFs.symlinkTarget(dirfd, name);
        if (target == null) return null;
        if (target.isEmpty()) throw new WasiError(Errno.NOENT);
        if (target.startsWith("/")) throw new WasiError(Errno.PERM);
        return target;
    }

    /** Whether every component is {@code "."}; a loop, not a stream, which would spin classes on a program's first open. */
    private static boolean onlyDots(List<String> components) {
        for (String component : components) {
            if (!component.equals(".")) return false;
        }
        return true;
    }

    /**
     * Opens the directory {@code path} names beneath {@code baseFd}, following symbolic links on
     * the way; {@code baseFd} itself when the path has no component that moves. The caller closes
     * any other fd returned.
     */
    private int directory(int baseFd, String path) {
        List<String> components = components(path);
        if (onlyDots(components)) return baseFd;
        if (useOpenat2 && !openat2Missing) {
            for (int attempt = 0; attempt < OPENAT2_TRIES; attempt++) {
                int fd = LinuxFs.openat2(baseFd, path, DIRECTORY_FLAGS,
                        LinuxFs.RESOLVE_BENEATH | LinuxFs.RESOLVE_NO_MAGICLINKS);
                if (fd >= 0) return fd;
                switch (-fd) {
                    case LinuxFs.EAGAIN -> {
                        continue;
                    }
                    case LinuxFs.ENOSYS, LinuxFs.EPERM -> openat2Missing = true;
                    // The kernel's answer to a step that would leave the directory.
                    case LinuxFs.EXDEV -> throw new WasiError(Errno.PERM);
                    default -> throw new WasiError(Errno.ofLinux(-fd));
                }
                break;
            }
        }
        return walk(baseFd, components);
    }

    /**
     * Opens the directory {@code components} lead to, one component at a time, none followed by
     * the kernel. The names walked into so far are the guest's path, and {@code ..} steps back
     * along it: to the directory still open there, or, past the last {@value #WALK_HELD} held, to
     * the directory opened again by those names from {@code baseFd}, one plain name at a time, so
     * beneath it whatever was renamed meanwhile. Holding every directory of the path instead
     * would take a host fd for each: a path through 40 symbolic links, each of 2,047 components,
     * would hold some 80,000 at once, past the process's limit, whatever {@code --max-fds} says.
     * Opening again costs time instead, and only a hostile path much: some 27 million opens at
     * worst (a path of 40 such links descending 50,000 directories and climbing 22,000 of them
     * again re-opens on average 39,000 once every 32 steps up), all in the calling guest thread.
     */
    private static int walk(int baseFd, List<String> components) {
        Deque<String> pending = new ArrayDeque<>(components);
        List<String> names = new ArrayList<>();
        // The fds of the last of the names, the deepest last; empty exactly when the names are.
        Deque<Integer> held = new ArrayDeque<>();
        int symlinks = 0;
        try {
            while (!pending.isEmpty()) {
                String name = pending.removeFirst();
                if (name.equals(".")) continue;
                int current = held.isEmpty() ? baseFd : held.peekLast();
                if (name.equals("..")) {
                    if (names.isEmpty()) throw new WasiError(Errno.PERM);
                    names.removeLast();
                    LinuxFs.close(held.removeLast());
                    if (held.isEmpty()) reopen(baseFd, names, held);
                    continue;
                }
                int fd = LinuxFs.openat(current, name, DIRECTORY_FLAGS | LinuxFs.O_NOFOLLOW, 0);
                if (fd >= 0) {
                    names.add(name);
                    hold(held, fd);
                    continue;
                }
                // O_PATH | O_NOFOLLOW opens a symbolic link itself, which O_DIRECTORY then refuses.
                String target = -fd == LinuxFs.ENOTDIR || -fd == LinuxFs.ELOOP ? symlinkTarget(current, name) : null;
                if (target == null) throw new WasiError(Errno.ofLinux(-fd));
                if (++symlinks > MAX_SYMLINKS) throw new WasiError(Errno.LOOP);
                List<String> expansion = components(target);
                for (int i = expansion.size() - 1; i >= 0; i--) pending.addFirst(expansion.get(i));
            }
            return held.isEmpty() ? baseFd : held.removeLast();
        } finally {
            for (int fd : held) LinuxFs.close(fd);
        }
    }

    /** Adds {@code fd} as the deepest held directory, letting go of the shallowest past {@value #WALK_HELD}. */
    private static void hold(Deque<Integer> held, int fd) {
        held.addLast(fd);
        if (held.size() > WALK_HELD) LinuxFs.close(held.removeFirst());
    }

    /**
     * Opens the directories {@code names} lead to from {@code baseFd} again, each a plain name
     * opened without following a symbolic link, holding the last of them in {@code held}.
     */
    private static void reopen(int baseFd, List<String> names, Deque<Integer> held) {
        int current = baseFd;
        for (String name : names) {
            int fd = LinuxFs.openat(current, name, DIRECTORY_FLAGS | LinuxFs.O_NOFOLLOW, 0);
            // A directory of the path renamed or replaced since it was walked through.
            if (fd < 0) throw new WasiError(Errno.ofLinux(-fd));
            hold(held, fd);
            current = fd;
        }
    }

    /** The non-empty components. */
    static List<String> components(String path) {
        List<String> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) names.add(part);
        }
        return names;
    }

    private static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') end--;
        return path.substring(0, end);
    }
}
