package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Table;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code Imports.maxTableElements} caps the tables a module defines: growth past it fails, a minimum above it does not link. */
class TableLimitTest {
    private static final CompiledModule TABLES = compile("""
            (module
              (table (export "open") 1 funcref)
              (table (export "bounded") 4 6 externref)
              (table (export "wide") i64 1 funcref)
              (func (export "growOpen") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
              (func (export "growBounded") (param i32) (result i32) (table.grow 1 (ref.null extern) (local.get 0)))
              (func (export "growWide") (param i64) (result i64) (table.grow 2 (ref.null func) (local.get 0)))
              (func (export "sizeOpen") (result i32) (table.size 0)))
            """);

    @Test
    void tableGrowReturnsMinusOnePastTheLimit() {
        Instance instance = TABLES.instantiate(new Imports().maxTableElements(5));

        assertEquals(1, grow(instance, "growOpen", 3));
        assertEquals(4, grow(instance, "growOpen", 1));
        assertEquals(-1, grow(instance, "growOpen", 1));
        assertEquals(-1, grow(instance, "growOpen", 0x7FFF_FFFF));
        assertEquals(5, (int) instance.function("sizeOpen").call()[0]);
        assertEquals(5, instance.table("open").max());
        assertEquals(-1L, (long) instance.function("growWide").call(5L)[0]);
        assertEquals(1L, (long) instance.function("growWide").call(4L)[0]);
    }

    @Test
    void aDeclaredMaximumBelowTheLimitStays() {
        Instance instance = TABLES.instantiate(new Imports().maxTableElements(1000));

        assertEquals(4, grow(instance, "growBounded", 2));
        assertEquals(-1, grow(instance, "growBounded", 1));
        assertEquals(6, instance.table("bounded").max());
    }

    @Test
    void withoutALimitTheTableGrowsAsTheModuleAllows() {
        Instance instance = TABLES.instantiate(new Imports());

        assertEquals(1, grow(instance, "growOpen", 100_000));
        assertEquals(100_001, (int) instance.function("sizeOpen").call()[0]);
        assertEquals(-1, instance.table("open").max());
    }

    @Test
    void aMinimumAboveTheLimitFailsToLinkNamingBoth() {
        LinkException e = assertThrows(LinkException.class, () -> TABLES.instantiate(new Imports().maxTableElements(3)));

        assertEquals("table 1 needs 4 elements from the start, more than the table limit of 3 elements", e.getMessage());
    }

    @Test
    void tablesTheHostAddsAreNotCapped() {
        CompiledModule importer = compile("""
                (module
                  (import "host" "t" (table 1 funcref))
                  (func (export "grow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0))))
                """);
        Table hostTable = new Table('r', 1, -1, null);
        Instance instance = importer.instantiate(new Imports().maxTableElements(2).add("host", "t", hostTable));

        assertEquals(1, grow(instance, "grow", 10));
        assertEquals(11, hostTable.size());
    }

    @Test
    void aLimitBeyondWhatA32BitTableCountsCapsA64BitTableAndLeavesA32BitOneItsMost() {
        Instance instance = TABLES.instantiate(new Imports().maxTableElements(1L << 40));

        assertEquals(0xFFFF_FFFFL, instance.table("open").max());
        assertEquals(1L << 40, instance.table("wide").max());
        assertEquals(1, grow(instance, "growOpen", 1));
    }

    @Test
    void aNegativeLimitOtherThanNoneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Imports().maxTableElements(-2));
        assertThrows(IllegalArgumentException.class, () -> WasiOptions.builder().maxTableElements(-2));
    }

    /** A WASI command exits 0 if its table grows by 10 elements, 7 if the growth fails. */
    @Test
    void aCommandRunsWithTheTableLimitOfItsOptions() {
        CompiledModule command = compile("""
                (module
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (table 1 funcref)
                  (func (export "_start")
                    (call $exit (select (i32.const 7) (i32.const 0)
                      (i32.eq (table.grow (ref.null func) (i32.const 10)) (i32.const -1))))))
                """);

        assertEquals(7, run(command, WasiOptions.builder().maxTableElements(5)));
        assertEquals(0, run(command, WasiOptions.builder().maxTableElements(11)));
        assertEquals(0, run(command, WasiOptions.builder()));
    }

    private static int run(CompiledModule command, WasiOptions.Builder options) {
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        return new CommandRunner(command.className(), command::instantiate)
                .run(options.args(List.of("grow")).build(), new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
    }

    private static int grow(Instance instance, String export, int elements) {
        return (int) instance.function(export).call(elements)[0];
    }

    private static CompiledModule compile(String wat) {
        return WasmCompiler.compile(wat.getBytes(StandardCharsets.UTF_8));
    }
}
