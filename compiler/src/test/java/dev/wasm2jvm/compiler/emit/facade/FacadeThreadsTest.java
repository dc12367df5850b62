package dev.wasm2jvm.compiler.emit.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance runs on one thread at a time, on {@code stack.wat}: a module that keeps each call's
 * value on a shadow stack addressed by a mutable global, as C programs do, so that two calls at
 * once would share the stack. Host functions that take the caller reach it from the start function
 * on, and may call back in.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FacadeThreadsTest {
    private static final CompiledModule STACK = WasmCompiler.compile(TestModules.resource("facade/stack.wasm"), "threads.Stack");

    /** What {@code env.pause} does with the value of the call it is in; nothing by default. */
    private IntUnaryOperator pause = value -> 0;
    private final List<String> greetings = new ArrayList<>();
    private final List<Instance> greeted = new ArrayList<>();

    private Instance instantiate() {
        return STACK.instantiate(imports());
    }

    private Imports imports() {
        return new Imports()
                .add("env", "pause", (HostFunction) args -> {
                    pause.applyAsInt((Integer) args[0]);
                    return null;
                })
                .add("env", "greet", (caller, args) -> {
                    greetings.add(caller.memory("memory").readString((Integer) args[0], (Integer) args[1]));
                    greeted.add(caller);
                    return null;
                });
    }

    /** The generated typed method {@code int keep(int value)} of {@code instance}. */
    private static int keep(Instance instance, int value) throws Throwable {
        MethodHandle keep = MethodHandles.publicLookup().findVirtual(instance.getClass(), "keep",
                MethodType.methodType(int.class, int.class));
        return (int) keep.invoke(instance, value);
    }

    private static int depth(Instance instance) {
        return (int) instance.function("depth").call()[0];
    }

    @Test
    void aCallFromASecondThreadIsRefusedWhileTheFirstRunsAndTheFirstIsUnharmed() throws Throwable {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        pause = value -> {
            if (value == 1) {
                paused.countDown();
                await(resume);
            }
            return 0;
        };
        Instance instance = instantiate();
        AtomicReference<Object> first = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().name("runner-1").start(() -> {
            try {
                first.set(keep(instance, 1));
            } catch (Throwable t) {
                first.set(t);
            }
        });
        assertTrue(paused.await(10, TimeUnit.SECONDS));

        IllegalStateException typed = assertThrows(IllegalStateException.class, () -> keep(instance, 2));
        assertEquals("instance of threads.Stack is running on thread \"runner-1\": an instance runs wasm code on one"
                + " thread at a time (its globals, such as a C program's stack pointer, belong to the running call);"
                + " give each thread its own instance, sharing a memory if they must share data"
                + " (see dev.wasm2jvm.runtime.Instance)", typed.getMessage());
        IllegalStateException untyped = assertThrows(IllegalStateException.class, () -> instance.function("keep").call(2));
        assertEquals(typed.getMessage(), untyped.getMessage());

        resume.countDown();
        runner.join();
        assertEquals(1, first.get(), "the running call kept its value");
        assertEquals(0, depth(instance));
        assertEquals(3, keep(instance, 3), "once the call has returned, another thread may call");
        assertEquals(0, depth(instance));
    }

    @Test
    void theRunningThreadMayCallBackIntoTheInstance() throws Throwable {
        AtomicReference<Instance> self = new AtomicReference<>();
        List<Integer> nested = new ArrayList<>();
        pause = value -> {
            if (value == 5) nested.add((int) self.get().function("keep").call(6)[0]);
            return 0;
        };
        Instance instance = instantiate();
        self.set(instance);
        assertEquals(5, keep(instance, 5));
        assertEquals(List.of(6), nested);
        assertEquals(0, depth(instance));
        Thread other = Thread.ofPlatform().start(() -> assertEquals(7, (int) instance.function("keep").call(7)[0]));
        other.join();
    }

    @Test
    void aTrapEndsTheCallAndFreesTheInstanceForOtherThreads() throws Throwable {
        Instance instance = instantiate();
        assertThrows(WasmTrap.class, () -> instance.function("fail").call());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                result.set(keep(instance, 8));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        other.join();
        assertEquals(8, result.get());
    }

    @Test
    void oneInstancePerThreadRunsConcurrently() throws Throwable {
        int threads = 4;
        CountDownLatch together = new CountDownLatch(threads);
        // Every call waits, inside wasm code, until all threads are inside theirs.
        pause = value -> {
            together.countDown();
            await(together);
            return 0;
        };
        ThreadLocal<Instance> perThread = ThreadLocal.withInitial(this::instantiate);
        ConcurrentHashMap<Integer, Object> results = new ConcurrentHashMap<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int value = 100 + t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    results.put(value, keep(perThread.get(), value));
                } catch (Throwable e) {
                    results.put(value, e);
                }
            }));
        }
        for (Thread t : started) t.join();
        for (int t = 0; t < threads; t++) assertEquals(100 + t, results.get(100 + t));
    }

    @Test
    void aHostFunctionTakingTheCallerReachesItsMemoryFromTheStartFunctionAndInitialize() {
        Imports imports = imports();
        Instance instance = STACK.instantiate(imports);
        assertEquals(List.of("started"), greetings);
        assertSame(instance, greeted.get(0));
        Instance another = STACK.instantiate(imports);
        assertEquals(List.of("started", "started"), greetings);
        assertSame(another, greeted.get(1), "bound to each instance made with the imports");
        another.function("_initialize").call();
        assertEquals(List.of("started", "started", "initialized"), greetings);
        assertSame(another, greeted.get(2));
    }

    @Test
    void aTypedHostLearnsTheInstanceInBindAndUsesItsMemoryFromTheStartFunctionAndInitialize() throws Throwable {
        Class<?> stack = instantiate().getClass();
        Class<?> imports = stack.getClassLoader().loadClass(stack.getName() + "$Imports");
        AtomicReference<Instance> bound = new AtomicReference<>();
        List<String> greeted = new ArrayList<>();
        Object host = Proxy.newProxyInstance(stack.getClassLoader(), new Class<?>[] {imports}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "bind" -> bound.set((Instance) args[0]);
                case "env_greet" -> greeted.add(bound.get().memory("memory").readString((int) args[0], (int) args[1]));
                default -> { }
            }
            return null;
        });
        Object instance = stack.getMethod("instantiate", imports).invoke(null, host);
        assertSame(instance, bound.get());
        assertEquals(List.of("started", "initialized"), greeted);
    }

    /**
     * Why the rule: on a C library, two calls held open at once through the unchecked
     * {@code FuncRef.handle()} share the stack pointer global. The first to return sets it back above
     * the second's frame, and the next call's frame lands on it: the second call then finds its
     * function pointer zeroed, the cryptic trap users saw. The same calls through the generated
     * method are refused at once.
     */
    @Test
    void onACLibraryTwoCallsAtOnceCorruptEachOthersStackUnlessRefused() throws Throwable {
        CompiledModule worker = WasmCompiler.compile(TestModules.resource("threads-c/worker.wasm"), "threads.Worker");
        ConcurrentHashMap<Integer, CountDownLatch> paused = new ConcurrentHashMap<>();
        ConcurrentHashMap<Integer, CountDownLatch> resume = new ConcurrentHashMap<>();
        for (int n : new int[] {1, 2}) {
            paused.put(n, new CountDownLatch(1));
            resume.put(n, new CountDownLatch(1));
        }
        Imports imports = new Imports().add("env", "pause", (HostFunction) args -> {
            int n = (Integer) args[0];
            paused.get(n).countDown();
            await(resume.get(n));
            return null;
        });
        Instance instance = worker.instantiate(imports);
        MethodHandle unchecked = instance.function("work").handle();
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread a = Thread.ofPlatform().start(() -> first.set(callUnchecked(unchecked, 2)));
        assertTrue(paused.get(2).await(10, TimeUnit.SECONDS));
        Thread b = Thread.ofPlatform().start(() -> second.set(callUnchecked(unchecked, 1)));
        assertTrue(paused.get(1).await(10, TimeUnit.SECONDS));
        resume.get(2).countDown();
        a.join();
        assertEquals(squares(2), first.get());
        instance.function("scribble").handle().invoke();
        resume.get(1).countDown();
        b.join();
        assertTrue(second.get() instanceof WasmTrap trap && trap.getMessage().equals("uninitialized element 0"),
                String.valueOf(second.get()));

        Instance checked = worker.instantiate(imports);
        for (int n : new int[] {1, 2}) {
            paused.put(n, new CountDownLatch(1));
            resume.put(n, new CountDownLatch(1));
        }
        MethodHandle work = MethodHandles.publicLookup().findVirtual(checked.getClass(), "work",
                MethodType.methodType(int.class, int.class));
        Thread c = Thread.ofPlatform().start(() -> first.set(callUnchecked(work.bindTo(checked), 2)));
        assertTrue(paused.get(2).await(10, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> work.invoke(checked, 1));
        resume.get(2).countDown();
        c.join();
        assertEquals(squares(2), first.get());
        resume.get(1).countDown();
        assertEquals(-(16 * 1 + 120), (int) work.invoke(checked, 1), "the sum of -(1 + i)");
    }

    /** The sum of (n + i)^2 for i in 0..15, which {@code work(n)} returns for even n. */
    private static int squares(int n) {
        int sum = 0;
        for (int i = 0; i < 16; i++) sum += (n + i) * (n + i);
        return sum;
    }

    /** Invokes {@code work}, a handle of type {@code (int)int}; returns the result or what it threw. */
    private static Object callUnchecked(MethodHandle work, int n) {
        try {
            return (int) work.invoke(n);
        } catch (Throwable t) {
            return WasmTrap.translate(t);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
