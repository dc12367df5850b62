package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

/**
 * wasm2jvm as a user runs it: {@code wasm2jvm compile --dir . MODULE.wasm -o NAME.jar} once, then
 * {@code java -jar NAME.jar} for every run, on the harness's own JDK with no option but those in the
 * jar's manifest. The compilation is not timed with the runs; its wall time is kept for the table.
 */
final class JarEngine implements Engine {
    private final Path cli;
    private final Path jars;
    private final Path java;
    private final ProcessRun processes;

    /**
     * @param cli  the {@code wasm2jvm} command line script
     * @param jars where the compiled jars go, {@code <name>.jar}
     */
    JarEngine(Path cli, Path jars, ProcessRun processes) {
        this.cli = cli;
        this.jars = jars;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.processes = processes;
    }

    @Override
    public String name() {
        return "wasm2jvm";
    }

    @Override
    public Prepared prepare(Workload workload) throws Exception {
        Path jar = compile(workload);
        return () -> processes.run(name(), List.of(java.toString(), "-jar", jar.toString()), workload);
    }

    /** The jar of {@code workload}, compiled now unless an up-to-date one exists. */
    Path compile(Workload workload) throws IOException, InterruptedException {
        Path jar = jars.resolve(workload.name() + ".jar");
        if (Files.exists(jar) && newer(jar, Files.getLastModifiedTime(workload.wasm())) && newer(jar, compilerBuilt())) {
            return jar;
        }
        Files.createDirectories(jars);
        Path log = jars.resolve(workload.name() + ".compile.log");
        ProcessBuilder builder = new ProcessBuilder(cli.toString(), "compile", "--dir", ".",
                workload.wasm().toString(), "-o", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Files.deleteIfExists(jar);
        int status = ChildProcess.run(builder, Duration.ofMinutes(10));
        if (status != 0) {
            String message = Files.readString(log, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("");
            throw new IOException("wasm2jvm compile exited with status " + status + ": " + message);
        }
        return jar;
    }

    private static boolean newer(Path file, FileTime than) throws IOException {
        return Files.getLastModifiedTime(file).compareTo(than) > 0;
    }

    /** When the compiler was last built: the CLI jar the script runs, which it rebuilds when stale. */
    private FileTime compilerBuilt() throws IOException {
        Path cliJar = cli.resolveSibling("compiler/target/wasm2jvm-cli.jar");
        return Files.exists(cliJar) ? Files.getLastModifiedTime(cliJar) : FileTime.fromMillis(Long.MAX_VALUE);
    }
}
