package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Tag;
import dev.wasm2jvm.runtime.WasmException;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exception handling compiled: {@code throw}, {@code throw_ref}, {@code try_table} with each kind of
 * clause, {@code exnref} values, the legacy {@code try}/{@code catch}/{@code delegate}/{@code rethrow},
 * tags shared between modules, and wasm exceptions crossing into and out of Java.
 */
class ExceptionHandlingTest {
    private static Instance instantiate(String wat) {
        return instantiate(wat, new Imports());
    }

    private static Instance instantiate(String wat, Imports imports) {
        return WasmCompiler.compile(Wat.toBinary(wat)).instantiate(imports);
    }

    private static int call(Instance instance, String name, Object... args) {
        return (Integer) instance.function(name).call(args)[0];
    }

    private static final String CATCHING = """
            (module
              (tag $e (export "e") (param i32))
              (tag $f (param i64 f64))
              (tag $empty)
              (func $throw (param $which i32) (param $v i32)
                (if (i32.eq (local.get $which) (i32.const 1)) (then (throw $e (local.get $v))))
                (if (i32.eq (local.get $which) (i32.const 2))
                  (then (throw $f (i64.extend_i32_s (local.get $v)) (f64.const 0.5))))
                (if (i32.eq (local.get $which) (i32.const 3)) (then (throw $empty))))
              ;; Which clause catches: payload + 1000 for $e, the i64 plus 4 times the f64 for $f, 7 for any other.
              (func (export "clauses") (param $which i32) (param $v i32) (result i32)
                block $any
                  block $df (result i64 f64)
                    block $de (result i32)
                      try_table (catch $e $de) (catch $f $df) (catch_all $any)
                        local.get $which
                        local.get $v
                        call $throw
                      end
                      i32.const -1
                      return
                    end
                    i32.const 1000
                    i32.add
                    return
                  end
                  f64.const 4
                  f64.mul
                  i64.trunc_f64_s
                  i64.add
                  i32.wrap_i64
                  return
                end
                i32.const 7)
              ;; Values under the try_table stay through a catch, and locals keep what the body wrote.
              (func (export "kept") (param $v i32) (result i32) (local $l i32)
                (i32.add (i32.const 100000)
                  (i32.add (local.get $v)
                    (block $h (result i32)
                      (try_table (result i32) (catch $e $h)
                        (local.set $l (i32.const 300))
                        (call $throw (i32.const 1) (local.get $v))
                        (i32.const 5)))))
                (local.get $l)
                (i32.add))
              ;; catch_ref and catch_all_ref give the exnref, which throw_ref throws on.
              (func $rethrowing (param $which i32) (result exnref)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h) (call $throw (local.get $which) (i32.const 41)))
                  (ref.null exn)))
              (func (export "rethrow") (param $which i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h) (throw_ref (call $rethrowing (local.get $which))))
                  (i32.const -1)))
              (func (export "catchRef") (result i32)
                (block $h (result i32 exnref)
                  (try_table (catch_ref $e $h) (call $throw (i32.const 1) (i32.const 9)))
                  (return (i32.const -1)))
                (drop))
              ;; Values of two and four JVM slots under a handler's target, and in a payload.
              (tag $wide (param v128 i64))
              (func (export "wide") (param $v i64) (result i64) (local $x i64) (local $d f64)
                v128.const i64x2 3 4
                f64.const 2.5
                block $h (result v128 i64)
                  try_table (catch $wide $h)
                    v128.const i64x2 10 20
                    local.get $v
                    throw $wide
                  end
                  unreachable
                end
                local.set $x
                i64x2.extract_lane 1
                local.get $x
                i64.add
                local.set $x
                local.set $d
                i64x2.extract_lane 0
                local.get $x
                i64.add
                local.get $d
                i64.trunc_f64_s
                i64.add)
              (func (export "uncaught") (param $v i32) (call $throw (i32.const 1) (local.get $v)))
              (func (export "trapInside") (result i32)
                (block $h (try_table (catch_all $h) (unreachable)))
                (i32.const 1))
              (func (export "nullThrowRef") (throw_ref (ref.null exn)))
              (table $exns (export "exns") 2 exnref)
              (func (export "keep") (table.set $exns (i32.const 1) (call $rethrowing (i32.const 1))))
              (func (export "throwKept") (throw_ref (table.get $exns (i32.const 1)))))
            """;

