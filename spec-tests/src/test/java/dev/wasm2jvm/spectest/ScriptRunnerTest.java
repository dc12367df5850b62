package dev.wasm2jvm.spectest;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.text.TextFormatException;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner against a stand-in engine whose "modules" are Java objects: a module file's bytes are
 * a key into {@link #modules} (or {@link #rejections}, for modules that do not compile).
 */
class ScriptRunnerTest {
    @TempDir
    Path dir;

    private final Map<String, Engine.Compiled> modules = new HashMap<>();
    private final Map<String, RuntimeException> rejections = new HashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private final Engine engine = wasm -> {
        String key = new String(wasm, StandardCharsets.UTF_8);
        if (rejections.containsKey(key)) throw rejections.get(key);
        return modules.get(key);
    };

    /** An instance with the given exports, as a generated module class would have. */
    private static final class TestInstance extends Instance {
        TestInstance(Map<String, Object> exports) {
            super(new Imports());
            exports.forEach(this::export);
        }

        @Override
        protected FuncRef funcRef(int funcidx) {
            throw new UnsupportedOperationException("a stand-in module has no function index space");
        }

        @Override
        protected MethodHandle functionHandle(int funcidx) {
            throw new UnsupportedOperationException("a stand-in module has no function index space");
        }
    }

    @AfterEach
    void releaseBlockedThreads() {
        release.countDown();
    }

    private ScriptResult run(String commands) throws Exception {
        ScriptReport report = new ScriptReport(new Script("test", "t", dir.resolve("t.json")),
                Command.countAssertions(ScriptParser.parse(write(commands))));
        new ScriptRunner(dir, engine, this::spectest, report, Duration.ofMillis(300))
                .run(ScriptParser.parse(dir.resolve("t.json")));
        return report.close("a thread of the script did not finish");
    }

    private String write(String commands) throws Exception {
        String json = "{\"commands\": [" + commands + "]}";
        Files.writeString(dir.resolve("t.json"), json);
        for (String key : modules.keySet()) Files.writeString(dir.resolve(key + ".wasm"), key);
        for (String key : rejections.keySet()) Files.writeString(dir.resolve(key + ".wasm"), key);
        return json;
    }

    private Map<String, Object> spectest() {
        return Map.of("print_i32", FuncRef.host("i:", args -> null));
    }

    private static List<Object> counts(ScriptResult r) {
        return List.of(r.passed(), r.failed(), r.skipped());
    }

    private static List<Integer> failedLines(ScriptResult r) {
        return r.failures().stream().map(Failure::line).toList();
    }

    private static Object[] recurse(Object... args) {
        return recurse(args);
    }

    private void defineCalculator() {
        modules.put("calc", imports -> new TestInstance(Map.of(
                "add", FuncRef.host("ii:i", a -> new Object[] {(int) a[0] + (int) a[1]}),
                "div", FuncRef.host("ii:i", a -> {
                    if ((int) a[1] == 0) throw new WasmTrap("integer divide by zero");
                    return new Object[] {(int) a[0] / (int) a[1]};
                }),
                "answer", Global.ofI64(42, false),
                "recurse", FuncRef.host(":", ScriptRunnerTest::recurse))));
    }

    private static String invoke(int line, String type, String field, String args, String rest) {
        return "{\"type\": \"" + type + "\", \"line\": " + line + ", \"action\": {\"type\": \"invoke\", \"field\": \""
                + field + "\", \"args\": [" + args + "]}" + rest + "}";
    }

    private static String module(int line, String key) {
        return "{\"type\": \"module\", \"line\": " + line + ", \"filename\": \"" + key + ".wasm\"}";
    }

    private static String assertModule(int line, String type, String key, String text) {
        return "{\"type\": \"" + type + "\", \"line\": " + line + ", \"filename\": \"" + key
                + ".wasm\", \"text\": \"" + text + "\", \"module_type\": \"binary\"}";
    }

    private static final String ONE = "{\"type\": \"i32\", \"value\": \"1\"}";
    private static final String TWO = "{\"type\": \"i32\", \"value\": \"2\"}";

    @Test
    void returnsAndTraps() throws Exception {
        defineCalculator();
        ScriptResult r = run(String.join(",",
                module(1, "calc"),
                invoke(2, "assert_return", "add", ONE + "," + ONE, ", \"expected\": [" + TWO + "]"),
                invoke(3, "assert_return", "add", ONE + "," + TWO, ", \"expected\": [" + TWO + "]"),
                "{\"type\": \"assert_return\", \"line\": 4, \"action\": {\"type\": \"get\", \"field\": \"answer\"},"
                        + " \"expected\": [{\"type\": \"i64\", \"value\": \"42\"}]}",
                invoke(5, "assert_return", "add", ONE + "," + ONE, ", \"either\": [" + ONE + "," + TWO + "]"),
                invoke(6, "assert_trap", "div", ONE + ",{\"type\": \"i32\", \"value\": \"0\"}",
                        ", \"text\": \"integer divide\", \"expected\": []"),
                invoke(7, "assert_trap", "div", ONE + "," + ONE, ", \"text\": \"integer divide by zero\", \"expected\": []"),
                invoke(8, "assert_trap", "div", ONE + ",{\"type\": \"i32\", \"value\": \"0\"}",
                        ", \"text\": \"integer overflow\", \"expected\": []"),
                invoke(9, "assert_exhaustion", "recurse", "", ", \"text\": \"call stack exhausted\", \"expected\": []"),
                invoke(10, "assert_return", "missing", "", ", \"expected\": []")));

        assertEquals(List.of(5, 4, 0), counts(r));
        assertEquals(List.of(3, 7, 8, 10), failedLines(r));
        assertEquals("test/t.json:3: assert_return add(i32:1, i32:2): expected [i32:2] got [i32:3]",
                r.failures().get(0).format("test/t"));
        assertEquals("expected trap \"integer divide by zero\" got [i32:1]", r.failures().get(1).detail());
        assertEquals("expected trap \"integer overflow\" got trap \"integer divide by zero\"", r.failures().get(2).detail());
        assertTrue(r.failures().get(3).detail().contains("IllegalArgumentException"), r.failures().get(3).detail());
    }

    @Test
    void moduleAssertions() throws Exception {
        rejections.put("invalid", CompileException.invalid("type mismatch", 10, 0));
        rejections.put("invalid-worded-differently", CompileException.invalid("operand stack underflow", 10, 0));
        rejections.put("malformed", CompileException.malformed("unexpected end", 3));
        rejections.put("simd", CompileException.unsupported("v128", 9, 0));
        rejections.put("malformed-text", new TextFormatException("unknown operator i32.const0", 1, 7));
        modules.put("fine", imports -> new TestInstance(Map.of()));
        modules.put("needs-import", imports -> {
            if (imports.get("env", "f") == null) throw new LinkException("unknown import", "env", "f");
            return new TestInstance(Map.of());
        });
        modules.put("traps", imports -> {
            throw new WasmTrap("out of bounds memory access");
        });
        ScriptResult r = run(String.join(",",
                assertModule(1, "assert_invalid", "invalid", "type mismatch"),
                assertModule(2, "assert_invalid", "invalid-worded-differently", "type mismatch"),
                assertModule(3, "assert_invalid", "malformed", "type mismatch"),
                assertModule(4, "assert_malformed", "malformed", "unexpected end"),
                assertModule(5, "assert_malformed", "malformed-text", "unknown operator"),
                assertModule(6, "assert_invalid", "fine", "type mismatch"),
                assertModule(7, "assert_invalid", "simd", "type mismatch"),
                assertModule(8, "assert_unlinkable", "needs-import", "unknown import"),
                assertModule(9, "assert_uninstantiable", "traps", "out of bounds memory access"),
                assertModule(10, "assert_uninstantiable", "fine", "out of bounds memory access")));

        assertEquals(List.of(7, 3, 0), counts(r));
        assertEquals(List.of(6, 7, 10), failedLines(r));
        assertEquals("expected INVALID \"type mismatch\" got a compiled module", r.failures().get(0).detail());
        assertEquals("expected INVALID \"type mismatch\" got UNSUPPORTED \"unsupported feature: v128\"",
                r.failures().get(1).detail());
        assertEquals(List.of(
                        "test/t.json:2: assert_invalid invalid-worded-differently.wasm: "
                                + "expected INVALID \"type mismatch\" got INVALID \"operand stack underflow\"",
                        "test/t.json:3: assert_invalid malformed.wasm: "
                                + "expected INVALID \"type mismatch\" got MALFORMED \"unexpected end\""),
                r.notes().stream().map(n -> n.format("test/t")).toList());
    }

    @Test
    void aFailedModuleFailsWhatDependsOnItAndTheScriptGoesOn() throws Exception {
        defineCalculator();
        rejections.put("simd", CompileException.unsupported("v128", 9, 0));
        rejections.put("malformed-text", new TextFormatException("unknown operator i32.const0", 1, 7));
        modules.put("unverifiable", imports -> {
            throw new VerifyError("Bad type on operand stack");
        });
        String add = ONE + "," + ONE;
        ScriptResult r = run(String.join(",",
                module(1, "simd"),
                invoke(2, "assert_return", "add", add, ", \"expected\": [" + TWO + "]"),
                module(3, "unverifiable"),
                invoke(4, "action", "add", add, ", \"expected\": []"),
                module(5, "calc"),
                invoke(6, "assert_return", "add", add, ", \"expected\": [" + TWO + "]")));

        assertEquals(List.of(1, 4, 0), counts(r));
        assertEquals(List.of(1, 2, 3, 4), failedLines(r));
        assertTrue(r.failures().get(1).detail().contains("the module of line 1 failed: CompileException"),
                r.failures().get(1).detail());
        assertEquals("expected an instance got VerifyError: Bad type on operand stack", r.failures().get(2).detail());
        assertTrue(r.failures().get(3).detail().contains("the module of line 3 failed: VerifyError"),
                r.failures().get(3).detail());
    }

    @Test
    void registeredAndHostModulesAreImportable() throws Exception {
        modules.put("exporter", imports -> new TestInstance(Map.of("f", FuncRef.host(":i", a -> new Object[] {7}))));
        modules.put("importer", imports -> {
            if (!(imports.get("spectest", "print_i32") instanceof FuncRef)) throw new LinkException("unknown import", "spectest", "print_i32");
            Object f = imports.get("env", "f");
            if (f == null) throw new LinkException("unknown import", "env", "f");
            return new TestInstance(Map.of("g", f));
        });
        ScriptResult r = run(String.join(",",
                assertModule(1, "assert_unlinkable", "importer", "unknown import"),
                "{\"type\": \"module\", \"line\": 2, \"name\": \"$E\", \"filename\": \"exporter.wasm\"}",
                "{\"type\": \"register\", \"line\": 3, \"as\": \"env\"}",
                module(4, "importer"),
                invoke(5, "assert_return", "g", "", ", \"expected\": [{\"type\": \"i32\", \"value\": \"7\"}]"),
                "{\"type\": \"assert_return\", \"line\": 6, \"action\": {\"type\": \"invoke\", \"module\": \"$E\", "
                        + "\"field\": \"f\", \"args\": []}, \"expected\": [{\"type\": \"i32\", \"value\": \"7\"}]}",
                "{\"type\": \"register\", \"line\": 7, \"name\": \"$Nope\", \"as\": \"x\"}"));

        assertEquals(List.of(3, 1, 0), counts(r));
        assertEquals("unexpected ModuleUnavailable: no module named $Nope", r.failures().getFirst().detail());
    }

    @Test
    void threadsSeeSharedModulesButNotTheParentsRegistrations() throws Exception {
        modules.put("mem", imports -> new TestInstance(Map.of("f", FuncRef.host(":i", a -> new Object[] {7}),
                "answer", Global.ofI32(42, false))));
        modules.put("importer", imports -> {
            if (imports.get("shared", "f") == null) throw new LinkException("unknown import", "shared", "f");
            return new TestInstance(Map.of());
        });
        String thread2 = "{\"type\": \"thread\", \"line\": 9, \"name\": \"$T2\", \"shared_modules\": [], \"commands\": ["
                + invoke(10, "assert_return", "f", "", ", \"expected\": []") + "]}";
        String thread1 = "{\"type\": \"thread\", \"line\": 3, \"name\": \"$T1\", \"shared_modules\": [\"$Mem\"], \"commands\": ["
                + String.join(",",
                        assertModule(4, "assert_unlinkable", "importer", "unknown import"),
                        "{\"type\": \"register\", \"line\": 5, \"name\": \"$Mem\", \"as\": \"shared\"}",
                        module(6, "importer"),
                        "{\"type\": \"assert_return\", \"line\": 7, \"action\": {\"type\": \"get\", \"module\": \"$Mem\", "
                                + "\"field\": \"answer\"}, \"either\": [{\"type\": \"i32\", \"value\": \"0\"}, {\"type\": \"i32\", \"value\": \"42\"}]}",
                        invoke(8, "assert_return", "f", "", ", \"expected\": []"),
                        thread2,
                        "{\"type\": \"wait\", \"line\": 11, \"thread\": \"$T2\"}")
                + "]}";
        ScriptResult r = run(String.join(",",
                "{\"type\": \"module\", \"line\": 1, \"name\": \"$Mem\", \"filename\": \"mem.wasm\"}",
                "{\"type\": \"register\", \"line\": 2, \"as\": \"shared\"}",
                thread1,
                "{\"type\": \"wait\", \"line\": 12, \"thread\": \"$T1\"}",
                "{\"type\": \"wait\", \"line\": 13, \"thread\": \"$T9\"}"));

        assertEquals(List.of(2, 3, 0), counts(r));
        assertEquals(List.of(8, 10, 13), failedLines(r));
        assertTrue(r.failures().get(0).detail().contains("IllegalArgumentException"), "importer exports no f");
        assertTrue(r.failures().get(1).detail().endsWith("no module defined yet"), r.failures().get(1).detail());
    }

    @Test
    void aThreadThatDoesNotFinishIsReportedByItsWait() throws Exception {
        modules.put("blocker", imports -> new TestInstance(Map.of("block", FuncRef.host(":", a -> {
            // Like a module stuck in a loop, it does not react to interruption.
            boolean released = false;
            while (!released) {
                try {
                    released = release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    released = false;
                }
            }
            return null;
        }))));
        ScriptResult r = run(String.join(",",
                "{\"type\": \"module\", \"line\": 1, \"name\": \"$B\", \"filename\": \"blocker.wasm\"}",
                "{\"type\": \"thread\", \"line\": 2, \"name\": \"$T\", \"shared_modules\": [\"$B\"], \"commands\": ["
                        + "{\"type\": \"assert_return\", \"line\": 3, \"action\": {\"type\": \"invoke\", \"module\": \"$B\", "
                        + "\"field\": \"block\", \"args\": []}, \"expected\": []}]}",
                "{\"type\": \"wait\", \"line\": 4, \"thread\": \"$T\"}"));

        assertEquals(List.of(0, 2, 0), counts(r));
        assertEquals("test/t.json:4: wait $T: thread still running after 0.3 s", r.failures().get(0).format("test/t"));
        assertEquals("1 assertions not run: a thread of the script did not finish", r.failures().get(1).detail());
    }

    @Test
    void aScriptPastItsTimeLimitIsAbandonedAndItsCodeAskedToStop() throws Exception {
        List<Imports> used = new CopyOnWriteArrayList<>();
        FuncRef block = FuncRef.host(":", a -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        modules.put("blocker", imports -> {
            used.add(imports);
            return new TestInstance(Map.of("block", block));
        });
        write(String.join(",",
                module(1, "blocker"),
                invoke(2, "assert_return", "block", "", ", \"expected\": []"),
                invoke(3, "assert_return", "block", "", ", \"expected\": []")));
        ScriptExecution execution = new ScriptExecution(engine, this::spectest, Duration.ofMillis(300), Duration.ofMillis(100));
        ScriptResult r = execution.run(new Script("test", "t", dir.resolve("t.json")));

        assertEquals(List.of(0, 2, 0), counts(r));
        assertEquals("test/t.json:2: script t: 2 assertions not run: the script timed out after 0.3 s",
                r.failures().getFirst().format("test/t"));
        assertEquals(1, used.size());
        assertTrue(used.getFirst().termination().requested, "the module's termination flag is set");
    }

    @Test
    void aTimedOutScriptInterruptsTheThreadsItStarted() throws Exception {
        CountDownLatch stopped = new CountDownLatch(2);
        FuncRef block = FuncRef.host(":", a -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                stopped.countDown();
            }
            return null;
        });
        modules.put("blocker", imports -> new TestInstance(Map.of("block", block)));
        String invokeBlock = "{\"type\": \"invoke\", \"module\": \"$B\", \"field\": \"block\", \"args\": []}";
        write(String.join(",",
                "{\"type\": \"module\", \"line\": 1, \"name\": \"$B\", \"filename\": \"blocker.wasm\"}",
                "{\"type\": \"thread\", \"line\": 2, \"name\": \"$T\", \"shared_modules\": [\"$B\"], \"commands\": ["
                        + "{\"type\": \"action\", \"line\": 3, \"action\": " + invokeBlock + ", \"expected\": []}]}",
                "{\"type\": \"action\", \"line\": 4, \"action\": " + invokeBlock + ", \"expected\": []}",
                "{\"type\": \"wait\", \"line\": 5, \"thread\": \"$T\"}"));
        ScriptExecution execution = new ScriptExecution(engine, this::spectest, Duration.ofMillis(300), Duration.ofSeconds(10));
        execution.run(new Script("test", "t", dir.resolve("t.json")));

        assertTrue(stopped.await(5, TimeUnit.SECONDS), "both the script's thread and its wasm thread are interrupted");
    }
}
