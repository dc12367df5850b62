package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node's {@code node:wasi}, one process per run through {@code node/wasi-runner.mjs}, which times the
 * region with {@code process.hrtime.bigint()} and reports it as a JSON line. A fresh process per run
 * means V8 starts cold every time: its warmup runs only warm the file cache.
 */
final class NodeEngine implements Engine {
    private static final Pattern REPORT =
            Pattern.compile("\\{\"exit\":(\\d+),\"timedNanos\":(\\d+),\"totalNanos\":(\\d+)}");

    private final Path runner;
    private final Duration timeout;
    private final Path scratch;
    private Boolean installed;

    NodeEngine(Path runner, Duration timeout, Path scratch) {
        this.runner = runner;
        this.timeout = timeout;
        this.scratch = scratch;
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public Prepared prepare(Workload workload) throws Exception {
        if (!installed()) {
            throw new IOException("node is not installed");
        }
        return () -> run(workload);
    }

    private boolean installed() throws InterruptedException {
        if (installed == null) {
            try {
                installed = ChildProcess.run(new ProcessBuilder("node", "--version")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD), Duration.ofSeconds(30)) == 0;
            } catch (IOException e) {
                installed = false;
            }
        }
        return installed;
    }

    private Run run(Workload workload) throws IOException, InterruptedException {
        Path stdout = scratch.resolve("node.stdout");
        Path stderr = scratch.resolve("node.stderr");
        Path report = scratch.resolve("node.report");
        ProcessBuilder builder = new ProcessBuilder("node", "--no-warnings", runner.toString(),
                workload.wasm().toString(), workload.directory().toString(), stdout.toString(), stderr.toString())
                .redirectOutput(report.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        int status = ChildProcess.run(builder, timeout);
        String output = Files.readString(report);
        Matcher m = REPORT.matcher(output);
        if (status != 0 || !m.find()) {
            throw new IOException("node exited with status " + status + ": " + output.strip());
        }
        return new Run(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Integer.parseInt(m.group(1)),
                Files.readAllBytes(stdout), Files.readAllBytes(stderr));
    }
}
