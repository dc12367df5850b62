package dev.wasm2jvm.compiler.emit.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.internal.AtomicAccess;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs compiled atomics from several threads at once: the litmus tests message passing, store
 * buffering and load buffering, which must never show an outcome that sequential consistency
 * forbids; counters that threads update together, which must sum exactly; and a wait/notify
 * ping-pong, which must finish. The modules are {@code atomics/litmus.wat} and
 * {@code atomics/contention.wat}. Each test takes at most a few seconds.
 */
class AtomicStressTest {
    /** Iterations of one round of a litmus test: all that {@code litmus.wat} has room for. */
    private static final int ITERATIONS = 16_384;
    /** Rounds of each litmus test, on one instance, so that the JIT has compiled the later ones. */
    private static final int ROUNDS = 5;
    /** Fewer iterations than this would not test much; only a machine starved of CPU runs this few. */
    private static final int MINIMUM_ITERATIONS = 1_000;
    /** How long all rounds of a litmus test may take: the last round's threads are stopped then. */
    private static final long LITMUS_MILLIS = 1_500;
    private static final int LITMUS_STOP = 4;
    private static final int R0 = 327_680;
    private static final int R1 = 393_216;
    /** The bytes that a round of a litmus test uses: the barrier, the stop flag, the cells and the results. */
    private static final int LITMUS_BYTES = 458_752;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "mp, 1, 0", // the reader saw the flag but not the data written before it
        "sb, 0, 0", // both loads ran before both stores
        "lb, 1, 1", // both loads saw the store that follows the other load
    })
    void litmusTestShowsNoOutcomeForbiddenBySequentialConsistency(String test, int forbiddenR0, int forbiddenR1)
            throws InterruptedException {
        List<Instance> instances = TestModules.instancesSharingMemory(TestModules.resource("atomics/litmus.wasm"), 2);
        Memory memory = instances.get(0).memory("mem");
        Map<String, Integer> outcomes = new TreeMap<>();
        int total = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LITMUS_MILLIS);
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            Memory.fill(0, 0, LITMUS_BYTES, memory);
            int[] done = runTogether(memory, instances.get(0).function(test + "0"), instances.get(1).function(test + "1"), deadline);
            int iterations = Math.min(done[0], done[1]);
            for (int i = 0; i < iterations; i++) {
                int r0 = memory.readI32(R0 + 4L * i);
                int r1 = memory.readI32(R1 + 4L * i);
                outcomes.merge(r0 + "," + r1, 1, Integer::sum);
            }
            total += iterations;
        }
        assertTrue(total >= MINIMUM_ITERATIONS, "only " + total + " iterations");
        assertFalse(outcomes.containsKey(forbiddenR0 + "," + forbiddenR1), test + " outcomes " + outcomes);
    }

    /**
     * Runs the two roles of a litmus test in two threads; at {@code deadline} ({@code System.nanoTime})
     * sets the stop flag that ends them early. Returns how many iterations each ran.
     */
    private static int[] runTogether(Memory memory, FuncRef role0, FuncRef role1, long deadline)
            throws InterruptedException {
        int[] done = new int[2];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        FuncRef[] roles = {role0, role1};
        for (int r = 0; r < 2; r++) {
            int role = r;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                done[role] = (int) roles[role].call(ITERATIONS)[0];
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        AtomicAccess.I32.setVolatile(memory.segment(), (long) LITMUS_STOP, 1);
        for (Thread t : threads) t.join();
        return done;
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void contendedReadModifyWritesSumExactly() throws InterruptedException {
        int threads = 4;
        List<Instance> instances = TestModules.instancesSharingMemory(TestModules.resource("atomics/contention.wasm"), threads);
        Memory memory = instances.get(0).memory("mem");
        int n = 50_000;
        runConcurrently(threads, t -> instances.get(t).function("add32").call(n));
        assertEquals(threads * n, memory.readI32(0), "i32.atomic.rmw.add");

        runConcurrently(threads, t -> instances.get(t).function("add64").call(n));
        assertEquals(threads * (long) n, memory.readI64(8), "i64.atomic.rmw.add");
        assertEquals(-threads * (long) n, memory.readI64(16), "i64.atomic.rmw.sub");

        runConcurrently(threads, t -> instances.get(t).function("casAdd").call(n));
        assertEquals(threads * n, memory.readI32(32), "i32.atomic.rmw.cmpxchg loop");

        // Two threads per halfword, both halfwords in one word: 2 * 20000 < 65536, so nothing carries.
        int halfwordAdds = 20_000;
        runConcurrently(threads, t -> instances.get(t).function("add16").call(t % 2, halfwordAdds));
        assertEquals(2 * halfwordAdds, memory.readI32(24) & 0xFFFF, "i32.atomic.rmw16.add_u lane 0");
        assertEquals(2 * halfwordAdds, memory.readI32(24) >>> 16, "i32.atomic.rmw16.add_u lane 1");

        // One thread per byte of one word; each byte wraps around at 256 and carries nothing into the next.
        int byteAdds = 25_000;
        runConcurrently(threads, t -> instances.get(t).function("add8").call(t, byteAdds + t));
        int word = memory.readI32(28);
        for (int lane = 0; lane < 4; lane++) {
            assertEquals((byteAdds + lane) & 0xFF, word >>> 8 * lane & 0xFF, "i64.atomic.rmw8.add_u lane " + lane);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void waitNotifyPingPongCompletesEveryRound() throws InterruptedException {
        List<Instance> instances = TestModules.instancesSharingMemory(TestModules.resource("atomics/contention.wasm"), 2);
        int rounds = 2_000;
        runConcurrently(2, t -> instances.get(t).function("pingPong").call(t, rounds));
        // Player 0 serves, so after each full exchange the ball is back with player 0.
        assertEquals(0, instances.get(0).memory("mem").readI32(64));
    }

    private interface Body {
        void run(int thread);
    }

    /** Runs {@code body} in {@code count} threads released together; rethrows the first failure. */
    private static void runConcurrently(int count, Body body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        Throwable[] failures = new Throwable[count];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                try {
                    body.run(thread);
                } catch (Throwable e) {
                    failures[thread] = e;
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        for (Throwable f : failures) {
            if (f != null) throw new AssertionError("a thread failed", f);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted before the start", e);
        }
    }
}
