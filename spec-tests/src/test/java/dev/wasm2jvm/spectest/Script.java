package dev.wasm2jvm.spectest;

import java.nio.file.Path;

/**
 * One script of the corpus: a converted one, {@code <suite>/json/<name>/<name>.json}, or a
 * {@code .wast} script read as it is, {@code wasm-3.0/<name>.wast} ({@code name} may have folders,
 * {@code legacy/throw}); {@code json} is the file either way.
 */
record Script(String suite, String name, Path json) {
    boolean isWast() {
        return json.getFileName().toString().endsWith(".wast");
    }

    /** {@code core/i32}: how the script is named in test names, the table and failure lines. */
    String id() {
        return suite + "/" + name;
    }

    Path directory() {
        return json.getParent();
    }

    @Override
    public String toString() {
        return id();
    }
}
