package dev.wasm2jvm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * wasm2jvm as a user runs it: {@code wasm2jvm compile --dir . MODULE.wasm -o NAME.jar} once, then
 * {@code java -jar NAME.jar} for every run, on the harness's own JDK with no option but those in the
 * jar's manifest. The compilation is not timed: it happens once, before the runs. The compiler is a
 * checkout's {@code wasm2jvm} script or a CLI jar ({@code wasm2jvm-cli.jar}, run on the harness's
 * JDK): the programs group can time two compilers' jars side by side, the second as its
 * {@code baseline} engine.
 */
final class JarEngine implements Engine {
    private final String name;
    private final Path cli;
    private final Path jars;
    private final Path java;
    private final ProcessRun processes;
    private final boolean trained;
    private String compilerDigest;

    /**
     * @param name the engine's column: {@code wasm2jvm}, or {@code baseline} for a compiler to compare with
     * @param cli  the {@code wasm2jvm} command line script, or a CLI jar
     * @param jars where the compiled jars go, {@code <name>.jar}
     */
    JarEngine(String name, Path cli, Path jars, ProcessRun processes) {
        this(name, cli, jars, processes, false);
    }

    /**
     * @param trained whether each jar runs with the JDK's AOT cache that {@code wasm2jvm train} makes
     *     from one run of the workload before the timed ones ({@code java -XX:AOTCache=NAME.aot -jar NAME.jar})
     */
    JarEngine(String name, Path cli, Path jars, ProcessRun processes, boolean trained) {
        this.name = name;
        this.cli = cli;
        this.jars = jars;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.processes = processes;
        this.trained = trained;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prepared prepare(Workload workload) throws Exception {
        Path jar = compile(workload);
        if (!trained) return () -> processes.run(name(), List.of(java.toString(), "-jar", jar.toString()), workload);
        Path cache = jars.resolve(workload.name() + ".aot");
        Run training = processes.run(name() + "-training", cliCommand("train", "--output", cache.toString(), jar.toString()),
                workload);
        if (training.exitCode() != 0 || !Files.exists(cache)) {
            throw new IOException("wasm2jvm train exited with status " + training.exitCode() + ": "
                    + new String(training.stderr(), StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse(""));
        }
        return () -> processes.run(name(), List.of(java.toString(), "-XX:AOTCache=" + cache, "-jar", jar.toString()), workload);
    }

    /** The command line of the compiler's CLI with {@code args}. */
    private List<String> cliCommand(String... args) {
        List<String> command = new ArrayList<>(cliJar() ? List.of(java.toString(), "-jar", cli.toString()) : List.of(cli.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The jar of {@code workload}, compiled now unless one exists that this compiler made from this
     * module: the jar's key file holds a digest of both (Maven rebuilds the CLI jar on every
     * package, so its time says nothing).
     */
    Path compile(Workload workload) throws IOException, InterruptedException {
        Path jar = jars.resolve(workload.name() + ".jar");
        Path keyFile = jars.resolve(workload.name() + ".jar.key");
        String key = compilerDigest() + " " + digest(Files.readAllBytes(workload.wasm()));
        if (Files.exists(jar) && Files.exists(keyFile) && Files.readString(keyFile).equals(key)) {
            return jar;
        }
        Files.createDirectories(jars);
        Path log = jars.resolve(workload.name() + ".compile.log");
        ProcessBuilder builder = new ProcessBuilder(cliCommand("compile", "--dir", ".", workload.wasm().toString(), "-o", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Files.deleteIfExists(jar);
        int status = ChildProcess.run(builder, Duration.ofMinutes(10));
        if (status != 0) {
            // The CLI's last line is "wasm2jvm: MODULE: message"; the module is known here.
            String message = Files.readString(log, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("")
                    .replace("wasm2jvm: " + workload.wasm() + ": ", "");
            throw new IOException("wasm2jvm compile exited with status " + status + ": " + message);
        }
        Files.writeString(keyFile, key);
        return jar;
    }

    /** A digest of the classes and resources in the CLI jar, in order: what the compiler is, whenever it was built. */
    private String compilerDigest() throws IOException {
        if (compilerDigest == null) {
            // Checkouts from before the CLI became a module of its own built it in the compiler's folder.
            Path cliJar = cliJar() ? cli : cli.resolveSibling("cli/target/wasm2jvm-cli.jar");
            if (!Files.exists(cliJar)) cliJar = cli.resolveSibling("compiler/target/wasm2jvm-cli.jar");
            MessageDigest sha = sha256();
            try (ZipFile zip = new ZipFile(cliJar.toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    sha.update(entry.getName().getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = zip.getInputStream(entry)) {
                        sha.update(in.readAllBytes());
                    }
                }
            }
            compilerDigest = HexFormat.of().formatHex(sha.digest());
        }
        return compilerDigest;
    }

    private boolean cliJar() {
        return cli.getFileName().toString().endsWith(".jar");
    }

    private static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
