package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Table;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 64-bit memories and tables (memory64, table64): i64 addresses, offsets, sizes and indices, bounds
 * checks that do not wrap, and a memory that grows past 4 GiB without committing what it reserves.
 */
class Memory64Test {
    private static final long GIB = 1L << 30;

    private static CompiledModule compile(String wat) {
        return WasmCompiler.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    private static final CompiledModule ACCESS = compile("""
            (module
              (memory (export "memory") i64 1 4)
              (data (i64.const 8) "\\2a")
              (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
              (func (export "loadOffset") (param i64) (result i32)
                (i32.load8_u offset=0xFFFF_FFFF_FFFF_FFFF (local.get 0)))
              (func (export "store") (param i64 i32) (i32.store offset=4 (local.get 0) (local.get 1)))
              (func (export "size") (result i64) (memory.size))
              (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
              (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
              (func (export "vector") (param i64 i64)
                (v128.store (local.get 0) (v128.load offset=0x1_0000 (local.get 1)))))
            """);

    private final Instance access = ACCESS.instantiate(new Imports());

    @Test
    void addressesAndResultsAreI64() {
        assertEquals(42L, (long) access.function("load").call(8L)[0]);
        access.function("store").call(65536L - 8, 7);
        assertEquals(7, access.memory("memory").readI32(65536 - 4));
        assertEquals(1L, (long) access.function("size").call()[0]);
        assertEquals(1L, (long) access.function("grow").call(2L)[0]);
        assertEquals(-1L, (long) access.function("grow").call(2L)[0]);
        assertEquals(-1L, (long) access.function("grow").call(1L << 40)[0]);
        assertEquals(3L, (long) access.function("size").call()[0]);
    }

    @Test
    void anAddressPlusOffsetBeyond2To64TrapsInsteadOfWrapping() {
        WasmTrap trap = assertThrows(WasmTrap.class, () -> access.function("loadOffset").call(9L));
        assertTrue(trap.getMessage().startsWith("out of bounds memory access"), trap.getMessage());
        assertThrows(WasmTrap.class, () -> access.function("load").call(-1L));
        assertThrows(WasmTrap.class, () -> access.function("store").call(Long.MAX_VALUE, 1));
        assertThrows(WasmTrap.class, () -> access.function("store").call(65536L - 7, 1));
        assertEquals(0, access.memory("memory").readI32(65536 - 4));
    }

    @Test
    void bulkAndVectorAccessesTakeI64Operands() {
        access.function("grow").call(1L);
        access.function("fill").call(65536L, 0x5a, 16L);
        access.function("vector").call(100L, 0L);
        assertEquals("ZZZZZZZZZZZZZZZZ", access.memory("memory").readString(100, 16));
        assertThrows(WasmTrap.class, () -> access.function("fill").call(1L, 0, -1L));
        assertThrows(WasmTrap.class, () -> access.function("vector").call(2 * 65536L - 15, 0L));
    }

    @Test
    void aMemoryGrowsPast4GiBWithoutCommittingWhatItReserves() throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "needs Linux's /proc to read the resident set");
        Instance big = compile("""
                (module
                  (memory (export "memory") i64 1 0x1_0010)
                  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
                  (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
                  (func (export "load") (param i64) (result i64) (i64.load (local.get 0))))
                """).instantiate(new Imports());
        long before = residentBytes(status);

        assertEquals(1L, (long) big.function("grow").call(0x1_0000L)[0]);

