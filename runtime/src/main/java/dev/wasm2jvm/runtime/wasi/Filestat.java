package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** The {@code filestat} struct: what fd_filestat_get and path_filestat_get report. */
record Filestat(long dev, long ino, byte filetype, long nlink, long size, long atim, long mtim, long ctim) {
    static final int SIZE = 64;

    /**
     * The attributes used, named: {@code "unix:*"} would also look up the owner's and group's
     * names, a passwd and group database query per call that made opening a file several times slower.
     */
    private static final String UNIX_ATTRIBUTES = "unix:dev,ino,mode,nlink,size,lastAccessTime,lastModifiedTime,ctime";

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /** A file that is not in the host file system (a stream or a socket), with its timestamps at zero. */
    static Filestat of(byte filetype) {
        return new Filestat(0, 0, filetype, 1, 0, 0, 0, 0);
    }

    /** The status of {@code path} itself, never of what it links to. */
    static Filestat of(Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return ofBasic(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        }
        int mode = (Integer) a.get("mode");
        return new Filestat(
                (Long) a.get("dev"),
                (Long) a.get("ino"),
                filetype(mode),
                ((Integer) a.get("nlink")).longValue(),
                (Long) a.get("size"),
                nanos((FileTime) a.get("lastAccessTime")),
                nanos((FileTime) a.get("lastModifiedTime")),
                nanos((FileTime) a.get("ctime")));
    }

    /** Where the host has no POSIX attributes, the identity is the file key's hash: unique enough for equality tests. */
    private static Filestat ofBasic(BasicFileAttributes a) {
        byte type = a.isDirectory() ? Abi.FILETYPE_DIRECTORY
                : a.isRegularFile() ? Abi.FILETYPE_REGULAR_FILE
                : a.isSymbolicLink() ? Abi.FILETYPE_SYMBOLIC_LINK
                : Abi.FILETYPE_UNKNOWN;
        long ino = a.fileKey() == null ? 0 : a.fileKey().hashCode() & 0xffffffffL;
        return new Filestat(0, ino, type, 1, a.size(), nanos(a.lastAccessTime()), nanos(a.lastModifiedTime()),
                nanos(a.lastModifiedTime()));
    }

    private static byte filetype(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> Abi.FILETYPE_REGULAR_FILE;
            case S_IFDIR -> Abi.FILETYPE_DIRECTORY;
            case S_IFLNK -> Abi.FILETYPE_SYMBOLIC_LINK;
            case S_IFCHR -> Abi.FILETYPE_CHARACTER_DEVICE;
            case S_IFBLK -> Abi.FILETYPE_BLOCK_DEVICE;
            case S_IFSOCK -> Abi.FILETYPE_SOCKET_STREAM;
            default -> Abi.FILETYPE_UNKNOWN;
        };
    }

    static long nanos(FileTime time) {
        var instant = time.toInstant();
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    void writeTo(GuestMemory memory, int address) {
        memory.zero(address, SIZE);
        memory.putI64(address, dev);
        memory.putI64(address + 8, ino);
        memory.putU8(address + 16, filetype);
        memory.putI64(address + 24, nlink);
        memory.putI64(address + 32, size);
        memory.putI64(address + 40, atim);
        memory.putI64(address + 48, mtim);
        memory.putI64(address + 56, ctim);
    }
}
