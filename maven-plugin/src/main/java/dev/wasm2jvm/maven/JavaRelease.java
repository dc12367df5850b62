package dev.wasm2jvm.maven;

import dev.wasm2jvm.compiler.Launcher;

/**
 * The Java release a project compiles for, from its {@code maven.compiler.release} or else
 * {@code maven.compiler.target}: generated classes are Java {@value Launcher#REQUIRED_JAVA} class
 * files, which a project targeting an older Java could not run.
 */
final class JavaRelease {
    private JavaRelease() {}

    /**
     * Checks the project's release.
     *
     * @param release {@code maven.compiler.release}, or {@code null} when unset
     * @param target {@code maven.compiler.target}, or {@code null} when unset
     * @throws IllegalArgumentException naming the property and the Java needed, if either property
     *         (the release first) asks for a Java older than {@value Launcher#REQUIRED_JAVA}
     */
    static void check(String release, String target) {
        String property = release != null && !release.isBlank() ? "maven.compiler.release" : "maven.compiler.target";
        String value = property.equals("maven.compiler.release") ? release : target;
        if (value == null || value.isBlank()) return;
        String version = value.strip();
        int feature;
        try {
            feature = Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " is \"" + value + "\", not a Java version");
        }
        if (feature < Launcher.REQUIRED_JAVA) {
            throw new IllegalArgumentException("the classes wasm2jvm generates need Java " + Launcher.REQUIRED_JAVA
                    + " or later, but this project targets Java " + version + " (" + property + "): set "
                    + property + " to " + Launcher.REQUIRED_JAVA + " or later");
        }
    }
}
