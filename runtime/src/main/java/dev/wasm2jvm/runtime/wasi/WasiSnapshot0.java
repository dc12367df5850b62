package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.Memory;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * WASI snapshot 0 ({@code wasi_unstable}), the ABI that older toolchains target, as an adapter over
 * the preview 1 host: the same functions on the same descriptors, sandbox and guest memory, with
 * snapshot 0's layouts and values translated at the boundary.
 *
 * <p>Snapshot 0 has every preview 1 function but {@code sock_accept}, with the same signatures,
 * errnos, flags and enums, except where this class steps in:
 * <ul>
 *   <li>{@code filestat} has a 32-bit {@code nlink}, so its later fields sit 8 bytes lower and it
 *       is 56 bytes long ({@code fd_filestat_get}, {@code path_filestat_get});
 *   <li>{@code whence} numbers {@code cur}, {@code end}, {@code set} as 0, 1, 2 ({@code fd_seek});
 *   <li>a clock {@code subscription} starts with a 64-bit {@code identifier}, so a subscription is
 *       56 bytes long ({@code poll_oneoff}; the {@code event} layout is the same);
 *   <li>{@code rights} end at {@code sock_shutdown}: {@code fd_fdstat_get} reports no others and
 *       {@code fd_fdstat_set_rights} takes no others, leaving those the descriptor has.
 * </ul>
 * The structs are translated through a scratch memory of the host's own: the preview 1 function
 * writes its struct there, or reads subscriptions from there, and this class moves the fields
 * between that and the guest's layout. Each call has a scratch memory to itself, so calls from many
 * guest threads run at once as they do in preview 1.
 */
final class WasiSnapshot0 {
    private static final int WHENCE_CUR = 0;
    private static final int WHENCE_END = 1;
    private static final int WHENCE_SET = 2;

    /** Snapshot 0's {@code filestat}; preview 1's is {@link Filestat#SIZE} bytes. */
    private static final int FILESTAT_SIZE = 56;
    /** Snapshot 0's {@code subscription}; preview 1's is {@link Poll#SUBSCRIPTION_SIZE} bytes. */
    private static final int SUBSCRIPTION_SIZE = 56;

    /** Snapshot 0's rights: preview 1's up to {@code sock_shutdown}, the last one it defines. */
    private static final long RIGHTS = (Rights.SOCK_SHUTDOWN << 1) - 1;

    /** The biggest scratch memory: a wasm32 memory's 4 GiB. */
    private static final long MAX_SCRATCH = 65536L * Memory.PAGE_SIZE;

    private final GuestMemory memory;
    private final FdTable fds;
    private final PathResolver resolver;
    private final Clocks clocks;
    private final Wakeup wakeup;
    /** The functions on the guest's memory, for those whose arguments need only new values. */
    private final FdFunctions fdFunctions;
    /** One-page scratch memories that no call is using. */
    private final Queue<Scratch> free = new ConcurrentLinkedQueue<>();

    /** Adapts the preview 1 host whose state these are; {@code memory} is the guest's. */
    WasiSnapshot0(GuestMemory memory, FdTable fds, PathResolver resolver, Clocks clocks, Wakeup wakeup) {
        this.memory = memory;
        this.fds = fds;
        this.resolver = resolver;
        this.clocks = clocks;
        this.wakeup = wakeup;
        this.fdFunctions = new FdFunctions(memory, fds);
    }

    /**
     * A memory that only the host sees, with the preview 1 functions that need one bound to it;
     * they share the guest's descriptors, sandbox, clocks and wakeups.
     */
    private final class Scratch {
        final long size;
        final GuestMemory memory = new GuestMemory();
        final FdFunctions fdFunctions = new FdFunctions(memory, fds);
        final PathFunctions pathFunctions = new PathFunctions(memory, fds, resolver);
        final Poll poll = new Poll(memory, fds, clocks, wakeup);

        Scratch(long size) {
            long pages = Math.max(1, (size + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE);
            this.size = pages * Memory.PAGE_SIZE;
            memory.bind(new Memory(pages, pages, false));
        }
    }