        long resident = residentBytes(status) - before;
        assertTrue(resident < 256L << 20, "growing to 4 GiB made " + resident + " bytes resident");
        long beyond = 4 * GIB + 8;
        big.function("store").call(beyond, 0x0123_4567_89ab_cdefL);
        assertEquals(0x0123_4567_89ab_cdefL, (long) big.function("load").call(beyond)[0]);
        assertEquals(0x0123_4567_89ab_cdefL, big.memory("memory").readI64(beyond));
        assertEquals(0L, (long) big.function("load").call(2 * GIB)[0]);
        assertThrows(WasmTrap.class, () -> big.function("load").call(4 * GIB + 65536 - 7));
        assertEquals(-1L, (long) big.function("grow").call(0x10L)[0]);
    }

    /** clang's output for its wasm64 target (memory/memory64.c), run past 4 GiB. */
    @Test
    void aC64ProgramFromClangRunsAndGrowsPast4GiB() {
        Instance program = WasmCompiler.compile(TestModules.resource("memory/memory64.wasm")).instantiate(new Imports());
        program.function("fill").call(42L);
        // The same LCG and FNV-style mix in unsigned 64-bit arithmetic, computed outside wasm.
        assertEquals(7030514978503919452L, (long) program.function("checksum").call()[0]);
        long last = (long) program.function("grow_and_touch").call(0x1_0000L)[0];
        assertEquals((2 + 0x1_0000L) * 65536 - 1, last);
        assertTrue(last > 4 * GIB);
        assertEquals(0x5a, (int) program.function("peek").call(last)[0]);
        assertEquals(0x5a, program.memory("memory").readBytes(last, 1)[0]);
    }

    private static long residentBytes(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in " + status);
    }

    @Test
    void tableInstructionsAndCallIndirectTakeI64Indices() {
        Instance tables = compile("""
                (module
                  (type $ret (func (result i32)))
                  (table $t (export "table") i64 2 funcref)
                  (table $small i32 1 funcref)
                  (elem (table $t) (i64.const 1) func $seven)
                  (func $seven (result i32) (i32.const 7))
                  (func (export "call") (param i64) (result i32) (call_indirect $t (type $ret) (local.get 0)))
                  (func (export "size") (result i64) (table.size $t))
                  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
                  (func (export "copy") (param i64 i64 i64) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
                  (func (export "copyToSmall") (param i32 i64 i32) (table.copy $small $t (local.get 0) (local.get 1) (local.get 2)))
                  (func (export "isNull") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0)))))
                """).instantiate(new Imports());
        assertEquals(7, (int) tables.function("call").call(1L)[0]);
        WasmTrap undefined = assertThrows(WasmTrap.class, () -> tables.function("call").call((1L << 32) + 1));
        assertTrue(undefined.getMessage().startsWith("undefined element"), undefined.getMessage());
        assertEquals(2L, (long) tables.function("size").call()[0]);
        assertEquals(2L, (long) tables.function("grow").call(3L)[0]);
        assertEquals(-1L, (long) tables.function("grow").call(1L << 32)[0]);
        tables.function("copy").call(4L, 1L, 1L);
        assertEquals(7, (int) tables.function("call").call(4L)[0]);
        assertThrows(WasmTrap.class, () -> tables.function("copy").call(0L, 1L, (1L << 32) + 1));
        tables.function("copyToSmall").call(0, 1L, 1);
        assertEquals(0, (int) tables.function("isNull").call(1L)[0]);
        assertThrows(WasmTrap.class, () -> tables.function("isNull").call(-1L));
    }

    @Test
    void atomicsTakeI64AddressesAndCheckAlignmentAndBounds() {
        Instance atomics = compile("""
                (module
                  (memory (export "memory") i64 1 1 shared)
                  (func (export "add") (param i64 i32) (result i32) (i32.atomic.rmw.add offset=8 (local.get 0) (local.get 1)))
                  (func (export "cmpxchg8") (param i64 i32 i32) (result i32)
                    (i32.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
                  (func (export "wait") (param i64 i32) (result i32)
                    (memory.atomic.wait32 offset=4 (local.get 0) (local.get 1) (i64.const 1000)))
                  (func (export "notify") (param i64) (result i32) (memory.atomic.notify (local.get 0) (i32.const 1))))
                """).instantiate(new Imports());
        assertEquals(0, (int) atomics.function("add").call(8L, 5)[0]);
        assertEquals(5, (int) atomics.function("add").call(8L, 1)[0]);
        assertEquals(6, atomics.memory("memory").readI32(16));
        assertEquals(6, (int) atomics.function("cmpxchg8").call(16L, 6, 9)[0]);
        assertEquals(9, atomics.memory("memory").readI32(16));
        assertEquals(2, (int) atomics.function("wait").call(12L, 9)[0]);
        assertEquals(1, (int) atomics.function("wait").call(12L, 0)[0]);
        assertEquals(0, (int) atomics.function("notify").call(16L)[0]);
        WasmTrap unaligned = assertThrows(WasmTrap.class, () -> atomics.function("add").call(2L, 1));
        assertEquals("unaligned atomic", unaligned.getMessage());
        WasmTrap wrapped = assertThrows(WasmTrap.class, () -> atomics.function("add").call(-8L, 1));
        assertTrue(wrapped.getMessage().startsWith("out of bounds memory access"), wrapped.getMessage());
        assertThrows(WasmTrap.class, () -> atomics.function("add").call(65536L - 8, 1));
        assertThrows(WasmTrap.class, () -> atomics.function("wait").call(-4L, 0));
        assertThrows(WasmTrap.class, () -> atomics.function("notify").call(1L << 32));
    }

    @Test
    void importsLinkOnlyToTheSameAddressType() {
        CompiledModule importer = compile("""
                (module
                  (import "host" "memory" (memory i64 1))
                  (import "host" "table" (table i64 1 funcref))
                  (func (export "size") (result i64 i64) (memory.size) (table.size)))
                """);
        Imports wide = new Imports().add("host", "memory", new Memory(2, -1, false, true))
                .add("host", "table", new Table('r', 3, -1, null, true));
        assertEquals(List.of(2L, 3L), List.of(importer.instantiate(wide).function("size").call()));

        Imports narrowMemory = new Imports().add("host", "memory", new Memory(2, -1, false))
                .add("host", "table", new Table('r', 3, -1, null, true));
        LinkException memory = assertThrows(LinkException.class, () -> importer.instantiate(narrowMemory));
        assertTrue(memory.getMessage().startsWith("incompatible import type"), memory.getMessage());
        Imports narrowTable = new Imports().add("host", "memory", new Memory(2, -1, false, true))
                .add("host", "table", new Table('r', 3, -1, null));
        LinkException table = assertThrows(LinkException.class, () -> importer.instantiate(narrowTable));
        assertTrue(table.getMessage().startsWith("incompatible import type"), table.getMessage());
    }
}
