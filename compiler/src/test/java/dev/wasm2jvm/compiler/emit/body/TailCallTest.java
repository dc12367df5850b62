package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Tail calls compiled: {@code return_call} and {@code return_call_indirect} run in constant JVM
 * stack (ten million mutually recursive calls on the default thread stack), with results of every
 * kind and arity, traps and wasm exceptions passing through the trampoline, and a tail call inside
 * a {@code try_table} leaving the function rather than being caught; a self tail call of a function
 * that is one method is a jump to its start.
 */
class TailCallTest {
    private static final long DEPTH = 10_000_000L;

    private static Instance instantiate(String wat) {
        return WasmCompiler.compile(Wat.toBinary(wat)).instantiate(new Imports());
    }

    private static Object[] call(Instance instance, String name, Object... args) {
        return instance.function(name).call(args);
    }

    private static final String EVEN_ODD = """
            (module
              (type $pred (func (param i64) (result i32)))
              (table $t funcref (elem $even_i $odd_i))
              (func $even (export "even") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n))
                  (then (i32.const 1))
                  (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))))))
              (func $odd (export "odd") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n))
                  (then (i32.const 0))
                  (else (return_call $even (i64.sub (local.get $n) (i64.const 1))))))
              (func $even_i (export "even_indirect") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n))
                  (then (i32.const 1))
                  (else (return_call_indirect $t (type $pred) (i64.sub (local.get $n) (i64.const 1)) (i32.const 1)))))
              (func $odd_i (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n))
                  (then (i32.const 0))
                  (else (return_call_indirect $t (type $pred) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))
              ;; A self tail call with a local that must start at zero on every round.
              (func $count (export "count") (param $n i64) (param $acc i64) (result i64) (local $fresh i64)
                (if (i64.ne (local.get $fresh) (i64.const 0)) (then (unreachable)))
                (local.set $fresh (i64.const 7))
                (if (result i64) (i64.eqz (local.get $n))
                  (then (local.get $acc))
                  (else (return_call $count (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 2)))))))
            """;

    @Test
    void mutualRecursionRunsInConstantStack() {
        Instance instance = instantiate(EVEN_ODD);
        assertArrayEquals(new Object[] {1}, call(instance, "even", DEPTH));
        assertArrayEquals(new Object[] {0}, call(instance, "odd", DEPTH));
        assertArrayEquals(new Object[] {0}, call(instance, "even", DEPTH + 1));
    }

    @Test
    void selfRecursionRunsInConstantStack() {
        assertArrayEquals(new Object[] {2 * DEPTH + 5}, call(instantiate(EVEN_ODD), "count", DEPTH, 5L));
    }

    @Test
    void selfTailCallOfAOneMethodFunctionIsAJump() {
        CompiledModule compiled = WasmCompiler.compile(Wat.toBinary(EVEN_ODD));
        assertEquals(List.of(), calledMethods(compiled, "count$tail").stream().filter(m -> m.startsWith("TailCalls.")).toList());
        assertEquals(List.of("TailCalls.call"),
                calledMethods(compiled, "even$tail").stream().filter(m -> m.startsWith("TailCalls.")).toList());
    }

