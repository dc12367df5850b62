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

    private static String mismatch(String stream, Path expectedFile, byte[] actual) throws IOException {
        if (expectedFile == null) {
            return null;
        }
        List<String> expected = Files.readString(expectedFile, StandardCharsets.UTF_8).lines().toList();
        List<String> got = new String(actual, StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < Math.max(expected.size(), got.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "<end>";
            String have = i < got.size() ? got.get(i) : "<end>";
            if (!want.equals(have)) {
                return stream + " line " + (i + 1) + ": expected \"" + want + "\", got \"" + have + "\"";
            }
        }
        return null;
    }
}
