package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The {@code fd_*} functions. */
final class FdFunctions {
    /** The size of {@code fdstat}, the same in snapshot 0. */
    static final int FDSTAT_SIZE = 24;
    private static final int DIRENT_SIZE = 24;

    private final GuestMemory memory;
    private final FdTable fds;

    FdFunctions(GuestMemory memory, FdTable fds) {
        this.memory = memory;
        this.fds = fds;
    }

    int fd_advise(int fd, long offset, long len, int advice) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_ADVISE);
            if (offset < 0 || len < 0 || advice < 0 || advice > Abi.ADVICE_NOREUSE) throw new WasiError(Errno.INVAL);
            // Advice is a hint the JDK has no way to pass on; accepting it changes nothing observable.
        });
    }

    int fd_allocate(int fd, long offset, long len) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_ALLOCATE);
            d.allocate(offset, len);
        });
    }

    int fd_close(int fd) {
        return Calls.errno(() -> fds.remove(fd).close());
    }

    int fd_datasync(int fd) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_DATASYNC);
            d.sync(false);
        });
    }

    int fd_sync(int fd) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_SYNC);
            d.sync(true);
        });
    }

    int fd_fdstat_get(int fd, int buf) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            memory.zero(buf, FDSTAT_SIZE);
            memory.putU8(buf, d.filetype());
            memory.putU16(buf + 2, (short) d.fdflags());
            memory.putI64(buf + 8, d.rightsBase());
            memory.putI64(buf + 16, d.rightsInheriting());
        });
    }

    int fd_fdstat_set_flags(int fd, int flags) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FDSTAT_SET_FLAGS);
            d.setFdflags(flags & 0xffff);
        });
    }

    int fd_fdstat_set_rights(int fd, long base, long inheriting) {
        return Calls.errno(() -> fds.get(fd).restrictRights(base, inheriting));
    }

    int fd_filestat_get(int fd, int buf) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FILESTAT_GET);
            d.filestat().writeTo(memory, buf);
        });
    }

    int fd_filestat_set_size(int fd, long size) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FILESTAT_SET_SIZE);
            d.setSize(size);
        });
    }

    int fd_filestat_set_times(int fd, long atim, long mtim, int fstflags) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FILESTAT_SET_TIMES);
            FileTimes.validate(fstflags);
            d.setTimes(atim, mtim, fstflags);
        });
    }

    int fd_pread(int fd, int iovs, int iovsLen, long offset, int nread) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_READ);
            memory.check(nread, 4);
            memory.putI32(nread, (int) d.pread(memory.iovecs(iovs, iovsLen), offset));
        });
    }

    int fd_pwrite(int fd, int iovs, int iovsLen, long offset, int nwritten) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_WRITE);
            memory.check(nwritten, 4);
            memory.putI32(nwritten, (int) d.pwrite(memory.iovecs(iovs, iovsLen), offset));
        });
    }

    int fd_read(int fd, int iovs, int iovsLen, int nread) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_READ);
            memory.check(nread, 4);
            memory.putI32(nread, (int) d.read(memory.iovecs(iovs, iovsLen)));
        });
    }

    int fd_write(int fd, int iovs, int iovsLen, int nwritten) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_WRITE);
            memory.check(nwritten, 4);
            memory.putI32(nwritten, (int) d.write(memory.iovecs(iovs, iovsLen)));
        });
    }

    int fd_prestat_get(int fd, int buf) {
        return Calls.errno(() -> {
            DirectoryDescriptor d = preopen(fd);
            memory.zero(buf, 8);
            memory.putU8(buf, Abi.PREOPENTYPE_DIR);
            memory.putI32(buf + 4, d.preopenNameBytes().length);
        });
    }

    int fd_prestat_dir_name(int fd, int path, int pathLen) {
        return Calls.errno(() -> {
            byte[] name = preopen(fd).preopenNameBytes();
            if (Integer.toUnsignedLong(pathLen) < name.length) throw new WasiError(Errno.INVAL);
            memory.put(path, name, 0, name.length);
        });
    }

    private DirectoryDescriptor preopen(int fd) {
        if (fds.get(fd) instanceof DirectoryDescriptor d && d.preopenName != null) return d;
        throw new WasiError(Errno.BADF);
    }

    /**
     * Fills the buffer with {@code dirent}s, each followed by its name. The last one is cut off
     * where the buffer ends, which tells the guest (bufused == buf_len) to call again from its
     * cookie with a bigger buffer.
     */
    int fd_readdir(int fd, int buf, int bufLen, long cookie, int bufused) {
        return Calls.errno(() -> {
            if (!(fds.get(fd) instanceof DirectoryDescriptor dir)) throw new WasiError(Errno.NOTDIR);
            dir.require(Rights.FD_READDIR);
            long capacity = Integer.toUnsignedLong(bufLen);
            memory.check(buf, capacity);
            memory.check(bufused, 4);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long next = cookie;
            for (DirectoryDescriptor.Entry entry : dir.entriesFrom(cookie)) {
                if (out.size() >= capacity) break;
                byte[] bytes = dirent(++next, entry);
                out.write(bytes, 0, (int) Math.min(bytes.length, capacity - out.size()));
            }
            byte[] bytes = out.toByteArray();
            memory.put(buf, bytes, 0, bytes.length);
            memory.putI32(bufused, bytes.length);
        });
    }

    private static byte[] dirent(long next, DirectoryDescriptor.Entry entry) {
        byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer dirent = ByteBuffer.allocate(DIRENT_SIZE + name.length).order(ByteOrder.LITTLE_ENDIAN);
        dirent.putLong(next).putLong(entry.ino()).putInt(name.length).put(entry.filetype());
        dirent.put(DIRENT_SIZE, name);
        return dirent.array();
    }

    int fd_renumber(int fd, int to) {
        return Calls.errno(() -> fds.renumber(fd, to));
    }

    int fd_seek(int fd, long offset, int whence, int newoffset) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            if (offset == 0 && whence == Abi.WHENCE_CUR) d.requireAny(Rights.FD_TELL | Rights.FD_SEEK);
            else d.require(Rights.FD_SEEK);
            memory.check(newoffset, 8);
            memory.putI64(newoffset, d.seek(offset, whence));
        });
    }

    int fd_tell(int fd, int offset) {
        return Calls.errno(() -> {
            Descriptor d = fds.get(fd);
            d.requireAny(Rights.FD_TELL | Rights.FD_SEEK);
            memory.putI64(offset, d.seek(0, Abi.WHENCE_CUR));
        });
    }
}