    @Test
    void eachClauseCatchesItsTagWithItsValues() {
        Instance m = instantiate(CATCHING);
        assertEquals(1042, call(m, "clauses", 1, 42));
        assertEquals(-3 + 2, call(m, "clauses", 2, -3), "i64 -3 and f64 0.5 arrive as thrown");
        assertEquals(7, call(m, "clauses", 3, 0), "catch_all takes what no earlier clause does");
        assertEquals(-1, call(m, "clauses", 0, 0), "nothing thrown");
    }

    @Test
    void handlersKeepTheValuesUnderTheConstructAndTheLocalsTheBodyWrote() {
        Instance m = instantiate(CATCHING);
        assertEquals(100000 + 2 * 8 + 300, call(m, "kept", 8));
    }

    @Test
    void wideValuesSurviveTheHandler() {
        Instance m = instantiate(CATCHING);
        assertEquals(25L + 1_000_000_000_000L, m.function("wide").call(1_000_000_000_000L)[0]);
    }

    @Test
    void exnrefsAreCaughtKeptAndThrownAgain() {
        Instance m = instantiate(CATCHING);
        assertEquals(41, call(m, "rethrow", 1));
        WasmException other = assertThrows(WasmException.class, () -> m.function("rethrow").call(3));
        assertEquals(":", other.tag().type, "the $empty tag's exception is not $e's: it goes on up");
        assertEquals(9, call(m, "catchRef"));
        WasmTrap nullRef = assertThrows(WasmTrap.class, () -> m.function("nullThrowRef").call());
        assertEquals("null exception reference", nullRef.getMessage());
        m.function("keep").call();
        WasmException kept = assertThrows(WasmException.class, () -> m.function("throwKept").call());
        assertEquals(41, kept.value(0));
    }

    @Test
    void anUncaughtExceptionReachesJavaWithItsTagAndValuesAndNoStackTrace() {
        Instance m = instantiate(CATCHING);
        WasmException e = assertThrows(WasmException.class, () -> m.function("uncaught").call(77));
        assertSame(m.tag("e"), e.tag());
        assertArrayEquals(new Object[] {77}, e.payload());
        assertEquals(0, e.getStackTrace().length, "control flow captures no stack trace");
    }

