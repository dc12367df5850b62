package dev.wasm2jvm.runtime;

import dev.wasm2jvm.runtime.internal.Polls;

/**
 * Whether the program an instance belongs to has ended. All instances made from one {@link Imports}
 * (the threads of a wasi-threads program) share one. When any thread exits or traps, the program
 * ends: {@link #request} sets the flag, which generated code polls at every loop header and at the
 * entry of every function on a cycle of calls, so every other thread stops at its next poll by
 * throwing {@link ProgramTerminated}.
 *
 * <p><b>A single-threaded command does not poll.</b> Termination is requested by the runtime when a
 * wasi-threads program that has spawned a thread ends ({@code threads.WasiThreads}), and by an
 * embedder that ends a module's code at a time limit (the spec runner and the fuzzer do). A WASI
 * command (a module exporting {@code _start}) runs as a program, whose imports nothing but its own
 * threads hold, and a wasi-threads program's threads run instances of the module that exports
 * {@code wasi_thread_start}, sharing nothing but shared memory. So the compiler writes polls into
 * every module but a command that imports no {@code wasi} {@code thread-spawn}, exports no
 * {@code wasi_thread_start} and has no shared memory (the compiler's {@code emit.layout.CallEffects}
 * holds the criterion and its reasoning): such a command's trap or {@code proc_exit} unwinds its one
 * thread. An embedder that calls such a command's {@code _start} itself cannot stop it by a request.
 *
 * <p>Jars of single-threaded commands without polls against jars with them (whole processes,
 * {@code java -jar}, medians of 12 pairs, CPU new / old, load average 12 to 15): Sightglass regex
 * 0.941, rust-compression 0.980, pulldown-cmark 0.980, the C kernel matmul 1.013, the rest in the
 * benchmarks' README, "Termination polls only where a thread can be stopped (issue 12)". Earlier,
 * as an upper bound, jars without loop polls at all took 0.85 of the CPU of Sightglass
 * rust-compression, 0.95 of pulldown-cmark's, 0.97 of regex's (8 pairs each).
 *
 * <p>A poll compares the target of one mutable call site ({@code internal.Polls}) with the handle
 * that means "no program has ended in this JVM", and only when they differ calls {@link #poll},
 * which reads the flag. C2 folds a read of
 * a constant call site's target into a constant, with a dependency on it: its code carries no poll
 * at all, and loops are optimised as if nobody could stop them (a volatile read at each loop header
 * would keep C2 from hoisting the memory's bounds and base out of the loop, and an opaque read is
 * the same barrier to it). C1 and the interpreter read the target, a plain field, at each poll: a
 * load and a compare, no call (the interpreter calls {@code getTarget}). The first request switches the target, for good and for every
 * program; the JVM deoptimises the C2 code that folded the old target, a running loop at its next
 * safepoint, and from then on every poll reads the flag. C1 cannot keep the target in a register
 * across iterations: every loop holding a poll also holds the call that throws, which C1 treats as
 * writing all memory.
 *
 * <p>Measured on JDK 25 (a shared, loaded 2-core machine; each tier forced with {@code -Xint},
 * {@code -XX:TieredStopAtLevel=1} or {@code 3}, {@code -XX:-TieredCompilation}; the fastest of 2
 * to 4 runs, each the best of 10 rounds), in ns per iteration of a loop of an add and a compare,
 * then of a loop that also loads and stores memory (C2 only):
 *
 * <table>
 * <caption>Cost of a poll per tier</caption>
 * <tr><th>poll</th><th>interpreter</th><th>C1</th><th>C1, tier 3</th><th>C2</th><th>C2, memory loop</th></tr>
 * <tr><td>call site target compared (in {@code poll} then)</td><td>57</td><td>0.66</td><td>2.4</td><td>0.43</td><td>0.70</td></tr>
 * <tr><td>call site's dynamic invoker called</td><td>423</td><td>8.3</td><td>36</td><td>0.67</td><td>0.65</td></tr>
 * <tr><td>volatile read of the flag</td><td>20</td><td>0.74</td><td>3.3</td><td>0.41</td><td>1.69</td></tr>
 * <tr><td>opaque read of the flag (a var handle)</td><td>300</td><td>2.9</td><td>25</td><td>0.88</td><td>2.11</td></tr>
 * </table>
 *
 * <p>The compare is written into the generated method, not made inside {@link #poll}: the
 * interpreter, which runs a short program's loops until they are compiled, then makes one call per
 * poll instead of two. A loop of an add and a compare in a function entered once, 30 million
 * iterations under {@code -Xint}: 49 ns an iteration with the compare in {@code poll}, 33 with it
 * in the loop (3 runs each, user CPU, load average 4); C1 and C2 inlined {@code poll} and its
 * compare before, and compile the same code now.
 *
 * <p>The call site's invoker, which C1 and the interpreter cannot inline, made C1's code of a
 * program's loops (which run until C2's arrives) and its interpreted loops several times slower,
 * and C2 counted its 14 inlined methods (245 bytes of bytecode per poll, against 33 now) against
 * the inlining budget of the method that holds the poll. The volatile or opaque read makes C2's
 * memory loop 2.4 to 3 times slower. Comparing the target costs the interpreter a call of
 * {@code getTarget} more than the volatile read, only until C1 compiles the loop.
 *
 * <p>The poll is a static call, not an {@code invokedynamic} per poll site: each such site links on
 * its first execution, and the JIT compiles an unlinked site as an uncommon trap, so a function whose
 * loops run one after another (a {@code main}) deoptimised its OSR compilation at each new loop.
 *
 * <p><b>Measured and not kept: a poll every 64th loop header.</b> A poll at a loop header is a call
 * for the interpreter, which runs much of a short program (Sightglass rust-compression: 82% of its
 * program thread's samples in interpreted frames, async-profiler); the upper bound above was
 * measured at load average 4 to 6. Tried: a countdown in a local that each method's
 * prologue zeroes and each of its loop headers decrements ({@code iinc}, a load, a branch), polling
 * when it goes below zero, then every 64th pass. C2 then keeps the countdown, whose branch it cannot
 * remove even where the poll folds to nothing, and it costs its loop optimisations: jars with the
 * countdown against jars without (CPU, medians of 8 to 10 pairs), the matmul kernel 1.40, inthash 1.32, rust-html-rewriter 1.12,
 * rust-compression 1.00, richards 0.92; with {@code -XX:-TieredCompilation}, C2's code alone, matmul
 * took 1.13 to 1.33 s of CPU against 1.00 to 1.13. Nothing the interpreter reads without a call is a
 * constant to C2 with a dependency, which is what lets C2 drop the poll; a plain field C2 would hoist
 * out of the loop, and a volatile one keeps the loop's other loads in it.
 */
public final class Termination {
    /** Read by generated code at each poll once polls are armed; volatile so no loop can hoist it. */
    public volatile boolean requested;

    /**
     * Ends the program; idempotent. Threads running its modules' code stop at their next poll; a
     * single-threaded WASI command has none (see above).
     */
    public void request() {
        requested = true;
        Polls.arm();
    }

    /** Throws {@link ProgramTerminated} if polls are armed and {@code termination} was requested. */
    public static void poll(Termination termination) {
        if (Polls.armed() && termination.requested) throw ProgramTerminated.create();
    }

    /** Thrown at a poll once the program has ended; the thread that runs a program's thread ignores it. */
    public static final class ProgramTerminated extends RuntimeException {
        private ProgramTerminated() {
            super("program terminated", null, false, false);
        }

        /**
         * A new one, typed so that the verifier of {@link #poll}, which every program links, need
         * not load this class to check what is thrown: a {@code throw new} there loaded it from the
         * jar at every start (0.5 ms of the program's thread), though only a program whose thread is
         * stopped ever makes one.
         */
        static RuntimeException create() {
            return new ProgramTerminated();
        }
    }
}
