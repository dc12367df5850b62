package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompileProgress;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Shows a long compilation's progress on stderr. On a terminal it redraws one line, at most five
 * times a second and only once compiling has taken a second, then erases it, so that short
 * compilations and the program's own output are left alone. As lines (the {@code --progress}
 * option, for logs) it prints one at every tenth of the work.
 */
final class ProgressPrinter implements CompileProgress {
    private static final long DELAY_NANOS = 1_000_000_000L;
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintStream err;
    private final String module;
    private final boolean lines;
    private final LongSupplier clock;
    private final long start;
    private long drawnAt;
    private int width;
    private int tenths;

    ProgressPrinter(PrintStream err, String module, boolean lines, LongSupplier clock) {
        this.err = err;
        this.module = module;
        this.lines = lines;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** The progress {@code run} and {@code compile} show while compiling {@code module}. */
    static CompileProgress of(Streams streams, String module, boolean lines) {
        if (lines) return new ProgressPrinter(streams.errPrinter(), module, true, System::nanoTime);
        if (streams.interactive()) return new ProgressPrinter(streams.errPrinter(), module, false, System::nanoTime);
        return CompileProgress.NONE;
    }

    @Override
    public void advanced(int done, int total) {
        if (lines) {
            // Functions are planned on several threads and reported by one, so a report can pass
            // more than a tenth at once: each tenth still gets its line, so that logs read the same.
            int reached = (int) (10L * done / total);
            while (tenths < reached) {
                tenths++;
                err.println("wasm2jvm: " + module + ": compiled " + 10 * tenths + "%");
            }
            return;
        }
        long now = clock.getAsLong();
        if (done == total) {
            if (width > 0) err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            return;
        }
        if (now - start < DELAY_NANOS || width > 0 && now - drawnAt < INTERVAL_NANOS) return;
        String line = "wasm2jvm: compiling " + module + ": " + 100L * done / total + "%";
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = Math.max(width, line.length());
        drawnAt = now;
    }

    /** As lines alone, for the logs of developers: the compiled classes are right either way. */
    @Override
    public void framesComputed(int funcidx, String reason) {
        if (lines) err.println("wasm2jvm: " + module + ": function " + funcidx + ": frames computed by ASM (" + reason + ")");
    }
}
