package dev.wasm2jvm.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one workload under every engine, interleaved: round after round, each engine runs once in
 * turn, so that drift in the machine's load spreads over all engines alike. The first rounds warm up
 * (class loading, JIT compilation) and are not recorded.
 */
final class Runner {
    private final Iterable<Engine> engines;
    private final int warmup;
    private final int iterations;
    private final PrintStream log;

    Runner(Iterable<Engine> engines, int warmup, int iterations, PrintStream log) {
        this.engines = engines;
        this.warmup = warmup;
        this.iterations = iterations;
        this.log = log;
    }

    /** Each engine's measurement, by engine name. */
    Map<String, Measurement> run(Workload workload) {
        Map<String, Measurement> measurements = new LinkedHashMap<>();
        Map<Engine, Engine.Prepared> prepared = new LinkedHashMap<>();
        for (Engine engine : engines) {
            if (!engine.appliesTo(workload)) {
                measurements.put(engine.name(), Measurement.notApplicable());
                continue;
            }
            try {
                prepared.put(engine, engine.prepare(workload));
                measurements.put(engine.name(), new Measurement());
            } catch (Throwable t) {
                measurements.put(engine.name(), Measurement.notSupported(describe(t)));
                log.printf("  %-10s not supported: %s%n", engine.name(), describe(t));
            }
        }
        // Without an expected stdout, the first successful run's is what every other run must print.
        Expectation.Reference reference = new Expectation.Reference();
        int rounds = prepared.isEmpty() ? 0 : warmup + iterations;
        for (int round = 0; round < rounds; round++) {
            boolean recorded = round >= warmup;
            StringBuilder line = new StringBuilder(recorded ? "  run " + (round - warmup + 1) : "  warmup " + (round + 1));
            for (Map.Entry<Engine, Engine.Prepared> e : prepared.entrySet()) {
                Measurement m = measurements.get(e.getKey().name());
                if (m.status() != Measurement.Status.OK) {
                    continue;
                }
                line.append(", ").append(e.getKey().name()).append(' ');
                try {
                    Run run = e.getValue().run();
                    String failure = Expectation.failure(workload, run);
                    if (failure == null && workload.expectedStdout() == null) {
                        failure = reference.failure(e.getKey().name(), run);
                    }
                    if (failure != null) {
                        m.fail(failure);
                    } else if (recorded) {
                        m.record(run);
                    }
                    line.append(failure == null ? run.timedNanos() / 1_000_000 + " ms" : "failed: " + failure);
                } catch (Throwable t) {
                    m.fail(describe(t));
                    line.append("failed: ").append(describe(t));
                }
            }
            log.println(line);
        }
        return measurements;
    }

    /** The exception's first line, and its root cause's: wrappers often hide what went wrong. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? firstLine(t) : firstLine(t) + " (caused by " + firstLine(root) + ")";
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
    }
}
