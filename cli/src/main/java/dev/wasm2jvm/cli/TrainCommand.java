package dev.wasm2jvm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wasm2jvm train}: runs a compiled jar once and makes the JDK's ahead-of-time cache for it
 * (JEP 483 and 515, JDK 25): its classes loaded and linked, and the profiles of its methods, so
 * that {@code java -XX:AOTCache=OUT.aot -jar JAR} starts without reading and verifying the classes
 * and compiles the program's hot methods without waiting for their profiles to grow. Measured on
 * the benchmark programs (whole processes, {@code benchmarks/HISTORY.md}): 0.53 to 0.73 of the CPU of a plain
 * {@code java -jar}.
 *
 * <p>Two JVMs do the work, as the JDK's two-step workflow does: the training run
 * ({@code -XX:AOTMode=record}), which is the program run as the user runs it, with the arguments
 * given here, this process's standard streams and working directory; then the cache's assembly
 * ({@code -XX:AOTMode=create}), which runs nothing of the program. The training JVM ends by
 * printing where it wrote its configuration on stdout, which is taken out of the program's output.
 * The cache belongs to that one JDK build and that jar: the jar's launcher refuses a cache made
 * from another build of the jar ({@code CommandRunner.checkClassCache}), which the JDK does not.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = {"Run a compiled jar once, as a training run, and write the JDK's ahead-of-time cache for it",
                "(JDK 25 or later), then run it with 'java -XX:AOTCache=OUT.aot -jar JAR ARGS...'."},
        footer = {"", "The training run is the program's own run: its arguments, standard streams and working",
                "directory are this command's. The cache holds for that JDK and that jar: train again after",
                "compiling the jar again or changing the JDK.",
                "", "Exit status: 0 when the cache is written; 1 if it cannot be; " + Main.USAGE_EXIT_CODE
                + " for a mistake on the command line."})
final class TrainCommand implements Callable<Integer> {
    /** The first JDK whose {@code java} records and assembles an AOT cache with profiles. */
    static final int REQUIRED_JAVA = 25;

