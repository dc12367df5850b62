package dev.wasm2jvm.compiler.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.WasmCompiler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the decoder over every binary module of the spec test corpus (Wasm 2.0 core and the threads
 * proposal): modules that must decode do, and every binary {@code assert_malformed} is rejected as
 * malformed with the expected message (exactly, or a message that starts with it, as the reference
 * interpreter's messages may add detail). The decoder leaves function bodies to validation, so each
 * module goes through {@link WasmCompiler#validate}, the library's decoding and validation, and an
 * invalid module counts as decoded.
 */
class ModuleDecoderCorpusTest {
    private static final Path SUITE = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "wasm-testsuite");
    private static final List<String> SUITES = List.of("core", "core-2.0-updates", "threads/testsuite-proposal",
            "threads/threads-main", "threads/threads-legacy");

    /** Commands whose module, when binary, must decode (it may then fail validation, linking or instantiation). */
    private static final Set<String> MUST_DECODE = Set.of("module", "assert_invalid", "assert_unlinkable",
            "assert_uninstantiable", "assert_trap");

    /**
     * Core assertions on limits flags that the threads proposal overturns without a threads test of
     * the same bytes. The core suite reads the flags as a 1-bit LEB128 number, so {@code 0x02} is a
     * malformed integer there; with threads it means shared: a table then lacks its minimum (line
     * 1508, 805), and a shared memory without maximum (line 1563) is a validation error, not a
     * malformed module. Where the threads suite does test the same bytes, the conflict is found by
     * comparing the expectations.
     */
    private static final Map<String, Set<Integer>> SUPERSEDED_BY_THREADS = Map.of(
            "core/binary.json", Set.of(1508, 1563),
            "core-2.0-updates/binary.json", Set.of(805));

    /**
     * Wasm 2.0 assertions that Wasm 3.0's binary format overturns: a memory instruction's reserved
     * zero byte is now a memory index (multi-memory), and a memarg's offset is a u64 with an optional
     * memory index after its flags (memory64, multi-memory), so those bytes decode; the module is
     * then invalid (an unknown memory, an offset out of range) or valid, as the wasm-3.0 scripts
     * expect of the same encodings. Exception handling gives meaning to more bytes: section id 13 is
     * the tag section (core line 48), import kind 4 a tag import (1383, 1393 and their copies), and
     * opcode {@code 0x0A}, which a constant expression missing its {@code end} runs into,
     * {@code throw_ref} (core-2.0-updates and threads-main line 113).
     */
    private static final Map<String, Set<Integer>> SUPERSEDED_BY_WASM3 = Map.of(
            "core/binary.json", Set.of(48, 483, 540, 620, 639, 733, 752, 857, 877, 897, 916, 935, 955, 974, 993, 1011, 1029, 1383, 1393),
            "core/binary-leb128.json", Set.of(405, 462, 731, 750, 844, 863),
            "core-2.0-updates/align.json", Set.of(892, 911, 930, 949, 968),
            "core-2.0-updates/binary.json", Set.of(113, 126, 146, 166, 185, 204, 224, 243, 262, 280, 298, 680, 690),
            "core-2.0-updates/binary-leb128.json", Set.of(731, 751, 846, 866),
            "threads/threads-main/binary.json", Set.of(113, 126, 146, 166, 185, 204, 224, 243, 262, 280, 298, 652, 662));

    /** Why a module that must decode may be rejected as malformed all the same. */
    private static final String DATA_COUNT_ARTIFACT = "data count section required";

    private record Case(String suite, String script, int line, String type, String expected, byte[] bytes) {
        String where() {
            return script + ":" + line;
        }

        boolean threads() {
            return suite.startsWith("threads/");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final List<Case> cases = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> conflicts = new ArrayList<>();
    private int decoded;
    private int malformedExact;
    private int malformedPrefix;
    private int skippedText;

    @Test
    void decodesTheSpecCorpus() throws IOException {
        for (String suite : SUITES) {
            Path jsonDir = SUITE.resolve(suite).resolve("json");
            assertTrue(Files.isDirectory(jsonDir), "corpus not found: " + jsonDir);
            try (Stream<Path> dirs = Files.list(jsonDir)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    Path script = dir.resolve(dir.getFileName() + ".json");
                    JsonNode root = json.readTree(script.toFile());
                    collect(suite, suite + "/" + script.getFileName(), dir, root.get("commands"));
                }
            }
        }
        Map<String, String> threadsExpectations = new HashMap<>();
        for (Case c : cases) {
            if (c.threads() && c.expected() != null) threadsExpectations.put(HexFormat.of().formatHex(c.bytes()), c.expected());
        }
        for (Case c : cases) {
            if (c.expected() == null) {
                expectDecoded(c);
                continue;
            }
            String threadsExpected = c.threads() ? null : threadsExpectations.get(HexFormat.of().formatHex(c.bytes()));
            if (threadsExpected != null && !threadsExpected.equals(c.expected())) {
                conflicts.add(c.where() + ": core expects \"" + c.expected() + "\", threads expects \""
                        + threadsExpected + "\" for the same bytes");
            } else if (SUPERSEDED_BY_WASM3.getOrDefault(c.script(), Set.of()).contains(c.line())) {
                conflicts.add(c.where() + ": Wasm 2.0 expects \"" + c.expected() + "\", Wasm 3.0 decoding gives "
                        + describe(outcome(c.bytes())));
            } else if (SUPERSEDED_BY_THREADS.getOrDefault(c.script(), Set.of()).contains(c.line())) {
                conflicts.add(c.where() + ": core expects \"" + c.expected() + "\", threads decoding gives "
                        + describe(outcome(c.bytes())));
            } else {
                expectMalformed(c);
            }
        }
        System.out.printf("decoder corpus: %d modules decoded, %d malformed matched (%d exact, %d by prefix), "
                        + "%d text modules skipped, %d core/threads conflicts, %d failures%n",
                decoded, malformedExact + malformedPrefix, malformedExact, malformedPrefix, skippedText,
                conflicts.size(), failures.size());
        conflicts.forEach(c -> System.out.println("  conflict: " + c));
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    private void collect(String suite, String script, Path dir, JsonNode commands) throws IOException {
        for (JsonNode command : commands) {
            String type = command.get("type").asText();
            if (type.equals("thread")) {
                collect(suite, script, dir, command.get("commands"));
                continue;
            }
            JsonNode filename = command.get("filename");
            boolean malformed = type.equals("assert_malformed");
            if (filename == null || !(MUST_DECODE.contains(type) || malformed)) continue;
            if (!filename.asText().endsWith(".wasm")) {
                skippedText++;
                continue;
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(filename.asText()));
            cases.add(new Case(suite, script, command.get("line").asInt(), type,
                    malformed ? command.get("text").asText() : null, bytes));
        }
    }

    /** The decoder's verdict: {@code null} if the module decodes (it may be invalid), else the exception. */
    private static CompileException outcome(byte[] bytes) {
        try {
            WasmCompiler.validate(bytes);
            return null;
        } catch (CompileException e) {
            return e.kind() == CompileException.Kind.INVALID ? null : e;
        }
    }

    private static String describe(CompileException e) {
        return e == null ? "a decoded module" : "\"" + e.specMessage() + "\" (" + e.kind() + ")";
    }

    private void expectDecoded(Case c) {
        CompileException e = outcome(c.bytes());
        if (e == null) {
            decoded++;
        } else if (c.type().equals("assert_invalid") && e.kind() == CompileException.Kind.MALFORMED
                && e.specMessage().equals(DATA_COUNT_ARTIFACT)) {
            // wast2json 1.0.32 writes no data count section for a module without data segments, so a
            // text module that is merely invalid becomes a malformed binary.
            conflicts.add(c.where() + ": assert_invalid module lacks the data count section its "
                    + "data.drop/memory.init needs (converter artifact)");
        } else {
            failures.add(c.where() + ": expected to decode, got " + e.getMessage());
        }
    }

    private void expectMalformed(Case c) {
        CompileException e = outcome(c.bytes());
        String actual = e != null && e.kind() == CompileException.Kind.MALFORMED ? e.specMessage() : null;
        if (c.expected().equals(actual)) {
            malformedExact++;
        } else if (actual != null && actual.startsWith(c.expected())) {
            malformedPrefix++;
        } else {
            failures.add(c.where() + ": expected malformed \"" + c.expected() + "\", got " + describe(e));
        }
    }
}
