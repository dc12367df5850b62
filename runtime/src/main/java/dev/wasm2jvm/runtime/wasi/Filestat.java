package dev.wasm2jvm.runtime.wasi;

/** The {@code filestat} struct: what fd_filestat_get and path_filestat_get report. */
record Filestat(long dev, long ino, byte filetype, long nlink, long size, long atim, long mtim, long ctim) {
    static final int SIZE = 64;

    static final int S_IFMT = 0170000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFIFO = 0010000;

    /** A file that is not in the host file system (a stream or a socket), with its timestamps at zero. */
    static Filestat of(byte filetype) {
        return new Filestat(0, 0, filetype, 1, 0, 0, 0, 0);
    }

    /**
     * A file's type as {@code stat}'s {@code st_mode} says it, in WASI's terms: here rather than in
     * {@link LinuxFs}, so that a status read through the JDK ({@link ChannelFiles#status}) loads no
     * class of the native path.
     */
    static byte filetype(int mode) {
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
