package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.PriorityQueue;
import jdk.internal.misc.Unsafe;

/**
 * The file descriptor table. Lookups, which every call does, read the slot array without locking;
 * opening, closing and renumbering change it under the table's monitor. A new descriptor takes the
 * lowest free number, as POSIX does, found in logarithmic time however many are open.
 *
 * <p>A guest holds at most {@code limit} descriptors, the standard streams and preopens included, as
 * a process holds at most {@code RLIMIT_NOFILE}: past it, opening fails with {@code EMFILE}.
 *
 * <p>The slots are written with release stores and read with acquire loads: through the internal
 * {@code Unsafe} where {@code java.base} exports {@code jdk.internal.misc} to the runtime (a compiled
 * jar's {@code Add-Exports}, see {@code MemoryAccess}), else through an array element
 * {@code VarHandle}, which costs every program's start 0.72 ms of the program thread's CPU (making
 * the handle and linking both access modes, in a fresh JVM that has made its first memory segment,
 * as a program's launching thread does; median of 7 runs). Measured and not kept: copying the
 * array at each change and publishing the copy through the volatile field, which needs neither,
 * made an open cost in proportion to the descriptors held ({@code FdLimitTest}: the opens from
 * 7,896 to 9,870 allocated 128 MB against 41 MB for those from 1,974 to 3,948).
 */
final class FdTable {
    /** The internal {@code Unsafe} where it is exported to the runtime, else null (class comment). */
    private static final Unsafe UNSAFE =
            Object.class.getModule().isExported("jdk.internal.misc", FdTable.class.getModule()) ? Unsafe.getUnsafe() : null;

    private final int limit;
    /**
     * Written under the monitor: a slot with a release store, a grown array by the volatile write
     * of this field, so that a reader sees every descriptor fully constructed.
     */
    private volatile Descriptor[] slots = new Descriptor[16];
    /**
     * The free numbers below {@link #end}, made at the first close (a program that closes nothing
     * loads no queue's classes); guarded by the monitor.
     */
    private PriorityQueue<Integer> free;
    /** Every number from here up has never been used; guarded by the monitor. */
    private int end;
    /** How many descriptors are open; guarded by the monitor. */
    private int open;

    /** A table that holds at most {@code limit} descriptors. */
    FdTable(int limit) {
        this.limit = limit;
    }

    /** The most descriptors the guest may hold. */
    int limit() {
        return limit;
    }

    Descriptor get(int fd) {
        Descriptor[] s = slots;
        Descriptor d = fd >= 0 && fd < s.length ? load(s, fd) : null;
        if (d == null) throw new WasiError(Errno.BADF);
        return d;
    }

    /** The directory at {@code fd}; a descriptor of any other kind is {@code ENOTDIR}. */
    DirectoryDescriptor directory(int fd) {
        if (get(fd) instanceof DirectoryDescriptor d) return d;
        throw new WasiError(Errno.NOTDIR);
    }

    /**
     * Fails with {@code EMFILE} if a descriptor could not be added now: checked before taking what
     * would otherwise be lost, such as a connection accepted from a socket's queue.
     */
    synchronized void requireRoom() {
        if (open >= limit) throw new WasiError(Errno.MFILE);
    }

    /** Adds a descriptor the guest opened; {@code EMFILE} when it already holds {@code limit}. */
    synchronized int add(Descriptor d) {
        if (open >= limit) throw new WasiError(Errno.MFILE);
        return put(d);
    }

    /**
     * Adds a descriptor the guest is given at start (a standard stream or a preopen): these count
     * towards the limit but are never refused, so a limit below their number leaves no room to open more.
     */
    synchronized int preopen(Descriptor d) {
        return put(d);
    }

    private int put(Descriptor d) {
        Integer reused = free == null ? null : free.poll();
        int fd = reused != null ? reused : end++;
        Descriptor[] s = slots;
        if (fd >= s.length) {
            s = Arrays.copyOf(s, (int) Math.min(Math.max(2L * s.length, fd + 1L), Integer.MAX_VALUE - 8));
            store(s, fd, d);
            slots = s;
        } else {
            store(s, fd, d);
        }
        open++;
        return fd;
    }

    /** Removes {@code fd} and returns what it referred to, for the caller to close outside the monitor. */
    synchronized Descriptor remove(int fd) {
        Descriptor d = get(fd);
        store(slots, fd, null);
        freed(fd);
        open--;
        return d;
    }

    /** fd_renumber: {@code to} comes to refer to what {@code from} referred to; {@code from} is freed. */
    void renumber(int from, int to) throws IOException {
        Descriptor replaced;
        synchronized (this) {
            Descriptor d = get(from);
            replaced = get(to);
            if (from == to) return;
            Descriptor[] s = slots;
            store(s, to, d);
            store(s, from, null);
            freed(from);
            open--;
        }
        replaced.close();
    }

    /** Notes that {@code fd} is free again; under the monitor. */
    private void freed(int fd) {
        if (free == null) free = new PriorityQueue<>();
        free.add(fd);
    }

    /** Every open descriptor, indexed by number, for flushing and closing at exit. */
    synchronized Descriptor[] all() {
        return Arrays.copyOf(slots, end);
    }

    /** Slot {@code i} of {@code s} with an acquire load. */
    private static Descriptor load(Descriptor[] s, int i) {
        return UNSAFE != null ? (Descriptor) UNSAFE.getReferenceAcquire(s, offset(i)) : (Descriptor) Slots.SLOT.getAcquire(s, i);
    }

    /** Sets slot {@code i} of {@code s} to {@code d} with a release store. */
    private static void store(Descriptor[] s, int i, Descriptor d) {
        if (UNSAFE != null) UNSAFE.putReferenceRelease(s, offset(i), d);
        else Slots.SLOT.setRelease(s, i, d);
    }

    /** The offset of element {@code i}, within bounds, of a reference array. */
    private static long offset(int i) {
        return Unsafe.ARRAY_OBJECT_BASE_OFFSET + (long) i * Unsafe.ARRAY_OBJECT_INDEX_SCALE;
    }

    /** The slots' var handle, made only where {@code Unsafe} is not exported. */
    private static final class Slots {
        static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Descriptor[].class);
    }
}
