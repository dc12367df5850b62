package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.FrameBudget;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recursion through functions whose entries allocate heap stops at the thread's frame budget with
 * the trap a stack overflow is, on a stack that would hold far deeper recursion, and every way out
 * of a call gives its charge back.
 */
class HeapChargeTest {
    /** Far more levels than any recursion here reaches before it traps. */
    private static final int UNBOUNDED = 100_000_000;
    /** A stack on which the recursions here would go far past the budget, were it not for it. */
    private static final long LARGE_STACK = 512L << 20;
    /** The i64 locals of {@code $wide} past its slotted ones, 64,000 bytes of value array per call. */
    private static final int ARRAY_I64S = 8_000;

    /**
     * {@code $wide}: 2,047 i32 locals, which with its parameters fill the slots, then 8,000 i64
     * locals in a value array; {@code $split}: 1,100 i64 locals, 1,024 in its frame object's fields,
     * and a body too large for one method. Each counts its entries in {@code $depth}, recurses
     * {@code $n} levels and at the bottom calls the host's {@code bottom}, then throws {@code $done}
     * if {@code $throw}. {@code $loop}, with {@code $wide}'s locals, makes {@code $n} self tail calls.
     */
    private static String module() {
        StringBuilder steps = new StringBuilder();
        for (int k = 0; k < 3_000; k++) {
            int local = 2 + k % 1_000;
            steps.append("(local.set ").append(local).append(" (i64.add (i64.mul (local.get ").append(local)
                    .append(") (i64.const 31)) (i64.const ").append(k).append(")))\n");
        }
        return """
                (module
                  (import "env" "bottom" (func $bottom))
                  (tag $done)
                  (global $depth (mut i32) (i32.const 0))
                  (func $wide (export "wide") (param $n i32) (param $throw i32) (local %s) (local %s)
                    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
                    (local.set 2100 (i64.extend_i32_u (local.get $n)))
                    (if (i32.eqz (local.get $n)) (then
                      (call $bottom)
                      (if (local.get $throw) (then (throw $done)))
                      (return)))
                    (call $wide (i32.sub (local.get $n) (i32.const 1)) (local.get $throw)))
                  (func $split (export "split") (param $n i32) (param $throw i32) (result i64) (local %s)
                    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
                    (local.set 1050 (i64.extend_i32_u (local.get $n)))
                    (if (i32.eqz (local.get $n)) (then
                      (call $bottom)
                      (if (local.get $throw) (then (throw $done)))
                      (return (i64.const 0))))
                    (local.set 2 (call $split (i32.sub (local.get $n) (i32.const 1)) (local.get $throw)))
                    %s
                    (i64.add (local.get 2) (local.get 1050)))
                  (func $loop (export "loop") (param $n i32) (local %s) (local %s)
                    (local.set 2100 (i64.extend_i32_u (local.get $n)))
                    (if (local.get $n) (then (return_call $loop (i32.sub (local.get $n) (i32.const 1))))))
                  (func (export "catching") (param $n i32) (result i32)
                    (block $caught
                      (try_table (catch $done $caught) (call $wide (local.get $n) (i32.const 1)))
                      (return (i32.const 0)))
                    (i32.const 1))
                  (func (export "depth") (result i32) (global.get $depth))
                  (func (export "reset") (global.set $depth (i32.const 0))))
                """.formatted(" i32".repeat(2_047), " i64".repeat(ARRAY_I64S), " i64".repeat(1_100), steps,
                        " i32".repeat(2_047), " i64".repeat(ARRAY_I64S));
    }

    private static final CompiledModule COMPILED = WasmCompiler.compile(Wat.toBinary(module()));

    private static Instance instance(Runnable bottom) {
        return COMPILED.instantiate(new Imports().add("env", "bottom", args -> {
            bottom.run();
            return null;
        }));
    }

    /** The bytes the calling thread's frames hold. */
    private static int held() {
        return FrameBudget.charge(0).held;
    }

