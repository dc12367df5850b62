package dev.wasm2jvm.compiler.bench;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.threads.WasiThreads;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a wasi-threads program scales with threads: {@code samples/threads-c/scaling.wasm} hashes a
 * fixed total number of values split evenly over 1, 2, ... N threads (N = available processors),
 * and this prints each run's best time and its speed-up over 1 thread. Not a unit test: run it on
 * demand, on an otherwise idle machine, from the repository root:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -pl compiler -am -Dmdep.outputFile=/tmp/wasm2jvm.cp
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp compiler/target/test-classes:compiler/target/classes:$(cat /tmp/wasm2jvm.cp) \
 *     dev.wasm2jvm.compiler.bench.ScalingBenchmark
 * </pre>
 */
public final class ScalingBenchmark {
    private static final long TOTAL_ROUNDS = 1L << 31;
    private static final int WARMUPS = 3;
    private static final int RUNS = 5;

    private ScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        CompiledModule compiled = WasmCompiler.compile(Files.readAllBytes(Path.of("samples/threads-c/scaling.wasm")),
                "bench.Scaling");
        Imports imports = new Imports().provideMemories();
        new WasiThreads(imports, compiled::instantiate, 64);
        Instance instance = compiled.instantiate(imports);
        FuncRef run = instance.function("run");
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < WARMUPS; i++) run.call(cores, (int) (TOTAL_ROUNDS / 16 / cores));
        System.out.printf("%-8s %12s %10s%n", "threads", "best ms", "speed-up");
        double single = 0;
        for (int threads = 1; threads <= cores; threads++) {
            long best = Long.MAX_VALUE;
            for (int r = 0; r < RUNS; r++) {
                long start = System.nanoTime();
                long result = (long) run.call(threads, (int) (TOTAL_ROUNDS / threads))[0];
                best = Math.min(best, System.nanoTime() - start);
                if (result == 0) throw new IllegalStateException("run(" + threads + ") failed");
            }
            double ms = best / 1e6;
            if (threads == 1) single = ms;
            System.out.printf("%-8d %12.1f %10.2f%n", threads, ms, single / ms);
        }
    }
}
