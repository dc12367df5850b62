package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A hostile module against the accesses {@link ProvenAccesses} lets go unchecked: each function
 * makes an access that an earlier one proved, next to one that only looks proven (wider, further,
 * through a rewritten local, another memory, a path that skipped the proof), and its caller picks
 * addresses where the second would reach past the memory. Every one must trap where wasm traps,
 * with the spec's message and the side effects before it; the proven ones must really be compiled
 * unchecked, or the test would prove nothing.
 */
class ProvenAccessesTrapTest {
    private static final String UNCHECKED = "dev/wasm2jvm/runtime/internal/UncheckedAccess";

    private static final CompiledModule HOSTILE = WasmCompiler.compile("""
            (module
              (memory $m (export "memory") 1 3)
              (memory $small 1 1)
              (global $grown (mut i32) (i32.const 0))
              (func $grow (result i32) (memory.grow (i32.const 1)))
              ;; Proven, then wider: the wider one is checked.
              (func (export "wider") (param $p i32) (result i32)
                (drop (i32.add (i32.load (local.get $p)) (i32.load8_u (local.get $p))))
                (i32.wrap_i64 (i64.load (local.get $p))))
              ;; Proven, then further: the further one is checked.
              (func (export "further") (param $p i32) (result i32)
                (i32.store offset=2 (local.get $p) (i32.const 7))
                (i32.store (local.get $p) (i32.const 7))
                (i32.load offset=4 (local.get $p)))
              ;; Proven, then the local rewritten by local.set or local.tee.
              (func (export "rewritten") (param $p i32) (param $q i32) (param $tee i32) (result i32)
                (drop (i32.load (local.get $p)))
                (if (local.get $tee)
                  (then (i32.store (local.get $p) (local.tee $p (local.get $q))))
                  (else (local.set $p (local.get $q))))
                (i32.load (local.get $p)))
              ;; A pointer walking past the end: each store is checked, the load after it proven.
              (func (export "walk") (param $p i32) (result i32)
                (local $sum i32)
                (loop $next
                  (i32.store (local.get $p) (i32.const 1))
                  (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $next))
                (local.get $sum))
              ;; A branch that skips the proof.
              (func (export "skipped") (param $p i32) (param $skip i32) (result i32)
                (block (br_if 0 (local.get $skip)) (drop (i32.load (local.get $p))))
                (i32.load (local.get $p)))
              ;; An arm that proves, one that does not.
              (func (export "oneArm") (param $p i32) (param $prove i32) (result i32)
                (if (local.get $prove) (then (drop (i32.load (local.get $p)))))
                (i32.load (local.get $p)))
              ;; Proven in one memory, accessed in a smaller one.
              (func (export "otherMemory") (param $p i32) (result i32)
                (drop (memory.grow $m (i32.const 1)))
                (drop (i32.load $m (local.get $p)))
                (i32.load $small (local.get $p)))
              ;; Proven, then the memory grows, in place and through a call: still proven; further is checked.
              (func (export "afterGrow") (param $p i32) (result i32)
                (i32.store (local.get $p) (i32.const 42))
                (global.set $grown (memory.grow (i32.const 1)))
                (drop (call $grow))
                (i32.add (i32.load (local.get $p)) (i32.load offset=131076 (local.get $p)))))
            """.getBytes(StandardCharsets.UTF_8));

    private final Instance hostile = HOSTILE.instantiate(new Imports());

    private void assertTraps(String message, String function, Object... arguments) {
        WasmTrap trap = assertThrows(WasmTrap.class, () -> hostile.function(function).call(arguments));
        assertEquals("out of bounds memory access: " + message, trap.getMessage());
    }

    private int call(String function, Object... arguments) {
        return (int) hostile.function(function).call(arguments)[0];
    }

    @Test
    void theModulesProvenAccessesAreCompiledUnchecked() {
        // wider's i32.load8_u, further's second store, walk's load, afterGrow's first load.
        assertEquals(4, InvokedOwners.count(HOSTILE).get(UNCHECKED));
    }

    @Test
    void aWiderAccessThanTheProvenOneTraps() {
        assertEquals(0, call("wider", 65536 - 8));
        assertTraps("8 bytes at 65532, memory size 65536", "wider", 65536 - 4);
    }

    @Test
    void aFurtherAccessThanTheProvenOneTrapsAfterTheStoresBeforeIt() {
        assertTraps("4 bytes at 65531 + 2, memory size 65536", "further", 65531);
        assertTraps("4 bytes at 65530 + 4, memory size 65536", "further", 65530);
        assertEquals(7, hostile.memory("memory").readI32(65530));
    }

    @Test
    void anAccessThroughARewrittenLocalTraps() {
        assertTraps("4 bytes at 65536, memory size 65536", "rewritten", 0, 65536, 0);
        assertTraps("4 bytes at 4294967292, memory size 65536", "rewritten", 8, -4, 1);
        assertEquals(-4, hostile.memory("memory").readI32(8));
    }

    @Test
    void aPointerWalkingPastTheEndTrapsAtTheFirstStorePastIt() {
        assertTraps("4 bytes at 65536, memory size 65536", "walk", 65536 - 64);
        assertEquals(1, hostile.memory("memory").readI32(65532));
    }

    @Test
    void anAccessWhoseProofWasSkippedTraps() {
        assertTraps("4 bytes at 70000, memory size 65536", "skipped", 70000, 1);
        assertTraps("4 bytes at 70000, memory size 65536", "oneArm", 70000, 0);
        assertTraps("4 bytes at 70000, memory size 65536", "oneArm", 70000, 1);
    }

    @Test
    void anAccessProvenInOneMemoryIsCheckedInAnother() {
        assertEquals(0, call("otherMemory", 65532));
        assertTraps("4 bytes at 65536, memory size 65536", "otherMemory", 65536);
    }

    @Test
    void aProvenAccessAfterTheMemoryGrewReadsItWhereItIsNowAndAFurtherOneTrapsOnceItCannotGrow() {
        Memory memory = hostile.memory("memory");
        assertEquals(42, call("afterGrow", 65528));
        assertEquals(3 * 65536, memory.segment().byteSize());
        assertTraps("4 bytes at 65532 + 131076, memory size 196608", "afterGrow", 65532);
        assertEquals(42, memory.readI32(65532));
    }
}
