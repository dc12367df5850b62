package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.util.Arrays;

/**
 * The file descriptor table. Lookups, which every call does, read a copy-on-write array without
 * locking; opening, closing and renumbering, which are rare, copy it under the table's monitor.
 * A new descriptor takes the lowest free number, as POSIX does.
 */
final class FdTable {
    private volatile Descriptor[] slots = new Descriptor[0];

    Descriptor get(int fd) {
        Descriptor[] s = slots;
        if (fd < 0 || fd >= s.length || s[fd] == null) throw new WasiError(Errno.BADF);
        return s[fd];
    }

    /** The directory at {@code fd}; a descriptor of any other kind is {@code ENOTDIR}. */
    DirectoryDescriptor directory(int fd) {
        if (get(fd) instanceof DirectoryDescriptor d) return d;
        throw new WasiError(Errno.NOTDIR);
    }

    synchronized int add(Descriptor d) {
        Descriptor[] s = slots;
        int fd = 0;
        while (fd < s.length && s[fd] != null) fd++;
        if (fd == Integer.MAX_VALUE) throw new WasiError(Errno.MFILE);
        Descriptor[] copy = Arrays.copyOf(s, Math.max(s.length, fd + 1));
        copy[fd] = d;
        slots = copy;
        return fd;
    }

    /** Removes {@code fd} and returns what it referred to, for the caller to close outside the monitor. */
    synchronized Descriptor remove(int fd) {
        Descriptor d = get(fd);
        Descriptor[] copy = slots.clone();
        copy[fd] = null;
        slots = copy;
        return d;
    }

    /** fd_renumber: {@code to} comes to refer to what {@code from} referred to; {@code from} is freed. */
    void renumber(int from, int to) throws IOException {
        Descriptor replaced;
        synchronized (this) {
            Descriptor d = get(from);
            replaced = get(to);
            if (from == to) return;
            Descriptor[] copy = slots.clone();
            copy[to] = d;
            copy[from] = null;
            slots = copy;
        }
        replaced.close();
    }

    /** Every open descriptor, for flushing at exit. */
    Descriptor[] all() {
        return slots.clone();
    }
}
