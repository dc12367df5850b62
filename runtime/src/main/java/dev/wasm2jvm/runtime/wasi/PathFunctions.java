package dev.wasm2jvm.runtime.wasi;

/**
 * The {@code path_*} functions. Each resolves its paths with the {@link PathResolver} to an open
 * host directory and a final name, and acts on that pair with an {@code *at} system call that does
 * not follow a final symbolic link (the resolver has followed it when the guest asked for that).
 * Nothing is done by host path string, so nothing is done outside the descriptor's directory.
 */
final class PathFunctions {
    private final GuestMemory memory;
    private final FdTable fds;
    private final PathResolver resolver;

    PathFunctions(GuestMemory memory, FdTable fds, PathResolver resolver) {
        this.memory = memory;
        this.fds = fds;
        this.resolver = resolver;
    }

    /**
     * A directory descriptor holding {@code right}. Lacking it is {@code ENOTCAPABLE}: the
     * directory is there, the capability to act through it is not.
     */
    private DirectoryDescriptor directory(int fd, long right) {
        DirectoryDescriptor d = fds.directory(fd);
        if ((d.rightsBase() & right) != right) throw new WasiError(Errno.NOTCAPABLE);
        return d;
    }

    private static boolean follow(int lookupflags) {
        return (lookupflags & Abi.LOOKUPFLAGS_SYMLINK_FOLLOW) != 0;
    }

