package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .wast reader, and scripts in the spec interpreter's language run through wasm2jvm. */
class WastParserTest {
    private static ScriptResult run(String wast) {
        WastParser.Parsed parsed = WastParser.parse("t", wast);
        Script script = new Script("test", "t", Path.of("t.wast"));
        ScriptReport report = new ScriptReport(script, Command.countAssertions(parsed.commands()));
        new ScriptRunner(parsed.modules(), Engine.WASM2JVM, Spectest::exports, report, Duration.ofSeconds(10))
                .run(parsed.commands());
        return report.close("a thread of the script did not finish");
    }

    @Test
    void readsCommandsActionsAndExpectations() {
        List<Command> commands = WastParser.parse("t", """
                (module $M (func (export "f") (param i32) (result f32) (f32.const 1)))
                (register "m" $M)
                (assert_return (invoke $M "f" (i32.const -1)) (either (f32.const nan:canonical) (f32.const 0x1p0)))
                (assert_trap (invoke "f" (i32.const 0)) "unreachable")
                (assert_malformed (module quote "(func") "unexpected token")
                (module definition $D binary "\\00asm" "\\01\\00\\00\\00")
                (module instance $I $D)
                (get $I "g")
                """).commands();
        Command.Module module = assertInstanceOf(Command.Module.class, commands.get(0));
        assertEquals("$M", module.name());
        assertEquals("t.1.wat", module.filename());
        assertEquals(new Command.Register(2, "$M", "m"), commands.get(1));
        Command.AssertReturn assertReturn = assertInstanceOf(Command.AssertReturn.class, commands.get(2));
        assertEquals("$M", assertReturn.action().module());
        assertEquals(List.of(-1), assertReturn.action().args());
        assertEquals(List.of(List.of(new Expectation.NaN(32, true)), List.of(new Expectation.F32(0x3f800000))),
                assertReturn.alternatives());
        assertEquals(new Command.AssertModule(5, "assert_malformed", "t.5.wat", "unexpected token"), commands.get(4));
        assertEquals(new Command.Define(6, "$D", "t.6.wasm"), commands.get(5));
        assertEquals(new Command.Instantiate(7, "$I", "$D"), commands.get(6));
        Command.Perform get = assertInstanceOf(Command.Perform.class, commands.get(7));
        assertEquals(Action.Kind.GET, get.action().kind());
        assertEquals(3, Command.countAssertions(commands));
    }

    @Test
    void aScriptOfModuleFieldsIsOneModule() {
        List<Command> commands = WastParser.parse("t", "(func) (memory 0)").commands();
        assertEquals(1, commands.size());
        assertNull(assertInstanceOf(Command.Module.class, commands.getFirst()).name());
    }

    @Test
    void anUnknownCommandIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> WastParser.parse("t", "(frobnicate)"));
    }

    @Test
    void runsAScriptThroughTheCompiler() {
        ScriptResult result = run("""
                (module $A
                  (global (export "g") i32 (i32.const 7))
                  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
                  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
                  (func (export "nan") (result f64) (f64.div (f64.const 0) (f64.const 0))))
                (register "a" $A)
                (module (import "a" "add" (func $add (param i32 i32) (result i32)))
                  (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0))))
                (assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
                (assert_return (get $A "g") (i32.const 7))
                (assert_return (invoke $A "nan") (f64.const nan:canonical))
                (assert_trap (invoke $A "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
                (assert_malformed (module quote "(func (i32.const0))") "unknown operator")
                (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
                (assert_unlinkable (module (import "a" "missing" (func))) "unknown import")
                (module definition $D (memory 1) (func (export "size") (result i32) (memory.size)))
                (module instance $I $D)
                (assert_return (invoke $I "size") (i32.const 1))
                """);
        assertEquals(List.of(), result.failures());
        assertEquals(8, result.passed());
    }

    @Test
    void aTextRejectionWithAnotherMessageFails() {
        ScriptResult result = run("""
                (assert_malformed (module quote "(func (i32.const0))") "unexpected token")
                (assert_invalid (module quote "(func (i32.const0))") "type mismatch")
                """);
        assertEquals(2, result.failed());
        assertTrue(result.failures().getFirst().detail().contains("got MALFORMED \"unknown operator i32.const0\""),
                result.failures().getFirst().detail());
    }
}
