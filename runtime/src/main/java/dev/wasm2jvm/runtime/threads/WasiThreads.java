package dev.wasm2jvm.runtime.threads;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Termination;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.WasiThreadSpawn;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The wasi-threads host: the import {@code wasi} {@code thread-spawn: (i32) -> i32}, and the
 * lifetime of the program's threads.
 *
 * <p>{@code thread-spawn(startArg)} instantiates the module again with the same imports (so the new
 * instance shares the imported memory and has its own globals and stack pointer), starts a Java
 * thread and runs the instance's {@code wasi_thread_start(tid, startArg)} there; it returns the new
 * thread's id in {@code 1..0x1FFFFFFF}, or a negative number when no thread can be started.
 *
 * <p>The program ends at the first of: a trap or {@code proc_exit} in any thread, or the end of the
 * main thread's {@code _start}. {@link #terminate} records that first cause, raises the program's
 * {@link Termination} flag (which every thread polls) and interrupts the threads that may be blocked
 * in {@code memory.atomic.wait} or a WASI call.
 */
public final class WasiThreads {
    /** The most threads a program may run at once unless configured otherwise. */
    public static final int DEFAULT_MAX_THREADS = 256;
    /**
     * The stack of each thread a program runs on, the main thread's ({@code CommandRunner}'s) and
     * those {@code thread-spawn} starts. Wasm functions become JVM methods whose frames are larger
     * than native ones, interpreted ones most, so the JVM's default 1 MiB would end recursion far
     * earlier than a native engine does, and a spawned thread earlier than the main one. It is
     * virtual memory, committed only as deep as a thread goes.
     */
    public static final long STACK_SIZE = 64L << 20;
    private static final int MAX_TID = 0x1FFFFFFF;
    /** WASI's {@code EAGAIN}, negated: no thread could be started now. */
    private static final int EAGAIN = -6;

    private final Imports imports;
    private final Function<Imports, Instance> instantiate;
    private final int maxThreads;
    private final AtomicInteger lastTid = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /** The thread that runs {@code _start}: the one that made this host. */
    private final Thread mainThread = Thread.currentThread();
    private final AtomicReference<Cause> cause = new AtomicReference<>();

    /** Why the program ended: {@code failure} is null when it ended normally. */
    private record Cause(Throwable failure) {}

    /**
     * Made by the thread that will run the program's {@code _start}, which {@link #terminate}
     * interrupts like the others when another thread ends the program.
     *
     * @param imports the program's imports; {@code thread-spawn} is added to them
     * @param instantiate makes a new instance of the module from imports
     * @param maxThreads the most threads (besides the main thread) that may run at once
     */
    public WasiThreads(Imports imports, Function<Imports, Instance> instantiate, int maxThreads) {
        this.imports = imports;
        this.instantiate = instantiate;
        this.maxThreads = maxThreads;
        imports.add("wasi", "thread-spawn", FuncRef.builtin("i:i", WasiThreadSpawn.class, new Spawn(), "thread_spawn"));
    }

    /** {@code thread-spawn} as generated code calls it: an object of its own, which keeps the method out of this class's API. */
    private final class Spawn implements WasiThreadSpawn {
        @Override
        public int thread_spawn(int startArg) {
            return spawn(startArg);
        }
    }

    /** {@code thread-spawn}: never throws into the guest; failures are negative results. */
    private int spawn(int startArg) {
        if (threads.size() >= maxThreads) return EAGAIN;
        int tid = lastTid.incrementAndGet();
        // After taking a tid, so that terminate() either sees it and requests termination, or has
        // already recorded its cause, seen here.
        if (tid > MAX_TID || terminated()) return EAGAIN;
        Runnable start;
        try {
            Instance instance = instantiate.apply(imports);
            if (!(instance instanceof WasiThreadStart entry)) return EAGAIN;
            start = entry.wasiThreadStart(tid, startArg);
        } catch (RuntimeException e) {
            return EAGAIN;
        }
        Thread thread = new Thread(null, () -> run(start), "wasi-thread-" + tid, STACK_SIZE);
        // Daemon, so that a thread stuck in an uninterruptible host call cannot keep the JVM alive.
        thread.setDaemon(true);
        threads.add(thread);
        try {
            thread.start();
        } catch (OutOfMemoryError | IllegalStateException e) {
            threads.remove(thread);
            return EAGAIN;
        }
        return tid;
    }

    private void run(Runnable start) {
        try {
            start.run();
        } catch (Termination.ProgramTerminated e) {
            // Another thread ended the program; this one just stops.
        } catch (Throwable t) {
            terminate(WasmTrap.translate(t));
        } finally {
            threads.remove(Thread.currentThread());
        }
    }

    /**
     * Ends the program, unless it has already ended: records {@code failure} as the cause (a
     * {@code WasiExit}, a trap, or {@code null} when the main thread's {@code _start} returned), and
     * stops every thread but the caller. A failure that is only the echo of the termination in the
     * thread it stopped (an interrupted wait) is not recorded.
     */
    public void terminate(Throwable failure) {
        if (!cause.compareAndSet(null, new Cause(failure))) return;
        // Only a program that started threads needs them polling: the first request arms the polls
        // of every program in this JVM (see Termination).
        if (lastTid.get() > 0) imports.termination().request();
        Thread self = Thread.currentThread();
        for (Thread t : threads) {
            if (t != self) t.interrupt();
        }
        if (mainThread != self) mainThread.interrupt();
    }

    /** Whether the program has ended. */
    public boolean terminated() {
        return cause.get() != null;
    }

    /** What ended the program: a {@code WasiExit}, a trap, or {@code null} for a normal end or none yet. */
    public Throwable failure() {
        Cause c = cause.get();
        return c == null ? null : c.failure();
    }

    /** Waits up to {@code millis} for every spawned thread to stop; returns whether they all have. */
    public boolean awaitThreads(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) break;
            t.join(left);
        }
        return threads.isEmpty();
    }

    /** The threads still running, for tests and diagnostics. */
    public int liveThreads() {
        return threads.size();
    }
}
