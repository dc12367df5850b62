package dev.wasm2jvm.compiler.text;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text modules converted to binary: what they decode to, how they run, and how malformed text is rejected. */
class WatTest {
    private static Instance instantiate(String wat) {
        return WasmCompiler.compile(Wat.toBinary(wat)).instantiate(new Imports());
    }

    private static TextFormatException rejection(String wat) {
        return assertThrows(TextFormatException.class, () -> Wat.toBinary(wat));
    }

    @Test
    void foldedAndPlainInstructionsEncodeAlike() {
        byte[] folded = Wat.toBinary("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))");
        byte[] plain = Wat.toBinary("(module (func (result i32) i32.const 1 i32.const 2 i32.add))");
        assertArrayEquals(plain, folded);
        byte[] foldedIf = Wat.toBinary("(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))");
        byte[] plainIf = Wat.toBinary("(func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end)");
        assertArrayEquals(plainIf, foldedIf);
    }

    /**
     * Folded instructions as deep as the text may nest, which the reader and the encoders recurse
     * through: a default thread's stack overflowed at 2,000 levels ({@code StackOverflowError} out
     * of {@link WasmCompiler#compile}); one level deeper is malformed, where the list opens.
     */
    @Test
    void foldedInstructionsNestAsDeepAsTheTextMay() {
        // (module (func (i32.add ... (i32.const 1)))): the module's list, the function's, the adds' and the last constant's.
        int adds = SExprReader.MAX_NESTING - 3;
        String deepest = "(module (func (export \"f\") (result i32) " + "(i32.add (i32.const 1) ".repeat(adds) + "(i32.const 0)"
                + ")".repeat(adds) + "))";
        assertEquals(adds, (int) instantiate(deepest).function("f").call()[0]);

        String deeper = deepest.replace("(i32.const 0)", "(i32.add (i32.const 1) (i32.const 0))");
        TextFormatException e = rejection(deeper);
        assertEquals("nesting too deep", e.specMessage());
        assertEquals(deepest.indexOf("(i32.const 0)") + "(i32.add ".length() + 1, e.column());
    }

    @Test
    void compiledTextModuleRuns() {
        Instance instance = instantiate("""
                (module
                  (memory (export "mem") (data "\\2a\\00\\00\\00"))
                  (table $t funcref (elem $double $square))
                  (type $unary (func (param i32) (result i32)))
                  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
                  (func $square (param $x i32) (result i32) local.get $x local.get $x i32.mul)
                  (func (export "apply") (param $f i32) (param $x i32) (result i32)
                    (call_indirect $t (type $unary) (local.get $x) (local.get $f)))
                  (func (export "sum") (param $n i32) (result i32) (local $acc i32)
                    (block $done
                      (loop $next
                        (br_if $done (i32.eqz (local.get $n)))
                        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                        (br $next)))
                    (local.get $acc))
                  (func (export "load") (result i32) (i32.load offset=0 align=4 (i32.const 0))))
                """);
        assertEquals(14, instance.function("apply").call(0, 7)[0]);
        assertEquals(49, instance.function("apply").call(1, 7)[0]);
        assertEquals(5050, instance.function("sum").call(100)[0]);
        assertEquals(42, instance.function("load").call()[0]);
    }

    @Test
    void typeUsesShareTheirFunctionTypeAndInlineImportsComeFirst() {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary("""
                (func $a (param i32))
                (func $b (param i32))
                """.replace("(func $a", "(func $i (import \"env\" \"f\") (param i32) (result i32))\n(func $a")));
        assertEquals(2, module.types().size());
        assertEquals(1, module.importCount(ExternKind.FUNC));
        assertEquals("env", module.imports().getFirst().module());
        assertEquals(module.typeIndexOf(1), module.typeIndexOf(2));
    }

    @Test
    void scriptModuleFormsGiveTheirBytes() {
        SExpr.Node binary = (SExpr.Node) SExpr.read("(module $m binary \"\\00asm\" \"\\01\\00\\00\\00\")").getFirst();
        assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, Wat.module(binary));
        SExpr.Node quote = (SExpr.Node) SExpr.read("(module quote \"(func\" \" (nop))\")").getFirst();
        assertArrayEquals(Wat.toBinary("(module (func nop))"), Wat.module(quote));
        SExpr.Node definition = (SExpr.Node) SExpr.read("(module definition $d (memory 1))").getFirst();
        assertArrayEquals(Wat.toBinary("(memory 1)"), Wat.module(definition));
    }

    @Test
    void textIsToldFromBinary() {
        assertTrue(Wat.isText("(module)".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Wat.isText(Wat.toBinary("(module)")));
    }

    @Test
    void malformedTextGetsTheSpecMessage() {
        assertEquals("unknown operator i32.const0", rejection("(func (drop (i32.const0)))").specMessage());
        assertEquals("unknown operator get_local", rejection("(func (param i32) get_local 0 drop)").specMessage());
        assertEquals("unknown operator 0drop", rejection("(func br 0drop)").specMessage());
        assertEquals("unexpected token", rejection("(func (result i32) (param i32) (i32.const 0))").specMessage());
        // A legacy try has catch clauses or a delegate, not both.
        assertEquals("unexpected token", rejection("(func (try (do) (catch_all) (delegate 0)))").specMessage());
        assertEquals("unexpected token", rejection("(func try catch_all delegate 0)").specMessage());
        assertEquals("mismatching label", rejection("(func block $a end $b)").specMessage());
        assertEquals("unknown label $l", rejection("(func (block $k (br $l)))").specMessage());
        assertEquals("inline function type", rejection("(type $t (func)) (func (type $t) (param i32))").specMessage());
        assertEquals("alignment must be a power of two", rejection("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))").specMessage());
        assertEquals("import after function", rejection("(func) (import \"m\" \"f\" (func))").specMessage());
        assertEquals("duplicate func", rejection("(func $f) (func $f)").specMessage());
        assertEquals("duplicate local", rejection("(func (param $x i32) (local $x i32))").specMessage());
        assertEquals("multiple start sections", rejection("(func $f) (start $f) (start $f)").specMessage());
        assertEquals("constant out of range", rejection("(func (drop (i32.const 0x1_0000_0000)))").specMessage());
        assertEquals("wrong number of lane literals", rejection("(func (drop (v128.const i32x4 1 2 3)))").specMessage());
        assertEquals("malformed UTF-8 encoding", rejection("(func (export \"\\ff\"))").specMessage());
        TextFormatException e = rejection("(module\n  (func\n    (i32.add (i32.const 1) (i32.const 2) nop)))");
        assertEquals(3, e.line());
        assertEquals(42, e.column());
    }
}
