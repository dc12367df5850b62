package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several memories in one module (multi-memory): each instruction reaches the memory its index
 * names, defined or imported, and memory 0 keeps its cached segment while others grow.
 */
class MultiMemoryTest {
    private static final String MODULE = """
            (module
              (import "host" "shared" (memory $imported 1 1))
              (memory $small (export "small") 1 2)
              (memory $big (export "big") 2)
              (data (memory $big) (i32.const 65536) "big")
              (data $passive "init")
              (func (export "store") (param $mem i32) (param $addr i32) (param $value i64)
                (if (i32.eqz (local.get $mem))
                  (then (i64.store $imported (local.get $addr) (local.get $value))))
                (if (i32.eq (local.get $mem) (i32.const 1))
                  (then (i64.store $small (local.get $addr) (local.get $value))))
                (if (i32.eq (local.get $mem) (i32.const 2))
                  (then (i64.store $big offset=8 (i32.sub (local.get $addr) (i32.const 8)) (local.get $value)))))
              (func (export "load") (param $mem i32) (param $addr i32) (result i64)
                (if (i32.eqz (local.get $mem)) (then (return (i64.load $imported (local.get $addr)))))
                (if (i32.eq (local.get $mem) (i32.const 1)) (then (return (i64.load $small (local.get $addr)))))
                (i64.load8_u $big (local.get $addr)))
              (func (export "sizes") (result i32 i32 i32)
                (memory.size $imported) (memory.size $small) (memory.size $big))
              (func (export "growSmall") (param i32) (result i32) (memory.grow $small (local.get 0)))
              (func (export "growBigThenLoadImported") (param i32) (result i32 i64)
                (memory.grow $big (local.get 0))
                (i64.load $imported (i32.const 0)))
              (func (export "copyBigToSmall") (param $d i32) (param $s i32) (param $n i32)
                (memory.copy $small $big (local.get $d) (local.get $s) (local.get $n)))
              (func (export "fillSmall") (param $d i32) (param $v i32) (param $n i32)
                (memory.fill $small (local.get $d) (local.get $v) (local.get $n)))
              (func (export "initSmall") (param $d i32)
                (memory.init $small $passive (local.get $d) (i32.const 0) (i32.const 4)))
              (func (export "vectorCopy") (param $d i32) (param $s i32)
                (v128.store $small (local.get $d) (v128.load $big (local.get $s)))
                (v128.store16_lane $imported 1 (local.get $d) (v128.load64_splat $big (local.get $s)))))
            """;

    private static final CompiledModule COMPILED = WasmCompiler.compile(MODULE.getBytes(StandardCharsets.UTF_8));

    private final Memory shared = new Memory(1, 1, false);
    private final Instance instance = COMPILED.instantiate(new Imports().add("host", "shared", shared));

    @Test
    void eachAccessReachesTheMemoryItNames() {
        call("store", 0, 16, 0x1111L);
        call("store", 1, 16, 0x2222L);
        call("store", 2, 16, 0x3333L);

        assertEquals(0x1111L, shared.readI64(16));
        assertEquals(0x2222L, instance.memory("small").readI64(16));
        assertEquals(0x3333L, instance.memory("big").readI64(16));
        assertEquals(0x1111L, (long) call("load", 0, 16)[0]);
        assertEquals(0x2222L, (long) call("load", 1, 16)[0]);
        assertEquals(0x33L, (long) call("load", 2, 16)[0]);
    }

    @Test
    void anActiveSegmentFillsTheMemoryItNames() {
        assertEquals("big", instance.memory("big").readString(65536, 3));
        assertEquals(0, instance.memory("small").readI32(0));
        assertEquals(0, shared.readI32(65536 - 4));
    }

    @Test
    void eachMemoryHasItsOwnSizeAndGrowth() {
        assertEquals(List.of(1, 1, 2), List.of(call("sizes")));
        assertEquals(1, (int) call("growSmall", 1)[0]);
        assertEquals(-1, (int) call("growSmall", 1)[0]);
        call("store", 0, 0, 42L);
        Object[] result = call("growBigThenLoadImported", 3);
        assertEquals(2, (int) result[0]);
        assertEquals(42L, (long) result[1]);
        assertEquals(List.of(1, 2, 5), List.of(call("sizes")));
    }