    int path_open(int fd, int dirflags, int path, int pathLen, int oflags, long rightsBase, long rightsInheriting,
            int fdflags, int opened) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_OPEN);
            String guestPath = memory.string(path, pathLen);
            memory.check(opened, 4);
            if ((fdflags & ~Abi.FDFLAGS_ALL) != 0 || (oflags & ~Abi.OFLAGS_ALL) != 0) throw new WasiError(Errno.INVAL);
            // A new directory cannot be opened: path_create_directory makes those.
            if ((oflags & (Abi.OFLAGS_CREAT | Abi.OFLAGS_DIRECTORY)) == (Abi.OFLAGS_CREAT | Abi.OFLAGS_DIRECTORY)) {
                throw new WasiError(Errno.INVAL);
            }
            boolean create = (oflags & Abi.OFLAGS_CREAT) != 0;
            if (create) directory(fd, Rights.PATH_CREATE_FILE);
            // As open(2), which takes a descriptor number before it looks at the path: EMFILE creates nothing.
            fds.requireRoom();
            // As open(2) with O_TRUNC on a file one may not change: not a missing capability but a refusal.
            if ((oflags & Abi.OFLAGS_TRUNC) != 0 && (dir.rightsBase() & Rights.PATH_FILESTAT_SET_SIZE) == 0) {
                throw new WasiError(Errno.PERM);
            }
            Descriptor d = openHeld(dir, guestPath, oflags, rightsBase, rightsInheriting, fdflags);
            if (d == null) {
                try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, follow(dirflags))) {
                    d = open(dir, r, oflags, rightsBase, rightsInheriting, fdflags);
                }
            }
            try {
                memory.putI32(opened, fds.add(d));
            } catch (WasiError e) {
                d.close();
                throw e;
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    /**
     * A file opened for reading only, with no flags, through the JDK while the preopen is still
     * held (see {@link ChannelFiles}), or {@code null} for the native path. The rights are those
     * {@link #open} gives.
     */
    private static Descriptor openHeld(DirectoryDescriptor dir, String guestPath, int oflags, long rightsBase,
            long rightsInheriting, int fdflags) {
        long base = fileRights(dir, rightsBase);
        if (oflags != 0 || fdflags != 0 || (base & Rights.FD_WRITE) != 0) return null;
        return dir.handle.openHeldFile(guestPath, base, fileRights(dir, rightsInheriting));
    }

    /** The rights asked for a regular file opened in {@code dir} that the file gets: those {@code dir} passes on. */
    private static long fileRights(DirectoryDescriptor dir, long asked) {
        return asked & dir.rightsInheriting() & Rights.REGULAR_FILE;
    }

    private static Descriptor open(DirectoryDescriptor dir, PathResolver.Resolved r, int oflags, long rightsBase,
            long rightsInheriting, int fdflags) {
        boolean create = (oflags & Abi.OFLAGS_CREAT) != 0;
        boolean exclusive = create && (oflags & Abi.OFLAGS_EXCL) != 0;
        LinuxFs.Stat existing = r.stat();
        if (existing != null && exclusive) throw new WasiError(Errno.EXIST);
        if (existing == null) {
            if (!create) throw new WasiError(Errno.NOENT);
            if (r.trailingSlash) throw new WasiError(Errno.ISDIR);
        } else {
            byte type = existing.filestat().filetype();
            if (type == Abi.FILETYPE_SYMBOLIC_LINK) throw new WasiError(Errno.LOOP);
            if (type == Abi.FILETYPE_DIRECTORY) {
                return openDirectory(dir, r, oflags, rightsBase, rightsInheriting, fdflags);
            }
            if ((oflags & Abi.OFLAGS_DIRECTORY) != 0 || r.trailingSlash) throw new WasiError(Errno.NOTDIR);
            // Opening a FIFO blocks until a peer comes; a socket file cannot be opened at all.
            if (LinuxFs.isFifoOrSocket(existing.mode())) throw new WasiError(Errno.NOTSUP);
        }
        long base = fileRights(dir, rightsBase);
        long inheriting = fileRights(dir, rightsInheriting);
        // With neither right, opened for reading, since the descriptor still needs a handle for its status.
        boolean write = (base & Rights.FD_WRITE) != 0;
        boolean read = !write || (base & Rights.FD_READ) != 0;
        int flags = (write ? (read ? LinuxFs.O_RDWR : LinuxFs.O_WRONLY) : LinuxFs.O_RDONLY)
                | (create ? LinuxFs.O_CREAT : 0) | (exclusive ? LinuxFs.O_EXCL : 0)
                | ((oflags & Abi.OFLAGS_TRUNC) != 0 ? LinuxFs.O_TRUNC : 0)
                // O_NONBLOCK: a FIFO put in the file's place since the check above must not block the open.
                | LinuxFs.O_NOFOLLOW | LinuxFs.O_CLOEXEC | LinuxFs.O_NOCTTY | LinuxFs.O_NONBLOCK;
        int hostFd = LinuxFs.openat(r.dirfd, r.name, flags, 0666);
        // ENXIO: a FIFO without reader or a socket file, put there since the check above.
        if (hostFd == -LinuxFs.ENXIO) throw new WasiError(Errno.NOTSUP);
        HostFd handle = new HostFd(LinuxFs.check(hostFd));
        try {
            LinuxFs.Stat file = LinuxFs.stat(hostFd, null);
            byte type = file.filestat().filetype();
            // A directory or FIFO put in the file's place since the check above.
            if (type == Abi.FILETYPE_DIRECTORY) throw new WasiError(Errno.ISDIR);
            if (LinuxFs.isFifoOrSocket(file.mode())) throw new WasiError(Errno.NOTSUP);
            // A device then reads and writes as it would for any other program, waiting for data.
            LinuxFs.check(LinuxFs.setBlocking(hostFd));
            return new FileDescriptor(handle, type, write, base, inheriting, fdflags);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** A directory opened with path_open: it can be neither written nor created nor truncated. */
    private static DirectoryDescriptor openDirectory(DirectoryDescriptor dir, PathResolver.Resolved r, int oflags,
            long rightsBase, long rightsInheriting, int fdflags) {
        if ((rightsBase & Rights.FD_WRITE) != 0 || (oflags & (Abi.OFLAGS_TRUNC | Abi.OFLAGS_CREAT)) != 0) {
            throw new WasiError(Errno.ISDIR);
        }
        int fd = LinuxFs.check(LinuxFs.openDirectory(r.dirfd, r.isDirectoryItself() ? "." : r.name,
                LinuxFs.O_NOFOLLOW));
        long inheritable = dir.rightsInheriting();
        return new DirectoryDescriptor(new HostFd(fd), null, rightsBase & inheritable & Rights.DIRECTORY,
                rightsInheriting & inheritable, fdflags);
    }

    int path_create_directory(int fd, int path, int pathLen) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_CREATE_DIRECTORY);
            String guestPath = memory.string(path, pathLen);
            try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, false)) {
                if (r.isDirectoryItself()) throw new WasiError(Errno.EXIST);
                LinuxFs.check(LinuxFs.mkdirat(r.dirfd, r.name, 0777));
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int path_filestat_get(int fd, int flags, int path, int pathLen, int buf) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_GET);
            String guestPath = memory.string(path, pathLen);
            Filestat stat;
            try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, follow(flags))) {
                LinuxFs.Stat s = r.stat();
                if (s == null) throw new WasiError(Errno.NOENT);
                stat = s.filestat();
                if (r.trailingSlash && stat.filetype() != Abi.FILETYPE_DIRECTORY) throw new WasiError(Errno.NOTDIR);
            }
            stat.writeTo(memory, buf);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int path_filestat_set_times(int fd, int flags, int path, int pathLen, long atim, long mtim, int fstflags) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_SET_TIMES);
            String guestPath = memory.string(path, pathLen);
            FileTimes.validate(fstflags);
            try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, follow(flags))) {
                // A symbolic link left at the end has its own times set.
                LinuxFs.check(LinuxFs.utimensat(r.dirfd, r.isDirectoryItself() ? "." : r.name,
                        FileTimes.atim(atim, fstflags), FileTimes.mtim(mtim, fstflags)));
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    /** Hard links never follow symbolic links: asking to is {@code EINVAL}, as in common runtimes. */
    int path_link(int oldFd, int oldFlags, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        try {
            DirectoryDescriptor from = directory(oldFd, Rights.PATH_LINK_SOURCE);
            DirectoryDescriptor to = directory(newFd, Rights.PATH_LINK_TARGET);
            String source = memory.string(oldPath, oldPathLen);
            String target = memory.string(newPath, newPathLen);
            if (follow(oldFlags)) throw new WasiError(Errno.INVAL);
            try (PathResolver.Resolved existing = resolver.resolve(from, source, false);
                    PathResolver.Resolved link = resolver.resolve(to, target, false)) {
                if (existing.isDirectoryItself()) throw new WasiError(Errno.PERM);
                LinuxFs.Stat linked = existing.stat();
                if (linked == null) throw new WasiError(Errno.NOENT);
                if (linked.filestat().filetype() == Abi.FILETYPE_DIRECTORY) throw new WasiError(Errno.PERM);
                if (existing.trailingSlash) throw new WasiError(Errno.NOTDIR);
                if (link.isDirectoryItself() || link.stat() != null) throw new WasiError(Errno.EXIST);
                if (link.trailingSlash) throw new WasiError(Errno.NOENT);
                LinuxFs.check(LinuxFs.linkat(existing.dirfd, existing.name, link.dirfd, link.name));
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int path_readlink(int fd, int path, int pathLen, int buf, int bufLen, int bufused) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_READLINK);
            String guestPath = memory.string(path, pathLen);
            byte[] target;
            try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, false)) {
                if (r.isDirectoryItself()) throw new WasiError(Errno.INVAL);
                target = LinuxFs.readlinkat(r.dirfd, r.name);
                if (target == null) throw new WasiError(r.stat() == null ? Errno.NOENT : Errno.INVAL);
            }
            // An absolute target is a host path (the guest cannot make one): not shown, as it cannot be followed.
            if (target.length > 0 && target[0] == '/') throw new WasiError(Errno.PERM);
            int n = (int) Math.min(target.length, Integer.toUnsignedLong(bufLen));
            memory.put(buf, target, 0, n);
            memory.putI32(bufused, n);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int path_remove_directory(int fd, int path, int pathLen) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_REMOVE_DIRECTORY);
            String guestPath = memory.string(path, pathLen);
            try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, false)) {
                if (r.isDirectoryItself()) throw new WasiError(Errno.INVAL);
                int result = LinuxFs.unlinkat(r.dirfd, r.name, LinuxFs.AT_REMOVEDIR);
                // Some file systems say EEXIST for a directory that is not empty, as POSIX allows.
                if (result == -LinuxFs.EEXIST) throw new WasiError(Errno.NOTEMPTY);
                LinuxFs.check(result);
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int path_rename(int fd, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        try {
            DirectoryDescriptor fromDir = directory(fd, Rights.PATH_RENAME_SOURCE);
            DirectoryDescriptor toDir = directory(newFd, Rights.PATH_RENAME_TARGET);
            String source = memory.string(oldPath, oldPathLen);
            String target = memory.string(newPath, newPathLen);
            try (PathResolver.Resolved from = resolver.resolve(fromDir, source, false);
                    PathResolver.Resolved to = resolver.resolve(toDir, target, false)) {
                if (from.isDirectoryItself() || to.isDirectoryItself()) throw new WasiError(Errno.BUSY);
                LinuxFs.Stat moved = from.stat();
                if (moved == null) throw new WasiError(Errno.NOENT);
                boolean movedIsDirectory = moved.filestat().filetype() == Abi.FILETYPE_DIRECTORY;
                if (!movedIsDirectory && (from.trailingSlash || to.trailingSlash)) throw new WasiError(Errno.NOTDIR);
                LinuxFs.Stat replaced = to.stat();
                if (replaced != null) {
                    boolean replacedIsDirectory = replaced.filestat().filetype() == Abi.FILETYPE_DIRECTORY;
                    if (movedIsDirectory && !replacedIsDirectory) throw new WasiError(Errno.NOTDIR);
                    if (!movedIsDirectory && replacedIsDirectory) throw new WasiError(Errno.ISDIR);
                }
                // rename(2): replaces a file or an empty directory in one step.
                LinuxFs.check(LinuxFs.renameat(from.dirfd, from.name, to.dirfd, to.name));
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    /**
     * Creates a symbolic link. An absolute target is refused ({@code EPERM}): inside the sandbox
     * it could never be followed, and the host would read it as a host path. A relative target
     * may climb anywhere, as on Linux; following it is what the resolver keeps beneath.
     */
    int path_symlink(int oldPath, int oldPathLen, int fd, int newPath, int newPathLen) {
        try {
            String target = memory.string(oldPath, oldPathLen);
            DirectoryDescriptor dir = directory(fd, Rights.PATH_SYMLINK);
            String guestPath = memory.string(newPath, newPathLen);
            if (target.isEmpty()) throw new WasiError(Errno.NOENT);
            if (target.startsWith("/")) throw new WasiError(Errno.PERM);
            try (PathResolver.Resolved link = resolver.resolve(dir, guestPath, false)) {
                if (link.isDirectoryItself() || link.stat() != null) throw new WasiError(Errno.EXIST);
                if (link.trailingSlash) throw new WasiError(Errno.NOENT);
                LinuxFs.check(LinuxFs.symlinkat(target, link.dirfd, link.name));
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int path_unlink_file(int fd, int path, int pathLen) {
        try {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_UNLINK_FILE);
            String guestPath = memory.string(path, pathLen);
            try (PathResolver.Resolved r = resolver.resolve(dir, guestPath, false)) {
                if (r.isDirectoryItself()) throw new WasiError(Errno.ISDIR);
                LinuxFs.Stat s = r.stat();
                if (s == null) throw new WasiError(Errno.NOENT);
                if (s.filestat().filetype() == Abi.FILETYPE_DIRECTORY) throw new WasiError(Errno.ISDIR);
                if (r.trailingSlash) throw new WasiError(Errno.NOTDIR);
                LinuxFs.check(LinuxFs.unlinkat(r.dirfd, r.name, 0));
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }
}
