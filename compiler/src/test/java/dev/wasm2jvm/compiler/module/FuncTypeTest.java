package dev.wasm2jvm.compiler.module;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Function types are equal when their parameters and results are, as the record's own methods would have them. */
class FuncTypeTest {
    @Test
    void equalTypesAreEqualAndHashAlike() {
        FuncType a = new FuncType(List.of(ValType.I32, ValType.I64), List.of(ValType.F64));
        FuncType b = new FuncType(new ArrayList<>(List.of(ValType.I32, ValType.I64)), new ArrayList<>(List.of(ValType.F64)));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void typesDifferInParametersOrResults() {
        FuncType a = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
        assertNotEquals(a, new FuncType(List.of(ValType.I64), List.of(ValType.I32)));
        assertNotEquals(a, new FuncType(List.of(ValType.I32), List.of()));
        // Parameters and results are not interchangeable.
        assertNotEquals(new FuncType(List.of(ValType.I32), List.of()), new FuncType(List.of(), List.of(ValType.I32)));
        assertNotEquals(a, null);
        assertNotEquals(a, "[i32] -> [i32]");
    }

    /** Hash maps keyed by types iterate in the same order as with the record's hash, so the classes emitted are the same. */
    @Test
    void hashIsTheRecordsHash() {
        FuncType t = new FuncType(List.of(ValType.I32, ValType.F32), List.of(ValType.I64));
        assertEquals(31 * List.of(ValType.I32, ValType.F32).hashCode() + List.of(ValType.I64).hashCode(), t.hashCode());
    }
}
