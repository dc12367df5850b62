package dev.wasm2jvm.bench;

import java.util.ArrayList;
import java.util.List;

/** The runs of one workload under one engine, or why there are none. */
final class Measurement {
    enum Status {
        /** Every run succeeded. */
        OK,
        /** The engine has nothing to run for this workload (native code for a Sightglass program). */
        NOT_APPLICABLE,
        /** The engine could not prepare the workload, e.g. its compiler rejected the module. */
        NOT_SUPPORTED,
        /** A run trapped, threw, or produced the wrong output; later rounds skip the engine. */
        FAILED
    }

    private Status status = Status.OK;
    private String message;
    private final List<Long> timedNanos = new ArrayList<>();
    private final List<Long> totalNanos = new ArrayList<>();

    static Measurement notApplicable() {
        Measurement m = new Measurement();
        m.status = Status.NOT_APPLICABLE;
        return m;
    }

    static Measurement notSupported(String message) {
        Measurement m = new Measurement();
        m.status = Status.NOT_SUPPORTED;
        m.message = message;
        return m;
    }

    void fail(String message) {
        status = Status.FAILED;
        this.message = message;
    }

    void record(Run run) {
        timedNanos.add(run.timedNanos());
        totalNanos.add(run.totalNanos());
    }

    Status status() {
        return status;
    }

    boolean ok() {
        return status == Status.OK && !timedNanos.isEmpty();
    }

    String message() {
        return message;
    }

    List<Long> timedNanos() {
        return timedNanos;
    }

    List<Long> totalNanos() {
        return totalNanos;
    }
}