    /**
     * A scratch memory of at least {@code size} bytes for one call, which gives it back with
     * {@link #release}: a free one-page memory, or a new one.
     */
    private Scratch take(long size) {
        if (size > MAX_SCRATCH) throw new WasiError(Errno.INVAL);
        if (size > Memory.PAGE_SIZE) return new Scratch(size);
        Scratch free = this.free.poll();
        return free != null ? free : new Scratch(size);
    }

    /** Keeps one-page scratch memories for later calls; bigger ones are rare and left to the collector. */
    private void release(Scratch scratch) {
        if (scratch.size == Memory.PAGE_SIZE) free.offer(scratch);
    }

    int fd_seek(int fd, long offset, int whence, int newoffset) {
        return fdFunctions.fd_seek(fd, offset, whence(whence), newoffset);
    }

    /** Snapshot 0's {@code whence} as preview 1 numbers it; a value neither defines stays invalid. */
    private static int whence(int whence) {
        return switch (whence) {
            case WHENCE_CUR -> Abi.WHENCE_CUR;
            case WHENCE_END -> Abi.WHENCE_END;
            case WHENCE_SET -> Abi.WHENCE_SET;
            default -> whence;
        };
    }

    int fd_fdstat_get(int fd, int buf) {
        Scratch s = take(FdFunctions.FDSTAT_SIZE);
        try {
            int errno = s.fdFunctions.fd_fdstat_get(fd, 0);
            if (errno != Errno.SUCCESS) return errno;
            try {
                memory.check(buf, FdFunctions.FDSTAT_SIZE);
                memory.put(buf, s.memory.bytes(0, 8), 0, 8);
                memory.putI64(buf + 8, s.memory.i64(8) & RIGHTS);
                memory.putI64(buf + 16, s.memory.i64(16) & RIGHTS);
                return Errno.SUCCESS;
            } catch (Throwable thrown) {
                return Calls.errno(thrown);
            }
        } finally {
            release(s);
        }
    }

    /**
     * Restricts the rights snapshot 0 defines. Those it does not (a listening socket's
     * {@code sock_accept}) it can neither name nor see, so they stay as they are: setting what
     * {@code fd_fdstat_get} reported changes nothing.
     */
    int fd_fdstat_set_rights(int fd, long base, long inheriting) {
        if (((base | inheriting) & ~RIGHTS) != 0) return Errno.INVAL;
        Descriptor d;
        try {
            d = fds.get(fd);
        } catch (WasiError e) {
            return e.errno;
        }
        return fdFunctions.fd_fdstat_set_rights(fd, base | (d.rightsBase() & ~RIGHTS),
                inheriting | (d.rightsInheriting() & ~RIGHTS));
    }

    int fd_filestat_get(int fd, int buf) {
        Scratch s = take(Filestat.SIZE);
        try {
            int errno = s.fdFunctions.fd_filestat_get(fd, 0);
            if (errno != Errno.SUCCESS) return errno;
            try {
                filestat(s.memory, buf);
                return Errno.SUCCESS;
            } catch (Throwable thrown) {
                return Calls.errno(thrown);
            }
        } finally {
            release(s);
        }
    }

    int path_filestat_get(int fd, int flags, int path, int pathLen, int buf) {
        byte[] name;
        try {
            name = memory.bytes(path, pathLen);
        } catch (WasiError e) {
            name = null;
        }
        Scratch s;
        try {
            s = take(Filestat.SIZE + (name == null ? 0 : (long) name.length));
        } catch (WasiError e) {
            return e.errno;
        }
        try {
            int scratchPath = Filestat.SIZE;
            if (name != null) {
                s.memory.put(scratchPath, name, 0, name.length);
            } else {
                // A path outside the guest's memory is passed as one outside the scratch memory, so that
                // it fails with EFAULT at the same step as in preview 1: after the checks of the descriptor.
                scratchPath = -1;
            }
            int errno = s.pathFunctions.path_filestat_get(fd, flags, scratchPath, pathLen, 0);
            if (errno != Errno.SUCCESS) return errno;
            try {
                filestat(s.memory, buf);
                return Errno.SUCCESS;
            } catch (Throwable thrown) {
                return Calls.errno(thrown);
            }
        } finally {
            release(s);
        }
    }

