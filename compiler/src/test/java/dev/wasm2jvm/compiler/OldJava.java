package dev.wasm2jvm.compiler;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JVM older than Java {@value Launcher#REQUIRED_JAVA} to run launchers on: the system's default
 * {@code /usr/bin/java} (Java 17 on the build machines). Tests that need it are skipped, with the
 * reason, where there is none.
 */
public final class OldJava {
    /** Where the old JVM is looked for. */
    public static final Path JAVA = Path.of("/usr/bin/java");
    private static final Pattern VERSION = Pattern.compile("version \"(?:1\\.)?(\\d+)");

    /** What a run printed and how it ended. */
    public record Outcome(int exitCode, String stdout, String stderr) {}

    private OldJava() {}

    /**
     * Runs {@code java args...} on the old JVM; skips the calling test if there is no JVM older
     * than Java {@value Launcher#REQUIRED_JAVA} at {@link #JAVA}.
     */
    public static Outcome run(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(JAVA), "no JVM at " + JAVA + " to try a launcher on an old Java");
        Outcome version = exec(List.of("-version"));
        Matcher m = VERSION.matcher(version.stderr());
        assumeTrue(m.find() && Integer.parseInt(m.group(1)) < Launcher.REQUIRED_JAVA,
                JAVA + " is not older than Java " + Launcher.REQUIRED_JAVA + ": " + version.stderr());
        return exec(List.of(args));
    }

    /** The message and exit status of a launcher run by the old JVM, for {@code assertEquals}. */
    public static Outcome wrongJava() throws IOException, InterruptedException {
        Outcome properties = exec(List.of("-XshowSettings:properties", "-version"));
        return new Outcome(Launcher.WRONG_JAVA_EXIT_CODE, "", "wasm2jvm: this program needs Java "
                + Launcher.REQUIRED_JAVA + " or later, but runs on Java " + property(properties, "java.specification.version")
                + " (" + property(properties, "java.home") + ")\n");
    }

    private static String property(Outcome properties, String name) {
        Matcher m = Pattern.compile("^ +" + Pattern.quote(name) + " = (.*)$", Pattern.MULTILINE).matcher(properties.stderr());
        if (!m.find()) throw new AssertionError(name + " not among the properties of " + JAVA + ": " + properties.stderr());
        return m.group(1);
    }

    private static Outcome exec(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(args);
        Path out = Files.createTempFile("stdout", ".txt");
        Path err = Files.createTempFile("stderr", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
