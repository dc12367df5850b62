package dev.wasm2jvm.runtime.wasi;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;

/** The four clocks of clock_time_get, in nanoseconds, and clock_res_get. */
final class Clocks {
    /** Held apart so that the management classes load only when a program reads a CPU-time clock. */
    private static final class Threads {
        static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    }

    private final GuestMemory memory;
    /**
     * The monotonic clock counts from the realtime clock's reading at startup, so it starts at a
     * plausible, positive value however the JVM picks the origin of {@link System#nanoTime()}.
     */
    private final long monotonicOffset;

    Clocks(GuestMemory memory) {
        this.memory = memory;
        this.monotonicOffset = realtime() - System.nanoTime();
    }

    int clock_res_get(int id, int resolution) {
        try {
            memory.putI64(resolution, resolution(id));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int clock_time_get(int id, long precision, int time) {
        try {
            memory.putI64(time, now(id));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    static long resolution(int id) {
        return switch (id) {
            case Abi.CLOCKID_REALTIME, Abi.CLOCKID_PROCESS_CPUTIME_ID, Abi.CLOCKID_THREAD_CPUTIME_ID -> 1_000;
            case Abi.CLOCKID_MONOTONIC -> 1;
            default -> throw new WasiError(Errno.INVAL);
        };
    }

    long now(int id) {
        return switch (id) {
            case Abi.CLOCKID_REALTIME -> realtime();
            case Abi.CLOCKID_MONOTONIC -> monotonic();
            case Abi.CLOCKID_PROCESS_CPUTIME_ID -> processCpuTime();
            case Abi.CLOCKID_THREAD_CPUTIME_ID -> threadCpuTime();
            default -> throw new WasiError(Errno.INVAL);
        };
    }

    long monotonic() {
        return System.nanoTime() + monotonicOffset;
    }

    /** Converts a reading of the monotonic clock to the time base of {@link System#nanoTime()}. */
    long toNanoTime(long monotonic) {
        return monotonic - monotonicOffset;
    }

    static long realtime() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static long processCpuTime() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) return t;
        }
        throw new WasiError(Errno.NOTSUP);
    }

    private static long threadCpuTime() {
        ThreadMXBean threads = Threads.BEAN;
        long t = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        if (t < 0) throw new WasiError(Errno.NOTSUP);
        return t;
    }
}