    @Test
    void anAccessPastTheEndOfASmallerMemoryTraps() {
        WasmTrap trap = assertThrows(WasmTrap.class, () -> call("store", 1, 65536 - 4, 1L));
        assertTrue(trap.getMessage().startsWith("out of bounds memory access"), trap.getMessage());
        call("store", 2, 65536 - 4, 1L);
    }

    @Test
    void bulkInstructionsWorkBetweenMemories() {
        call("copyBigToSmall", 100, 65536, 3);
        assertEquals("big", instance.memory("small").readString(100, 3));
        call("fillSmall", 200, 0x41, 2);
        assertEquals("AA", instance.memory("small").readString(200, 2));
        call("initSmall", 300);
        assertEquals("init", instance.memory("small").readString(300, 4));
        assertThrows(WasmTrap.class, () -> call("copyBigToSmall", 0, 2 * 65536 - 1, 2));
        assertThrows(WasmTrap.class, () -> call("copyBigToSmall", 65535, 0, 2));
    }

    @Test
    void vectorAccessesReachTheMemoryTheyName() {
        instance.memory("big").writeBytes(0, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        call("vectorCopy", 32, 0);
        assertEquals("0123456789abcdef", instance.memory("small").readString(32, 16));
        assertEquals("23", shared.readString(32, 2));
    }

    @Test
    void importsOfSeveralMemoriesLinkAndCheckEachType() {
        Instance exporter = COMPILED.instantiate(new Imports().add("host", "shared", shared));
        String importer = """
                (module
                  (import "m" "small" (memory 1 2))
                  (import "m" "big" (memory 2))
                  (func (export "sum") (result i32)
                    (i32.add (memory.size 0) (memory.size 1))))
                """;
        CompiledModule compiled = WasmCompiler.compile(importer.getBytes(StandardCharsets.UTF_8));
        Instance linked = compiled.instantiate(new Imports().addInstance("m", exporter));
        assertEquals(3, (int) linked.function("sum").call()[0]);

        Imports swapped = new Imports().add("m", "small", exporter.memory("big")).add("m", "big", exporter.memory("small"));
        LinkException e = assertThrows(LinkException.class, () -> compiled.instantiate(swapped));
        assertTrue(e.getMessage().startsWith("incompatible import type"), e.getMessage());
    }

    @Test
    void growingOneImportSeenAsTwoMemoriesUpdatesBoth() {
        String wat = """
                (module
                  (import "m" "memory" (memory 1))
                  (import "m" "memory" (memory $same 1))
                  (func (export "growThenStore") (result i32 i32)
                    (drop (memory.grow $same (i32.const 1)))
                    (i32.store (i32.const 65536) (i32.const 77))
                    (i32.load $same (i32.const 65536))
                    (memory.size)))
                """;
        Memory memory = new Memory(1, 2, false);
        Instance aliased = WasmCompiler.compile(wat.getBytes(StandardCharsets.UTF_8))
                .instantiate(new Imports().add("m", "memory", memory));
        assertEquals(List.of(77, 2), List.of(aliased.function("growThenStore").call()));
        assertEquals(77, memory.readI32(65536));
    }

    @Test
    void atomicsReachTheMemoryTheyName() {
        String wat = """
                (module
                  (memory 1)
                  (memory $shared (export "shared") 1 1 shared)
                  (func (export "atomics") (result i32 i32 i32 i32 i32)
                    (i32.atomic.store $shared (i32.const 8) (i32.const 5))
                    (i32.atomic.rmw.add $shared (i32.const 8) (i32.const 2))
                    (i32.atomic.rmw8.cmpxchg_u $shared offset=4 (i32.const 4) (i32.const 7) (i32.const 9))
                    (i32.atomic.load $shared (i32.const 8))
                    (memory.atomic.notify $shared (i32.const 8) (i32.const 1))
                    (memory.atomic.wait32 $shared (i32.const 8) (i32.const 9) (i64.const 1000)))
                  (func (export "waitOnMemory0") (result i32)
                    (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const 1000))))
                """;
        Instance atomics = WasmCompiler.compile(wat.getBytes(StandardCharsets.UTF_8)).instantiate(new Imports());
        assertEquals(List.of(5, 7, 9, 0, 2), List.of(atomics.function("atomics").call()));
        assertEquals(9, atomics.memory("shared").readI32(8));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> atomics.function("waitOnMemory0").call());
        assertEquals("expected shared memory", trap.getMessage());
    }

    private Object[] call(String name, Object... args) {
        return instance.function(name).call(args);
    }
}
