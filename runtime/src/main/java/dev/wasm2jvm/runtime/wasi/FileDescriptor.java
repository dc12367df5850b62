package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A regular file (or a device), read and written through the one host descriptor it was opened
 * with, whose position is the descriptor's offset. One host fd per guest descriptor: reopening the
 * file for the JDK would take a second one, and would need {@code /proc} to name it by.
 *
 * <p>The guest's buffers are views of its memory, so the bytes move between them and the file with
 * no copy on the heap, however large the call.
 *
 * <p>A file that {@link ChannelFiles} opened is read, positioned and examined through the JDK's
 * channel over the same host fd, so that it links no native call; its other operations act on that
 * fd natively, sharing the channel's position, which is the fd's offset.
 */
final class FileDescriptor extends Descriptor {
    /** The file itself, whatever is renamed or removed meanwhile; never reached by a path again. */
    private final HostFd handle;
    private final byte filetype;
    /** Whether the host fd is open for writing, which changing the size needs. */
    private final boolean writable;
    /** The JDK channel over the host fd, read-only, or {@code null} for a file opened natively. */
    private final FileChannel channel;

    FileDescriptor(HostFd handle, byte filetype, boolean writable, long rightsBase, long rightsInheriting,
            int fdflags) {
        this(handle, filetype, writable, null, rightsBase, rightsInheriting, fdflags);
    }

    /** A regular file open for reading through {@code channel}, whose host fd {@code handle} holds. */
    FileDescriptor(HostFd handle, FileChannel channel, long rightsBase, long rightsInheriting) {
        this(handle, Abi.FILETYPE_REGULAR_FILE, false, channel, rightsBase, rightsInheriting, 0);
    }

    private FileDescriptor(HostFd handle, byte filetype, boolean writable, FileChannel channel, long rightsBase,
            long rightsInheriting, int fdflags) {
        super(rightsBase, rightsInheriting, fdflags);
        this.handle = handle;
        this.filetype = filetype;
        this.writable = writable;
        this.channel = channel;
    }

    @Override
    byte filetype() {
        return filetype;
    }

    @Override
    Filestat filestat() {
        if (channel == null) return handle.filestat();
        int fd = handle.acquire();
        try {
            return ChannelFiles.status(fd);
        } catch (IOException e) {
            throw new WasiError(Errno.of(e));
        } finally {
            handle.release();
        }
    }

    @Override
    long read(ByteBuffer[] buffers) {
        lock.lock();
        try {
            return channel == null ? transfer(buffers, false, -1) : channelRead(buffers, -1);
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
        return channel == null ? transfer(buffers, false, offset) : channelRead(buffers, offset);
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

    /**
     * {@link #transfer}'s reading through the channel: one {@code readv}, or {@code pread}s from
     * {@code offset}. One buffer, as a C library's {@code fread} of its own buffer gives, is read
     * with {@code read}, the same call for one buffer: the JDK's scattering read loads four classes
     * from its runtime image for its native vector at the first read of a program's input
     * (Sightglass {@code blake3-scalar}'s {@code fd_read}s, 0.95 ms of its program thread, take
     * 0.45 ms through {@code read}).
     */
    private long channelRead(ByteBuffer[] buffers, long offset) {
        handle.acquire();
        try {
            if (offset < 0) return Math.max(0, buffers.length == 1 ? channel.read(buffers[0]) : channel.read(buffers));
            long total = 0;
            for (ByteBuffer b : buffers) {
                int wanted = b.remaining();
                int n = channel.read(b, offset + total);
                if (n <= 0) break;
                total += n;
                if (n < wanted) break;
            }
            return total;
        } catch (IOException e) {
            throw new WasiError(Errno.of(e));
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
                long position = channel == null ? LinuxFs.lseek(fd, offset, whence) : channelSeek(offset, whence);
                if (position < 0) throw new WasiError(Errno.ofLinux((int) -position));
                return position;
            } finally {
                handle.release();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code lseek} through the channel, which moves the same offset: the new position, or {@code -EINVAL}. */
    private long channelSeek(long offset, int whence) {
        try {
            long base = whence == Abi.WHENCE_SET ? 0 : whence == Abi.WHENCE_CUR ? channel.position() : channel.size();
            // Below 0 the kernel says EINVAL; the base is never negative, so an overflow lands there too.
            long position = base + offset;
            if (position < 0) return -LinuxFs.EINVAL;
            channel.position(position);
            return position;
        } catch (IOException e) {
            throw new WasiError(Errno.of(e));
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
