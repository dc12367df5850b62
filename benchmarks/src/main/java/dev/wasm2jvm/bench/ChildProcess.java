package dev.wasm2jvm.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs an external program to completion, or kills it when it overruns its time limit. */
final class ChildProcess {
    private ChildProcess() {}

    /** Starts {@code builder}, waits for it and returns its exit status. */
    static int run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        return run(builder, timeout, process -> { });
    }

    /** As {@link #run(ProcessBuilder, Duration)}, handing the process to {@code started} once it runs. */
    static int run(ProcessBuilder builder, Duration timeout, Consumer<Process> started)
            throws IOException, InterruptedException {
        Process process = builder.start();
        try {
            started.accept(process);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(builder.command().getFirst() + " ran longer than " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }
}
