package dev.wasm2jvm.spectest;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Table;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectestTest {
    private final Map<String, Object> exports = Spectest.exports();

    @Test
    void printFunctionsHaveTheReferenceSignaturesAndReturnNothing() {
        Map<String, String> signatures = Map.of("print", ":", "print_i32", "i:", "print_i64", "l:", "print_f32", "f:",
                "print_f64", "d:", "print_i32_f32", "if:", "print_f64_f64", "dd:");
        signatures.forEach((name, type) -> assertEquals(type, ((FuncRef) exports.get(name)).type, name));
        assertArrayEquals(new Object[0], ((FuncRef) exports.get("print_i32_f32")).call(1, 2.5f));
    }

    @Test
    void globalsAreImmutable666() {
        assertEquals(666, ((Global) exports.get("global_i32")).get());
        assertEquals(666L, ((Global) exports.get("global_i64")).get());
        assertEquals(666.6f, ((Global) exports.get("global_f32")).get());
        assertEquals(666.6, ((Global) exports.get("global_f64")).get());
        for (String name : List.of("global_i32", "global_i64", "global_f32", "global_f64")) {
            assertFalse(((Global) exports.get(name)).mutable, name);
        }
    }

    @Test
    void tableAndMemories() {
        Table table = (Table) exports.get("table");
        assertEquals('r', table.elemType);
        assertEquals(10, table.size());
        assertEquals(20, table.max());
        assertNull(table.get(9));
        assertFalse(table.address64());
        Table table64 = (Table) exports.get("table64");
        assertEquals(10, table64.size());
        assertEquals(20, table64.max());
        assertTrue(table64.address64());

        Memory memory = (Memory) exports.get("memory");
        assertEquals(1, memory.pages());
        assertEquals(2, memory.maxPages());
        assertFalse(memory.shared());
        Memory shared = (Memory) exports.get("shared_memory");
        assertEquals(1, shared.pages());
        assertEquals(2, shared.maxPages());
        assertTrue(shared.shared());
    }

    @Test
    void everyScriptGetsItsOwnMemory() {
        assertNotSame(exports.get("memory"), Spectest.exports().get("memory"));
    }
}
