package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * References to a module's functions, as its tables and exports hold them: instantiation makes no
 * method handle, {@code call_indirect} within the instance needs none, and a reference makes its
 * handle once, on first use, whichever threads ask at once.
 */
class HelperEmitterTest {
    private static final String MODULE = """
            (module
              (type $unary (func (param i32) (result i32)))
              (table (export "table") 3 funcref)
              (elem (i32.const 0) $double $square $increment)
              (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
              (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
              (func $increment (type $unary) (i32.add (local.get 0) (i32.const 1)))
              (func (export "apply") (param $element i32) (param $x i32) (result i32)
                (call_indirect (type $unary) (local.get $x) (local.get $element))))
            """;

    /** A module that calls a function it imports, which an instance of {@link #MODULE} provides. */
    private static final String CALLER = """
            (module
              (import "lib" "apply" (func $apply (param i32 i32) (result i32)))
              (import "lib" "table" (table 3 funcref))
              (type $unary (func (param i32) (result i32)))
              (func (export "viaImport") (param i32 i32) (result i32) (call $apply (local.get 0) (local.get 1)))
              (func (export "viaTable") (param $element i32) (param $x i32) (result i32)
                (call_indirect (type $unary) (local.get $x) (local.get $element))))
            """;

    private static Instance instantiate(String text, Imports imports) {
        return WasmCompiler.compile(text.getBytes(StandardCharsets.UTF_8)).instantiate(imports);
    }

    /** The handle a reference holds so far, {@code null} until it is made. */
    private static MethodHandle heldHandle(FuncRef ref) throws ReflectiveOperationException {
        Field field = FuncRef.class.getDeclaredField("handle");
        field.setAccessible(true);
        return (MethodHandle) field.get(ref);
    }

    @Test
    void instantiationAndCallIndirectMakeNoHandle() throws Exception {
        Instance instance = instantiate(MODULE, new Imports());
        assertArrayEquals(new Object[] {14}, instance.function("apply").call(0, 7));
        assertArrayEquals(new Object[] {49}, instance.function("apply").call(1, 7));
        assertArrayEquals(new Object[] {8}, instance.function("apply").call(2, 7));
        for (int i = 0; i < 3; i++) {
            FuncRef ref = (FuncRef) instance.table("table").get(i);
            assertSame(instance, ref.owner);
            assertEquals("i:i", ref.type);
            assertNull(heldHandle(ref), "element " + i + " has a handle");
        }
    }

    @Test
    void aReferenceMakesItsHandleOnFirstUseAndKeepsIt() throws Throwable {
        Instance instance = instantiate(MODULE, new Imports());
        FuncRef square = (FuncRef) instance.table("table").get(1);
        MethodHandle handle = square.handle();
        assertEquals(FuncRef.methodType("i:i"), handle.type());
        assertEquals(81, (int) handle.invokeExact(9));
        assertSame(handle, square.handle());
        assertSame(handle, heldHandle(square));
    }

    @Test
    void threadsAskingForAHandleAtOnceAllGetOneThatWorks() throws Exception {
        Instance instance = instantiate(MODULE, new Imports());
        FuncRef increment = (FuncRef) instance.table("table").get(2);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int x = t;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return (int) increment.handle().invokeExact(x);
                    } catch (Throwable e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) assertEquals(t + 1, results.get(t).get());
        } finally {
            pool.shutdownNow();
        }
        assertNotNull(heldHandle(increment));
        assertSame(heldHandle(increment), increment.handle());
    }

    @Test
    void anotherInstanceCallsTheFunctionsThroughTheirHandles() {
        Instance lib = instantiate(MODULE, new Imports());
        Instance caller = instantiate(CALLER, new Imports().addInstance("lib", lib));
        assertArrayEquals(new Object[] {10}, caller.function("viaImport").call(0, 5));
        // The table's elements belong to lib, not to the caller: the dispatcher calls them by handle.
        assertArrayEquals(new Object[] {25}, caller.function("viaTable").call(1, 5));
        assertArrayEquals(new Object[] {6}, caller.function("viaTable").call(2, 5));
    }
}
