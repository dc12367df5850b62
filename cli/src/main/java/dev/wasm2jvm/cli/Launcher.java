package dev.wasm2jvm.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The CLI jar's main class, compiled for Java 8 (the only class of the CLI that is) so that any JVM
 * from Java 8 on loads it: on a Java older than 22 it says so in one line and exits with status 1,
 * where loading {@code Main}, a Java 22 class file, would fail with an
 * {@code UnsupportedClassVersionError} and its stack trace. Otherwise it runs {@code Main}.
 */
public final class Launcher {
    private static final int REQUIRED_JAVA = 22;

    private Launcher() {}

    /** Runs the command line {@code args} on Java 22 or later. */
    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version");
        if (version.startsWith("1.") || Integer.parseInt(version) < REQUIRED_JAVA) {
            System.err.println("wasm2jvm: this program needs Java " + REQUIRED_JAVA + " or later, but runs on Java "
                    + version + " (" + System.getProperty("java.home") + ")");
            System.exit(1);
        }
        // By reflection: this class compiles on its own, for Java 8, apart from the Java 22 classes.
        try {
            Class.forName("dev.wasm2jvm.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
