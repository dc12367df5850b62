package dev.wasm2jvm.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The wait queues of one shared memory, for {@code memory.atomic.wait} and {@code notify}. Each
 * address has a FIFO queue; addresses are spread over independently locked buckets so that unrelated
 * addresses do not contend.
 */
final class Futex {
    static final int WOKEN = 0;
    static final int NOT_EQUAL = 1;
    static final int TIMED_OUT = 2;

    private static final int BUCKET_BITS = 6;

    private final Bucket[] buckets = new Bucket[1 << BUCKET_BITS];

    Futex() {
        for (int i = 0; i < buckets.length; i++) buckets[i] = new Bucket();
    }

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        /** Set, under the bucket's lock, only by the notify that dequeues this waiter. */
        volatile boolean woken;
    }

    private static final class Bucket extends ReentrantLock {
        final Map<Long, ArrayDeque<Waiter>> queues = new HashMap<>();

        /** Removes {@code w} if it is still queued; false when a notify already took it. */
        boolean leave(long address, Waiter w) {
            lock();
            try {
                ArrayDeque<Waiter> queue = queues.get(address);
                if (queue == null || !queue.removeFirstOccurrence(w)) return false;
                if (queue.isEmpty()) queues.remove(address);
                return true;
            } finally {
                unlock();
            }
        }
    }

    private Bucket bucket(long address) {
        return buckets[(int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - BUCKET_BITS))];
    }

    /**
     * Blocks until a notify on {@code address} wakes this thread or {@code timeoutNanos} pass
     * (negative: no limit). {@code unchanged} reads the memory and compares it with the expected
     * value; it runs under the queue's lock so that a notify that follows a store cannot slip in
     * between the comparison and the enqueueing.
     *
     * @return {@link #WOKEN}, {@link #NOT_EQUAL} or {@link #TIMED_OUT}
     * @throws WasmTrap "interrupted" if the thread is interrupted while waiting, even if a notify
     *     woke it at the same moment (the program is being stopped); its interrupt flag stays set
     */
    int await(long address, BooleanSupplier unchanged, long timeoutNanos) {
        Bucket bucket = bucket(address);
        Waiter waiter = new Waiter();
        bucket.lock();
        try {
            if (!unchanged.getAsBoolean()) return NOT_EQUAL;
            if (timeoutNanos == 0) return TIMED_OUT;
            bucket.queues.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(waiter);
        } finally {
            bucket.unlock();
        }
        long start = System.nanoTime();
        while (!waiter.woken) {
            if (Thread.interrupted()) {
                bucket.leave(address, waiter);
                Thread.currentThread().interrupt();
                throw new WasmTrap("interrupted");
            }
            if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else {
                long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    return bucket.leave(address, waiter) ? TIMED_OUT : WOKEN;
                }
                LockSupport.parkNanos(this, remaining);
            }
        }
        return WOKEN;
    }

    /** Wakes up to {@code count} (unsigned) waiters on {@code address}, oldest first; returns how many. */
    int wake(long address, long count) {
        if (count == 0) return 0;
        Bucket bucket = bucket(address);
        bucket.lock();
        try {
            ArrayDeque<Waiter> queue = bucket.queues.get(address);
            if (queue == null) return 0;
            int woken = 0;
            while (woken < count && !queue.isEmpty()) {
                Waiter waiter = queue.pollFirst();
                waiter.woken = true;
                LockSupport.unpark(waiter.thread);
                woken++;
            }
            if (queue.isEmpty()) bucket.queues.remove(address);
            return woken;
        } finally {
            bucket.unlock();
        }
    }
}
