package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which modules poll, which of their functions poll on entry, which read memory 0's cached
 * {@code Memory}; and that code relying on it runs.
 */
class CallEffectsTest {

    private static final String MODULE = """
            (module
              (import "env" "host" (func $host))
              (type $v (func))
              (table 1 funcref)
              (memory %s)
              (func $leaf (result i32) (i32.load (i32.const 0)))
              (func $callsLeaf (result i32) (call $leaf))
              (func $self (param i32) (if (local.get 0) (then (call $self (i32.sub (local.get 0) (i32.const 1))))))
              (func $a (call $b))
              (func $b (call $a))
              (func $grows (drop (memory.grow (i32.const 1))))
              (func $callsGrows (call $grows))
              (func $callsImport (call $host))
              (func $indirect (call_indirect (type $v) (i32.const 0)))
              (func $tail (return_call $tail)))
            """;

    /** The effects of the module with {@code memory}'s limits, a WASI command. */
    private static CallEffects effects(String memory) {
        return effects(memory, true);
    }

    /** As {@link #effects(String)}; a {@code command} exports a {@code _start} of its own, function 11. */
    private static CallEffects effects(String memory, boolean command) {
        String module = MODULE.formatted(memory);
        if (command) module = module.substring(0, module.lastIndexOf(')')) + " (func (export \"_start\")))";
        return CallEffects.of(ModuleValidator.validate(ModuleDecoder.decode(Wat.toBinary(module.getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void onlyFunctionsOnACycleOfCallsPollOnEntry() {
        CallEffects effects = effects("1 2 shared");
        // Function indices: the import is 0, then $leaf 1 ... $tail 10.
        boolean[] polls = {false, false, true, true, true, false, false, true, true, true};
        for (int f = 1; f <= 10; f++) assertEquals(polls[f - 1], effects.pollsOnEntry(f), "function " + f);
        assertTrue(effects.pollsAtLoopHeaders());
    }

    @Test
    void aCommandThatCannotRunInAThreadedProgramPollsNowhere() {
        CallEffects effects = effects("1");
        assertFalse(effects.pollsAtLoopHeaders());
        for (int f = 1; f <= 10; f++) assertFalse(effects.pollsOnEntry(f), "function " + f);
    }

    @Test
    void aModuleThatIsNoCommandPollsWithoutThreads() {
        CallEffects embedded = effects("1", false);
        CallEffects threaded = effects("1 2 shared");
        assertTrue(embedded.pollsAtLoopHeaders());
        for (int f = 1; f <= 10; f++) assertEquals(threaded.pollsOnEntry(f), embedded.pollsOnEntry(f), "function " + f);
    }

    @Test
    void spawningRunningAThreadOrSharingMemoryPutsAModuleInAThreadedProgram() {
        assertFalse(threaded("(memory 1 2)"));
        assertTrue(threaded("(import \"wasi\" \"thread-spawn\" (func (param i32) (result i32)))"));
        assertTrue(threaded("(func (export \"wasi_thread_start\") (param i32 i32))"));
        assertTrue(threaded("(import \"env\" \"memory\" (memory 1 2 shared))"));
        assertTrue(threaded("(memory 1 1) (memory 1 2 shared)"), "a shared memory other than memory 0");
        assertFalse(threaded("(import \"wasi\" \"thread-spawn\" (global i32))"), "only the function spawns");
        assertFalse(threaded("(import \"env\" \"thread-spawn\" (func (param i32) (result i32)))"), "only wasi's spawns");
    }

    private static boolean threaded(String fields) {
        byte[] wasm = Wat.toBinary(("(module " + fields + ")").getBytes(StandardCharsets.UTF_8));
        return CallEffects.inThreadedProgram(ModuleDecoder.decode(wasm));
    }

    @Test
    void onlyTheFunctionWithAReturnCallMakesTailCalls() {
        CallEffects effects = effects("1");
        for (int f = 1; f <= 9; f++) assertFalse(effects.makesTailCalls(f), "function " + f);
        assertTrue(effects.makesTailCalls(10));
    }

    @Test
    void onlyFunctionsThatLoadOrStoreReadTheSegment() {
        CallEffects effects = effects("1");
        for (int f = 1; f <= 10; f++) assertEquals(f == 1, effects.accessesMemory(f), "function " + f);
    }

    @Test
    void cyclesAreTheStronglyConnectedComponentsAndSelfCalls() {
        // 0 -> 1 -> 2 -> 0 is a cycle, 3 calls itself, 4 -> 0 and 5 are on none.
        int[][] callees = {{1}, {2}, {0}, {3}, {0}, {}};
        BitSet expected = new BitSet();
        expected.set(0, 4);
        assertEquals(expected, CallEffects.inCycles(callees));
    }

    /** The caller's cached {@code Memory} sees its contents grown, and moved, by a callee's {@code memory.grow}. */
    @Test
    void aCallerSeesTheMemoryItsCalleesGrewAndMoved() throws Exception {
        String wat = """
                (module
                  (memory 1)
                  (func $grows (drop (memory.grow (i32.const 15))))
                  (func $throughAnother (call $grows))
                  (func $reads (result i32) (i32.load (i32.const 8)))
                  (func (export "run") (result i32)
                    (i32.store (i32.const 8) (i32.const 7))
                    (drop (call $reads))
                    (call $throughAnother)
                    (i32.store (i32.const 983040) (call $reads))
                    (i32.load (i32.const 983040))))
                """;
        Instance instance = WasmCompiler.compile(Wat.toBinary(wat.getBytes(StandardCharsets.UTF_8))).instantiate(new Imports());
        assertEquals(7, instance.function("run").call()[0]);
    }
}
