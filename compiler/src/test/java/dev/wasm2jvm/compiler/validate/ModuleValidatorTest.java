package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.CodeEffects;
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
import dev.wasm2jvm.compiler.text.Wat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aGlobalsInitialiserReadsOnlyTheImmutableGlobalsBeforeIt() {
        GlobalType i32 = new GlobalType(ValType.I32, false);
        Global copy = new Global(i32, new ConstExpr(new byte[] {0x23, 0x00, 0x0B}, 50));
        assertValid(globals(List.of(Import.global("m", "g", i32)), copy));
        assertValid(globals(List.of(), new Global(i32, new ConstExpr(new byte[] {0x41, 0x00, 0x0B}, 40)), copy));
        CompileException self = assertInvalid("unknown global 0", globals(List.of(), copy));
        assertEquals(50, self.offset());
        assertInvalid("unknown global 1", globals(List.of(),
                new Global(i32, new ConstExpr(new byte[] {0x23, 0x01, 0x0B}, 40)),
                new Global(i32, new ConstExpr(new byte[] {0x41, 0x00, 0x0B}, 50))));
        assertInvalid("constant expression required",
                globals(List.of(Import.global("m", "g", new GlobalType(ValType.I32, true))), copy));
    }

    @Test
    void extendedConstantExpressionsAddSubtractAndMultiplyIntegers() {
        GlobalType i32 = new GlobalType(ValType.I32, false);
        GlobalType i64 = new GlobalType(ValType.I64, false);
        // i32.const 2; i32.const 3; i32.mul; i32.const 1; i32.sub; i32.const 4; i32.add; end, and the i64 forms
        assertValid(globals(List.of(), new Global(i32, constant(0x41, 2, 0x41, 3, 0x6C, 0x41, 1, 0x6B, 0x41, 4, 0x6A, 0x0B)),
                new Global(i64, constant(0x42, 2, 0x42, 3, 0x7E, 0x42, 1, 0x7D, 0x42, 4, 0x7C, 0x0B))));
        // i32.const 6; i32.const 3; i32.div_s; end: only add, sub and mul are constant
        assertInvalid("constant expression required", globals(List.of(), new Global(i32, constant(0x41, 6, 0x41, 3, 0x6D, 0x0B))));
        // i64.const 1; i64.const 2; i64.add; end for an i32 global
        assertInvalid("type mismatch", globals(List.of(), new Global(i32, constant(0x42, 1, 0x42, 2, 0x7C, 0x0B))));
    }

    @Test
    void malformedCodeIsRejectedWithTheDecodersMessage() {
        // 0x27 is no opcode
        CompileException e = assertThrows(CompileException.class,
                () -> ModuleValidator.validate(module(List.of(VOID), List.of(), List.of(), body(0x01, 0x27, 0x0B))));
        assertEquals(CompileException.Kind.MALFORMED, e.kind());
        assertEquals("illegal opcode", e.specMessage());
        assertEquals(BODY_OFFSET + 1, e.offset());
        assertEquals(-1, e.funcidx());
        // nop; end; nop: the body ends before its size
        e = assertThrows(CompileException.class,
                () -> ModuleValidator.validate(module(List.of(VOID), List.of(), List.of(), body(0x01, 0x0B, 0x01))));
        assertEquals("section size mismatch", e.specMessage());
    }

    @Test
    void aDataSegmentNeedsTheDataCountSectionFirst() {
        // nop; data.drop 0; end
        FunctionBody drop = body(0x01, 0xFC, 0x09, 0x00, 0x0B);
        WasmModule withoutCount = module(List.of(VOID), List.of(), List.of(), drop);
        CompileException e = assertThrows(CompileException.class, () -> ModuleValidator.validate(withoutCount));
        assertEquals(CompileException.Kind.MALFORMED, e.kind());
        assertEquals("data count section required", e.specMessage());
        assertEquals(BODY_OFFSET + 1, e.offset());
        WasmModule withCount = new WasmModule(List.of(VOID), List.of(), new int[] {0}, List.of(), List.of(), List.of(),
                List.of(), -1, List.of(), List.of(), 0, List.of(drop), Names.NONE, List.of());
        assertEquals(BODY_OFFSET + 1, assertInvalid("unknown data segment 0", withCount).offset());
    }

    @Test
    void eachBodysCallsAndEffectsAreFoundAsItIsValidated() {
        WasmModule m = ModuleValidator.validate(ModuleDecoder.decode(Wat.toBinary("""
                (module
                  (type $v (func))
                  (import "env" "host" (func $host))
                  (memory 1)
                  (table 1 funcref)
                  (func $calls (call $host) (call $grows) (call $host) (return_call $calls))
                  (func $grows (drop (memory.grow (i32.const 0))) (call_indirect (type $v) (i32.const 0)))
                  (func $simd (drop (i8x16.add (v128.const i64x2 0 0) (i8x16.shuffle 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
                    (v128.const i64x2 0 0) (v128.const i64x2 0 0)))))
                  (func $loads (drop (i32.load (i32.const 0))))
                  (tag $e)
                  (func $catches (try (do) (catch $e)) (drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))))
                """.getBytes(StandardCharsets.UTF_8))));
        CodeEffects calls = m.codes().get(0).effects();
        assertArrayEquals(new int[] {0, 2, 0, 1}, calls.callees());
        assertTrue(calls.tailCalls());
        assertFalse(calls.callsIndirect() || calls.accessesMemory() || calls.catchClauses());
        CodeEffects grows = m.codes().get(1).effects();
        assertArrayEquals(new int[0], grows.callees());
        assertTrue(grows.callsIndirect());
        assertFalse(grows.tailCalls() || grows.accessesMemory());
        assertEquals(2, m.codes().get(2).effects().simdWork());
        assertEquals(0, m.codes().get(3).effects().simdWork());
        assertTrue(m.codes().get(3).effects().accessesMemory());
        CodeEffects catches = m.codes().get(4).effects();
        assertTrue(catches.catchClauses() && catches.accessesMemory());
        assertEquals(0, catches.simdWork());
    }

    private static WasmModule globals(List<Import> imports, Global... globals) {
        return new WasmModule(List.of(), imports, new int[0], List.of(), List.of(), List.of(globals), List.of(), -1,
                List.of(), List.of(), -1, List.of(), Names.NONE, List.of());
    }

    private static ConstExpr constant(int... code) {
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) bytes[i] = (byte) code[i];
        return new ConstExpr(bytes, 40);
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
