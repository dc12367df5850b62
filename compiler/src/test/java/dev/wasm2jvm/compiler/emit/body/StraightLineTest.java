package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Which bodies call the compact access helpers ({@link StraightLine}): one without branches whose
 * accesses overrun C2's budget does, the same body with one {@code if} or with few accesses does
 * not; and the compact helpers compute and trap as the others.
 */
class StraightLineTest {
    /** A function summing {@code loads} i64 loads through {@code $p}, then storing the sum after them; {@code branch} puts the first load in an {@code if}. */
    private static CompiledModule module(int loads, boolean branch) {
        StringBuilder body = new StringBuilder();
        body.append(branch ? "(if (local.get $p) (then (local.set $sum (i64.load (local.get $p)))))\n"
                : "(local.set $sum (i64.load (local.get $p)))\n");
        for (int i = 1; i < loads; i++) {
            body.append("(local.set $sum (i64.add (local.get $sum) (i64.load offset=").append(8 * i).append(" (local.get $p))))\n");
        }
        body.append("(i64.store offset=").append(8 * loads).append(" (local.get $p) (local.get $sum))\n");
        // Proven by the store: an unchecked access.
        body.append("(i64.load offset=").append(8 * loads).append(" (local.get $p))\n");
        return WasmCompiler.compile(("""
                (module (memory (export "memory") 1)
                  (func (export "sum") (param $p i32) (result i64) (local $sum i64)
                  %s))
                """.formatted(body)).getBytes(StandardCharsets.UTF_8));
    }

    /** How many calls each runtime access class gets in {@code module}'s code. */
    private static Map<String, Integer> accessCalls(CompiledModule module) {
        Map<String, Integer> calls = new TreeMap<>();
        InvokedOwners.count(module).forEach((owner, n) -> {
            if (owner.endsWith("Access")) calls.put(owner.substring(owner.lastIndexOf('/') + 1), n);
        });
        return calls;
    }

    @Test
    void aStraightBodyWhoseAccessesOverrunTheBudgetCallsTheCompactHelpers() {
        assertEquals(Map.of("CompactAccess", 101, "CompactUncheckedAccess", 1), accessCalls(module(100, false)));
    }

    @Test
    void oneBranchOrFewAccessesKeepTheHelpers() {
        assertEquals(Map.of("MemoryAccess", 101, "UncheckedAccess", 1), accessCalls(module(100, true)));
        assertEquals(Map.of("MemoryAccess", 21, "UncheckedAccess", 1), accessCalls(module(20, false)));
    }

    @Test
    void theCompactHelpersSumStoreAndTrapAsTheOthers() {
        Instance compact = module(100, false).instantiate(new Imports());
        Instance helpers = module(100, true).instantiate(new Imports());
        for (Instance instance : new Instance[] {compact, helpers}) {
            for (int i = 0; i < 1000; i++) instance.memory("memory").writeI32(4 * i, i * 0x9E3779B9);
        }
        for (int p : new int[] {8, 4001, 65536 - 808}) {
            assertEquals(helpers.function("sum").call(p)[0], compact.function("sum").call(p)[0]);
        }
        for (int p : new int[] {65536 - 807, 65536 - 800, -8}) {
            WasmTrap expected = assertThrows(WasmTrap.class, () -> helpers.function("sum").call(p));
            WasmTrap actual = assertThrows(WasmTrap.class, () -> compact.function("sum").call(p));
            assertEquals(expected.getMessage(), actual.getMessage());
        }
        assertEquals("out of bounds memory access: 8 bytes at 64729 + 800, memory size 65536",
                assertThrows(WasmTrap.class, () -> compact.function("sum").call(65536 - 807)).getMessage());
        for (int i = 0; i < 16384; i++) {
            assertEquals(helpers.memory("memory").readI32(4 * i), compact.memory("memory").readI32(4 * i), "word " + i);
        }
    }
}