    private final Streams streams;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.aot",
            description = "The cache to write (default: the jar's path with .aot for .jar).")
    Path output;

    @Option(names = "--java", paramLabel = "JAVA",
            description = "The java launcher to train with, the one that will run the program (default: this command's).")
    Path java;

    @Parameters(index = "0", paramLabel = "JAR", description = "A jar written by 'wasm2jvm compile'.")
    Path jar;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments for the training run.")
    List<String> args = new ArrayList<>();

    TrainCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) throw new UserError(jar + ": no such jar");
        Path launcher = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java");
        Path cache = output != null ? output : defaultOutput(jar);
        Path configuration;
        try {
            configuration = Files.createTempFile(cache.toAbsolutePath().getParent(), ".wasm2jvm-train", ".aotconf");
        } catch (IOException e) {
            throw new UserError(cache + ": cannot write: " + e.getMessage());
        }
        try {
            List<String> record = new ArrayList<>(List.of(launcher.toString(), "-XX:AOTMode=record",
                    "-XX:AOTConfiguration=" + configuration, "-jar", jar.toString()));
            record.addAll(args);
            int exit = runTraining(record, configuration);
            if (Files.size(configuration) == 0) {
                throw new UserError(jar + ": the training run (exit status " + exit + ") left no AOT configuration;"
                        + " training needs the java of JDK " + REQUIRED_JAVA + " or later (" + launcher + ")");
            }
            Process create = new ProcessBuilder(launcher.toString(), "-XX:AOTMode=create",
                    "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + cache, "-jar", jar.toString())
                    .redirectErrorStream(true).start();
            create.getOutputStream().close();
            byte[] log = create.getInputStream().readAllBytes();
            if (create.waitFor() != 0 || !Files.isRegularFile(cache)) {
                throw new UserError(cache + ": the JDK could not make the cache:\n"
                        + new String(log, StandardCharsets.UTF_8).strip());
            }
            streams.errPrinter().println("wasm2jvm: wrote " + cache + " (" + Files.size(cache) / 1_000_000 + " MB)"
                    + (exit == 0 ? "" : " from a training run that ended with status " + exit)
                    + "; run the program with: java -XX:AOTCache=" + cache + " -jar " + jar);
            return 0;
        } finally {
            Files.deleteIfExists(configuration);
        }
    }

    /** The cache beside the jar: its name with {@code .aot} for {@code .jar}. */
    static Path defaultOutput(Path jar) {
        String name = jar.getFileName().toString();
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - ".jar".length()) : name;
        return jar.resolveSibling(base + ".aot");
    }

    /**
     * Runs the training JVM {@code command} on this command's streams and returns its exit status;
     * the JVM's closing line naming {@code configuration} is kept out of the program's stdout.
     */
    private int runTraining(List<String> command, Path configuration) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE);
        if (streams.process()) {
            builder.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process training;
        try {
            training = builder.start();
        } catch (IOException e) {
            throw new UserError(command.getFirst() + ": cannot run: " + e.getMessage());
        }
        List<Thread> pumps = new ArrayList<>();
        if (!streams.process()) {
            pumps.add(pump(streams.in(), training.getOutputStream(), true));
            pumps.add(pump(training.getErrorStream(), streams.err(), false));
        }
        byte[] recorded = (" AOTConfiguration recorded: " + configuration + "\n").getBytes(StandardCharsets.UTF_8);
        copyWithoutTail(training.getInputStream(), streams.out(), recorded);
        int exit = training.waitFor();
        for (Thread pump : pumps) pump.join();
        return exit;
    }

    /**
     * Copies {@code in} to {@code out} as it comes, but for {@code tail} (or {@code tail} without its
     * first byte) where the stream ends with it: only bytes that may begin it are held back, so a
     * prompt written without a newline reaches {@code out} at once.
     */
    static void copyWithoutTail(InputStream in, OutputStream out, byte[] tail) throws IOException {
        byte[] held = new byte[0];
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            byte[] all = Arrays.copyOf(held, held.length + n);
            System.arraycopy(buffer, 0, all, held.length, n);
            int keep = heldBack(all, tail);
            out.write(all, 0, all.length - keep);
            out.flush();
            held = Arrays.copyOfRange(all, all.length - keep, all.length);
        }
        int drop = endsWith(held, tail, 0) ? tail.length : endsWith(held, tail, 1) ? tail.length - 1 : 0;
        out.write(held, 0, held.length - drop);
        out.flush();
    }

    /**
     * How many bytes at the end of {@code bytes} may begin {@code tail} or {@code tail} less its first
     * byte, a space: none for the space alone, which ends many a prompt and is written at once (a
     * closing line whose space comes in a read of its own leaves the space in the output).
     */
    private static int heldBack(byte[] bytes, byte[] tail) {
        for (int k = Math.min(bytes.length, tail.length); k > 0; k--) {
            for (int skip = k == 1 ? 1 : 0; skip <= 1 && k <= tail.length - skip; skip++) {
                if (Arrays.equals(bytes, bytes.length - k, bytes.length, tail, skip, skip + k)) return k;
            }
        }
        return 0;
    }

    /** Whether {@code bytes} ends with {@code tail} less its first {@code skip} bytes. */
    private static boolean endsWith(byte[] bytes, byte[] tail, int skip) {
        int length = tail.length - skip;
        return bytes.length >= length
                && Arrays.equals(bytes, bytes.length - length, bytes.length, tail, skip, tail.length);
    }

    /**
     * A daemon thread copying {@code in} to {@code out}, closing {@code out} at the end if
     * {@code close}; it stops quietly where the other side is gone (a program that ends before
     * reading all its input).
     */
    private static Thread pump(InputStream in, OutputStream out, boolean close) {
        Thread thread = new Thread(() -> {
            try {
                in.transferTo(out);
                out.flush();
                if (close) out.close();
            } catch (IOException e) {
                // The program ended, or closed its stdin: what is left of the input is not wanted.
            }
        }, "wasm2jvm-train-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
