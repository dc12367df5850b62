package dev.wasm2jvm.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The gcc build of a C kernel, one process per run. The kernel times its own region (see
 * {@code kernels/bench.h}) and writes it to the file named by {@code BENCH_TIMING_FILE}; the whole
 * program time is the process's wall time, start-up included.
 */
final class NativeEngine implements Engine {
    private final Duration timeout;
    private final Path scratch;

    NativeEngine(Duration timeout, Path scratch) {
        this.timeout = timeout;
        this.scratch = scratch;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean appliesTo(Workload workload) {
        return workload.nativeExecutable() != null;
    }

    @Override
    public Prepared prepare(Workload workload) throws Exception {
        if (!Files.isExecutable(workload.nativeExecutable())) {
            throw new IOException("no native build at " + workload.nativeExecutable());
        }
        return () -> run(workload);
    }

    private Run run(Workload workload) throws IOException, InterruptedException {
        Path stdout = scratch.resolve("native.stdout");
        Path stderr = scratch.resolve("native.stderr");
        Path timing = scratch.resolve("native.timing");
        Files.deleteIfExists(timing);
        ProcessBuilder builder = new ProcessBuilder(workload.nativeExecutable().toString())
                .directory(workload.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().put("BENCH_TIMING_FILE", timing.toString());
        long begin = System.nanoTime();
        int status = ChildProcess.run(builder, timeout);
        long total = System.nanoTime() - begin;
        if (!Files.exists(timing)) {
            throw new IOException(workload.nativeExecutable() + " did not report its timed region");
        }
        return new Run(Long.parseLong(Files.readString(timing).strip()), total, status,
                Files.readAllBytes(stdout), Files.readAllBytes(stderr));
    }
}