    /** Writes the preview 1 {@code filestat} at 0 in {@code from} to {@code buf} in snapshot 0's layout. */
    private void filestat(GuestMemory from, int buf) {
        memory.zero(buf, FILESTAT_SIZE);
        memory.putI64(buf, from.i64(0));
        memory.putI64(buf + 8, from.i64(8));
        memory.putU8(buf + 16, from.u8(16));
        // As in wasmtime, a count of links beyond 32 bits reads as the largest there is.
        long nlink = from.i64(24);
        memory.putI32(buf + 20, Long.compareUnsigned(nlink, 0xffffffffL) > 0 ? -1 : (int) nlink);
        memory.putI64(buf + 24, from.i64(32));
        memory.putI64(buf + 32, from.i64(40));
        memory.putI64(buf + 40, from.i64(48));
        memory.putI64(buf + 48, from.i64(56));
    }

    /**
     * Translates the subscriptions into a scratch memory, polls there and copies the events back,
     * whose layout is the same. Every guest range is checked first, so that a bad pointer fails
     * before any wait. A count preview 1 refuses is refused first, as preview 1 refuses it, before
     * any pointer: translated, it would cost a scratch memory as large as the guest's arrays.
     */
    int poll_oneoff(int in, int out, int nsubscriptions, int nevents) {
        if (!Poll.countAllowed(nsubscriptions, fds)) return Errno.INVAL;
        long n = nsubscriptions;
        // In the scratch memory: the subscriptions at 0, then the events, then their number.
        long eventsAt = n * Poll.SUBSCRIPTION_SIZE;
        long neventsAt = eventsAt + n * Poll.EVENT_SIZE;
        Scratch s;
        try {
            memory.check(in, n * SUBSCRIPTION_SIZE);
            memory.check(out, n * Poll.EVENT_SIZE);
            memory.check(nevents, 4);
            s = take(neventsAt + 4);
        } catch (WasiError e) {
            return e.errno;
        }
        try {
            for (int i = 0; i < n; i++) {
                subscription(in + i * SUBSCRIPTION_SIZE, s.memory, i * Poll.SUBSCRIPTION_SIZE);
            }
            int errno = s.poll.poll_oneoff(0, (int) eventsAt, nsubscriptions, (int) neventsAt);
            if (errno != Errno.SUCCESS) return errno;
            int happened = s.memory.i32((int) neventsAt);
            byte[] events = s.memory.bytes((int) eventsAt, happened * Poll.EVENT_SIZE);
            memory.put(out, events, 0, events.length);
            memory.putI32(nevents, happened);
            return Errno.SUCCESS;
        } finally {
            release(s);
        }
    }

    /**
     * Copies the snapshot 0 subscription at {@code from} to {@code at} in {@code to} in preview 1's
     * layout. A clock's {@code identifier} has no counterpart there: no implementation gave it a
     * meaning, and preview 1 dropped it.
     */
    private void subscription(int from, GuestMemory to, int at) {
        byte type = memory.u8(from + 8);
        to.putI64(at, memory.i64(from));
        to.putU8(at + 8, type);
        if (type == Abi.EVENTTYPE_CLOCK) {
            to.putI32(at + 16, memory.i32(from + 24));
            to.putI64(at + 24, memory.i64(from + 32));
            to.putI64(at + 32, memory.i64(from + 40));
            to.putU16(at + 40, memory.u16(from + 48));
        } else {
            // fd_read and fd_write have the descriptor at the same offset in both; other types are
            // copied as they are for preview 1 to refuse.
            to.putI32(at + 16, memory.i32(from + 16));
        }
    }
}
