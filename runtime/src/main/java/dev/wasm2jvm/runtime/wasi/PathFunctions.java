package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code path_*} functions. Paths are resolved by the {@link PathResolver}, so every host path
 * used here lies inside the directory descriptor's tree and is acted on without following a final
 * symbolic link (the resolver has already followed it when the guest asked for that).
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
        return Calls.errno(() -> {
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
            Descriptor d;
            try (var _ = create ? resolver.forChange() : resolver.forLookup()) {
                d = open(dir, resolver.resolve(dir, guestPath, follow(dirflags)), oflags, rightsBase,
                        rightsInheriting, fdflags);
            }
            try {
                memory.putI32(opened, fds.add(d));
            } catch (WasiError e) {
                d.close();
                throw e;
            }
        });
    }

    private static Descriptor open(DirectoryDescriptor dir, PathResolver.Resolved r, int oflags, long rightsBase,
            long rightsInheriting, int fdflags) throws IOException {
        BasicFileAttributes existing = PathResolver.lstat(r.path());
        boolean create = (oflags & Abi.OFLAGS_CREAT) != 0;
        if (existing != null && create && (oflags & Abi.OFLAGS_EXCL) != 0) throw new WasiError(Errno.EXIST);
        if (existing == null) {
            if (!create) throw new WasiError(Errno.NOENT);
            if (r.trailingSlash()) throw new WasiError(Errno.ISDIR);
            try {
                Files.createFile(r.path());
            } catch (FileAlreadyExistsException e) {
                // Another host process created it meanwhile: open it as O_CREAT without O_EXCL would.
            }
            existing = PathResolver.lstat(r.path());
            if (existing == null) throw new WasiError(Errno.NOENT);
        }
        if (existing.isSymbolicLink()) throw new WasiError(Errno.LOOP);
        long inheritable = dir.rightsInheriting();
        if (existing.isDirectory()) {
            if ((rightsBase & Rights.FD_WRITE) != 0 || (oflags & (Abi.OFLAGS_TRUNC | Abi.OFLAGS_CREAT)) != 0) {
                throw new WasiError(Errno.ISDIR);
            }
            return new DirectoryDescriptor(r.path(), null, rightsBase & inheritable & Rights.DIRECTORY,
                    rightsInheriting & inheritable, fdflags);
        }
        if ((oflags & Abi.OFLAGS_DIRECTORY) != 0 || r.trailingSlash()) throw new WasiError(Errno.NOTDIR);
        if (existing.isOther()) {
            // Opening a FIFO or a socket file blocks until a peer comes, holding the lookup lock meanwhile.
            byte type = Filestat.of(r.path()).filetype();
            if (type != Abi.FILETYPE_CHARACTER_DEVICE && type != Abi.FILETYPE_BLOCK_DEVICE) {
                throw new WasiError(Errno.NOTSUP);
            }
        }
        long base = rightsBase & inheritable & Rights.REGULAR_FILE;
        long inheriting = rightsInheriting & inheritable & Rights.REGULAR_FILE;
        FileChannel channel = openChannel(r.path(), base, (oflags & Abi.OFLAGS_TRUNC) != 0);
        try {
            return new FileDescriptor(channel, r.path(), base, inheriting, fdflags);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens for reading, writing or both as the rights say; with neither, for reading, since the
     * descriptor still needs a handle for its status.
     */
    private static FileChannel openChannel(Path path, long rights, boolean truncate) throws IOException {
        boolean write = (rights & Rights.FD_WRITE) != 0;
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (write) options.add(StandardOpenOption.WRITE);
        if (!write || (rights & Rights.FD_READ) != 0) options.add(StandardOpenOption.READ);
        if (truncate && write) options.add(StandardOpenOption.TRUNCATE_EXISTING);
        if (truncate && !write) {
            try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                c.truncate(0);
            }
        }
        return FileChannel.open(path, options);
    }

    int path_create_directory(int fd, int path, int pathLen) {
        return Calls.errno(() -> {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_CREATE_DIRECTORY);
            String guestPath = memory.string(path, pathLen);
            try (var _ = resolver.forChange()) {
                PathResolver.Resolved r = resolver.resolve(dir, guestPath, false);
                if (r.isDirectoryItself()) throw new WasiError(Errno.EXIST);
                Files.createDirectory(r.path());
            }
        });
    }

    int path_filestat_get(int fd, int flags, int path, int pathLen, int buf) {
        return Calls.errno(() -> {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_GET);
            String guestPath = memory.string(path, pathLen);
            Filestat stat;
            try (var _ = resolver.forLookup()) {
                PathResolver.Resolved r = resolver.resolve(dir, guestPath, follow(flags));
                stat = Filestat.of(r.path());
                if (r.trailingSlash() && stat.filetype() != Abi.FILETYPE_DIRECTORY) throw new WasiError(Errno.NOTDIR);
            }
            stat.writeTo(memory, buf);
        });
    }

    int path_filestat_set_times(int fd, int flags, int path, int pathLen, long atim, long mtim, int fstflags) {
        return Calls.errno(() -> {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_SET_TIMES);
            String guestPath = memory.string(path, pathLen);
            FileTimes.validate(fstflags);
            try (var _ = resolver.forLookup()) {
                FileTimes.set(resolver.resolve(dir, guestPath, follow(flags)).path(), atim, mtim, fstflags);
            }
        });
    }

    /** Hard links never follow symbolic links: asking to is {@code EINVAL}, as in common runtimes. */
    int path_link(int oldFd, int oldFlags, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return Calls.errno(() -> {
            DirectoryDescriptor from = directory(oldFd, Rights.PATH_LINK_SOURCE);
            DirectoryDescriptor to = directory(newFd, Rights.PATH_LINK_TARGET);
            String source = memory.string(oldPath, oldPathLen);
            String target = memory.string(newPath, newPathLen);
            if (follow(oldFlags)) throw new WasiError(Errno.INVAL);
            try (var _ = resolver.forChange()) {
                PathResolver.Resolved existing = resolver.resolve(from, source, false);
                PathResolver.Resolved link = resolver.resolve(to, target, false);
                BasicFileAttributes attributes = PathResolver.lstat(existing.path());
                if (attributes == null) throw new WasiError(Errno.NOENT);
                if (attributes.isDirectory()) throw new WasiError(Errno.PERM);
                if (existing.trailingSlash()) throw new WasiError(Errno.NOTDIR);
                if (link.isDirectoryItself() || PathResolver.lstat(link.path()) != null) {
                    throw new WasiError(Errno.EXIST);
                }
                if (link.trailingSlash()) throw new WasiError(Errno.NOENT);
                Files.createLink(link.path(), existing.path());
            }
        });
    }

    int path_readlink(int fd, int path, int pathLen, int buf, int bufLen, int bufused) {
        return Calls.errno(() -> {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_READLINK);
            String guestPath = memory.string(path, pathLen);
            byte[] target;
            try (var _ = resolver.forLookup()) {
                PathResolver.Resolved r = resolver.resolve(dir, guestPath, false);
                BasicFileAttributes attributes = PathResolver.lstat(r.path());
                if (attributes == null) throw new WasiError(Errno.NOENT);
                if (!attributes.isSymbolicLink()) throw new WasiError(Errno.INVAL);
                Path link = Files.readSymbolicLink(r.path());
                // An absolute target is a host path (the guest cannot make one): not shown, as it cannot be followed.
                if (link.isAbsolute()) throw new WasiError(Errno.PERM);
                target = link.toString().getBytes(StandardCharsets.UTF_8);
            }
            int n = (int) Math.min(target.length, Integer.toUnsignedLong(bufLen));
            memory.put(buf, target, 0, n);
            memory.putI32(bufused, n);
        });
    }

    int path_remove_directory(int fd, int path, int pathLen) {
        return Calls.errno(() -> {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_REMOVE_DIRECTORY);
            String guestPath = memory.string(path, pathLen);
            try (var _ = resolver.forChange()) {
                PathResolver.Resolved r = resolver.resolve(dir, guestPath, false);
                if (r.isDirectoryItself()) throw new WasiError(Errno.INVAL);
                BasicFileAttributes attributes = PathResolver.lstat(r.path());
                if (attributes == null) throw new WasiError(Errno.NOENT);
                if (!attributes.isDirectory()) throw new WasiError(Errno.NOTDIR);
                Files.delete(r.path());
            }
        });
    }

    int path_rename(int fd, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return Calls.errno(() -> {
            DirectoryDescriptor fromDir = directory(fd, Rights.PATH_RENAME_SOURCE);
            DirectoryDescriptor toDir = directory(newFd, Rights.PATH_RENAME_TARGET);
            String source = memory.string(oldPath, oldPathLen);
            String target = memory.string(newPath, newPathLen);
            try (var _ = resolver.forChange()) {
                PathResolver.Resolved from = resolver.resolve(fromDir, source, false);
                PathResolver.Resolved to = resolver.resolve(toDir, target, false);
                if (from.isDirectoryItself() || to.isDirectoryItself()) throw new WasiError(Errno.BUSY);
                BasicFileAttributes moved = PathResolver.lstat(from.path());
                if (moved == null) throw new WasiError(Errno.NOENT);
                if (!moved.isDirectory() && (from.trailingSlash() || to.trailingSlash())) {
                    throw new WasiError(Errno.NOTDIR);
                }
                BasicFileAttributes replaced = PathResolver.lstat(to.path());
                if (replaced != null && moved.isDirectory() && !replaced.isDirectory()) {
                    throw new WasiError(Errno.NOTDIR);
                }
                if (replaced != null && !moved.isDirectory() && replaced.isDirectory()) {
                    throw new WasiError(Errno.ISDIR);
                }
                // rename(2): replaces a file or an empty directory in one step.
                Files.move(from.path(), to.path(), StandardCopyOption.ATOMIC_MOVE);
            }
        });
    }

    /**
     * Creates a symbolic link. An absolute target is refused ({@code EPERM}): inside the sandbox
     * it could never be followed, and the host would read it as a host path.
     */
    int path_symlink(int oldPath, int oldPathLen, int fd, int newPath, int newPathLen) {
        return Calls.errno(() -> {
            String target = memory.string(oldPath, oldPathLen);
            DirectoryDescriptor dir = directory(fd, Rights.PATH_SYMLINK);
            String guestPath = memory.string(newPath, newPathLen);
            if (target.isEmpty()) throw new WasiError(Errno.NOENT);
            if (target.startsWith("/")) throw new WasiError(Errno.PERM);
            try (var _ = resolver.forChange()) {
                PathResolver.Resolved link = resolver.resolve(dir, guestPath, false);
                if (link.isDirectoryItself() || PathResolver.lstat(link.path()) != null) {
                    throw new WasiError(Errno.EXIST);
                }
                if (link.trailingSlash()) throw new WasiError(Errno.NOENT);
                Files.createSymbolicLink(link.path(), link.path().getFileSystem().getPath(target));
            }
        });
    }

    int path_unlink_file(int fd, int path, int pathLen) {
        return Calls.errno(() -> {
            DirectoryDescriptor dir = directory(fd, Rights.PATH_UNLINK_FILE);
            String guestPath = memory.string(path, pathLen);
            try (var _ = resolver.forChange()) {
                PathResolver.Resolved r = resolver.resolve(dir, guestPath, false);
                if (r.isDirectoryItself()) throw new WasiError(Errno.ISDIR);
                BasicFileAttributes attributes = PathResolver.lstat(r.path());
                if (attributes == null) throw new WasiError(Errno.NOENT);
                if (attributes.isDirectory()) throw new WasiError(Errno.ISDIR);
                if (r.trailingSlash()) throw new WasiError(Errno.NOTDIR);
                Files.delete(r.path());
            }
        });
    }
}
