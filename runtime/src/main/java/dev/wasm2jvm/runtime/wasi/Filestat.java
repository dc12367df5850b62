package dev.wasm2jvm.runtime.wasi;

/** The {@code filestat} struct: what fd_filestat_get and path_filestat_get report. */
record Filestat(long dev, long ino, byte filetype, long nlink, long size, long atim, long mtim, long ctim) {
    static final int SIZE = 64;

    /** A file that is not in the host file system (a stream or a socket), with its timestamps at zero. */
    static Filestat of(byte filetype) {
        return new Filestat(0, 0, filetype, 1, 0, 0, 0, 0);
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
