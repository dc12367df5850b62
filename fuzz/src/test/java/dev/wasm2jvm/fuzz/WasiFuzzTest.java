package dev.wasm2jvm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short deterministic run of the random WASI call sequences; the long one is {@code fuzz/run.sh wasi}. */
class WasiFuzzTest {
    @Test
    void randomCallSequencesStayInTheSandbox(@TempDir Path scratch) throws Exception {
        WasiSequenceFuzzer.Report report = WasiSequenceFuzzer.run(1, 60, 150, scratch);
        assertTrue(report.violations.isEmpty(), String.join("\n", report.violations) + "\n" + report);
        // proc_exit ends a sequence early now and then; most calls must have been made.
        assertTrue(report.calls > 60 * 150 / 2, report.toString());
        // The sequences reach past argument checking: some calls succeed, and paths get opened.
        assertTrue(report.errnos.getOrDefault("success", 0) > report.calls / 20, report.toString());
        try (var left = Files.list(scratch)) {
            assertEquals(0, left.count(), "every sequence's directory is deleted");
        }
    }
}
