package dev.wasm2jvm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The short deterministic run of the differential campaign (fixed seeds), on both JVM tiers; the
 * long run is {@code fuzz/run.sh}. Fails on any disagreement with node, printing each module's line.
 */
class DifferentialFuzzTest {
    /**
     * Seeds 2 to 17 (seed 1 makes a module that runs for minutes), with a 5 s time limit: about
     * 40 s on two idle cores, the forked forced-C2 JVM included.
     */
    @Test
    void fixedSeedsAgreeWithNodeOnBothTiers() throws Exception {
        Path directory = Path.of("").toAbsolutePath();
        Path failures = directory.resolve("target/fuzz-failures");
        if (Files.exists(failures)) {
            // What an earlier run left there would be taken for this run's.
            try (Stream<Path> old = Files.walk(failures)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Campaign.Options options = new Campaign.Options(2, 16, false, true, 5, directory,
                directory.resolve("target/fuzz-work"), failures);
        Campaign.Report report = Campaign.run(options, new PrintStream(lines, true, StandardCharsets.UTF_8));
        String details = lines.toString(StandardCharsets.UTF_8);
        assertEquals(0, report.generatorFailures, details);
        assertEquals(16, report.modules, details);
        assertTrue(report.disagreements.isEmpty(), report + "\n" + details);
        // Filtered artefacts are rare; most modules must be compared to the end on every tier.
        assertTrue(report.agreed >= 12, report + "\n" + details);
    }
}
