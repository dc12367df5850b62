package dev.wasm2jvm.compiler.bench;

import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Instance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Compares compiled atomics with the same work done in plain Java: contended
 * {@code i32.atomic.rmw.add} throughput against {@code AtomicInteger.getAndAdd} with 1, 2 and 4
 * threads, and the round trip of a {@code memory.atomic.wait32}/{@code notify} ping-pong against a
 * {@code LockSupport.park}/{@code unpark} handshake. Each figure is the best of several timed runs
 * after warm-up runs. The wasm side is {@code atomics/contention.wat}.
 *
 * <p>Run from the repository root (JDK 25):
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -pl compiler -am -Dmdep.outputFile=/tmp/wasm2jvm.cp
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp compiler/target/test-classes:compiler/target/classes:$(cat /tmp/wasm2jvm.cp) \
 *     dev.wasm2jvm.compiler.bench.AtomicBenchmark
 * </pre>
 */
public final class AtomicBenchmark {
    private static final int ADDS_PER_THREAD = 2_000_000;
    private static final int ROUNDS = 20_000;
    private static final int WARMUPS = 3;
    private static final int RUNS = 5;

    private AtomicBenchmark() {}

    public static void main(String[] args) throws Exception {
        // One instance per thread, sharing the memory: an instance runs on one thread at a time.
        List<Instance> instances = TestModules.instancesSharingMemory(TestModules.resource("atomics/contention.wasm"), 4);
        FuncRef[] add32 = instances.stream().map(i -> i.function("add32")).toArray(FuncRef[]::new);
        FuncRef[] pingPong = instances.stream().map(i -> i.function("pingPong")).toArray(FuncRef[]::new);

        System.out.printf("%-42s %14s %14s %8s%n", "contended add, Mops/s", "wasm", "Java", "ratio");
        for (int threads : new int[] {1, 2, 4}) {
            AtomicInteger counter = new AtomicInteger();
            double wasm = ADDS_PER_THREAD * (double) threads / best(() -> inThreads(threads, t -> add32[t].call(ADDS_PER_THREAD))) / 1e6;
            double java = ADDS_PER_THREAD * (double) threads / best(() -> inThreads(threads, t -> addAll(counter))) / 1e6;
            System.out.printf("%-42s %14.1f %14.1f %8.2f%n",
                    threads + " thread(s), i32.atomic.rmw.add / getAndAdd", wasm, java, wasm / java);
        }

        System.out.printf("%n%-42s %14s %14s %8s%n", "ping-pong round trip, us", "wasm", "Java", "ratio");
        double wasm = best(() -> inThreads(2, t -> pingPong[t].call(t, ROUNDS))) / ROUNDS * 1e6;
        double java = best(AtomicBenchmark::parkPingPong) / ROUNDS * 1e6;
        System.out.printf("%-42s %14.2f %14.2f %8.2f%n", "wait32/notify / park/unpark", wasm, java, wasm / java);
    }

    private static void addAll(AtomicInteger counter) {
        for (int i = 0; i < ADDS_PER_THREAD; i++) counter.getAndAdd(1);
    }

    private static volatile int ball;

    /** The Java ping-pong: each player parks until the ball is theirs, passes it and unparks the other. */
    private static double parkPingPong() throws Exception {
        ball = 0;
        Thread[] players = new Thread[2];
        CyclicBarrier start = new CyclicBarrier(3);
        for (int p = 0; p < 2; p++) {
            int me = p;
            players[p] = Thread.ofPlatform().unstarted(() -> {
                await(start);
                for (int r = 0; r < ROUNDS; r++) {
                    while (ball != me) LockSupport.park();
                    ball = 1 - me;
                    LockSupport.unpark(players[1 - me]);
                }
            });
        }
        for (Thread t : players) t.start();
        await(start);
        long begin = System.nanoTime();
        for (Thread t : players) t.join();
        return (System.nanoTime() - begin) / 1e9;
    }

    private interface Body {
        void run(int thread) throws Exception;
    }

    private interface Timed {
        double seconds() throws Exception;
    }

    /** Runs {@code body} in {@code count} threads released together; returns the seconds until all finished. */
    private static double inThreads(int count, Body body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(count + 1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                try {
                    body.run(thread);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await(start);
        long begin = System.nanoTime();
        for (Thread t : threads) t.join();
        return (System.nanoTime() - begin) / 1e9;
    }

    /** The shortest of {@link #RUNS} timed runs, after {@link #WARMUPS} untimed ones. */
    private static double best(Timed run) throws Exception {
        for (int i = 0; i < WARMUPS; i++) run.seconds();
        double[] seconds = new double[RUNS];
        for (int i = 0; i < RUNS; i++) seconds[i] = run.seconds();
        return Arrays.stream(seconds).min().orElseThrow();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
