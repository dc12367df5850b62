package dev.wasm2jvm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short deterministic run of the differential campaign (fixed seeds), on both JVM tiers; the
 * long run is {@code fuzz/run.sh}. Fails on any disagreement with node, printing each module's line.
 */
class DifferentialFuzzTest {
    /** Seeds 2 to 17 (seed 1 makes a module that runs for minutes): about 40 s on two cores, the forked forced-C2 JVM included. */
    @Test
    void fixedSeedsAgreeWithNodeOnBothTiers() throws Exception {
        Path directory = Path.of("").toAbsolutePath();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Campaign.Options options = new Campaign.Options(2, 16, true, 5, directory,
                directory.resolve("target/fuzz-work"), directory.resolve("target/fuzz-failures"));
        Campaign.Report report = Campaign.run(options, new PrintStream(lines, true, StandardCharsets.UTF_8));
        String details = lines.toString(StandardCharsets.UTF_8);
        assertEquals(0, report.generatorFailures, details);
        assertEquals(16, report.modules, details);
        assertTrue(report.disagreements.isEmpty(), report + "\n" + details);
        // Filtered artefacts are rare; most modules must be compared to the end on every tier.
        assertTrue(report.agreed >= 12, report + "\n" + details);
    }
}
