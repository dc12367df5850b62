package dev.wasm2jvm.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * Whether the program an instance belongs to has ended. All instances made from one {@link Imports}
 * (the threads of a wasi-threads program) share one. When any thread exits or traps, the program
 * ends: {@link #request} sets the flag, which generated code polls at every function entry and loop
 * header, so every other thread stops at its next poll by throwing {@link ProgramTerminated}.
 *
 * <p>A poll is a call of {@link #poll}, which invokes one mutable call site whose target does
 * nothing until the first request in this JVM: compiled code then carries no poll at all, so the JIT
 * optimises loops as if nobody could stop them (a volatile read at each loop header would keep it
 * from hoisting the memory's bounds and base out of the loop). The first request switches the
 * target, for good and for every program, to reading the flag; the JVM deoptimizes the compiled code
 * that inlined the empty target, a running loop at its next safepoint, so that loop too reaches a
 * poll that reads the flag.
 *
 * <p>The poll is a static call, not an {@code invokedynamic} per poll site: each such site links on
 * its first execution, and the JIT compiles an unlinked site as an uncommon trap, so a function whose
 * loops run one after another (a {@code main}) deoptimised its OSR compilation at each new loop.
 */
public final class Termination {
    /**
     * The type of the poll's target. It returns an {@code Object} (always null) rather than
     * nothing: the JDK has more of the method handle forms of that shape ready made, where those
     * of a {@code void} one it would spin at start. Until armed, the target is
     * {@link MethodHandles#empty}, which calls nothing even where the poll is not compiled.
     */
    private static final MethodType POLL_TYPE = MethodType.methodType(Object.class, Termination.class);
    private static final MethodHandle CHECK;
    private static final MutableCallSite POLL;
    private static final MethodHandle POLL_TARGET;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CHECK = lookup.findStatic(Termination.class, "check", POLL_TYPE);
            POLL = new MutableCallSite(MethodHandles.empty(POLL_TYPE));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        POLL_TARGET = POLL.dynamicInvoker();
    }

    /** Read by generated code at each poll once polls are armed; volatile so no loop can hoist it. */
    public volatile boolean requested;

    /** Ends the program; idempotent. */
    public void request() {
        requested = true;
        armPolls();
    }

    /** Makes every poll read its flag from now on, before any thread that was told to stop looks. */
    private static void armPolls() {
        synchronized (POLL) {
            if (POLL.getTarget() == CHECK) return;
            POLL.setTarget(CHECK);
            MutableCallSite.syncAll(new MutableCallSite[] {POLL});
        }
    }

    /** Throws {@link ProgramTerminated} if polls are armed and {@code termination} was requested. */
    public static void poll(Termination termination) {
        try {
            Object unused = (Object) POLL_TARGET.invokeExact(termination);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static Object check(Termination termination) {
        if (termination.requested) throw new ProgramTerminated();
        return null;
    }

    /** Thrown at a poll once the program has ended; the thread that runs a program's thread ignores it. */
    public static final class ProgramTerminated extends RuntimeException {
        ProgramTerminated() {
            super("program terminated", null, false, false);
        }
    }
}
