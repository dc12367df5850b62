package dev.wasm2jvm.compiler.module;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The index spaces of a module whose imports of different kinds are interleaved. */
class WasmModuleTest {
    private static final FuncType UNARY = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
    private static final FuncType NULLARY = new FuncType(List.of(), List.of());
    private static final GlobalType CONST_I64 = new GlobalType(ValType.I64, false);
    private static final GlobalType MUT_I32 = new GlobalType(ValType.I32, true);
    private static final TableType TABLE = new TableType(ValType.FUNCREF, new Limits(1, 10, false));

    private static final Import F0 = Import.func("env", "f0", 1);
    private static final Import G0 = Import.global("env", "g0", CONST_I64);
    private static final Import F1 = Import.func("env", "f1", 0);
    private static final Import T0 = Import.table("env", "t0", TABLE);
    private static final Import G1 = Import.global("env", "g1", MUT_I32);

    private static WasmModule module() {
        List<Import> imports = List.of(F0, G0, F1, T0, G1);
        return new WasmModule(List.of(UNARY, NULLARY), imports, new int[] {1, 0, 0}, List.of(), List.of(),
                List.of(new Global(CONST_I64, null)), List.of(), -1, List.of(), List.of(), -1, List.of(), Names.NONE,
                List.of());
    }

    @Test
    void importsOfEachKindComeFirstInTheirIndexSpace() {
        WasmModule m = module();
        assertEquals(2, m.importCount(ExternKind.FUNC));
        assertEquals(2, m.importCount(ExternKind.GLOBAL));
        assertEquals(1, m.importCount(ExternKind.TABLE));
        assertEquals(0, m.importCount(ExternKind.MEMORY));
        assertSame(F0, m.importOf(ExternKind.FUNC, 0));
        assertSame(F1, m.importOf(ExternKind.FUNC, 1));
        assertNull(m.importOf(ExternKind.FUNC, 2));
        assertNull(m.importOf(ExternKind.FUNC, -1));
        assertSame(G1, m.importOf(ExternKind.GLOBAL, 1));
        assertSame(T0, m.importOf(ExternKind.TABLE, 0));
        assertNull(m.importOf(ExternKind.MEMORY, 0));
    }

    @Test
    void typesOfImportedAndDefinedEntities() {
        WasmModule m = module();
        assertEquals(5, m.functionCount());
        assertEquals(List.of(NULLARY, UNARY, NULLARY, UNARY, UNARY),
                List.of(m.funcType(0), m.funcType(1), m.funcType(2), m.funcType(3), m.funcType(4)));
        assertEquals(3, m.globalCount());
        assertEquals(List.of(CONST_I64, MUT_I32, CONST_I64), List.of(m.globalType(0), m.globalType(1), m.globalType(2)));
        assertEquals(TABLE, m.tableType(0));
    }

    @Test
    void theImportsAreTheSectionsInOrderAndCannotChange() {
        WasmModule m = module();
        assertEquals(List.of(F0, G0, F1, T0, G1), m.imports());
        assertThrows(UnsupportedOperationException.class, () -> m.imports().add(F0));
    }
}
