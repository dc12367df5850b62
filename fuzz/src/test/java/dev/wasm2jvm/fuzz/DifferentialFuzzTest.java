package dev.wasm2jvm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The short deterministic runs of the differential campaign (fixed seeds), on both JVM tiers; the
 * long run is {@code fuzz/run.sh}. Fails on any disagreement with node, printing each module's line.
 */
class DifferentialFuzzTest {
    /** A run's figures, and its lines for the failure message. */
    private record Run(Campaign.Report report, String details) {}

    /**
     * Seeds 2 to 17 (seed 1 makes a module that runs for minutes), with a 5 s time limit: about
     * 40 s on two idle cores, the forked forced-C2 JVM included.
     */
    @Test
    void fixedSeedsAgreeWithNodeOnBothTiers() throws Exception {
        Run run = run(2, 16, false, "fuzz-failures");
        // Filtered artefacts are rare; most modules must be compared to the end on every tier.
        assertTrue(run.report().agreed >= 12, run.details());
    }

    /**
     * The SIMD modules of seeds 2 to 9 (about 20 s): each agrees to the end on every tier, and
     * most of them log vectors (7 of the 8, 250 vectors), so that lanes are compared bit for bit
     * and not only what the vector code stores or turns into scalars.
     */
    @Test
    void fixedSimdSeedsAgreeWithNodeOnBothTiers() throws Exception {
        Run run = run(2, 8, true, "fuzz-failures-simd");
        assertEquals(8, run.report().agreed, run.details());
        assertTrue(run.report().loggingV128 >= 6, run.details());
    }

    private static Run run(long seed, int modules, boolean simd, String failuresName) throws IOException {
        Path directory = Path.of("").toAbsolutePath();
        Path failures = directory.resolve("target").resolve(failuresName);
        if (Files.exists(failures)) {
            // What an earlier run left there would be taken for this run's.
            try (Stream<Path> old = Files.walk(failures)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Campaign.Options options = new Campaign.Options(seed, modules, simd, true, 5, directory,
                directory.resolve("target/fuzz-work"), failures);
        Campaign.Report report = Campaign.run(options, new PrintStream(lines, true, StandardCharsets.UTF_8));
        String details = report + "\n" + lines.toString(StandardCharsets.UTF_8);
        assertEquals(0, report.generatorFailures, details);
        assertEquals(modules, report.modules, details);
        assertTrue(report.disagreements.isEmpty(), details);
        return new Run(report, details);
    }
}
