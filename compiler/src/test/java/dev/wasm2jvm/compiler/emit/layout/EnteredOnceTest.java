package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Which functions are entered at most once: each way in that the call graph bounds, and each that it does not. */
class EnteredOnceTest {
    /** The defined functions in order: function {@code i} of the list is funcidx {@code i + 1}, after the import. */
    private static final List<String> FUNCTIONS = List.of("start", "fromStart", "_start", "main", "fromMain", "inBlock",
            "afterLoop", "tailTo", "inLoop", "fromInLoop", "twice", "fromTwice", "inTable", "declared", "inGlobal",
            "exported", "fromExported", "recursive", "cycleA", "cycleB", "afterCycle", "uncalled");

    private static final Set<String> ONCE = Set.of("start", "fromStart", "_start", "main", "fromMain", "inBlock",
            "afterLoop", "tailTo");

    private static final String MODULE = """
            (module
              (import "env" "host" (func $host))
              (table 1 funcref)
              (elem (i32.const 0) $inTable)
              (elem declare func $declared)
              (global funcref (ref.func $inGlobal))
              (func $start (call $fromStart))
              (func $fromStart)
              (func $_start (export "_start")
                (call $main)
                (block (call $inBlock))
                (loop (block (if (i32.const 1) (then (call $inLoop)))))
                (call $afterLoop)
                (call $twice) (call $twice)
                (call $inTable) (call $declared) (call $inGlobal) (call $exported) (call $host)
                (call $recursive) (call $cycleA))
              (func $main (call $fromMain) (return_call $tailTo))
              (func $fromMain)
              (func $inBlock)
              (func $afterLoop)
              (func $tailTo)
              (func $inLoop (call $fromInLoop))
              (func $fromInLoop)
              (func $twice (call $fromTwice))
              (func $fromTwice)
              (func $inTable)
              (func $declared)
              (func $inGlobal)
              (func $exported (export "run") (call $fromExported))
              (func $fromExported)
              (func $recursive (if (i32.const 0) (then (call $recursive))))
              (func $cycleA (call $cycleB))
              (func $cycleB (if (i32.const 0) (then (call $cycleA))) (call $afterCycle))
              (func $afterCycle)
              (func $uncalled)
              (start $start))
            """;

    private static EnteredOnce of(String wat) {
        return EnteredOnce.of(ModuleValidator.validate(ModuleDecoder.decode(Wat.toBinary(wat.getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void onlyFunctionsWhoseEntriesTheCallGraphBoundsToOneAreEnteredOnce() {
        EnteredOnce once = of(MODULE);
        assertFalse(once.test(0), "the import");
        for (int i = 0; i < FUNCTIONS.size(); i++) {
            String name = FUNCTIONS.get(i);
            assertEquals(ONCE.contains(name), once.test(i + 1), name);
        }
    }

    @Test
    void aStartExportOfAnotherTypeIsNotACommandsEntry() {
        EnteredOnce once = of("""
                (module
                  (func $_start (export "_start") (param i32) (call $callee))
                  (func $callee))
                """);
        assertFalse(once.test(0), "_start: [i32] -> []");
        assertFalse(once.test(1), "its callee");
    }

    @Test
    void aCommandsStartCalledAsWellIsEnteredMoreThanOnce() {
        EnteredOnce once = of("""
                (module
                  (func $_start (export "_start") (call $callee))
                  (func $callee)
                  (func $caller (export "other") (call $_start)))
                """);
        assertFalse(once.test(0), "_start, called by an export");
        assertFalse(once.test(1), "its callee");
    }
}
