package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Runs the conformance corpus through wasm2jvm: one test per script, failing when the script has a
 * failure that {@code exclusions.tsv} does not cover, then a summary. See {@link ScriptReport} for
 * what is counted and {@link ConformanceLog} for what is written.
 */
class ConformanceTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    /** Shorter than the script's limit, so that a hung thread is reported by its wait. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);

    @TestFactory
    List<DynamicTest> conformance() throws IOException {
        Path root = Corpus.root();
        Assumptions.assumeTrue(Files.isDirectory(root), "no conformance corpus at " + root + " (set -Dwasm2jvm.shared)");
        List<Script> scripts = Corpus.selected(Corpus.scripts(root));
        Exclusions exclusions;
        try (InputStream tsv = ConformanceTest.class.getResourceAsStream("/exclusions.tsv")) {
            exclusions = Exclusions.load(tsv);
        }
        ConformanceLog log = new ConformanceLog(Path.of(System.getProperty("basedir", ".")).resolve("target"), System.out);
        ScriptExecution execution = new ScriptExecution(Engine.WASM2JVM, Spectest::exports, SCRIPT_TIMEOUT, JOIN_TIMEOUT);

        List<DynamicTest> tests = new ArrayList<>();
        for (Script script : scripts) {
            tests.add(dynamicTest(script.id(), () -> {
                ScriptResult result = execution.run(script);
                List<Failure> unexcluded = exclusions.unexcluded(result);
                log.record(result, unexcluded.size());
                if (!unexcluded.isEmpty()) {
                    fail(script.id() + ": " + unexcluded.size() + " failures not excluded:\n" + unexcluded.stream()
                            .map(f -> f.format(script.id())).collect(Collectors.joining("\n")));
                }
            }));
        }
        tests.add(dynamicTest("summary", () -> log.summarise(exclusions.stale(scripts))));
        return tests;
    }
}
