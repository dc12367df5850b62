package dev.wasm2jvm.runtime.wasi;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells waiting poll_oneoff calls that some descriptor may have become ready. A waiter takes the
 * generation before checking readiness and waits only while it is unchanged, so no signal is lost.
 */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Made by the first waiter, under the lock: a program that never polls loads none of a
     * condition's classes, which are not in the JDK's CDS archive. Guarded by the lock.
     */
    private Condition changed;
    private long generation;

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        lock.lock();
        try {
            generation++;
            if (changed != null) changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code nanos} for a signal after {@code seen}; throws if the thread is interrupted. */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (changed == null) changed = lock.newCondition();
            while (generation == seen && nanos > 0) nanos = changed.awaitNanos(nanos);
        } finally {
            lock.unlock();
        }
    }
}
