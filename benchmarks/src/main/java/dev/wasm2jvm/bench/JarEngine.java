package dev.wasm2jvm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * wasm2jvm as a user runs it: {@code wasm2jvm compile --dir . MODULE.wasm -o NAME.jar} once, then
 * {@code java -jar NAME.jar} for every run, on the harness's own JDK with no option but those in the
 * jar's manifest. The compilation is not timed: it happens once, before the runs.
 */
final class JarEngine implements Engine {
    private final Path cli;
    private final Path jars;
    private final Path java;
    private final ProcessRun processes;
    private String compilerDigest;

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
        ProcessBuilder builder = new ProcessBuilder(cli.toString(), "compile", "--dir", ".",
                workload.wasm().toString(), "-o", jar.toString())
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
            Path cliJar = cli.resolveSibling("cli/target/wasm2jvm-cli.jar");
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
