package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large innermost loop of a function that fits one method is a twin: the function's first
 * {@link JvmLimits#TWIN_ENTRIES} entries call its outlined copy, the later ones run the loop in
 * place, and both compute what the function computes unsplit: the loop's result on a value under it
 * on the stack, a branch out of it with a value, a return from it, a trap in it, and enough
 * iterations for the outlined copy to resume many times.
 */
class TwinLoopSplitTest {
    private static final String CLASS = "twin.Loops";
    private static final int F = 0;
    /** The steps of the loop's body: enough for {@link JvmLimits#LARGE_LOOP} bytes. */
    private static final int STEPS = 40;

    /**
     * {@code f(n, mode)}: 1000 plus the loop's result, its locals mixed {@code n} times (at least
     * once); mode 1 leaves it by {@code br} with the mix at iteration 5, mode 2 returns -5 from
     * iteration 7, mode 3 divides by zero at iteration 9.
     */
    private static String wat() {
        StringBuilder steps = new StringBuilder();
        for (int k = 0; k < STEPS; k++) {
            steps.append("(local.set $a (i32.xor (i32.mul (local.get $a) (i32.const ").append(31 + k)
                    .append(")) (i32.add (local.get $i) (local.get $b))))\n")
                    .append("(local.set $b (i32.rotl (local.get $b) (local.get $a)))\n");
        }
        return """
                (module
                  (func (export "f") (param $n i32) (param $mode i32) (result i32) (local $i i32) (local $a i32) (local $b i32)
                    (local.set $a (i32.const 7))
                    (local.set $b (local.get $n))
                    (i32.add (i32.const 1000)
                      (block $out (result i32)
                        (loop $l (result i32)
                """ + steps + """
                          (if (i32.and (i32.eq (local.get $mode) (i32.const 1)) (i32.eq (local.get $i) (i32.const 5)))
                            (then (br $out (local.get $a))))
                          (if (i32.and (i32.eq (local.get $mode) (i32.const 2)) (i32.eq (local.get $i) (i32.const 7)))
                            (then (return (i32.const -5))))
                          (if (i32.and (i32.eq (local.get $mode) (i32.const 3)) (i32.eq (local.get $i) (i32.const 9)))
                            (then (local.set $a (i32.div_s (local.get $a) (i32.const 0)))))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))
                          (br_if $l (i32.lt_u (local.get $i) (local.get $n)))
                          (i32.add (local.get $a) (local.get $b)))))))
                """;
    }

    /** The arguments tried: short and long runs (the outlined copy resuming), and each way out. */
    private static final int[][] ARGS = {
        {1, 0}, {3, 0}, {10 * JvmLimits.RESUME_ITERATIONS + 3, 0}, {20, 1}, {3, 1}, {20, 2}, {5, 2}
    };

    @Test
    void bothCopiesOfATwinComputeWhatTheFunctionDoesUnsplit() {
        WasmModule module = ModuleDecoder.decode(WasmCompiler.binary(wat().getBytes(StandardCharsets.UTF_8)));
        ModuleValidator.validate(module);
        FunctionPlanner.Plan plan = FunctionPlanner.plan(new ModuleLayout(module, CLASS.replace('.', '/')), F);
        Outlining outlining = plan.outlining();
        assertNotNull(outlining, "the large loop is outlined");
        assertEquals(List.of(Opcodes.LOOP), outlining.regions().stream().map(r -> r.opcode).toList());
        assertTrue(outlining.twin(outlining.regions().getFirst()), "as a twin");

        Map<String, byte[]> split = ModuleEmitter.emit(module, CLASS);
        Instance whole = CompiledModule.of(CLASS, SplitFixtures.unsplit(module, CLASS, F, split, plan), Map.of())
                .instantiate(new Imports());
        Instance twins = CompiledModule.of(CLASS, split, Map.of()).instantiate(new Imports());
        List<Object> expected = results(whole);
        assertEquals(expected, results(twins), "the outlined copy, on the function's first entries");
        for (int i = 0; i < JvmLimits.TWIN_ENTRIES; i++) twins.function("f").call(2, 0);
        assertEquals(expected, results(twins), "the loop in place, after them");
    }

    /** What {@code f} gives for each of {@link #ARGS}, and the message of its trap in mode 3. */
    private static List<Object> results(Instance instance) {
        List<Object> results = new ArrayList<>();
        for (int[] args : ARGS) results.add(instance.function("f").call(args[0], args[1])[0]);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("f").call(20, 3));
        results.add(trap.getMessage());
        return results;
    }
}
