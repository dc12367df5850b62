package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExclusionsTest {
    private static final Script SIMD = new Script("core", "simd_lane", Path.of("simd_lane.json"));
    private static final Script SIMD_UPDATED = new Script("core-2.0-updates", "simd_select", Path.of("simd_select.json"));
    private static final Script THREADS_SIMD = new Script("threads/threads-main", "simd_x", Path.of("simd_x.json"));
    private static final Script I32 = new Script("core", "i32", Path.of("i32.json"));

    private static ScriptResult failing(Script script, int... lines) {
        List<Failure> failures = java.util.Arrays.stream(lines)
                .mapToObj(line -> new Failure(line, "assert_return", "f()", "expected [i32:1] got [i32:2]")).toList();
        return new ScriptResult(script, 0, lines.length, 0, failures, List.of());
    }

    /**
     * SIMD is compiled: a failure in a SIMD script counts like any other, save the lines where the
     * Wasm 2.0 suite words a text error otherwise than the 3.0 suite; and the outdated threads
     * expectations are excluded line by line.
     */
    @Test
    void theShippedListExcludesNoSimdScript() throws Exception {
        Exclusions exclusions;
        try (InputStream tsv = ExclusionsTest.class.getResourceAsStream("/exclusions.tsv")) {
            exclusions = Exclusions.load(tsv);
        }
        assertEquals(List.of(4, 80), exclusions.unexcluded(failing(SIMD, 4, 80, 415)).stream()
                .map(Failure::line).toList());
        assertEquals(1, exclusions.unexcluded(failing(SIMD_UPDATED, 4)).size());
        assertEquals(1, exclusions.unexcluded(failing(THREADS_SIMD, 4)).size());
        assertEquals(1, exclusions.unexcluded(failing(I32, 4)).size());
        Script legacyAtomic = new Script("threads/threads-legacy", "atomic", Path.of("atomic.json"));
        assertEquals(List.of(326), exclusions.unexcluded(failing(legacyAtomic, 326, 327)).stream()
                .map(Failure::line).toList());
    }

    @Test
    void lineEntriesCoverThatLineOnly() {
        Exclusions exclusions = Exclusions.parse(List.of(
                "suite\tfile\tline\treason",
                "# a comment",
                "core\ti32\t40\twrong rounding",
                ""));
        List<Failure> left = exclusions.unexcluded(failing(I32, 39, 40, 41));
        assertEquals(List.of(39, 41), left.stream().map(Failure::line).toList());
    }

    /** A whole-script entry excuses the script's failures, but never classes that fail verification. */
    @Test
    void noEntryCoversInvalidBytecode() {
        Exclusions exclusions = Exclusions.parse(List.of(
                "suite\tfile\tline\treason",
                "core\ti32\t\tneeds a feature",
                "core\ti32\t12\tneeds a feature"));
        List<Failure> failures = List.of(
                new Failure(10, "module", "i32.10.wat", "expected an instance got CompileException: unsupported feature"),
                new Failure(11, "module", "i32.11.wat", "expected an instance got AssertionError: generated classes fail verification:\nwasm/Module: ..."),
                new Failure(12, "assert_return", "f()", "got java.lang.VerifyError: Bad type on operand stack"),
                new Failure(13, "assert_return", "g()", "got java.lang.ClassFormatError: StackMapTable format error"));
        List<Failure> left = exclusions.unexcluded(new ScriptResult(I32, 0, failures.size(), 0, failures, List.of()));
        assertEquals(List.of(11, 12, 13), left.stream().map(Failure::line).toList());
    }

    @Test
    void entriesThatCoverNoFailureOfTheScriptsRunAreStale() {
        Exclusions exclusions = Exclusions.parse(List.of(
                "suite\tfile\tline\treason",
                "core\ti32\t40\tfixed meanwhile",
                "core\tsimd_*\t\tused",
                "threads/*\tthread\t\tnot run"));
        exclusions.unexcluded(failing(I32, 41));
        exclusions.unexcluded(failing(SIMD, 1));
        List<Exclusion> stale = exclusions.stale(List.of(I32, SIMD));
        assertEquals(List.of("core/i32:40 (fixed meanwhile)"), stale.stream().map(Exclusion::toString).toList());
    }

    @Test
    void rowsNeedFourColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Exclusions.parse(List.of("suite\tfile\tline\treason", "core\ti32\tmissing a column")));
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    }

    @Test
    void patternsMatchWholeScriptIds() {
        assertTrue(new ScriptPattern("threads/*").matches(new Script("threads/threads-main", "LB", Path.of("LB.json"))));
        assertTrue(new ScriptPattern("core/i32").matches(I32));
        assertEquals(false, new ScriptPattern("core/i3").matches(I32));
        assertEquals(false, new ScriptPattern("core/simd_*").matches(SIMD_UPDATED));
    }
}
