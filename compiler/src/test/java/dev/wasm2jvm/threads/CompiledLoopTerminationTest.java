package dev.wasm2jvm.threads;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Termination;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loop that the JIT compiled before any program requested termination still stops when
 * termination is requested from another thread: in C2's code, where its polls compiled to nothing,
 * and in C1's, where each poll reads a field that no request had changed yet. The loop runs in a
 * JVM of its own: in this one another test may have requested termination already.
 */
class CompiledLoopTerminationTest {
    /** Iterations after which the loop is surely compiled by the tier the JVM runs with. */
    private static final long WARM = 200_000_000L;

    /** {@code tier}: the JVM option that picks the compiler whose code runs the loop when the request comes. */
    @ParameterizedTest
    @ValueSource(strings = {"-XX:-TieredCompilation", "-XX:TieredStopAtLevel=1"})
    void aRequestStopsALoopCompiledBeforeIt(String tier) throws Exception {
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), tier,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Spin.class.getName()).redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the spinning JVM did not end");
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals("stopped by ProgramTerminated\n", output);
        assertEquals(0, java.exitValue(), output);
    }

    /** Spins {@code spin} on a thread until it is compiled, requests termination, reports how the loop ended. */
    static final class Spin {
        public static void main(String[] args) throws Exception {
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

            System.out.println(spinner.isAlive() ? "still running"
                    : "stopped by " + (ended.get() instanceof Termination.ProgramTerminated ? "ProgramTerminated" : ended.get()));
        }

        /** {@code spin}: counts forever, storing the count at address 0 where the main thread watches it. */
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
}
