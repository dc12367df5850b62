package dev.wasm2jvm.spectest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the scripts of the conformance corpus ({@code <shared>/wasm-testsuite}). The system
 * property {@code wasm2jvm.spectest.only} narrows the run to script ids matching any of its
 * comma-separated {@link ScriptPattern}s, e.g. {@code core/i32,threads/*}.
 */
final class Corpus {
    static final List<String> SUITES = List.of(
            "core", "core-2.0-updates", "threads/testsuite-proposal", "threads/threads-main", "threads/threads-legacy");
    /** The suite of {@code .wast} scripts, which the runner reads itself; its scripts are in every folder under it. */
    static final String WAST_SUITE = "wasm-3.0";

    private Corpus() {}

    static Path root() {
        return Path.of(System.getProperty("wasm2jvm.shared", "../shared")).resolve("wasm-testsuite");
    }

    /** Every script of every suite, suites in {@link #SUITES} order then {@link #WAST_SUITE}, scripts by name. */
    static List<Script> scripts(Path root) throws IOException {
        List<Script> scripts = new ArrayList<>();
        for (String suite : SUITES) {
            try (Stream<Path> dirs = Files.list(root.resolve(suite).resolve("json"))) {
                dirs.map(dir -> new Script(suite, dir.getFileName().toString(),
                                dir.resolve(dir.getFileName() + ".json")))
                        .filter(script -> Files.isRegularFile(script.json()))
                        .sorted((a, b) -> a.name().compareTo(b.name()))
                        .forEach(scripts::add);
            }
        }
        Path wast = root.resolve(WAST_SUITE);
        try (Stream<Path> files = Files.walk(wast)) {
            files.filter(file -> file.getFileName().toString().endsWith(".wast"))
                    .map(file -> {
                        String relative = wast.relativize(file).toString().replace('\\', '/');
                        return new Script(WAST_SUITE, relative.substring(0, relative.length() - ".wast".length()), file);
                    })
                    .sorted((a, b) -> a.name().compareTo(b.name()))
                    .forEach(scripts::add);
        }
        return scripts;
    }

    /** The scripts the {@code wasm2jvm.spectest.only} property selects; all of them without it. */
    static List<Script> selected(List<Script> scripts) {
        String only = System.getProperty("wasm2jvm.spectest.only", "").strip();
        if (only.isEmpty()) return scripts;
        List<ScriptPattern> patterns = Arrays.stream(only.split(",")).map(String::strip).map(ScriptPattern::new).toList();
        return scripts.stream().filter(s -> patterns.stream().anyMatch(p -> p.matches(s))).toList();
    }
}
