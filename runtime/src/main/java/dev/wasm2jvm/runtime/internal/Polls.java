package dev.wasm2jvm.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * The switch that every termination poll of generated code (every module's but a
 * single-threaded WASI command's) reads before its program's flag: a call site whose target is {@link #DISARMED} until
 * some program in this JVM ends ({@link dev.wasm2jvm.runtime.Termination} says why a call site's
 * target, what each poll costs, and which modules poll).
 * A poll compares {@code SITE.getTarget()} with {@code DISARMED} in the generated method itself and
 * calls {@code Termination.poll} only when they differ.
 */
public final class Polls {
    private Polls() {}

    /**
     * The target while no program in this JVM has ended. Neither target is ever invoked, only
     * compared by identity, so they are constants of the type cheapest to make: a reference type's,
     * whose bound handle's class the JVM's start has loaded already, where a {@code boolean}
     * constant loads three classes more and builds its form ({@code LambdaForm.constantForm},
     * {@code BoundMethodHandle.bindSingleI}). Making both and the call site took 0.11 ms at a
     * program's start, against 0.60 ms for {@code boolean} constants; wall time in a fresh JVM
     * started as a compiled jar is, with its {@code Add-Exports} attribute and its first memory
     * segment made, medians of 9 runs.
     */
    public static final MethodHandle DISARMED = MethodHandles.constant(Object.class, Boolean.FALSE);
    private static final MethodHandle ARMED = MethodHandles.constant(Object.class, Boolean.TRUE);
    /** Read at every poll; C2 folds its target into a constant with a dependency on it. */
    public static final MutableCallSite SITE = new MutableCallSite(DISARMED);

    /** Makes every poll read its program's flag from now on, before any thread that was told to stop looks. */
    public static void arm() {
        synchronized (SITE) {
            if (SITE.getTarget() == ARMED) return;
            SITE.setTarget(ARMED);
            MutableCallSite.syncAll(new MutableCallSite[] {SITE});
        }
    }

    /** Whether some program in this JVM has ended, so polls read their flags. */
    public static boolean armed() {
        return SITE.getTarget() != DISARMED;
    }
}