    /** The methods that the method {@code name} of the module's classes calls, as {@code SimpleClass.method}. */
    private static List<String> calledMethods(CompiledModule compiled, String name) {
        List<String> called = new ArrayList<>();
        for (byte[] classFile : compiled.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                    if (!method.equals(name)) return null;
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String callee, String desc, boolean isInterface) {
                            called.add(owner.substring(owner.lastIndexOf('/') + 1) + "." + callee);
                        }
                    };
                }
            }, 0);
        }
        return called;
    }

    @Test
    void indirectMutualRecursionRunsInConstantStack() {
        Instance instance = instantiate(EVEN_ODD);
        assertArrayEquals(new Object[] {1}, call(instance, "even_indirect", DEPTH));
        assertArrayEquals(new Object[] {0}, call(instance, "even_indirect", DEPTH + 1));
    }

    private static final String KINDS = """
            (module
              (tag $e (export "e") (param i32))
              (type $two (func (param i32 f64) (result f64 i32)))
              (table $t funcref (elem $swap $vec))
              (func $swap (param $a i32) (param $b f64) (result f64 i32) (local.get $b) (local.get $a))
              (func (export "multi") (param $a i32) (param $b f64) (result f64 i32)
                (return_call $swap (i32.add (local.get $a) (i32.const 1)) (local.get $b)))
              (func (export "multi_indirect") (param $a i32) (param $b f64) (result f64 i32)
                (return_call_indirect $t (type $two) (local.get $a) (local.get $b) (i32.const 0)))
              (func $vec (param v128 f32) (result v128) (local.get 0))
              (func (export "lane") (param $x i32) (result i32)
                (i32x4.extract_lane 2 (call $vecTail (i32x4.splat (local.get $x)))))
              (func $vecTail (param v128) (result v128) (return_call $vec (local.get 0) (f32.const 1)))
              (func (export "none") (return_call $nothing))
              (func $nothing)
              (func $trap (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func (export "trap") (param i32) (result i32) (return_call $trap (local.get 0)))
              (func $throw (param i32) (result i32) (throw $e (local.get 0)))
              (func (export "bad_type") (result f64 i32) (return_call_indirect $t (type $two) (i32.const 1) (f64.const 2) (i32.const 1)))
              (func (export "out_of_table") (param i32) (result f64 i32)
                (return_call_indirect $t (type $two) (i32.const 1) (f64.const 2) (local.get 0)))
              ;; The tail call leaves the function: the try_table around it does not catch what its callee throws.
              (func $inner (param i32) (result i32)
                (block $caught
                  (try_table (catch_all $caught)
                    (return_call $throw (local.get 0))))
                (i32.const -1))
              (func (export "through_try") (param i32) (result i32)
                (block $outer (result i32)
                  (try_table (catch $e $outer)
                    (return (i32.add (call $inner (local.get 0)) (i32.const 1000))))
                  (unreachable))))
            """;

    @Test
    void resultsOfEveryArityAndKind() {
        Instance instance = instantiate(KINDS);
        assertArrayEquals(new Object[] {2.5, 4}, call(instance, "multi", 3, 2.5));
        assertArrayEquals(new Object[] {2.5, 3}, call(instance, "multi_indirect", 3, 2.5));
        assertArrayEquals(new Object[] {9}, call(instance, "lane", 9));
        assertArrayEquals(new Object[] {}, call(instance, "none"));
    }

    /** Parameters of the wide functions: more than the 253 slots a method handle call takes. */
    private static final int WIDE = 300;

    /**
     * Tail calls to wide functions, whose arguments come boxed in one array: {@code $sum} returns its
     * first and last parameters' sum, {@code $wide} (itself wide) tail-calls it directly and
     * {@code narrow} through the table.
     */
    private static String wideModule() {
        StringBuilder params = new StringBuilder();
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < WIDE; i++) {
            params.append(" i32");
            args.append(i == 0 ? "(local.get 0) " : "(i32.const " + i + ") ");
        }
        return """
                (module
                  (type $w (func (param%1$s) (result i32)))
                  (table $t funcref (elem $sum))
                  (func $sum (type $w) (i32.add (local.get 0) (local.get %2$d)))
                  (func $wide (export "wide") (type $w) (return_call $sum %3$s))
                  (func (export "narrow") (param i32) (result i32)
                    (return_call_indirect $t (type $w) %3$s (i32.const 0))))
                """.formatted(params, WIDE - 1, args);
    }

    @Test
    void wideArguments() {
        Instance instance = instantiate(wideModule());
        Object[] args = new Object[WIDE];
        for (int i = 0; i < WIDE; i++) args[i] = 1000;
        assertArrayEquals(new Object[] {1000 + WIDE - 1}, call(instance, "wide", args));
        assertArrayEquals(new Object[] {7 + WIDE - 1}, call(instance, "narrow", 7));
    }

    @Test
    void trapsAndExceptionsPassThroughTheTrampoline() {
        Instance instance = instantiate(KINDS);
        assertArrayEquals(new Object[] {1}, call(instance, "trap", 1));
        assertEquals("integer divide by zero", assertThrows(WasmTrap.class, () -> call(instance, "trap", 0)).getMessage());
        assertEquals("indirect call type mismatch", assertThrows(WasmTrap.class, () -> call(instance, "bad_type")).getMessage());
        assertEquals("undefined element 5", assertThrows(WasmTrap.class, () -> call(instance, "out_of_table", 5)).getMessage());
        // The inner try_table does not catch: the outer function's catch receives the payload.
        assertArrayEquals(new Object[] {42}, call(instance, "through_try", 42));
    }
}
