package dev.wasm2jvm.maven;

import javax.lang.model.SourceVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The class each module becomes: {@code <packageName>.<subdirectories>.<BaseName>}, the file's base
 * name in UpperCamelCase ({@code threads-zig.wasm} becomes {@code ThreadsZig}) and its folders below
 * the wasm directory as subpackages, unless the file name is given a class name of its own: a simple
 * name stays in that package, a qualified one is used as it is.
 */
final class ClassNames {
    private final String packageName;
    private final Map<String, String> overrides;

    ClassNames(String packageName, Map<String, String> overrides) {
        this.packageName = packageName == null ? "" : packageName.strip();
        this.overrides = overrides == null ? Map.of() : overrides;
        if (!this.packageName.isEmpty()) requireName(this.packageName, "packageName");
        this.overrides.forEach((file, name) -> requireName(name, "classNames/" + file));
    }

    /** The binary class name for the module at {@code relative}, a path below the wasm directory. */
    String of(Path relative) {
        String fileName = relative.getFileName().toString();
        List<String> parts = new ArrayList<>();
        if (!packageName.isEmpty()) parts.add(packageName);
        String override = overrides.get(fileName);
        if (override != null && override.strip().contains(".")) return override.strip();
        Path parent = relative.getParent();
        if (parent != null) parent.forEach(dir -> parts.add(packageSegment(dir.toString())));
        parts.add(override != null ? override.strip() : upperCamelCase(baseName(fileName)));
        return String.join(".", parts);
    }

    static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** {@code threads-zig} as {@code ThreadsZig}: each run of letters and digits a capitalised word. */
    static String upperCamelCase(String name) {
        StringBuilder sb = new StringBuilder();
        boolean wordStart = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                wordStart = true;
                continue;
            }
            if (sb.isEmpty() && !Character.isJavaIdentifierStart(c)) sb.append('_');
            sb.append(wordStart ? Character.toUpperCase(c) : c);
            wordStart = false;
        }
        return sb.isEmpty() ? "Module" : sb.toString();
    }

    /** A folder name as a package name segment: lower case, letters, digits and underscores. */
    private static String packageSegment(String dir) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dir.length(); i++) {
            char c = dir.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_') sb.append(Character.toLowerCase(c));
        }
        if (sb.isEmpty() || !Character.isJavaIdentifierStart(sb.charAt(0)) || SourceVersion.isKeyword(sb)) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    private static void requireName(String name, String setting) {
        if (!SourceVersion.isName(name.strip())) {
            throw new IllegalArgumentException(setting + ": \"" + name + "\" is not a Java class or package name");
        }
    }
}
