package dev.wasm2jvm.threads;

import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Termination;
import dev.wasm2jvm.compiler.WasmCompiler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A loop that the JIT has compiled, while no program had yet requested termination (so its polls
 * compiled to nothing), still stops when termination is requested from another thread.
 */
class CompiledLoopTerminationTest {
    /** Iterations before the loop is surely compiled by the JIT's optimising tier. */
    private static final long WARM = 200_000_000L;

    @Test
    void aRequestStopsALoopCompiledWithoutPolls() throws Exception {
        Imports imports = new Imports();
        Instance instance = WasmCompiler.compile(spinningModule(), "threads.Spin").instantiate(imports);
        Memory memory = (Memory) instance.export("memory");
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread spinner = new Thread(() -> {
            try {
                instance.function("spin").call();
            } catch (Throwable t) {
                ended.set(t);
            }
        }, "spinner");
        spinner.setDaemon(true);
        spinner.start();
        while (memory.readI64(0) < WARM) {
            Thread.sleep(10);
        }

        imports.termination().request();
        spinner.join(TimeUnit.SECONDS.toMillis(10));

        assertFalse(spinner.isAlive(), "the compiled loop did not stop");
        assertInstanceOf(Termination.ProgramTerminated.class, ended.get());
    }

    /** {@code spin}: counts forever, storing the count at address 0 where the test can watch it. */
    private static byte[] spinningModule() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(), List.of());
        Code body = new Code()
                .block(0x03, null)
                .i32Const(0)
                .localGet(0).i64Const(1).op(0x7C).localTee(0)
                .memarg(0x37, 3, 0)
                .br(0)
                .end();
        m.exportFunction("spin", m.function(type, List.of(ValType.I64), body));
        m.memory(1);
        return m.build();
    }
}
