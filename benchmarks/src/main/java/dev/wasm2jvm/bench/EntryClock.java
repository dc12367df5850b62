package dev.wasm2jvm.bench;

import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.wasi.WasiExit;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Instantiates a compiled module from the class path, as a compiled jar's {@code main} does, and
 * prints on stdout the wall-clock time (microseconds since the epoch) at which its entry point is
 * called and at which it returns, so that a script that noted the time before starting the JVM gets
 * the time to the first wasm instruction and to the end of the entry, and the CPU time the process
 * had taken when it called the entry point (microseconds, all threads), which depends less on what
 * else the machine runs:
 *
 * <pre>java -cp MODULE.jar:benchmarks/target/classes dev.wasm2jvm.bench.EntryClock CLASS ENTRY [STUBBED-MODULE...]</pre>
 *
 * {@code ENTRY} is {@code _start} or {@code _initialize}; the functions imported from each
 * {@code STUBBED-MODULE} trap when called, so that a module made for a richer host (a browser, a
 * component runtime) can be instantiated with WASI alone.
 */
public final class EntryClock {
    private EntryClock() {}

    public static void main(String[] args) throws ReflectiveOperationException, IOException {
        if (args.length < 2) {
            System.err.println("usage: EntryClock CLASS ENTRY [STUBBED-MODULE...]");
            System.exit(2);
        }
        Class<?> moduleClass = Class.forName(args[0]);
        String entry = args[1];
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().args(entry).build())) {
            Imports imports = new Imports();
            wasi.addTo(imports);
            for (String stubbed : Arrays.asList(args).subList(2, args.length)) {
                imports.addModule(stubbed, name -> (HostFunction) values -> {
                    throw new WasmTrap("host function " + stubbed + "." + name + " is not provided");
                });
            }
            Instance instance = (Instance) moduleClass.getConstructor(Imports.class).newInstance(imports);
            wasi.bind(instance.memory("memory"));
            long entered = micros();
            // The CPU time of every thread of the process so far: JIT compilation and GC included.
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(-1L);
            int status = 0;
            try {
                instance.function(entry).call();
            } catch (WasiExit exit) {
                status = exit.exitCode();
            }
            long returned = micros();
            System.out.println("entered " + entered);
            System.out.println("returned " + returned);
            System.out.println("cpu " + cpu);
            System.out.println("status " + status);
        }
    }

    private static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
