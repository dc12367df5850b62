package dev.wasm2jvm.compiler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the validator over the spec test corpus: every binary module a script instantiates must be
 * valid, and every binary {@code assert_invalid} module must be rejected with the expected message.
 */
class ModuleValidatorCorpusTest {
    private static final Path CORPUS = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "wasm-testsuite");
    private static final List<String> SUITES = List.of("core", "core-2.0-updates", "threads/testsuite-proposal",
            "threads/threads-main", "threads/threads-legacy");
    /** Commands whose module must be valid: instantiating it fails, if at all, only after validation. */
    private static final Set<String> VALID = Set.of("module", "assert_unlinkable", "assert_uninstantiable", "assert_trap");

    /**
     * The {@code assert_invalid} commands whose expected outcome is not the one this validator must
     * give, with the outcome it does give. Most scripts were written for the text format, and the
     * conversion lost what the text expressed; the rest expect what Wasm 3.0 changed.
     */
    private static final Map<String, String> CORRECTED = Map.ofEntries(
            // "(select (result) ...)" encodes as the untyped select, which is then missing operands.
            Map.entry("core/json/select/select.json:324", "INVALID type mismatch"),
            Map.entry("core-2.0-updates/json/select/select.json:324", "INVALID type mismatch"),
            // Without data segments wast2json writes no data count section, which data.drop and
            // memory.init require in a binary module.
            Map.entry("core/json/memory_init/memory_init.json:190", "MALFORMED data count section required"),
            Map.entry("core/json/memory_init/memory_init.json:227", "MALFORMED data count section required"),
            // A 2020 copy of the threads tests from before reference types allowed several tables.
            Map.entry("threads/testsuite-proposal/json/imports/imports.json:310", "VALID"),
            Map.entry("threads/testsuite-proposal/json/imports/imports.json:314", "VALID"),
            Map.entry("threads/testsuite-proposal/json/imports/imports.json:318", "VALID"),
            // Wasm 3.0's extended constant expressions let a constant expression read the module's own
            // immutable globals (a global's initialiser, those defined before it).
            Map.entry("core/json/global/global.json:352", "VALID"),
            Map.entry("core/json/global/global.json:356", "VALID"),
            Map.entry("core/json/data/data.json:85", "VALID"),
            Map.entry("core/json/data/data.json:89", "VALID"),
            Map.entry("core/json/elem/elem.json:152", "VALID"),
            Map.entry("core/json/elem/elem.json:156", "VALID"),
            Map.entry("core-2.0-updates/json/global/global.json:352", "VALID"),
            Map.entry("core-2.0-updates/json/global/global.json:356", "VALID"),
            Map.entry("core-2.0-updates/json/data/data.json:89", "VALID"),
            Map.entry("core-2.0-updates/json/data/data.json:93", "VALID"),
            Map.entry("core-2.0-updates/json/elem/elem.json:171", "VALID"),
            Map.entry("core-2.0-updates/json/elem/elem.json:175", "VALID"),
            // ... and i32.add is constant there, so what is left is an i32 where a funcref belongs.
            Map.entry("core/json/elem/elem.json:517", "INVALID type mismatch"));

    private static final String MULTIPLE_MEMORIES = "INVALID multiple memories";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger validChecked = new AtomicInteger();
    private static final AtomicInteger invalidChecked = new AtomicInteger();
    private static final AtomicInteger failed = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (String suite : SUITES) {
            Path json = CORPUS.resolve(suite).resolve("json");
            assertTrue(Files.isDirectory(json), "corpus not found: " + json);
            try (Stream<Path> files = Files.walk(json, 2)) {
                files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(scripts::add);
            }
        }
        return scripts.stream().map(script -> DynamicTest.dynamicTest(CORPUS.relativize(script).toString(),
                () -> runScript(script)));
    }

    @AfterAll
    static void totals() {
        System.out.printf("ModuleValidatorCorpusTest: %d valid modules and %d assert_invalid modules checked, %d failed%n",
                validChecked.get(), invalidChecked.get(), failed.get());
    }

    private static void runScript(Path script) throws IOException {
        List<String> failures = new ArrayList<>();
        commands(script, JSON.readTree(script.toFile()).get("commands"), failures);
        failed.addAndGet(failures.size());
        if (!failures.isEmpty()) fail(failures.size() + " failure(s):\n" + String.join("\n", failures));
    }

    private static void commands(Path script, JsonNode commands, List<String> failures) throws IOException {
        for (JsonNode command : commands) {
            String type = command.get("type").asText();
            if (type.equals("thread")) {
                commands(script, command.get("commands"), failures);
                continue;
            }
            JsonNode filename = command.get("filename");
            if (filename == null || !filename.asText().endsWith(".wasm")) continue;
            String where = CORPUS.relativize(script) + ":" + command.get("line").asInt();
            byte[] bytes = Files.readAllBytes(script.resolveSibling(filename.asText()));
            if (VALID.contains(type)) {
                validChecked.incrementAndGet();
                try {
                    ModuleValidator.validate(ModuleDecoder.decode(bytes));
                } catch (CompileException e) {
                    failures.add(where + ": expected a valid module, got " + e.getMessage());
                }
            } else if (type.equals("assert_invalid")) {
                invalidChecked.incrementAndGet();
                String expected = CORRECTED.getOrDefault(where, "INVALID " + command.get("text").asText());
                // Wasm 3.0 (multi-memory) allows several memories, which Wasm 2.0 and threads forbade.
                if (expected.equals(MULTIPLE_MEMORIES)) expected = "VALID";
                String actual = outcome(bytes);
                if (!actual.startsWith(expected)) failures.add(where + ": expected " + expected + ", got " + actual);
            }
        }
    }

    /** How validating {@code bytes} fails, as the kind and the spec message, or {@code VALID}. */
    private static String outcome(byte[] bytes) {
        try {
            ModuleValidator.validate(ModuleDecoder.decode(bytes));
            return "VALID";
        } catch (CompileException e) {
            return e.kind() + " " + e.specMessage();
        }
    }
}
