package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConformanceLogTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Test
    void writesLinesTableDetailsAndTotals() throws Exception {
        ConformanceLog log = new ConformanceLog(dir, new PrintStream(console, true, StandardCharsets.UTF_8));
        Script i32 = new Script("core", "i32", Path.of("i32.json"));
        Script simple = new Script("threads/threads-main", "simple", Path.of("simple.json"));
        Failure wrong = new Failure(40, "assert_return", "add(i32:1, i32:1)", "expected [i32:2] got [i32:3]");
        Failure mismatch = new Failure(50, "assert_invalid", "i32.1.wasm", "expected INVALID \"type mismatch\" got INVALID \"x\"");
        log.record(new ScriptResult(i32, 373, 1, 2, List.of(wrong), List.of(mismatch)), 0);
        log.record(new ScriptResult(simple, 3, 0, 0, List.of(), List.of()), 0);
        log.summarise(List.of(new Exclusion(new ScriptPattern("core/i32"), 40, "fixed")));

        assertEquals("""
                core/i32  passed 373  failed 1  skipped 2  (failures excluded)  (1 message mismatches)
                    core/i32.json:40: assert_return add(i32:1, i32:1): expected [i32:2] got [i32:3]
                threads/threads-main/simple  passed 3  failed 0  skipped 0
                suite core  passed 373  failed 1  skipped 2
                suite threads/threads-main  passed 3  failed 0  skipped 0
                total  passed 376  failed 1  skipped 2
                stale exclusion, no failure matches it any more: core/i32:40 (fixed)
                table: %s; failures: %s
                """.formatted(dir.resolve("conformance.tsv"), dir.resolve("conformance-failures.txt")),
                console.toString(StandardCharsets.UTF_8));
        assertEquals("""
                suite\tfile\tpassed\tfailed\tskipped
                core\ti32\t373\t1\t2
                threads/threads-main\tsimple\t3\t0\t0
                """, Files.readString(dir.resolve("conformance.tsv")));
        assertEquals("""
                core/i32.json:40: assert_return add(i32:1, i32:1): expected [i32:2] got [i32:3]
                message mismatch: core/i32.json:50: assert_invalid i32.1.wasm: expected INVALID "type mismatch" got INVALID "x"
                """, Files.readString(dir.resolve("conformance-failures.txt")));
    }
}
