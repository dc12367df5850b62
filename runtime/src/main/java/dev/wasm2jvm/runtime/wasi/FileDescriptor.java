package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A regular file (or a device), open on a channel whose position is the descriptor's offset. Append mode is
 * done here rather than by the channel because the JDK cannot open a file both for reading and
 * appending.
 */
final class FileDescriptor extends Descriptor {
    private final FileChannel channel;
    /**
     * The host path the file was opened by. The JDK has no fstat or futimens, so status and times
     * go through the path, as long as it still leads to this file.
     */
    private final Path path;
    /** The file's status when opened: its identity (device and inode) tells whether the path still leads to it. */
    private final Filestat opened;

    FileDescriptor(FileChannel channel, Path path, long rightsBase, long rightsInheriting, int fdflags)
            throws IOException {
        super(rightsBase, rightsInheriting, fdflags);
        this.channel = channel;
        this.path = path;
        this.opened = Filestat.of(path);
    }

    /** The current status through the path, or {@code null} if the file was renamed or removed meanwhile. */
    private Filestat current() throws IOException {
        Filestat stat;
        try {
            stat = Filestat.of(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        return stat.dev() == opened.dev() && stat.ino() == opened.ino() ? stat : null;
    }

    @Override
    byte filetype() {
        return opened.filetype();
    }

    /**
     * The status; for a file renamed or removed since it was opened, its identity and size with the
     * times as they were at opening, and no links if it is gone.
     */
    @Override
    Filestat filestat() throws IOException {
        Filestat stat = current();
        long size = channel.size();
        if (stat == null) {
            return new Filestat(opened.dev(), opened.ino(), opened.filetype(), 0, size, opened.atim(),
                    opened.mtim(), opened.ctim());
        }
        return new Filestat(stat.dev(), stat.ino(), stat.filetype(), stat.nlink(), size, stat.atim(), stat.mtim(),
                stat.ctim());
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

    /** Without futimens, a file that is no longer at its path cannot have its times set: {@code ENOENT}. */
    @Override
    void setTimes(long atim, long mtim, int fstflags) throws IOException {
        FileTimes.validate(fstflags);
        if (current() == null) throw new WasiError(Errno.NOENT);
        FileTimes.set(path, atim, mtim, fstflags);
    }

    @Override
    long readableBytes() throws IOException {
        return Math.max(0, channel.size() - channel.position());
    }

    @Override
    void close() throws IOException {
        channel.close();
    }
}
