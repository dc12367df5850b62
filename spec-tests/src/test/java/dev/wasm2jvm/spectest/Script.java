package dev.wasm2jvm.spectest;

import java.nio.file.Path;

/** One converted script of the corpus: {@code <suite>/json/<name>/<name>.json}. */
record Script(String suite, String name, Path json) {
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
