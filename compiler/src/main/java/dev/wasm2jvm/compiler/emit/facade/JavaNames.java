package dev.wasm2jvm.compiler.emit.facade;

import java.util.HashSet;
import java.util.Set;

/**
 * Java identifiers for wasm names, which may be any UTF-8 string: the characters Java allows are
 * kept, any run of others ends a word of a camelCase name ({@code add-two} becomes {@code addTwo}),
 * and a name that would be a keyword or is already taken gets trailing underscores.
 */
final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "_");
    /** Java's limit is the class file's; names this long are already unreadable. */
    private static final int MAX_LENGTH = 200;

    private final Set<String> taken;

    /** A namespace in which {@code reserved} names are already taken. */
    JavaNames(Set<String> reserved) {
        this.taken = new HashSet<>(reserved);
    }

    /** A legal Java identifier for {@code name}, not taken before and taken from now on. */
    String unique(String name) {
        String id = identifier(name);
        while (!taken.add(id)) id += "_";
        return id;
    }

    /** {@code name} as a legal Java identifier, made as described in the class comment. */
    static String identifier(String name) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (int i = 0; i < name.length() && sb.length() < MAX_LENGTH; ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            if (c == '$' || !Character.isJavaIdentifierPart(c) || Character.isIdentifierIgnorable(c)) {
                upper = sb.length() > 0;
                continue;
            }
            if (sb.length() == 0 && !Character.isJavaIdentifierStart(c)) sb.append('_');
            sb.appendCodePoint(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        String id = sb.isEmpty() ? "_" : sb.toString();
        return KEYWORDS.contains(id) ? id + "_" : id;
    }
}
