package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.WasmTrap;

/**
 * The heap that the running wasm calls of one thread hold in frames: a wasm function whose locals
 * do not all live in JVM slots allocates at every entry (a split function its frame object, a
 * function past the slotted locals, or with a deep operand stack, its value arrays), and that
 * garbage stays reachable until the call returns. A guest recursing through such a function would
 * otherwise hold heap until the JVM stack overflowed: the spec's {@code skip-stack-guard-page}
 * recursion through 1,056 {@code i64} locals held 3 to 6 GB on a 16 MiB stack (C2's frame of the
 * method is small, the 16 KB of frame object and arrays are not), enough to throw
 * {@code OutOfMemoryError} in every thread of the host. A native engine stops there at its stack
 * limit, so past {@link #BYTES} an entry traps with the trap a {@code StackOverflowError} becomes,
 * {@code "call stack exhausted"}.
 *
 * <p>The budget is 64 MiB per thread, the stack each thread of a program gets
 * ({@code WasiThreads.STACK_SIZE}, the main thread's and the spawned ones'): a guest may hold as
 * much heap in frames as it may hold stack. No program measured
 * (rust-html-rewriter, pulldown-cmark, rust-json, Sightglass {@code sqlite3}) nor any test of the
 * spec and WASI suites reaches it, and the levels it allows (4,096 of the spec test's 16 KB entry,
 * 524,288 of a 128-byte one) are as deep as recursion on such a stack goes. It is per thread
 * because a module runs on several threads at once (an instance per thread, wasi-threads), each
 * recursing on its own stack, and a thread's budget needs no synchronization.
 *
 * <p>The protocol of generated code: the prologue calls {@link #charge} with what the entry
 * allocates (in bytes as HotSpot lays objects out, roughly) and keeps the holder it returns in a
 * local; every return subtracts the same amount from {@link #held}, and a handler over the body
 * subtracts it and rethrows whatever passes (a trap, a wasm exception an outer {@code try_table}
 * catches, {@code proc_exit}'s exit, a {@code StackOverflowError}). The release is field arithmetic
 * only, no call, so releasing cannot itself overflow the stack; the charge is a call before the
 * handler's range, so a call that overflows there has charged nothing.
 */
public final class FrameBudget {
    /** The bytes of frames a thread's wasm calls may hold at once. */
    public static final int BYTES = 64 << 20;
    /**
     * Each thread's budget, made at its first charge. Not {@code ThreadLocal.withInitial} with a
     * method reference: its class's initialization then linked a lambda, 1.6 ms of CPU at a
     * program's start (async-profiler, rust-html-rewriter, 3 runs).
     */
    private static final ThreadLocal<FrameBudget> THREADS = new ThreadLocal<>();

    /** The bytes the frames of this thread's running wasm calls hold; generated code subtracts from it. */
    public int held;

    private FrameBudget() {}

    /**
     * Charges {@code bytes} to the calling thread's budget and returns its holder, or throws the
     * trap {@code "call stack exhausted"} if they would take it past {@link #BYTES}.
     */
    public static FrameBudget charge(int bytes) {
        FrameBudget budget = THREADS.get();
        if (budget == null) {
            budget = new FrameBudget();
            THREADS.set(budget);
        }
        long after = (long) budget.held + bytes;
        if (after > BYTES) throw new WasmTrap("call stack exhausted");
        budget.held = (int) after;
        return budget;
    }
}
