package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.Global;
import dev.wasm2jvm.compiler.module.GlobalType;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.Names;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where the validator points at an error, and rules the corpus checks only in passing. */
class ModuleValidatorTest {
    private static final FuncType VOID = FuncType.EMPTY;
    private static final FuncType TO_I32 = new FuncType(List.of(), List.of(ValType.I32));
    private static final int BODY_OFFSET = 100;

    @Test
    void reportsTheOffendingInstructionAndFunction() {
        // i32.const 0; i64.const 0; i32.add; end, in the function after one import
        WasmModule module = module(List.of(TO_I32), List.of(Import.func("m", "f", 0)), List.of(),
                body(0x41, 0x00, 0x42, 0x00, 0x6A, 0x0B));
        CompileException e = assertThrows(CompileException.class, () -> ModuleValidator.validate(module));
        assertEquals(CompileException.Kind.INVALID, e.kind());
        assertEquals("type mismatch", e.specMessage());
        assertEquals(BODY_OFFSET + 4, e.offset());
        assertEquals(1, e.funcidx());
    }

    @Test
    void unreachableCodeIsStackPolymorphic() {
        // unreachable; i32.add; end, for a function returning i32
        assertValid(module(List.of(TO_I32), List.of(), List.of(), body(0x00, 0x6A, 0x0B)));
        // unreachable; i64.const 0; i32.add; end: a known operand must still match
        assertInvalid("type mismatch", module(List.of(TO_I32), List.of(), List.of(),
                body(0x00, 0x42, 0x00, 0x6A, 0x0B)));
    }

    @Test
    void blockParametersComeFromTheEnclosingStack() {
        FuncType i32ToI32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
        // i32.const 1; block (type 1) i32.const 2; i32.add; end; end
        assertValid(module(List.of(TO_I32, i32ToI32), List.of(), List.of(),
                body(0x41, 0x01, 0x02, 0x01, 0x41, 0x02, 0x6A, 0x0B, 0x0B)));
        // i32.const 1; if (type 1) end; end: without else the parameters must equal the results
        FuncType i32ToI64 = new FuncType(List.of(ValType.I32), List.of(ValType.I64));
        assertInvalid("type mismatch", module(List.of(VOID, i32ToI64), List.of(), List.of(),
                body(0x41, 0x01, 0x41, 0x01, 0x04, 0x01, 0x0B, 0x1A, 0x0B)));
    }

    @Test
    void refFuncNeedsADeclarationOutsideFunctionBodies() {
        // ref.func 0; drop; end
        FunctionBody refFunc = body(0xD2, 0x00, 0x1A, 0x0B);
        assertInvalid("undeclared function reference", module(List.of(VOID), List.of(), List.of(), refFunc));
        assertValid(module(List.of(VOID), List.of(), List.of(new Export("f", ExternKind.FUNC, 0)), refFunc));
    }

    @Test
    void constantExpressionsReadOnlyImmutableImportedGlobals() {
        GlobalType i32 = new GlobalType(ValType.I32, false);
        Global copy = new Global(i32, new ConstExpr(new byte[] {0x23, 0x00, 0x0B}, 50));
        WasmModule imported = new WasmModule(List.of(), List.of(Import.global("m", "g", i32)), new int[0],
                List.of(), List.of(), List.of(copy), List.of(), -1, List.of(), List.of(), -1, List.of(),
                Names.NONE, List.of());
        assertValid(imported);
        WasmModule defined = new WasmModule(List.of(), List.of(), new int[0], List.of(), List.of(),
                List.of(new Global(i32, new ConstExpr(new byte[] {0x41, 0x00, 0x0B}, 40)), copy),
                List.of(), -1, List.of(), List.of(), -1, List.of(), Names.NONE, List.of());
        CompileException e = assertInvalid("unknown global 0", defined);
        assertEquals(50, e.offset());
    }

    private static WasmModule module(List<FuncType> types, List<Import> imports, List<Export> exports,
                                     FunctionBody body) {
        return new WasmModule(types, imports, new int[] {0}, List.of(), List.of(), List.of(), exports, -1,
                List.of(), List.of(), -1, List.of(body), Names.NONE, List.of());
    }

    private static FunctionBody body(int... code) {
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) bytes[i] = (byte) code[i];
        return new FunctionBody(List.of(), bytes, BODY_OFFSET);
    }

    private static void assertValid(WasmModule module) {
        assertDoesNotThrow(() -> ModuleValidator.validate(module));
    }

    private static CompileException assertInvalid(String specMessage, WasmModule module) {
        CompileException e = assertThrows(CompileException.class, () -> ModuleValidator.validate(module));
        assertEquals(CompileException.Kind.INVALID, e.kind());
        assertEquals(specMessage, e.specMessage());
        return e;
    }
}
