package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.WasiCommand;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * References to a module's functions, as its tables and exports hold them: instantiation makes no
 * method handle, {@code call_indirect} within the instance needs none, and a reference makes its
 * handle once, on first use, whichever threads ask at once. Imports of WASI functions call the
 * host's methods without a handle, unless something else is bound under their names, and a
 * command's {@code _start} is a method of its class.
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

    /**
     * {@code call_indirect} among 40 functions of one type, their indices spread among 40 of another
     * type: the dispatcher's switch over the funcidx calls each element's own function, and an element
     * of the other type traps.
     */
    @Test
    void callIndirectFindsEachOfManyFunctionsOfItsType() {
        int pairs = 40;
        StringBuilder text = new StringBuilder("""
                (module
                  (type $unary (func (param i32) (result i32)))
                  (type $binary (func (param i32 i32) (result i32)))
                """);
        text.append("  (table ").append(2 * pairs).append(" funcref)\n  (elem (i32.const 0)");
        for (int i = 0; i < 2 * pairs; i++) text.append(" $f").append(i);
        text.append(")\n");
        for (int i = 0; i < pairs; i++) {
            text.append("  (func $f").append(2 * i).append(" (type $unary) (i32.add (local.get 0) (i32.const ")
                    .append(1000 * i).append(")))\n");
            text.append("  (func $f").append(2 * i + 1).append(" (type $binary) (local.get 1))\n");
        }
        text.append("""
                  (func (export "apply") (param $element i32) (param $x i32) (result i32)
                    (call_indirect (type $unary) (local.get $x) (local.get $element))))
                """);
        Instance instance = instantiate(text.toString(), new Imports());
        for (int i = 0; i < pairs; i++) {
            assertArrayEquals(new Object[] {1000 * i + 7}, instance.function("apply").call(2 * i, 7), "element " + 2 * i);
            int other = 2 * i + 1;
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("apply").call(other, 7));
            assertEquals("indirect call type mismatch", trap.getMessage());
        }
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

    /**
     * A table of an import and of functions of the module of two types on both sides of a factory
     * chunk's end: each reference is the import's own, or has its function's signature and the
     * funcidx the factory was passed, and calls its function through its handle, which the handle
     * factories, smaller than the reference factories' chunks, make.
     */
    @Test
    void eachReferenceIsItsFunctionsOnBothSidesOfAChunk() throws Throwable {
        int defined = ModuleLayout.FUNC_REF_CHUNK + 2;
        StringBuilder text = new StringBuilder("(module (import \"lib\" \"apply\" (func (param i32 i32) (result i32)))\n");
        for (int i = 1; i <= defined; i++) {
            text.append(i % 2 == 0
                    ? "(func (result i32) (i32.const " + i + "))\n"
                    : "(func (param i64) (result i64) (i64.add (local.get 0) (i64.const " + i + ")))\n");
        }
        text.append("(table (export \"table\") ").append(defined + 1).append(" funcref)\n(elem (i32.const 0)");
        for (int i = 0; i <= defined; i++) text.append(' ').append(i);
        text.append("))");
        Instance lib = instantiate(MODULE, new Imports());
        Instance instance = instantiate(text.toString(), new Imports().addInstance("lib", lib));

        FuncRef imported = (FuncRef) instance.table("table").get(0);
        assertEquals("ii:i", imported.type);
        assertEquals(10, (int) imported.handle().invokeExact(0, 5));
        for (int i = 1; i <= defined; i++) {
            FuncRef ref = (FuncRef) instance.table("table").get(i);
            assertSame(instance, ref.owner);
            assertEquals(i, ref.funcidx);
            assertEquals(i % 2 == 0 ? ":i" : "l:l", ref.type, "element " + i);
            if (i % 2 == 0) assertEquals(i, (int) ref.handle().invokeExact(), "element " + i);
            else assertEquals(i + 7L, (long) ref.handle().invokeExact(7L), "element " + i);
        }
    }

    /**
     * A module that writes and reads through WASI: {@code io(fd)} passes one iovec of 8 bytes at
     * 16, holding "written\n", to the import {@code fd_write} and returns the errno; the byte count
     * is stored at 8. {@code seek()} calls snapshot 0's {@code fd_seek}, whose ABI differs, on
     * descriptor 99.
     */
    private static final String WASI_CALLER = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 0) "\\10\\00\\00\\00\\08\\00\\00\\00")
              (data (i32.const 16) "written\\n")
              (func (export "io") (param $fd i32) (result i32)
                (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
              (func (export "seek") (result i32)
                (call $fd_seek (i32.const 99) (i64.const 0) (i32.const 0) (i32.const 8))))
            """;

    private static Instance withWasi(WasiPreview1 wasi, Imports imports) {
        wasi.addTo(imports);
        Instance instance = instantiate(WASI_CALLER, imports);
        wasi.bind(instance.memory("memory"));
        return instance;
    }

    @Test
    void wasiImportsAreCalledWithoutAHandle() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().stdout(out).build())) {
            Imports imports = new Imports();
            Instance instance = withWasi(wasi, imports);
            assertArrayEquals(new Object[] {0}, instance.function("io").call(1));
            assertEquals("written\n", out.toString(StandardCharsets.UTF_8));
            // Snapshot 0's fd_seek of a descriptor that is not open: EBADF (8), from the adapter's own method.
            assertArrayEquals(new Object[] {8}, instance.function("seek").call());
            FuncRef write = (FuncRef) imports.get("wasi_snapshot_preview1", "fd_write");
            FuncRef seek = (FuncRef) imports.get("wasi_unstable", "fd_seek");
            assertEquals("fd_write", write.builtinName);
            assertEquals("fd_seek", seek.builtinName);
            assertNull(heldHandle(write), "fd_write was called through a handle");
            assertNull(heldHandle(seek), "fd_seek was called through a handle");
        }
    }

    @Test
    void anEmbeddersFunctionBoundToAWasiNameIsCalled() throws Exception {
        List<Object> calls = new ArrayList<>();
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().build())) {
            Imports imports = new Imports();
            wasi.addTo(imports);
            // Added by name, it wins over the host's function of that name.
            imports.add("wasi_snapshot_preview1", "fd_write", (HostFunction) args -> {
                calls.add(args[0]);
                return new Object[] {52};
            });
            Instance instance = instantiate(WASI_CALLER, imports);
            wasi.bind(instance.memory("memory"));
            assertArrayEquals(new Object[] {52}, instance.function("io").call(7));
            assertEquals(List.of(7), calls);
        }
    }

    @Test
    void aWasiFunctionBoundUnderAnotherWasiNameRunsAsItself() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream("read".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().stdin(in).stdout(out).build())) {
            Imports host = new Imports();
            wasi.addTo(host);
            // fd_read has fd_write's type: bound under fd_write, it must still read, through its handle.
            Imports imports = new Imports();
            imports.add("wasi_snapshot_preview1", "fd_write", host.get("wasi_snapshot_preview1", "fd_read"));
            imports.add("wasi_unstable", "fd_seek", host.get("wasi_unstable", "fd_seek"));
            Instance instance = instantiate(WASI_CALLER, imports);
            wasi.bind(instance.memory("memory"));
            assertArrayEquals(new Object[] {0}, instance.function("io").call(0));
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            byte[] buffer = new byte[8];
            instance.memory("memory").readBytes(16, buffer, 0, 8);
            assertEquals("readten\n", new String(buffer, StandardCharsets.UTF_8));
            assertEquals(4, instance.memory("memory").readI32(8));
        }
    }

    /** A command whose {@code _start} counts its runs in an exported global and traps on its second run. */
    private static final String COMMAND = """
            (module
              (global $runs (export "runs") (mut i32) (i32.const 0))
              (func (export "_start")
                (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
                (if (i32.gt_s (global.get $runs) (i32.const 1)) (then unreachable))))
            """;

    @Test
    void aCommandsStartIsAMethodOfItsClassThatLeavesTheInstanceFreeHoweverItEnds() throws Exception {
        Instance instance = instantiate(COMMAND, new Imports());
        WasiCommand command = assertInstanceOf(WasiCommand.class, instance);
        command.wasiStart();
        assertEquals(1, instance.global("runs").get());
        WasmTrap trap = assertThrows(WasmTrap.class, command::wasiStart);
        assertEquals("unreachable", trap.getMessage());
        // Another thread may call into the instance: neither run left it marked as running.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThrows(ExecutionException.class,
                    () -> other.submit(() -> instance.function("_start").call()).get());
            assertEquals(3, instance.global("runs").get());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aStartOfAnotherTypeMakesNoCommand() {
        Instance instance = instantiate("(module (func (export \"_start\") (param i32)))", new Imports());
        assertFalse(instance instanceof WasiCommand);
    }
}
