package dev.wasm2jvm.bench;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.wasi.WasiExit;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * wasm2jvm in this JVM: the module is compiled once in memory; every run instantiates it afresh, so
 * later runs execute the same, by then JIT-compiled, classes.
 */
final class Wasm2JvmEngine implements Engine {
    @Override
    public String name() {
        return "wasm2jvm";
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public Prepared prepare(Workload workload) throws Exception {
        CompiledModule module = WasmCompiler.compile(Files.readAllBytes(workload.wasm()));
        return () -> run(module, workload);
    }

    private static Run run(CompiledModule module, Workload workload) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        WasiOptions options = WasiOptions.builder()
                .preopenDirectory(workload.directory(), ".")
                .stdin(InputStream.nullInputStream())
                .stdout(stdout)
                .stderr(stderr)
                .build();
        BenchClock clock = new BenchClock();
        int exitCode = 0;
        long begin = System.nanoTime();
        try (WasiPreview1 wasi = new WasiPreview1(options)) {
            Imports imports = new Imports();
            wasi.addTo(imports);
            imports.add("bench", "start", (HostFunction) args -> {
                clock.start();
                return null;
            });
            imports.add("bench", "end", (HostFunction) args -> {
                clock.end();
                return null;
            });
            Instance instance = module.instantiate(imports);
            wasi.bind(instance.memory("memory"));
            try {
                instance.function("_start").call();
            } catch (WasiExit e) {
                exitCode = e.exitCode();
            }
            wasi.flush();
        }
        long total = System.nanoTime() - begin;
        return new Run(clock.timedNanos(), total, exitCode, stdout.toByteArray(), stderr.toByteArray());
    }
}
