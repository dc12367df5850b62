package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Memory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code Imports.maxMemory} caps the memories a module defines: growth past it fails, a minimum above it does not link. */
class MemoryLimitTest {
    private static final CompiledModule GROW = WasmCompiler.compile(TestModules.resource("memory/grow.wasm"));
    private static final CompiledModule BOUNDED = WasmCompiler.compile(TestModules.resource("memory/bounded.wasm"));

    @Test
    void memoryGrowReturnsMinusOnePastTheLimit() {
        Instance instance = GROW.instantiate(new Imports().maxMemory(3L * Memory.PAGE_SIZE));

        assertEquals(1, grow(instance, 1));
        assertEquals(2, grow(instance, 1));
        assertEquals(-1, grow(instance, 1));
        assertEquals(-1, grow(instance, 100));
        assertEquals(3, (int) instance.function("size").call()[0]);
        assertEquals(3, grow(instance, 0));
    }

    @Test
    void theLimitIsRoundedDownToWholePages() {
        Instance instance = GROW.instantiate(new Imports().maxMemory(2L * Memory.PAGE_SIZE + Memory.PAGE_SIZE - 1));

        assertEquals(1, grow(instance, 1));
        assertEquals(-1, grow(instance, 1));
    }

    @Test
    void withoutALimitTheMemoryGrowsAsTheModuleAllows() {
        Instance instance = GROW.instantiate(new Imports());

        assertEquals(1, grow(instance, 255));
        assertEquals(256, (int) instance.function("size").call()[0]);
    }

    @Test
    void aDeclaredMaximumBelowTheLimitStays() {
        Instance instance = BOUNDED.instantiate(new Imports().maxMemory(1L << 30));

        assertEquals(4, grow(instance, 2));
        assertEquals(-1, grow(instance, 1));
        assertEquals(6, instance.memory("memory").maxPages());
    }

    @Test
    void aMinimumAboveTheLimitFailsToLinkNamingBoth() {
        LinkException e = assertThrows(LinkException.class, () -> BOUNDED.instantiate(new Imports().maxMemory(3L * Memory.PAGE_SIZE)));

        assertEquals("memory 0 needs 4 pages (256 KiB) from the start, more than the memory limit of 3 pages (192 KiB)",
                e.getMessage());
    }

    @Test
    void aLimitBeyond4GiBCapsA64BitMemoryAndLeavesA32BitOneIts4GiB() {
        String wat = """
                (module
                  (memory (export "wide") i64 1)
                  (memory (export "narrow") 1)
                  (func (export "growWide") (param i64) (result i64) (memory.grow 0 (local.get 0)))
                  (func (export "growNarrow") (param i32) (result i32) (memory.grow 1 (local.get 0))))
                """;
        Instance instance = WasmCompiler.compile(wat.getBytes(StandardCharsets.UTF_8))
                .instantiate(new Imports().maxMemory(5L << 30));

        assertEquals(81920, instance.memory("wide").maxPages());
        assertEquals(65536, instance.memory("narrow").maxPages());
        assertEquals(-1L, (long) instance.function("growWide").call(81920L)[0]);
        assertEquals(1L, (long) instance.function("growWide").call(81919L)[0]);
        assertEquals(-1, (int) instance.function("growNarrow").call(65536)[0]);
    }

    @Test
    void aNegativeLimitOtherThanNoneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Imports().maxMemory(-2));
    }

    private static int grow(Instance instance, int pages) {
        return (int) instance.function("grow").call(pages)[0];
    }
}
