package dev.wasm2jvm.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a workload as a whole process, as a user runs it: in the workload's folder, with its
 * arguments and standard input, an empty environment (so that nothing of the harness's, such as
 * {@code WASM2JVM_DIR}, changes what runs), and its output captured in files. The time is the wall
 * time from starting the process to its exit, JVM or node start-up included.
 */
final class ProcessRun {
    private final Duration timeout;
    private final Path scratch;

    /** Runs that end after {@code timeout} fail; output goes to files in {@code scratch}. */
    ProcessRun(Duration timeout, Path scratch) {
        this.timeout = timeout;
        this.scratch = scratch;
    }

    /** Runs {@code command} followed by the workload's arguments; {@code label} names its output files. */
    Run run(String label, List<String> command, Workload workload) throws IOException, InterruptedException {
        return run(label, command, workload, process -> { });
    }

    /** As {@link #run(String, List, Workload)}, handing the process to {@code started} once it runs. */
    Run run(String label, List<String> command, Workload workload, Consumer<Process> started)
            throws IOException, InterruptedException {
        Path stdout = scratch.resolve(label + ".stdout");
        Path stderr = scratch.resolve(label + ".stderr");
        for (String output : workload.outputs()) {
            delete(workload.directory().resolve(output));
        }
        List<String> full = new ArrayList<>(command);
        full.addAll(workload.args());
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workload.directory().toFile())
                .redirectInput(workload.stdin() == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(workload.stdin().toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        long begin = System.nanoTime();
        int status = ChildProcess.run(builder, timeout, started);
        long wall = System.nanoTime() - begin;
        return new Run(wall, wall, status, Files.readAllBytes(stdout), Files.readAllBytes(stderr));
    }

    private static void delete(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.toList()) {
                    delete(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
