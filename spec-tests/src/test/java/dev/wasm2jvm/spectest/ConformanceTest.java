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
 * Runs the conformance corpus through wasm2jvm: one test per script of the spec test suites and one
 * per program of the WASI test suite (preview1 and wasi-threads), each failing when it has a failure
 * that {@code exclusions.tsv} does not cover, then a summary. See {@link ScriptReport} for
 * what is counted and {@link ConformanceLog} for what is written.
 */
class ConformanceTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    /** Shorter than the script's limit, so that a hung thread is reported by its wait. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);
    /** The reference runner's limit per WASI test program is 5 s; this leaves room for a loaded machine. */
    private static final Duration WASI_TIMEOUT = Duration.ofSeconds(60);
    /** The suites of {@code <shared>/wasi-testsuite}, in the table's order. */
    private static final List<String> WASI_SUITES = List.of("wasi-testsuite/c", "wasi-testsuite/rust",
            "wasi-testsuite/assemblyscript", "wasi-testsuite/wasi-threads");

    /**
     * Whether a missing corpus fails the run rather than skipping it: in CI (which sets {@code CI=true})
     * or with {@code -Dwasm2jvm.corpus.required=true}, so that a misplaced corpus cannot pass as green.
     */
    private static boolean corpusRequired() {
        return "true".equals(System.getenv("CI")) || Boolean.getBoolean("wasm2jvm.corpus.required");
    }

    private static void requireCorpus(Path directory) {
        if (Files.isDirectory(directory)) return;
        String message = "no conformance corpus at " + directory + " (set -Dwasm2jvm.shared)";
        if (corpusRequired()) fail(message);
        Assumptions.abort(message);
    }

    @TestFactory
    List<DynamicTest> conformance() throws IOException {
        Path root = Corpus.root();
        requireCorpus(root);
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
                            .map(f -> f.format(script)).collect(Collectors.joining("\n")));
                }
            }));
        }
        Path wasiTestsuite = root.resolveSibling("wasi-testsuite");
        List<Script> wasiScripts = new ArrayList<>();
        if (corpusRequired() || Files.isDirectory(wasiTestsuite)) {
            requireCorpus(wasiTestsuite);
            WasiTestRunner runner = new WasiTestRunner(WASI_TIMEOUT);
            for (String suite : WASI_SUITES) {
                for (WasiTest test : WasiTest.load(wasiTestsuite, suite)) {
                    Script script = new Script(suite, test.name(), test.module());
                    if (!Corpus.selected(List.of(script)).isEmpty()) {
                        wasiScripts.add(script);
                        tests.add(dynamicTest(test.id(), () -> check(runner, test, script, exclusions, log)));
                    }
                }
            }
        }
        List<Script> all = new ArrayList<>(scripts);
        all.addAll(wasiScripts);
        tests.add(dynamicTest("summary", () -> log.summarise(exclusions.stale(all))));
        return tests;
    }

    /** Runs one WASI test program; it counts as one assertion, failed with every problem of the run. */
    private static void check(WasiTestRunner runner, WasiTest test, Script script, Exclusions exclusions, ConformanceLog log)
            throws Exception {
        List<String> problems = runner.run(test);
        List<Failure> failures = problems.isEmpty() ? List.of()
                : List.of(new Failure(0, "run", test.name() + ".wasm", String.join("; ", problems)));
        ScriptResult result = new ScriptResult(script, problems.isEmpty() ? 1 : 0, problems.isEmpty() ? 0 : 1, 0, failures,
                List.of());
        List<Failure> unexcluded = exclusions.unexcluded(result);
        log.record(result, unexcluded.size());
        if (!unexcluded.isEmpty()) fail(test.id() + ": " + unexcluded.get(0).detail());
    }
}
