package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Sightglass success rule: exit status 0 and stdout / stderr equal to the expected files, line by line. */
final class Expectation {
    private Expectation() {}

    /** Why {@code run} of {@code workload} failed, or {@code null} when it succeeded. */
    static String failure(Workload workload, Run run) throws IOException {
        if (run.exitCode() != 0) {
            return "exit status " + run.exitCode();
        }
        String out = mismatch("stdout", workload.expectedStdout(), run.stdout());
        return out != null ? out : mismatch("stderr", workload.expectedStderr(), run.stderr());
    }

    /**
     * The stdout that every engine must print for a workload without an expected file: the first
     * successful run's, whichever engine made it.
     */
    static final class Reference {
        private String engine;
        private List<String> stdout;

        /** Why {@code run} by {@code engine} differs from the reference, or {@code null}; the first run sets it. */
        String failure(String engine, Run run) {
            List<String> got = new String(run.stdout(), StandardCharsets.UTF_8).lines().toList();
            if (stdout == null) {
                this.engine = engine;
                this.stdout = got;
                return null;
            }
            String difference = firstDifference(stdout, got);
            return difference == null ? null : "stdout differs from " + this.engine + "'s: " + difference;
        }
    }

    private static String mismatch(String stream, Path expectedFile, byte[] actual) throws IOException {
        if (expectedFile == null) {
            return null;
        }
        List<String> expected = Files.readString(expectedFile, StandardCharsets.UTF_8).lines().toList();
        List<String> got = new String(actual, StandardCharsets.UTF_8).lines().toList();
        String difference = firstDifference(expected, got);
        return difference == null ? null : stream + " " + difference;
    }

    private static String firstDifference(List<String> expected, List<String> got) {
        for (int i = 0; i < Math.max(expected.size(), got.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "<end>";
            String have = i < got.size() ? got.get(i) : "<end>";
            if (!want.equals(have)) {
                return "line " + (i + 1) + ": expected \"" + want + "\", got \"" + have + "\"";
            }
        }
        return null;
    }
}
