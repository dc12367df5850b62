package dev.wasm2jvm.runtime.wasi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A regular file (or a device), read and written through the one host descriptor it was opened
 * with, whose position is the descriptor's offset. One host fd per guest descriptor: reopening the
 * file for the JDK would take a second one, and would need {@code /proc} to name it by.
 *
 * <p>The guest's buffers are views of its memory, so the bytes move between them and the file with
 * no copy on the heap, however large the call.
 */
final class FileDescriptor extends Descriptor {
    /** The file itself, whatever is renamed or removed meanwhile; never reached by a path again. */
    private final HostFd handle;
    private final byte filetype;
    /** Whether the host fd is open for writing, which changing the size needs. */
    private final boolean writable;

    FileDescriptor(HostFd handle, byte filetype, boolean writable, long rightsBase, long rightsInheriting,
            int fdflags) {
        super(rightsBase, rightsInheriting, fdflags);
        this.handle = handle;
        this.filetype = filetype;
        this.writable = writable;
    }

    @Override
    byte filetype() {
        return filetype;
    }

    @Override
    Filestat filestat() {
        return handle.filestat();
    }

    @Override
    long read(ByteBuffer[] buffers) {
        lock.lock();
        try {
            return transfer(buffers, false, -1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Append mode is a seek to the end under the lock, not {@code O_APPEND}, with which Linux makes
     * {@code pwrite} append too, whatever its offset.
     */
    @Override
    long write(ByteBuffer[] buffers) {
        lock.lock();
        try {
            if ((fdflags() & Abi.FDFLAGS_APPEND) != 0) seek(0, Abi.WHENCE_END);
            return syncIfAsked(transfer(buffers, true, -1));
        } finally {
            lock.unlock();
        }
    }

    @Override
    long pread(ByteBuffer[] buffers, long offset) {
        if (offset < 0) throw new WasiError(Errno.INVAL);
        return transfer(buffers, false, offset);
    }

    @Override
    long pwrite(ByteBuffer[] buffers, long offset) {
        if (offset < 0) throw new WasiError(Errno.INVAL);
        lock.lock();
        try {
            return syncIfAsked(transfer(buffers, true, offset));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the bytes of {@code buffers} in order, at the position or from {@code offset} when it
     * is not negative. A write goes on until all is written; a read stops at the first short read,
     * which is the end of a file, or all a device has for now. As POSIX {@code readv} and
     * {@code writev}, a failure after some bytes moved reports those bytes; the next call meets it.
     */
    private long transfer(ByteBuffer[] buffers, boolean write, long offset) {
        int fd = handle.acquire();
        try {
            long total = 0;
            for (ByteBuffer b : buffers) {
                MemorySegment buf = MemorySegment.ofBuffer(b);
                for (long done = 0; done < buf.byteSize(); ) {
                    MemorySegment rest = buf.asSlice(done);
                    long n = LinuxFs.transfer(fd, rest, write, offset < 0 ? -1 : offset + total);
                    if (n < 0) {
                        if (total > 0) return total;
                        throw new WasiError(Errno.ofLinux((int) -n));
                    }
                    done += n;
                    total += n;
                    if (n == 0 || (!write && n < rest.byteSize())) return total;
                }
            }
            return total;
        } finally {
            handle.release();
        }
    }

    private long syncIfAsked(long written) {
        int flags = fdflags();
        if ((flags & Abi.FDFLAGS_SYNC) != 0) sync(true);
        else if ((flags & Abi.FDFLAGS_DSYNC) != 0) sync(false);
        return written;
    }

    /** WASI's {@code whence} values are Linux's; the kernel refuses a position below 0 ({@code EINVAL}). */
    @Override
    long seek(long offset, int whence) {
        if (whence != Abi.WHENCE_SET && whence != Abi.WHENCE_CUR && whence != Abi.WHENCE_END) {
            throw new WasiError(Errno.INVAL);
        }
        lock.lock();
        try {
            // The fd held by hand rather than through HostFd.call, whose lambda would spin a class
            // at the first seek of a program, which is most often at its start.
            int fd = handle.acquire();
            try {
                long position = LinuxFs.lseek(fd, offset, whence);
                if (position < 0) throw new WasiError(Errno.ofLinux((int) -position));
                return position;
            } finally {
                handle.release();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    void sync(boolean metadata) {
        handle.call(fd -> LinuxFs.sync(fd, metadata));
    }

    /**
     * {@code ftruncate}: a file made longer reads as zeros in its new part. A file opened without
     * the right to write is {@code EBADF}, as for a write, where Linux would say {@code EINVAL}.
     */
    @Override
    void setSize(long size) {
        if (size < 0) throw new WasiError(Errno.INVAL);
        if (!writable) throw new WasiError(Errno.BADF);
        handle.call(fd -> LinuxFs.ftruncate(fd, size));
    }

    /** Makes the file at least {@code offset + length} long; the lock keeps a concurrent extension from being undone. */
    @Override
    void allocate(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length < 0) throw new WasiError(Errno.INVAL);
        if (!writable) throw new WasiError(Errno.BADF);
        lock.lock();
        try {
            if (offset + length > filestat().size()) setSize(offset + length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    void setTimes(long atim, long mtim, int fstflags) {
        FileTimes.validate(fstflags);
        handle.call(fd -> LinuxFs.futimens(fd, FileTimes.atim(atim, fstflags), FileTimes.mtim(mtim, fstflags)));
    }

    @Override
    long readableBytes() {
        return Math.max(0, filestat().size() - seek(0, Abi.WHENCE_CUR));
    }

    @Override
    void close() {
        handle.close();
    }
}
