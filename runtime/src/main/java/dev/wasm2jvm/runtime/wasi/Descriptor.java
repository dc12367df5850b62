package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a file descriptor refers to, with its rights and {@code fdflags}. The operations a kind of
 * descriptor does not support fail as POSIX fails them on such a file.
 */
abstract class Descriptor {
    /**
     * Held for the whole of one read or write call, so that one call's bytes are one unit: never
     * interleaved with another thread's, and the position moves once per call.
     */
    final ReentrantLock lock = new ReentrantLock();

    private volatile long rightsBase;
    private volatile long rightsInheriting;
    private volatile int fdflags;

    Descriptor(long rightsBase, long rightsInheriting, int fdflags) {
        this.rightsBase = rightsBase;
        this.rightsInheriting = rightsInheriting;
        this.fdflags = fdflags;
    }

    abstract byte filetype();

    long rightsBase() {
        return rightsBase;
    }

    long rightsInheriting() {
        return rightsInheriting;
    }

    int fdflags() {
        return fdflags;
    }

    /**
     * Checks an {@code fd_*} right. A descriptor without it is treated like a POSIX file not open
     * for that access, so the answer is {@code EBADF}.
     */
    void require(long right) {
        if ((rightsBase & right) != right) throw new WasiError(Errno.BADF);
    }

    /** Checks that at least one of {@code rights} is held: {@code FD_SEEK} implies {@code FD_TELL}. */
    void requireAny(long rights) {
        if ((rightsBase & rights) == 0) throw new WasiError(Errno.BADF);
    }

    /** Drops rights; rights can never be gained back, so asking for any is {@code ENOTCAPABLE}. */
    synchronized void restrictRights(long base, long inheriting) {
        if ((base & ~rightsBase) != 0 || (inheriting & ~rightsInheriting) != 0) {
            throw new WasiError(Errno.NOTCAPABLE);
        }
        rightsBase = base;
        rightsInheriting = inheriting;
    }

    void setFdflags(int flags) {
        if ((flags & ~Abi.FDFLAGS_ALL) != 0) throw new WasiError(Errno.INVAL);
        fdflags = flags;
    }

    boolean nonblocking() {
        return (fdflags & Abi.FDFLAGS_NONBLOCK) != 0;
    }

    Filestat filestat() throws IOException {
        return Filestat.of(filetype());
    }

    /** Reads into {@code buffers} in order; returns the bytes read, 0 at end of file. */
    long read(ByteBuffer[] buffers) throws IOException, InterruptedException {
        throw new WasiError(Errno.BADF);
    }

    /** Writes all of {@code buffers} as one unit; returns the bytes written. */
    long write(ByteBuffer[] buffers) throws IOException, InterruptedException {
        throw new WasiError(Errno.BADF);
    }

    long pread(ByteBuffer[] buffers, long offset) throws IOException {
        throw new WasiError(Errno.SPIPE);
    }

    long pwrite(ByteBuffer[] buffers, long offset) throws IOException {
        throw new WasiError(Errno.SPIPE);
    }

    long seek(long offset, int whence) throws IOException {
        throw new WasiError(Errno.SPIPE);
    }

    void sync(boolean metadata) throws IOException {}

    void setSize(long size) throws IOException {
        throw new WasiError(Errno.INVAL);
    }

    void allocate(long offset, long length) throws IOException {
        throw new WasiError(Errno.BADF);
    }

    void setTimes(long atim, long mtim, int fstflags) throws IOException {
        throw new WasiError(Errno.BADF);
    }

    /**
     * The errno of a poll_oneoff subscription of {@code type} ({@code FD_READ} or {@code FD_WRITE})
     * that can never become ready, reported at once; 0 for one that can. A descriptor without the
     * right to read (to write) fails every read (write) at once with {@code EBADF}, and so does the
     * subscription: stdin for writing, stdout for reading, a directory for either.
     */
    int pollError(byte type) {
        long right = type == Abi.EVENTTYPE_FD_READ ? Rights.FD_READ : Rights.FD_WRITE;
        return (rightsBase & right) == right ? 0 : Errno.BADF;
    }

    /** Whether a read would not block now; a descriptor at end of file is ready too. */
    boolean readReady() throws IOException {
        return true;
    }

    /** The bytes a read could return now without blocking, as far as known; for poll_oneoff. */
    long readableBytes() throws IOException {
        return 0;
    }

    boolean writeReady() {
        return true;
    }

    /** Whether it signals the {@link Wakeup} when it becomes ready; poll_oneoff checks others again at intervals. */
    boolean signalsReadiness() {
        return false;
    }

    /** Releases what this descriptor holds; called once, when its fd is closed or replaced. */
    void close() throws IOException {}
}
