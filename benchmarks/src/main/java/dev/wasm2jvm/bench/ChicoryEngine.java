package dev.wasm2jvm.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.function.Function;

/**
 * Chicory in this JVM, with its runtime compiler (wasm to JVM bytecode at instantiation, falling back
 * to its interpreter for functions it cannot compile). Like {@link Wasm2JvmEngine}, the module is
 * parsed and compiled once and instantiated afresh for every run.
 */
final class ChicoryEngine implements Engine {
    @Override
    public String name() {
        return "chicory";
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public Prepared prepare(Workload workload) throws Exception {
        WasmModule module = Parser.parse(Files.readAllBytes(workload.wasm()));
        Function<Instance, Machine> machines = MachineFactoryCompiler.compile(module);
        return () -> run(module, machines, workload);
    }

    private static Run run(WasmModule module, Function<Instance, Machine> machines, Workload workload) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        WasiOptions options = WasiOptions.builder()
                .withDirectory(".", workload.directory())
                .withStdin(InputStream.nullInputStream())
                .withStdout(stdout)
                .withStderr(stderr)
                .withThrowOnExit0(true)
                .build();
        BenchClock clock = new BenchClock();
        int exitCode = 0;
        long begin = System.nanoTime();
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options).build()) {
            ImportValues imports = ImportValues.builder()
                    .addFunction(wasi.toHostFunctions())
                    .addFunction(new HostFunction("bench", "start", FunctionType.empty(), (instance, args) -> {
                        clock.start();
                        return null;
                    }))
                    .addFunction(new HostFunction("bench", "end", FunctionType.empty(), (instance, args) -> {
                        clock.end();
                        return null;
                    }))
                    .build();
            Instance instance = Instance.builder(module)
                    .withImportValues(imports)
                    .withMachineFactory(machines)
                    .withStart(false)
                    .build();
            try {
                instance.export("_start").apply();
            } catch (WasiExitException e) {
                exitCode = e.exitCode();
            }
        }
        long total = System.nanoTime() - begin;
        return new Run(clock.timedNanos(), total, exitCode, stdout.toByteArray(), stderr.toByteArray());
    }
}