    /** Runs {@code body} on a new thread with a stack of {@code stack} bytes and rethrows what it threw. */
    private static void onStack(long stack, ThrowingRunnable body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep", stack);
        t.start();
        t.join();
        if (failure.get() != null) throw failure.get();
    }

    private interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /** The levels a recursion through {@code name} reached before it trapped "call stack exhausted". */
    private static int levelsToExhaustion(Instance instance, String name) {
        instance.function("reset").call();
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function(name).call(UNBOUNDED, 0));
        assertEquals("call stack exhausted", trap.getMessage());
        return (int) instance.function("depth").call()[0];
    }

    @Test
    void recursionThroughAWideFunctionStopsAtTheBudgetAndGivesItBack() throws Throwable {
        onStack(LARGE_STACK, () -> {
            Instance instance = instance(() -> { });
            int levels = levelsToExhaustion(instance, "wide");
            // At least the i64 array per level, and no more than its header and the i32 one besides.
            assertTrue(levels <= FrameBudget.BYTES / (ARRAY_I64S * 8), "levels " + levels);
            assertTrue(levels >= FrameBudget.BYTES / (ARRAY_I64S * 8 + 64), "levels " + levels);
            assertEquals(0, held());
            assertEquals(levels, levelsToExhaustion(instance, "wide"), "the budget is whole after a trap");
        });
    }

    @Test
    void recursionThroughASplitFunctionStopsAtTheBudgetAndGivesItBack() throws Throwable {
        assertTrue(COMPILED.classFiles().keySet().stream().anyMatch(c -> c.contains("$Frame")),
                "a split function: " + COMPILED.classFiles().keySet());
        onStack(LARGE_STACK, () -> {
            Instance instance = instance(() -> { });
            int levels = levelsToExhaustion(instance, "split");
            // At least the frame's 1,024 long fields per level, at most twice that.
            assertTrue(levels <= FrameBudget.BYTES / (1_024 * 8), "levels " + levels);
            assertTrue(levels >= FrameBudget.BYTES / (2 * 1_024 * 8), "levels " + levels);
            assertEquals(0, held());
            assertEquals(levels, levelsToExhaustion(instance, "split"), "the budget is whole after a trap");
        });
    }

    @Test
    void aStackOverflowBeforeTheBudgetGivesBackWhatWasCharged() throws Throwable {
        onStack(1L << 20, () -> {
            Instance instance = instance(() -> { });
            int levels = levelsToExhaustion(instance, "wide");
            assertTrue(levels < FrameBudget.BYTES / (ARRAY_I64S * 8), "the stack overflowed first: " + levels);
            assertEquals(0, held());
        });
    }

    @Test
    void returnsAndExceptionsCaughtByAnOuterTryTableGiveTheChargeBack() throws Throwable {
        onStack(LARGE_STACK, () -> {
            Instance instance = instance(() -> { });
            // 500 levels hold half the budget: a call that leaked its charge would trap the third.
            for (int i = 0; i < 100; i++) {
                instance.function("wide").call(500, 0);
                assertEquals(1, instance.function("catching").call(500)[0]);
                instance.function("split").call(3_000, 0);
            }
            assertEquals(0, held());
        });
    }

    /** A self tail call jumps back past the charge: 10,000 iterations hold one entry's charge, not 10,000. */
    @Test
    void aSelfTailCallIsChargedOnce() {
        Instance instance = instance(() -> { });
        instance.function("loop").call(10_000);
        assertEquals(0, held());
    }

    /**
     * Two threads, each with an instance of the module, hold 600 levels of {@code $wide} at once,
     * 1.1 budgets together: the budget is each thread's own.
     */
    @Test
    void eachThreadHasABudgetOfItsOwn() throws Throwable {
        CyclicBarrier bothAtTheBottom = new CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(null, () -> {
                try {
                    Instance instance = instance(() -> {
                        try {
                            bothAtTheBottom.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    instance.function("wide").call(600, 0);
                    assertEquals(0, held());
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "wide-" + t, LARGE_STACK));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertEquals(List.of(), failures);
    }
}
