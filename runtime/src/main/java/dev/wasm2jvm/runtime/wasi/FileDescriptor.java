package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;

/**
 * A regular file (or a device), open on a channel whose position is the descriptor's offset. Append mode is
 * done here rather than by the channel because the JDK cannot open a file both for reading and
 * appending.
 */
final class FileDescriptor extends Descriptor {
    private final FileChannel channel;
    /**
     * The file as the host opened it, for what the JDK's channel cannot do: fstat and futimens.
     * It stays this file however it is renamed or removed, and is never reached by a path.
     */
    private final HostFd handle;
    private final byte filetype;

    FileDescriptor(FileChannel channel, HostFd handle, byte filetype, long rightsBase, long rightsInheriting,
            int fdflags) {
        super(rightsBase, rightsInheriting, fdflags);
        this.channel = channel;
        this.handle = handle;
        this.filetype = filetype;
    }

    @Override
    byte filetype() {
        return filetype;
    }

    @Override
    Filestat filestat() {
        int fd = handle.acquire();
        try {
            return LinuxFs.stat(fd, null).filestat();
        } finally {
            handle.release();
        }
    }

    @Override
    long read(ByteBuffer[] buffers) throws IOException {
        lock.lock();
        try {
            long n = channel.read(buffers);
            return Math.max(n, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The guest's buffers are direct views of its memory, so the channel moves the bytes between them
     * and the file with no copy on the heap, however large the call. As POSIX {@code write}, a
     * failure after some bytes were written reports those bytes; the next call meets it.
     */
    @Override
    long write(ByteBuffer[] buffers) throws IOException {
        lock.lock();
        try {
            if ((fdflags() & Abi.FDFLAGS_APPEND) != 0) channel.position(channel.size());
            long total = 0;
            try {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) total += channel.write(b);
                }
                syncIfAsked();
            } catch (IOException e) {
                if (total == 0 || e instanceof ClosedByInterruptException) throw e;
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    @Override
    long pread(ByteBuffer[] buffers, long offset) throws IOException {
        if (offset < 0) throw new WasiError(Errno.INVAL);
        long total = 0;
        for (ByteBuffer b : buffers) {
            while (b.hasRemaining()) {
                int n = channel.read(b, offset + total);
                if (n <= 0) return total;
                total += n;
            }
        }
        return total;
    }

    @Override
    long pwrite(ByteBuffer[] buffers, long offset) throws IOException {
        if (offset < 0) throw new WasiError(Errno.INVAL);
        lock.lock();
        try {
            long total = 0;
            try {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) total += channel.write(b, offset + total);
                }
                syncIfAsked();
            } catch (IOException e) {
                if (total == 0 || e instanceof ClosedByInterruptException) throw e;
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    private void syncIfAsked() throws IOException {
        int flags = fdflags();
        if ((flags & Abi.FDFLAGS_SYNC) != 0) channel.force(true);
        else if ((flags & Abi.FDFLAGS_DSYNC) != 0) channel.force(false);
    }

    @Override
    long seek(long offset, int whence) throws IOException {
        lock.lock();
        try {
            long base = switch (whence) {
                case Abi.WHENCE_SET -> 0;
                case Abi.WHENCE_CUR -> channel.position();
                case Abi.WHENCE_END -> channel.size();
                default -> throw new WasiError(Errno.INVAL);
            };
            long target = base + offset;
            if (target < 0) throw new WasiError(Errno.INVAL);
            channel.position(target);
            return target;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void sync(boolean metadata) throws IOException {
        channel.force(metadata);
    }

    @Override
    void setSize(long size) throws IOException {
        if (size < 0) throw new WasiError(Errno.INVAL);
        lock.lock();
        try {
            long current = channel.size();
            if (size < current) channel.truncate(size);
            else if (size > current) extendTo(size);
        } finally {
            lock.unlock();
        }
    }

    @Override
    void allocate(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset + length < 0) throw new WasiError(Errno.INVAL);
        lock.lock();
        try {
            if (offset + length > channel.size()) extendTo(offset + length);
        } finally {
            lock.unlock();
        }
    }

    /** Grows the file with zeros: writing its new last byte leaves a hole that reads as zeros. */
    private void extendTo(long size) throws IOException {
        channel.write(ByteBuffer.allocate(1), size - 1);
    }

    @Override
    void setTimes(long atim, long mtim, int fstflags) {
        FileTimes.validate(fstflags);
        int fd = handle.acquire();
        try {
            LinuxFs.check(LinuxFs.futimens(fd, FileTimes.atim(atim, fstflags), FileTimes.mtim(mtim, fstflags)));
        } finally {
            handle.release();
        }
    }

    @Override
    long readableBytes() throws IOException {
        return Math.max(0, channel.size() - channel.position());
    }

    @Override
    void close() throws IOException {
        handle.close();
        channel.close();
    }
}
