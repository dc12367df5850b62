package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class WaitNotifyTest {
    private static final VarHandle I32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final long FOREVER = -1;

    private final Memory memory = new Memory(1, 1, true);
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopStragglers() throws InterruptedException {
        for (Thread t : started) t.interrupt();
        for (Thread t : started) t.join(TimeUnit.SECONDS.toMillis(5));
    }

    private static void assertTrap(String message, Executable action) {
        assertEquals(message, assertThrows(WasmTrap.class, action).getMessage());
    }

    private Thread start(Runnable body) {
        Thread t = Thread.ofPlatform().daemon().start(body);
        started.add(t);
        return t;
    }

    /** Starts a thread that waits forever on {@code addr} and records its result in {@code results}. */
    private Thread startWaiter(int addr, Object id, ConcurrentLinkedQueue<Object> results) {
        Thread t = start(() -> {
            int result = Memory.wait32(addr, 0, FOREVER, memory);
            results.add(result == 0 ? id : "returned " + result);
        });
        awaitParked(t);
        return t;
    }

    /** A waiter parks only once it is queued, so after this notify will find it. */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) fail("waiter never blocked: " + t.getState());
            Thread.onSpinWait();
        }
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(t.isAlive(), "thread still running");
    }

    @Test
    void waitReturnsOneWhenTheValueDiffers() {
        memory.writeI32(8, 5);
        assertEquals(1, Memory.wait32(8, 4, FOREVER, memory));
        memory.writeI64(16, 1L << 32);
        assertEquals(1, Memory.wait64(16, 0, FOREVER, memory));
    }

    @Test
    void waitTimesOutWithTwo() {
        assertEquals(2, Memory.wait32(0, 0, 0, memory));
        assertEquals(2, Memory.wait64(0, 0, 0, memory));
        long start = System.nanoTime();
        assertEquals(2, Memory.wait32(4, 0, TimeUnit.MILLISECONDS.toNanos(20), memory));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(0, Memory.notify(4, 1, memory), "a timed-out waiter leaves the queue");
    }

    @Test
    void notifyWakesAWaiterWithZero() throws InterruptedException {
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        Thread waiter = startWaiter(12, "woken", results);
        assertEquals(0, Memory.notify(12, 0, memory));
        assertEquals(0, Memory.notify(16, 1, memory), "another address has no waiters");
        assertEquals(1, Memory.notify(12, 1, memory));
        join(waiter);
        assertEquals(List.of("woken"), List.copyOf(results));
    }

    @Test
    void wait64SharesTheQueueOfItsAddress() throws InterruptedException {
        AtomicInteger result = new AtomicInteger(-1);
        Thread waiter = start(() -> result.set(Memory.wait64(24, 0, FOREVER, memory)));
        awaitParked(waiter);
        assertEquals(1, Memory.notify(24, 1, memory));
        join(waiter);
        assertEquals(0, result.get());
    }

    @Test
    void notifyWakesWaitersInArrivalOrder() throws InterruptedException {
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) waiters.add(startWaiter(0, i, results));
        for (Thread waiter : waiters) {
            assertEquals(1, Memory.notify(0, 1, memory));
            join(waiter);
        }
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(results));
    }

    @Test
    void notifyWakesAtMostCountWaiters() throws InterruptedException {
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) waiters.add(startWaiter(32, i, results));
        assertEquals(2, Memory.notify(32, 2, memory));
        join(waiters.get(0));
        join(waiters.get(1));
        assertEquals(Set.of(0, 1), Set.copyOf(results));
        assertTrue(waiters.get(2).isAlive());
        assertEquals(1, Memory.notify(32, -1, memory), "the count is unsigned");
        assertEquals(0, Memory.notify(32, -1, memory));
        join(waiters.get(2));
        assertEquals(Set.of(0, 1, 2), Set.copyOf(results));
    }

    @Test
    void onlyDequeuedWaitersReturnZero() throws InterruptedException {
        int waiters = 3;
        int waitsEach = 200;
        AtomicInteger zeros = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(waiters);
        for (int i = 0; i < waiters; i++) {
            start(() -> {
                for (int j = 0; j < waitsEach; j++) {
                    if (Memory.wait32(40, 0, TimeUnit.MICROSECONDS.toNanos(50), memory) == 0) zeros.incrementAndGet();
                }
                running.decrementAndGet();
            });
        }
        int notified = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running.get() > 0 && System.nanoTime() < deadline) {
            notified += Memory.notify(40, 1, memory);
            Thread.yield();
        }
        for (Thread t : started) join(t);
        assertEquals(notified, zeros.get());
    }

    @Test
    void aRingOfThreadsPassesATokenWithoutLosingAWakeUp() throws InterruptedException {
        // Thread i owns the i32 at 4 * i; it waits while that slot is 0, then clears it, sets its
        // successor's slot and wakes exactly that successor.
        int threads = 4;
        int rounds = 300;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < threads; i++) {
            int self = 4 * i;
            int next = 4 * ((i + 1) % threads);
            start(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        while ((int) I32.getVolatile(memory.segment(), (long) self) == 0) {
                            Memory.wait32(self, 0, FOREVER, memory);
                        }
                        I32.setVolatile(memory.segment(), (long) self, 0);
                        I32.setVolatile(memory.segment(), (long) next, 1);
                        Memory.notify(next, 1, memory);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }
        I32.setVolatile(memory.segment(), 0L, 1);
        Memory.notify(0, 1, memory);
        for (Thread t : started) join(t);
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(1, (int) I32.getVolatile(memory.segment(), 0L), "the token is back with thread 0");
    }

    @Test
    void anInterruptedWaiterTrapsAndLeavesTheQueue() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagSet = new AtomicReference<>();
        Thread waiter = start(() -> {
            try {
                Memory.wait32(0, 0, FOREVER, memory);
            } catch (WasmTrap t) {
                thrown.set(t);
                flagSet.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitParked(waiter);
        waiter.interrupt();
        join(waiter);
        assertEquals("interrupted", thrown.get().getMessage());
        assertTrue(flagSet.get());
        assertEquals(0, Memory.notify(0, 1, memory));
    }

    @Test
    void anAlreadyInterruptedThreadDoesNotBlock() {
        Thread.currentThread().interrupt();
        try {
            assertTrap("interrupted", () -> Memory.wait32(0, 0, FOREVER, memory));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(0, Memory.notify(0, 1, memory));
    }

    @Test
    void waitRequiresASharedMemoryButNotifyDoesNot() {
        Memory unshared = new Memory(1, 1, false);
        assertTrap("expected shared memory", () -> Memory.wait32(0, 0, 0, unshared));
        assertTrap("expected shared memory", () -> Memory.wait64(0, 1, 0, unshared));
        assertEquals(0, Memory.notify(0, 1, unshared));
    }

    @Test
    void alignmentIsCheckedBeforeBoundsAndSharing() {
        Memory unshared = new Memory(1, 1, false);
        int end = Memory.PAGE_SIZE;
        for (Memory m : List.of(memory, unshared)) {
            assertTrap("unaligned atomic", () -> Memory.wait32(end - 3, 0, 0, m));
            assertTrap("unaligned atomic", () -> Memory.wait64(end - 12, 0, 0, m));
            assertTrap("unaligned atomic", () -> Memory.notify(end - 5, 0, m));
            assertTrap("unaligned atomic", () -> Memory.notify(-63, 0, m));
            assertTrap("out of bounds memory access", () -> Memory.wait32(end, 0, 0, m));
            assertTrap("out of bounds memory access", () -> Memory.wait64(-8, 0, 0, m));
            assertTrap("out of bounds memory access", () -> Memory.notify(end, 0, m));
        }
        assertEquals(2, Memory.wait64(end - 8, 0, 0, memory));
        assertEquals(0, Memory.notify(end - 4, 1, memory));
    }
}
