package dev.wasm2jvm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The short deterministic run of {@link MutatedModuleFuzzer}; the long one is {@code fuzz/run.sh mutants}. */
class MutatedModuleFuzzTest {
    private static final int MUTANTS = 30_000;

    @Test
    void mutatedSpecModulesAreRejectedOrVerify() throws Exception {
        Path testsuite = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "wasm-testsuite");
        List<Path> corpus = MutatedModuleFuzzer.corpus(testsuite);
        assertTrue(corpus.size() > 1000, "the spec suites' modules under " + testsuite + " (set -Dwasm2jvm.shared)");
        MutatedModuleFuzzer.Report report = MutatedModuleFuzzer.run(corpus, 1, MUTANTS);
        assertTrue(report.violations.isEmpty(), String.join("\n", report.violations) + "\n" + report);
        assertEquals(MUTANTS, report.outcomes.values().stream().mapToInt(Integer::intValue).sum(), report.toString());
        // Both ways out are taken: most edits are rejected, some still make a valid module.
        assertTrue(report.outcomes.getOrDefault("compiled", 0) > MUTANTS / 100, report.toString());
        assertTrue(report.outcomes.getOrDefault("rejected malformed", 0) > MUTANTS / 2, report.toString());
    }
}
