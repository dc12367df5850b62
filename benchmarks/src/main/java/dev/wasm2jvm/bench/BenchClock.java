package dev.wasm2jvm.bench;

/** The host side of the {@code bench.start} / {@code bench.end} imports for in-process engines. */
final class BenchClock {
    private long started = -1;
    private long ended = -1;

    void start() {
        started = System.nanoTime();
    }

    void end() {
        ended = System.nanoTime();
    }

    /** The length of the timed region; the program must have called both imports, in order. */
    long timedNanos() {
        if (started < 0 || ended < started) {
            throw new IllegalStateException("the program did not call bench.start and then bench.end");
        }
        return ended - started;
    }
}