    @Test
    void trapsAreNotExceptions() {
        Instance m = instantiate(CATCHING);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> m.function("trapInside").call());
        assertEquals("unreachable", trap.getMessage());
    }

    @Test
    void aHostFunctionThrowsIntoWasmWithAnImportedTag() {
        Tag tag = new Tag("i:");
        Imports imports = new Imports()
                .add("host", "tag", tag)
                .add("host", "fail", args -> {
                    if ((Integer) args[0] < 0) throw new IllegalStateException("a host failure, not a wasm exception");
                    throw new WasmException(tag, (Integer) args[0] * 2);
                });
        Instance m = instantiate("""
                (module
                  (tag $t (import "host" "tag") (param i32))
                  (func $fail (import "host" "fail") (param i32))
                  (func (export "f") (param i32) (result i32)
                    (block $h (result i32)
                      (try_table (catch $t $h) (call $fail (local.get 0)))
                      (i32.const -1)))
                  (func (export "all") (param i32) (result i32)
                    (block $h (try_table (catch_all $h) (call $fail (local.get 0))))
                    (i32.const 1)))
                """, imports);
        assertEquals(42, call(m, "f", 21));
        assertThrows(IllegalStateException.class, () -> m.function("all").call(-1),
                "a Java exception that is not a WasmException is no wasm exception");
    }

    @Test
    void tagsAreSharedByImportAndDistinctPerInstance() {
        String thrower = """
                (module
                  (tag $e (export "e") (param i32))
                  (func (export "throw") (param i32) (throw $e (local.get 0))))
                """;
        Instance a = instantiate(thrower);
        Instance b = instantiate(thrower);
        assertNotSame(a.export("e"), b.export("e"));
        String catcher = """
                (module
                  (tag $e (import "a" "e") (param i32))
                  (func $throw (import "b" "throw") (param i32))
                  (func (export "f") (param i32) (result i32)
                    (block $h (result i32)
                      (try_table (catch $e $h) (call $throw (local.get 0)))
                      (i32.const -1))))
                """;
        Instance sameTag = instantiate(catcher, new Imports().add("a", "e", a.export("e")).add("b", "throw", a.export("throw")));
        assertEquals(5, call(sameTag, "f", 5));
        Instance otherTag = instantiate(catcher, new Imports().add("a", "e", a.export("e")).add("b", "throw", b.export("throw")));
        WasmException e = assertThrows(WasmException.class, () -> otherTag.function("f").call(5));
        assertSame(b.export("e"), e.tag());
        LinkException mismatch = assertThrows(LinkException.class, () -> instantiate(
                "(module (tag (import \"a\" \"e\") (param i64)))", new Imports().add("a", "e", a.export("e"))));
        assertTrue(mismatch.getMessage().contains("incompatible import type"), mismatch.getMessage());
    }

    @Test
    void legacyTryCatchDelegateAndRethrow() {
        Instance m = instantiate("""
                (module
                  (tag $e (param i32))
                  (tag $f)
                  (func $throw (param $which i32)
                    (if (i32.eq (local.get $which) (i32.const 1)) (then (throw $e (i32.const 10))))
                    (if (i32.eq (local.get $which) (i32.const 2)) (then (throw $f))))
                  (func (export "catch") (param $which i32) (result i32)
                    (i32.add (i32.const 1000)
                      (try (result i32)
                        (do (call $throw (local.get $which)) (i32.const 1))
                        (catch $e (i32.const 2) (i32.add))
                        (catch_all (i32.const 3)))))
                  ;; The inner try delegates past the middle one, whose catch_all would take everything.
                  (func (export "delegate") (param $which i32) (result i32)
                    (try (result i32)
                      (do
                        (try (result i32)
                          (do
                            (try (do (call $throw (local.get $which))) (delegate 1))
                            (i32.const 1))
                          (catch_all (i32.const 2))))
                      (catch $e)))
                  ;; A rethrow from a clause goes to the handlers around the try, not its own.
                  (func (export "rethrow") (param $which i32) (result i32)
                    (try (result i32)
                      (do
                        (try (do (call $throw (local.get $which)))
                          (catch_all (rethrow 0)))
                        (i32.const 0))
                      (catch $e (i32.const 5) (i32.add))
                      (catch $f (i32.const 6)))))
                """);
        assertEquals(1001, call(m, "catch", 0));
        assertEquals(1012, call(m, "catch", 1));
        assertEquals(1003, call(m, "catch", 2));
        assertEquals(1, call(m, "delegate", 0));
        assertEquals(10, call(m, "delegate", 1), "the outer catch $e gets what the inner try delegated");
        assertThrows(WasmException.class, () -> m.function("delegate").call(2),
                "delegated past the catch_all, the outer try has no clause for $f");
        assertEquals(15, call(m, "rethrow", 1));
        assertEquals(6, call(m, "rethrow", 2));
        assertEquals(0, call(m, "rethrow", 0));
    }

    @Test
    void invalidUsesAreRejected() {
        CompileException label = assertThrows(CompileException.class, () -> WasmCompiler.compile(Wat.toBinary(
                "(module (func (block (try (do) (catch_all (rethrow 1))))))")));
        assertTrue(label.getMessage().contains("invalid rethrow label"), label.getMessage());
        CompileException result = assertThrows(CompileException.class, () -> WasmCompiler.compile(Wat.toBinary(
                "(module (type (func (result i32))) (tag (type 0)))")));
        assertTrue(result.getMessage().contains("non-empty tag result type"), result.getMessage());
        assertThrows(CompileException.class, () -> WasmCompiler.compile(Wat.toBinary(
                "(module (tag $e (param i32)) (func (block $l (try_table (catch $e $l)))))")));
    }
}
