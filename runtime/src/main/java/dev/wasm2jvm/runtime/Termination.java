package dev.wasm2jvm.runtime;

/**
 * Whether the program an instance belongs to has ended. All instances made from one {@link Imports}
 * (the threads of a wasi-threads program) share one. When any thread exits or traps, the program
 * ends: {@link #request} sets the flag, which generated code polls at every function entry and loop
 * header, so every other thread stops at its next poll by throwing {@link ProgramTerminated}.
 */
public final class Termination {
    /** Read by generated code at each poll; volatile so no loop can hoist it. */
    public volatile boolean requested;

    /** Ends the program; idempotent. */
    public void request() {
        requested = true;
    }

    /** Thrown at a poll once the program has ended; the thread that runs a program's thread ignores it. */
    public static final class ProgramTerminated extends RuntimeException {
        ProgramTerminated() {
            super("program terminated", null, false, false);
        }
    }

    /** The slow path of a poll: called by generated code when {@link #requested} is set. */
    public static void stop() {
        throw new ProgramTerminated();
    }
}
