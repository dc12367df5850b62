package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.StraightLineSteps;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exceptions in functions too large for one method, which the compiler splits: a throw in an
 * outlined block caught by a caller, a {@code try_table} inside an outlined block whose clause
 * branches out of it, one in the function's own method whose clause passes the values under it,
 * a {@code try_table} and a legacy {@code try} whose bodies are too large to stay in their method
 * (their handlers see the locals that the outlined code wrote before it threw), and one in a case
 * of a switch run as a state machine, whose clause branches to the switch's end.
 * Each result is checked against a Java model of the same code.
 */
class ExceptionHandlingSplitTest {
    /** Steps of straight-line code per outlined block: several thousand bytes of bytecode. */
    private static final int STEPS = 400;
    /** Steps of straight-line code in the function's own method, after its outlined parts. */
    private static final int OWN_STEPS = 300;
    private static final int CASES = 12;
    private static final int CASE_STEPS = 150;
    /** The case whose try_table catches what its call throws when the accumulator is odd. */
    private static final int CATCHING_CASE = 5;

    private static String module() {
        StringBuilder sw = new StringBuilder("block $end\n");
        for (int i = CASES - 1; i >= 0; i--) sw.append("block $c").append(i).append('\n');
        sw.append("local.get $x i32.const 3 i32.shr_u br_table");
        for (int i = 0; i < CASES; i++) sw.append(" $c").append(i);
        sw.append(" $end\nend\n");
        for (int i = 0; i < CASES; i++) {
            sw.append(StraightLineSteps.wat(CASE_STEPS, 100 * i));
            if (i == CATCHING_CASE) {
                sw.append("try_table (catch_all $end)\n")
                        .append("local.get $acc i32.const 1 i32.and local.get $acc call $maybeThrow\nend\n")
                        .append("i32.const -1 local.set $acc\n");
            }
            sw.append("br $end\nend\n");
        }
        return """
                (module
                  (tag $e (export "e") (param i32))
                  (func $maybeThrow (param $when i32) (param $v i32)
                    (if (local.get $when) (then (throw $e (local.get $v)))))
                  (func $big (export "big") (param $x i32) (result i32) (local $acc i32) (local $mark i32) (local $got i32)
                    (local.set $acc (local.get $x))
                    ;; An outlined block that throws out of the function when x & 7 is 1.
                    (block
                      %s
                      (call $maybeThrow (i32.eq (i32.and (local.get $x) (i32.const 7)) (i32.const 1)) (local.get $acc)))
                    ;; An outlined block whose try_table catches when x & 7 is 2 and branches out of it.
                    (local.set $acc
                      (block $caught (result i32)
                        (block
                          %s
                          (try_table (catch $e $caught)
                            (call $maybeThrow (i32.eq (i32.and (local.get $x) (i32.const 7)) (i32.const 2))
                              (i32.add (local.get $acc) (i32.const 5))))
                          %s)
                        (i32.add (local.get $acc) (i32.const 1000))))
                    ;; A catch that keeps the value under its target block: acc + payload when x & 7 is 3.
                    (local.set $acc
                      (i32.add (local.get $acc)
                        (block $h (result i32)
                          (try_table (catch $e $h)
                            (call $maybeThrow (i32.eq (i32.and (local.get $x) (i32.const 7)) (i32.const 3))
                              (i32.const 77)))
                          (i32.const 0))))
                    ;; A try_table around code too large for its method: what that code wrote before it
                    ;; threw (when x & 7 is 4) is there for the handler.
                    (block $caught4 (result i32)
                      (try_table (catch $e $caught4)
                        (block
                          %s
                          (local.set $mark (i32.const 1))
                          (call $maybeThrow (i32.eq (i32.and (local.get $x) (i32.const 7)) (i32.const 4)) (local.get $acc))
                          %s))
                      (i32.const 0))
                    (local.set $got)
                    (local.set $acc (i32.add (local.get $acc) (i32.add (local.get $got) (local.get $mark))))
                    ;; The same with a legacy try, throwing when x & 7 is 5.
                    (try
                      (do
                        (block
                          %s
                          (local.set $mark (i32.const 2))
                          (call $maybeThrow (i32.eq (i32.and (local.get $x) (i32.const 7)) (i32.const 5)) (local.get $acc))
                          %s))
                      (catch $e
                        (drop)
                        (local.set $acc (i32.add (local.get $acc) (i32.const 3)))))
                    (local.set $acc (i32.add (local.get $acc) (local.get $mark)))
                    ;; Straight-line code of the function's own, which takes the room of its method
                    ;; so that it outlines its first block.
                    %s
                    %s
                    (local.get $acc))
                  (func (export "run") (param $x i32) (result i32)
                    (block $h (result i32)
                      (try_table (result i32) (catch $e $h)
                        (i32.sub (i32.const 0) (call $big (local.get $x)))))))
                """.formatted(StraightLineSteps.wat(STEPS, 1), StraightLineSteps.wat(STEPS, 2),
                        StraightLineSteps.wat(STEPS, 3), StraightLineSteps.wat(STEPS, 4),
                        StraightLineSteps.wat(STEPS, 5), StraightLineSteps.wat(STEPS, 6),
                        StraightLineSteps.wat(STEPS, 7), StraightLineSteps.wat(OWN_STEPS, 8), sw);
    }

