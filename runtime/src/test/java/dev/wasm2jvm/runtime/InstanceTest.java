package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which thread runs an instance ({@link Instance#enter()} and {@link Instance#exit}): through the
 * internal {@code Unsafe} where it is exported (the runtime's tests, as compiled jars run), and
 * through a var handle where it is not (this class again in the surefire execution without the
 * export, {@code memory-access-ffm}); {@code wasm2jvm.test.memoryAccess} names the path each run
 * must be on.
 */
class InstanceTest {
    /** An instance of a module with no functions. */
    private static final class Empty extends Instance {
        Empty() {
            super(new Imports());
        }

        @Override
        protected FuncRef funcRef(int funcidx) {
            throw new IndexOutOfBoundsException(funcidx);
        }

        @Override
        protected MethodHandle functionHandle(int funcidx) {
            throw new IndexOutOfBoundsException(funcidx);
        }
    }

    /** What {@code instance.enter()} throws on another thread, or null if it enters (and then exits). */
    private static Throwable enterOnAnotherThread(Instance instance) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                instance.exit(instance.enter());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        return thrown.get();
    }

    @Test
    void runsOnThePathItsJvmWasStartedFor() {
        assertEquals(System.getProperty("wasm2jvm.test.memoryAccess"),
                Object.class.getModule().isExported("jdk.internal.misc", Instance.class.getModule()) ? "unsafe" : "ffm",
                "set wasm2jvm.test.memoryAccess to the path this JVM's exports give");
    }

    @Test
    void aNestedCallKeepsTheInstanceUntilTheOutermostEnds() throws InterruptedException {
        Instance instance = new Empty();
        Thread previous = instance.enter();
        assertNull(previous);
        Thread nested = instance.enter();
        assertSame(Thread.currentThread(), nested);
        instance.exit(nested);
        assertTrue(enterOnAnotherThread(instance) instanceof IllegalStateException,
                "the outer call still runs the instance");
        instance.exit(previous);
        assertNull(enterOnAnotherThread(instance));
        assertNull(instance.enter());
    }

    @Test
    void anotherThreadIsRefusedWithTheRunningThreadsName() throws InterruptedException {
        Instance instance = new Empty();
        Thread previous = instance.enter();
        Throwable refused = enterOnAnotherThread(instance);
        instance.exit(previous);
        assertTrue(refused instanceof IllegalStateException);
        assertTrue(refused.getMessage().contains("is running on thread \"" + Thread.currentThread().getName() + "\""),
                refused.getMessage());
    }
}
