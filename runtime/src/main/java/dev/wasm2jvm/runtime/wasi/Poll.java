package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * poll_oneoff: waits until a clock subscription times out or a descriptor is ready, then reports
 * every subscription that is. Only stdin tells the {@link Wakeup} when it becomes ready; sockets
 * do not, so they are checked again at short intervals while waited for.
 *
 * <p>A subscription that can never become ready is reported at once, as an event with its error,
 * so that no poll waits for it forever: {@code EBADF} for a descriptor that is not open (Linux's
 * {@code POLLNVAL}), and {@code EBADF} too for one that cannot do what is waited for, such as
 * reading stdout or writing stdin ({@link Descriptor#pollError}). wasmtime refuses such a
 * subscription with the same errno but fails the whole call with it; an event instead leaves the
 * call's other subscriptions reported, and wasi-libc's {@code poll} turns it into {@code POLLNVAL}
 * for that descriptor alone.
 */
final class Poll {
    /** The sizes of preview 1's {@code subscription} and {@code event}; snapshot 0 shares the event's. */
    static final int SUBSCRIPTION_SIZE = 48;
    static final int EVENT_SIZE = 32;
    private static final long RECHECK_NANOS = 10_000_000;

    private final GuestMemory memory;
    private final FdTable fds;
    private final Clocks clocks;
    private final Wakeup wakeup;

    Poll(GuestMemory memory, FdTable fds, Clocks clocks, Wakeup wakeup) {
        this.memory = memory;
        this.fds = fds;
        this.clocks = clocks;
        this.wakeup = wakeup;
    }

    /** A {@code subscription}; {@code deadline} is in {@link System#nanoTime()}'s time base. */
    private record Subscription(long userdata, byte type, int fd, long deadline, int clockError) {}

    private record Event(long userdata, int error, byte type, long nbytes) {}

    int poll_oneoff(int in, int out, int nsubscriptions, int nevents) {
        try {
            if (!countAllowed(nsubscriptions, fds)) throw new WasiError(Errno.INVAL);
            memory.check(in, (long) nsubscriptions * SUBSCRIPTION_SIZE);
            memory.check(out, (long) nsubscriptions * EVENT_SIZE);
            memory.check(nevents, 4);
            List<Subscription> subscriptions = new ArrayList<>(nsubscriptions);
            long start = System.nanoTime();
            for (int i = 0; i < nsubscriptions; i++) subscriptions.add(read(in + i * SUBSCRIPTION_SIZE, start));
            List<Event> events = await(subscriptions);
            for (int i = 0; i < events.size(); i++) write(out + i * EVENT_SIZE, events.get(i));
            memory.putI32(nevents, events.size());
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    /**
     * Whether a poll may have {@code nsubscriptions}: at least one, and as Linux's poll refuses more
     * fds than {@code RLIMIT_NOFILE}, at most two for each descriptor the guest may hold (wasi-libc's
     * {@code poll} makes up to two a descriptor) and one clock. Beyond that, the call would only
     * cost host memory.
     */
    static boolean countAllowed(int nsubscriptions, FdTable fds) {
        return nsubscriptions > 0 && nsubscriptions <= 2L * fds.limit() + 1;
    }

    private Subscription read(int at, long start) {
        long userdata = memory.i64(at);
        byte type = memory.u8(at + 8);
        return switch (type) {
            case Abi.EVENTTYPE_CLOCK -> {
                int id = memory.i32(at + 16);
                long timeout = memory.i64(at + 24);
                boolean absolute = (memory.u16(at + 40) & Abi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) != 0;
                yield clock(userdata, id, timeout, absolute, start);
            }
            case Abi.EVENTTYPE_FD_READ, Abi.EVENTTYPE_FD_WRITE -> new Subscription(userdata, type, memory.i32(at + 16), 0, 0);
            default -> throw new WasiError(Errno.INVAL);
        };
    }

    private Subscription clock(long userdata, int id, long timeout, boolean absolute, long start) {
        if (id == Abi.CLOCKID_PROCESS_CPUTIME_ID || id == Abi.CLOCKID_THREAD_CPUTIME_ID) {
            // No way to wait for CPU time to pass: the subscription fires at once, with an error.
            return new Subscription(userdata, Abi.EVENTTYPE_CLOCK, 0, start, Errno.NOTSUP);
        }
        long relative = switch (id) {
            case Abi.CLOCKID_MONOTONIC -> absolute ? timeout - clocks.monotonic() : timeout;
            case Abi.CLOCKID_REALTIME -> absolute ? timeout - Clocks.realtime() : timeout;
            default -> throw new WasiError(Errno.INVAL);
        };
        // A relative timeout is unsigned: one that looks negative is beyond any wait.
        if (!absolute && relative < 0) relative = Long.MAX_VALUE;
        long deadline = start + Math.clamp(relative, 0, Long.MAX_VALUE / 4);
        return new Subscription(userdata, Abi.EVENTTYPE_CLOCK, 0, deadline, 0);
    }

    private List<Event> await(List<Subscription> subscriptions) throws IOException, InterruptedException {
        while (true) {
            long generation = wakeup.generation();
            long now = System.nanoTime();
            long wait = Long.MAX_VALUE;
            List<Event> events = new ArrayList<>();
            for (Subscription s : subscriptions) {
                if (s.type() == Abi.EVENTTYPE_CLOCK) {
                    if (s.clockError() != 0 || now - s.deadline() >= 0) {
                        events.add(new Event(s.userdata(), s.clockError(), s.type(), 0));
                    } else {
                        wait = Math.min(wait, s.deadline() - now);
                    }
                    continue;
                }
                Descriptor d;
                try {
                    d = fds.get(s.fd());
                } catch (WasiError e) {
                    events.add(new Event(s.userdata(), e.errno, s.type(), 0));
                    continue;
                }
                Event e = check(s, d);
                if (e != null) events.add(e);
                else if (!d.signalsReadiness()) wait = Math.min(wait, RECHECK_NANOS);
            }
            if (!events.isEmpty()) return events;
            wakeup.await(generation, wait);
        }
    }

    /**
     * The event for a ready descriptor, or for one that never can be (with its error), or
     * {@code null} while it is not ready.
     */
    private static Event check(Subscription s, Descriptor d) throws IOException {
        int error = d.pollError(s.type());
        if (error != 0) return new Event(s.userdata(), error, s.type(), 0);
        if (s.type() == Abi.EVENTTYPE_FD_READ) {
            return d.readReady() ? new Event(s.userdata(), 0, s.type(), d.readableBytes()) : null;
        }
        return d.writeReady() ? new Event(s.userdata(), 0, s.type(), 0) : null;
    }

    private void write(int at, Event e) {
        memory.zero(at, EVENT_SIZE);
        memory.putI64(at, e.userdata());
        memory.putU16(at + 8, (short) e.error());
        memory.putU8(at + 10, e.type());
        memory.putI64(at + 16, e.nbytes());
    }
}
