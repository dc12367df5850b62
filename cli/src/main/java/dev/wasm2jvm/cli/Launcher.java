package dev.wasm2jvm.cli;

/**
 * The CLI jar's main class, compiled for Java 8 (the only class of the CLI that is) so that any JVM
 * from Java 8 on loads it: on a Java older than 22 it says so in one line and exits with status 1,
 * where loading {@code Main}, a Java 22 class file, would fail with an
 * {@code UnsupportedClassVersionError} and its stack trace. Otherwise it runs {@code Main}.
 *
 * <p>It calls {@code Main} directly, as a compiled jar's main class calls its command: the JVM
 * loads {@code Main} only when that call is first made, after the version check. A reflective
 * call would cost every start the method handles that core reflection spins for it.
 */
public final class Launcher {
    private static final int REQUIRED_JAVA = 22;

    private Launcher() {}

    /** Runs the command line {@code args} on Java 22 or later. */
    public static void main(String[] args) {
        String version = System.getProperty("java.specification.version");
        if (version.startsWith("1.") || Integer.parseInt(version) < REQUIRED_JAVA) {
            System.err.println("wasm2jvm: this program needs Java " + REQUIRED_JAVA + " or later, but runs on Java "
                    + version + " (" + System.getProperty("java.home") + ")");
            System.exit(1);
        }
        Main.main(args);
    }
}
