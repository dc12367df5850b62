package dev.wasm2jvm.runtime.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Linux system calls on x86_64, made through libc's {@code syscall}: the one native function the
 * runtime calls there, for the linear memory's reservations and for every file-system call of the
 * WASI host. One function of one signature means the JVM links one downcall, once, when the first
 * call is made: linking costs a program's start more than a tenth of a second for the first
 * downcall of the process and some milliseconds for each further signature.
 */
public final class Syscall {
    /** Whether the host is Linux on x86_64, whose system call numbers and ABI callers encode. */
    public static final boolean AVAILABLE = available(
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT),
            System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));

    /** Whether {@link #linkInBackground} started its thread. */
    private static final AtomicBoolean LINKING = new AtomicBoolean();

    private Syscall() {}

    static boolean available(String os, String arch) {
        return os.equals("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * The system call {@code nr} with arguments {@code a} to {@code f} (0 for those it does not
     * take; a pointer as its address): what it returns, or {@code -errno}. {@code arena} holds the
     * call's {@code errno} while it is read. Only where {@link #AVAILABLE}.
     */
    public static long call(Arena arena, long nr, long a, long b, long c, long d, long e, long f) {
        MemorySegment state = arena.allocate(Native.CALL_STATE);
        long r;
        try {
            r = (long) Native.SYSCALL.invokeExact(state, nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new IllegalStateException("system call " + nr + " failed to run", t);
        }
        return r == -1 ? -state.get(JAVA_INT, Native.ERRNO) : r;
    }

    /**
     * Loads the holder of the native function, not linking it: a class loaded from a class path
     * directory needs a free descriptor, which a caller that may run out of them, such as the WASI
     * host, makes sure of while it has some.
     */
    public static void load() {
        Native.class.getName();
    }

    /**
     * Links the native function on a thread of its own, once per JVM, for a caller that knows it
     * will soon make a call and has other work to do meanwhile; a call made before the linking
     * ends waits for it.
     */
    public static void linkInBackground() {
        if (!AVAILABLE || !LINKING.compareAndSet(false, true)) return;
        Thread linker = new Thread(new Runnable() {
            @Override
            public void run() {
                Native.SYSCALL.type();
            }
        }, "wasm2jvm-link");
        linker.setDaemon(true);
        linker.start();
    }

    /** The native function, linked when first called. */
    private static final class Native {
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        /** Where {@code errno} lies in {@link #CALL_STATE}. */
        static final long ERRNO = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        /**
         * {@code long syscall(long number, ...)} given six arguments, the most any system call
         * takes; it returns -1 with {@code errno} set on failure.
         */
        static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("syscall")
                        .orElseThrow(() -> new IllegalStateException("libc has no syscall function")),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                        JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }
}