    /** What {@code run(x)} returns: {@code -big(x)}, or the payload of what escaped {@code big}. */
    private static int runModel(int x) {
        int acc = x;
        acc = StraightLineSteps.model(acc, STEPS, 1);
        if ((x & 7) == 1) return acc;
        acc = StraightLineSteps.model(acc, STEPS, 2);
        if ((x & 7) == 2) {
            acc = acc + 5;
        } else {
            acc = StraightLineSteps.model(acc, STEPS, 3) + 1000;
        }
        acc += (x & 7) == 3 ? 77 : 0;
        acc = StraightLineSteps.model(acc, STEPS, 4);
        if ((x & 7) == 4) acc = acc + acc + 1;
        else acc = StraightLineSteps.model(acc, STEPS, 5) + 1;
        acc = StraightLineSteps.model(acc, STEPS, 6);
        if ((x & 7) == 5) acc += 3;
        else acc = StraightLineSteps.model(acc, STEPS, 7);
        acc += 2;
        acc = StraightLineSteps.model(acc, OWN_STEPS, 8);
        int c = Integer.compareUnsigned(x >>> 3, CASES) < 0 ? x >>> 3 : -1;
        if (c >= 0) {
            acc = StraightLineSteps.model(acc, CASE_STEPS, 100 * c);
            if (c == CATCHING_CASE && (acc & 1) == 0) acc = -1;
        }
        return -acc;
    }

    @Test
    void exceptionsCrossTheMethodsOfASplitFunction() {
        CompiledModule compiled = WasmCompiler.compile(Wat.toBinary(module()));
        String names = String.join(" ", compiled.classFiles().values().stream()
                .flatMap(c -> CodeSizes.of(c).keySet().stream()).toList());
        assertTrue(names.contains("$block_"), "outlined blocks: " + names);
        assertTrue(names.contains("$states_"), "a state machine's groups: " + names);
        for (Map.Entry<String, byte[]> c : compiled.classFiles().entrySet()) {
            for (Map.Entry<String, Integer> m : CodeSizes.of(c.getValue()).entrySet()) {
                assertTrue(m.getValue() <= JvmLimits.HUGE_METHOD, c.getKey() + "." + m.getKey() + " has " + m.getValue() + " bytes");
            }
        }
        Instance instance = compiled.instantiate(new Imports());
        for (int c = 0; c <= CASES + 1; c++) {
            for (int low = 0; low < 8; low++) {
                for (int high : new int[] {0, 1 << 20}) {
                    int x = high | c << 3 | low;
                    assertEquals(runModel(x), (int) instance.function("run").call(x)[0], "run(" + x + ")");
                }
            }
        }
        WasmException escaped = assertThrows(WasmException.class, () -> instance.function("big").call(1));
        assertEquals(StraightLineSteps.model(1, STEPS, 1), escaped.value(0));
    }
}
