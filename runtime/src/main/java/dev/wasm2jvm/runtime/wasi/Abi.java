package dev.wasm2jvm.runtime.wasi;

/** The constants of the wasi_snapshot_preview1 ABI besides errnos and rights, named as in the witx. */
final class Abi {
    static final byte FILETYPE_UNKNOWN = 0;
    static final byte FILETYPE_BLOCK_DEVICE = 1;
    static final byte FILETYPE_CHARACTER_DEVICE = 2;
    static final byte FILETYPE_DIRECTORY = 3;
    static final byte FILETYPE_REGULAR_FILE = 4;
    static final byte FILETYPE_SOCKET_STREAM = 6;
    static final byte FILETYPE_SYMBOLIC_LINK = 7;

    static final int FDFLAGS_APPEND = 1;
    static final int FDFLAGS_DSYNC = 2;
    static final int FDFLAGS_NONBLOCK = 4;
    static final int FDFLAGS_RSYNC = 8;
    static final int FDFLAGS_SYNC = 16;
    static final int FDFLAGS_ALL = FDFLAGS_APPEND | FDFLAGS_DSYNC | FDFLAGS_NONBLOCK | FDFLAGS_RSYNC | FDFLAGS_SYNC;

    static final int OFLAGS_CREAT = 1;
    static final int OFLAGS_DIRECTORY = 2;
    static final int OFLAGS_EXCL = 4;
    static final int OFLAGS_TRUNC = 8;
    static final int OFLAGS_ALL = OFLAGS_CREAT | OFLAGS_DIRECTORY | OFLAGS_EXCL | OFLAGS_TRUNC;

    static final int LOOKUPFLAGS_SYMLINK_FOLLOW = 1;

    static final int FSTFLAGS_ATIM = 1;
    static final int FSTFLAGS_ATIM_NOW = 2;
    static final int FSTFLAGS_MTIM = 4;
    static final int FSTFLAGS_MTIM_NOW = 8;

    static final int WHENCE_SET = 0;
    static final int WHENCE_CUR = 1;
    static final int WHENCE_END = 2;

    static final int ADVICE_NOREUSE = 5;

    static final int CLOCKID_REALTIME = 0;
    static final int CLOCKID_MONOTONIC = 1;
    static final int CLOCKID_PROCESS_CPUTIME_ID = 2;
    static final int CLOCKID_THREAD_CPUTIME_ID = 3;

    static final byte EVENTTYPE_CLOCK = 0;
    static final byte EVENTTYPE_FD_READ = 1;
    static final byte EVENTTYPE_FD_WRITE = 2;
    static final int SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME = 1;

    static final byte PREOPENTYPE_DIR = 0;

    static final int RIFLAGS_RECV_PEEK = 1;
    static final int RIFLAGS_RECV_WAITALL = 2;
    static final int SDFLAGS_RD = 1;
    static final int SDFLAGS_WR = 2;

    private Abi() {}
}
