package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ScriptParserTest {
    @Test
    void readsEveryCommandKind() throws Exception {
        List<Command> commands = ScriptParser.parse("""
                {"source_filename": "t.wast", "commands": [
                 {"type": "module", "line": 1, "name": "$M", "filename": "t.0.wasm"},
                 {"type": "register", "line": 2, "as": "m"},
                 {"type": "action", "line": 3, "action": {"type": "invoke", "module": "$M", "field": "f", "args": [{"type": "i32", "value": "1"}]}, "expected": []},
                 {"type": "assert_return", "line": 4, "action": {"type": "get", "field": "g"}, "expected": [{"type": "i64", "value": "2"}]},
                 {"type": "assert_trap", "line": 5, "action": {"type": "invoke", "field": "f", "args": []}, "text": "unreachable", "expected": []},
                 {"type": "assert_exhaustion", "line": 6, "action": {"type": "invoke", "field": "r", "args": []}, "text": "call stack exhausted", "expected": []},
                 {"type": "assert_malformed", "line": 7, "filename": "t.1.wat", "text": "unknown operator", "module_type": "text"},
                 {"type": "assert_invalid", "line": 8, "filename": "t.2.wasm", "text": "type mismatch", "module_type": "binary"},
                 {"type": "assert_unlinkable", "line": 9, "filename": "t.3.wasm", "text": "unknown import", "module_type": "binary"},
                 {"type": "assert_uninstantiable", "line": 10, "filename": "t.4.wasm", "text": "unreachable", "module_type": "binary"},
                 {"type": "thread", "line": 11, "name": "$T", "shared_modules": ["$M"], "commands": [
                   {"type": "assert_return", "line": 12, "action": {"type": "invoke", "field": "f", "args": []}, "either": [{"type": "i32", "value": "0"}, {"type": "i32", "value": "42"}]}]},
                 {"type": "wait", "line": 13, "thread": "$T"}]}
                """);
        assertEquals(Arrays.asList("module", "register", "action", "assert_return", "assert_trap", "assert_exhaustion",
                "assert_malformed", "assert_invalid", "assert_unlinkable", "assert_uninstantiable", "thread", "wait"),
                commands.stream().map(Command::type).toList());

        assertEquals(new Command.Module(1, "$M", "t.0.wasm"), commands.get(0));
        assertEquals(new Command.Register(2, null, "m"), commands.get(1));
        Command.Perform perform = assertInstanceOf(Command.Perform.class, commands.get(2));
        assertEquals(new Action(Action.Kind.INVOKE, "$M", "f", List.of(1)), perform.action());
        Command.AssertReturn get = assertInstanceOf(Command.AssertReturn.class, commands.get(3));
        assertEquals(List.of(List.of(new Expectation.I64(2))), get.alternatives());
        assertNull(get.action().module());
        assertEquals(new Command.AssertModule(7, "assert_malformed", "t.1.wat", "unknown operator"), commands.get(6));

        Command.Thread thread = assertInstanceOf(Command.Thread.class, commands.get(10));
        assertEquals(List.of("$M"), thread.shared());
        Command.AssertReturn either = assertInstanceOf(Command.AssertReturn.class, thread.commands().getFirst());
        assertEquals(List.of(List.of(new Expectation.I32(0)), List.of(new Expectation.I32(42))), either.alternatives());
        assertEquals(new Command.Wait(13, "$T"), commands.get(11));
        assertEquals(8, Command.countAssertions(commands), "assertions in thread bodies count too");
    }

    @Test
    void nullArgumentsAreKept() throws Exception {
        List<Command> commands = ScriptParser.parse("""
                {"commands": [{"type": "action", "line": 1, "action": {"type": "invoke", "field": "f",
                  "args": [{"type": "externref", "value": "null"}, {"type": "funcref", "value": "null"}]}, "expected": []}]}
                """);
        assertEquals(Arrays.asList(null, null), ((Command.Perform) commands.getFirst()).action().args());
    }

    @Test
    void everyCorpusScriptParses() throws Exception {
        Path root = Corpus.root();
        assumeTrue(Files.isDirectory(root), "no corpus at " + root);
        List<Script> scripts = Corpus.scripts(root);
        List<Script> json = scripts.stream().filter(script -> !script.isWast()).toList();
        assertEquals(202, json.size());
        int assertions = 0;
        for (Script script : json) assertions += Command.countAssertions(ScriptParser.parse(script.json()));
        // The corpus README's totals of assert_* commands over all five suites.
        assertEquals(48598 + 2691 + 17 + 2798 + 2869 + 217 + 60, assertions);
        List<Script> wast = scripts.stream().filter(Script::isWast).toList();
        assertEquals(288, wast.size());
        int wastAssertions = 0;
        for (Script script : wast) wastAssertions += Command.countAssertions(WastParser.parse(script.json()).commands());
        // The sum of the assertions column of wasm-3.0/MANIFEST.tsv.
        assertEquals(64094, wastAssertions);
    }
}
