package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpectationTest {
    @TempDir
    Path dir;

    private Workload workload(String stdout) throws IOException {
        Path expected = Files.writeString(dir.resolve("x.stdout.expected"), stdout);
        return new Workload("g", "x", dir.resolve("x.wasm"), dir, expected, null, null);
    }

    private static Run run(int exitCode, String stdout) {
        return new Run(1, 2, exitCode, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    @Test
    void matchingOutputPassesWhateverTheFinalNewline() throws IOException {
        assertNull(Expectation.failure(workload("a\nb\n"), run(0, "a\nb")));
    }

    @Test
    void aNonZeroExitFails() throws IOException {
        assertEquals("exit status 3", Expectation.failure(workload(""), run(3, "")));
    }

    @Test
    void theFirstDifferingLineIsReported() throws IOException {
        assertEquals("stdout line 2: expected \"b\", got \"c\"", Expectation.failure(workload("a\nb\n"), run(0, "a\nc\n")));
    }

    @Test
    void missingLinesAreReported() throws IOException {
        assertEquals("stdout line 2: expected \"b\", got \"<end>\"", Expectation.failure(workload("a\nb\n"), run(0, "a\n")));
    }

    @Test
    void withoutAnExpectedFileEveryEngineMustPrintWhatTheFirstPrinted() {
        Expectation.Reference reference = new Expectation.Reference();
        assertNull(reference.failure("node", run(0, "a\nb\n")));
        assertNull(reference.failure("wasm2jvm", run(0, "a\nb")));
        assertEquals("stdout differs from node's: line 2: expected \"b\", got \"c\"",
                reference.failure("native", run(0, "a\nc\n")));
    }
}
