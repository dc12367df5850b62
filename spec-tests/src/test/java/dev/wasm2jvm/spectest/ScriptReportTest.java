package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptReportTest {
    private static final Script SCRIPT = new Script("core", "t", Path.of("t.json"));
    private static final Command ASSERTION = new Command.AssertModule(7, "assert_invalid", "t.1.wasm", "type mismatch");
    private static final Command MODULE = new Command.Module(3, null, "t.0.wasm");

    @Test
    void assertionsCountOnceAndOtherCommandsOnlyWhenTheyFail() {
        ScriptReport report = new ScriptReport(SCRIPT, 2);
        report.pass();
        report.fail(ASSERTION, "t.1.wasm", "expected INVALID got a compiled module");
        report.fail(MODULE, "t.0.wasm", "expected an instance got VerifyError");
        ScriptResult result = report.close("unused");
        assertEquals(List.of(1, 2, 0), List.of(result.passed(), result.failed(), result.skipped()));
        assertEquals("core/t.json:3: module t.0.wasm: expected an instance got VerifyError",
                result.failures().get(1).format(SCRIPT.id()));
    }

    @Test
    void assertionsNeverReachedFailWithTheReason() {
        ScriptReport report = new ScriptReport(SCRIPT, 5);
        report.starting(ASSERTION);
        report.pass();
        ScriptResult result = report.close("the script timed out after 1 s");
        assertEquals(1, result.passed());
        assertEquals(4, result.failed());
        assertEquals("core/t.json:7: script t: 4 assertions not run: the script timed out after 1 s",
                result.failures().getFirst().format(SCRIPT.id()));
    }

    @Test
    void aClosedReportIgnoresLateResults() {
        ScriptReport report = new ScriptReport(SCRIPT, 1);
        report.pass();
        report.close("unused");
        report.fail(ASSERTION, "t.1.wasm", "too late");
        report.note(ASSERTION, "t.1.wasm", "too late");
        assertTrue(report.isClosed());
        ScriptResult result = report.close("unused");
        assertEquals(0, result.failed());
        assertEquals(List.of(), result.notes());
    }
}
