package dev.wasm2jvm.spectest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One program of the WASI test suite and its spec ({@code <name>.json} beside it, defaults when
 * absent): the arguments after the program name, the directories to preopen (relative to the test's
 * folder, under the same guest name), the whole environment, the expected exit code, and the
 * expected start of stdout when given.
 *
 * @param suite the conformance table's suite, e.g. {@code wasi-testsuite/rust}
 */
record WasiTest(String suite, String name, Path module, List<String> args, List<String> dirs,
                Map<String, String> env, int exitCode, String stdout) {

    /** The suites of {@code <shared>/wasi-testsuite} and where their programs are. */
    static final Map<String, String> SUITES = Map.of(
            "wasi-testsuite/c", "tests/c/testsuite/wasm32-wasip1",
            "wasi-testsuite/rust", "tests/rust/testsuite/wasm32-wasip1",
            "wasi-testsuite/assemblyscript", "tests/assemblyscript/testsuite/wasm32-wasip1",
            "wasi-testsuite/wasi-threads", "tests/proposals/wasi-threads");

    String id() {
        return suite + "/" + name;
    }

    /** Every test of {@code suite}, by name. */
    static List<WasiTest> load(Path testsuite, String suite) throws IOException {
        Path folder = testsuite.resolve(SUITES.get(suite));
        List<WasiTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path module : files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList()) {
                tests.add(of(suite, module));
            }
        }
        return tests;
    }

    private static WasiTest of(String suite, Path module) throws IOException {
        String name = module.getFileName().toString().replaceFirst("\\.wasm$", "");
        Path spec = module.resolveSibling(name + ".json");
        JsonNode json = Files.exists(spec) ? new ObjectMapper().readTree(spec.toFile()) : new ObjectMapper().createObjectNode();
        List<String> args = new ArrayList<>();
        json.path("args").forEach(a -> args.add(a.asText()));
        List<String> dirs = new ArrayList<>();
        json.path("dirs").forEach(d -> dirs.add(d.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        json.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        String stdout = json.has("stdout") ? json.get("stdout").asText() : null;
        return new WasiTest(suite, name, module, args, dirs, env, json.path("exit_code").asInt(0), stdout);
    }
}
