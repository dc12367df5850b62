package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The {@code fd_*} functions. */
final class FdFunctions {
    /** The size of {@code fdstat}, the same in snapshot 0. */
    static final int FDSTAT_SIZE = 24;
    private static final int DIRENT_SIZE = 24;
    /** The most bytes of the directory fd_readdir reads from the kernel at once, whatever the guest's buffer. */
    private static final int READDIR_BATCH = 64 * 1024;

    private final GuestMemory memory;
    private final FdTable fds;

    FdFunctions(GuestMemory memory, FdTable fds) {
        this.memory = memory;
        this.fds = fds;
    }

    int fd_advise(int fd, long offset, long len, int advice) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_ADVISE);
            if (offset < 0 || len < 0 || advice < 0 || advice > Abi.ADVICE_NOREUSE) throw new WasiError(Errno.INVAL);
            // Advice is a hint the JDK has no way to pass on; accepting it changes nothing observable.
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_allocate(int fd, long offset, long len) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_ALLOCATE);
            d.allocate(offset, len);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_close(int fd) {
        try {
            fds.remove(fd).close();
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_datasync(int fd) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_DATASYNC);
            d.sync(false);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_sync(int fd) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_SYNC);
            d.sync(true);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_fdstat_get(int fd, int buf) {
        try {
            Descriptor d = fds.get(fd);
            memory.zero(buf, FDSTAT_SIZE);
            memory.putU8(buf, d.filetype());
            memory.putU16(buf + 2, (short) d.fdflags());
            memory.putI64(buf + 8, d.rightsBase());
            memory.putI64(buf + 16, d.rightsInheriting());
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_fdstat_set_flags(int fd, int flags) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FDSTAT_SET_FLAGS);
            d.setFdflags(flags & 0xffff);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_fdstat_set_rights(int fd, long base, long inheriting) {
        try {
            fds.get(fd).restrictRights(base, inheriting);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_filestat_get(int fd, int buf) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FILESTAT_GET);
            d.filestat().writeTo(memory, buf);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_filestat_set_size(int fd, long size) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FILESTAT_SET_SIZE);
            d.setSize(size);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_filestat_set_times(int fd, long atim, long mtim, int fstflags) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_FILESTAT_SET_TIMES);
            FileTimes.validate(fstflags);
            d.setTimes(atim, mtim, fstflags);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_pread(int fd, int iovs, int iovsLen, long offset, int nread) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_READ);
            memory.check(nread, 4);
            memory.putI32(nread, (int) d.pread(memory.iovecs(iovs, iovsLen), offset));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_pwrite(int fd, int iovs, int iovsLen, long offset, int nwritten) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_WRITE);
            memory.check(nwritten, 4);
            memory.putI32(nwritten, (int) d.pwrite(memory.iovecs(iovs, iovsLen), offset));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_read(int fd, int iovs, int iovsLen, int nread) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_READ);
            memory.check(nread, 4);
            memory.putI32(nread, (int) d.read(memory.iovecs(iovs, iovsLen)));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_write(int fd, int iovs, int iovsLen, int nwritten) {
        try {
            Descriptor d = fds.get(fd);
            d.require(Rights.FD_WRITE);
            memory.check(nwritten, 4);
            memory.putI32(nwritten, (int) d.write(memory.iovecs(iovs, iovsLen)));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_prestat_get(int fd, int buf) {
        try {
            DirectoryDescriptor d = preopen(fd);
            memory.zero(buf, 8);
            memory.putU8(buf, Abi.PREOPENTYPE_DIR);
            memory.putI32(buf + 4, d.preopenNameBytes().length);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_prestat_dir_name(int fd, int path, int pathLen) {
        try {
            byte[] name = preopen(fd).preopenNameBytes();
            if (Integer.toUnsignedLong(pathLen) < name.length) throw new WasiError(Errno.INVAL);
            memory.put(path, name, 0, name.length);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
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
        try {
            if (!(fds.get(fd) instanceof DirectoryDescriptor dir)) throw new WasiError(Errno.NOTDIR);
            dir.require(Rights.FD_READDIR);
            long capacity = Integer.toUnsignedLong(bufLen);
            memory.check(buf, capacity);
            memory.check(bufused, 4);
            long[] used = {0};
            dir.list(cookie, (int) Math.min(capacity, READDIR_BATCH), entry -> {
                if (used[0] == capacity) return false;
                byte[] bytes = dirent(entry);
                int n = (int) Math.min(bytes.length, capacity - used[0]);
                memory.put(buf + (int) used[0], bytes, 0, n);
                used[0] += n;
                return used[0] < capacity;
            });
            memory.putI32(bufused, (int) used[0]);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    private static byte[] dirent(DirectoryDescriptor.Entry entry) {
        byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer dirent = ByteBuffer.allocate(DIRENT_SIZE + name.length).order(ByteOrder.LITTLE_ENDIAN);
        dirent.putLong(entry.next()).putLong(entry.ino()).putInt(name.length).put(entry.filetype());
        dirent.put(DIRENT_SIZE, name);
        return dirent.array();
    }

    int fd_renumber(int fd, int to) {
        try {
            fds.renumber(fd, to);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_seek(int fd, long offset, int whence, int newoffset) {
        try {
            Descriptor d = fds.get(fd);
            if (offset == 0 && whence == Abi.WHENCE_CUR) d.requireAny(Rights.FD_TELL | Rights.FD_SEEK);
            else d.require(Rights.FD_SEEK);
            memory.check(newoffset, 8);
            memory.putI64(newoffset, d.seek(offset, whence));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int fd_tell(int fd, int offset) {
        try {
            Descriptor d = fds.get(fd);
            d.requireAny(Rights.FD_TELL | Rights.FD_SEEK);
            memory.putI64(offset, d.seek(0, Abi.WHENCE_CUR));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }
}
