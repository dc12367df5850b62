package dev.wasm2jvm.compiler.text;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The WebAssembly text format read as S-expressions: atoms (tokens) and parenthesised lists, each
 * with the line and column where it starts. Comments are dropped; annotations ({@code (@id ...)})
 * are kept apart from the list's items, so that code reading the items never sees them.
 */
public sealed interface SExpr permits SExpr.Atom, SExpr.Node {
    int line();

    int column();

    /** The spec's token classes; numbers are recognised by their form, their range is checked where they are used. */
    enum Kind {
        /** Starts with a lowercase letter: {@code module}, {@code i32.add}, {@code offset=8}, {@code nan:canonical}. */
        KEYWORD,
        /** An integer or float literal, including {@code inf}, {@code nan} and {@code nan:0x...}. */
        NUMBER,
        /** {@code $name} or {@code $"name"}; {@link Atom#text()} is the name without the {@code $}. */
        ID,
        /** A string literal; {@link Atom#bytes()} are its bytes. */
        STRING,
        /** Any other run of token characters; never valid outside annotations. */
        RESERVED
    }

    /**
     * One token.
     *
     * @param text the token's source text; for an {@link Kind#ID} the name without the {@code $}
     * @param bytes a string's bytes, {@code null} for other tokens
     */
    record Atom(Kind kind, String text, byte[] bytes, int line, int column) implements SExpr {
        /** Whether this is the keyword {@code keyword}. */
        public boolean is(String keyword) {
            return kind == Kind.KEYWORD && text.equals(keyword);
        }

        /** A string's bytes as UTF-8 text, which a name must be. */
        public String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return kind == Kind.ID ? "$" + text : text;
        }
    }

    /**
     * A parenthesised list.
     *
     * @param items the list's items, annotations left out
     * @param annotations the annotations among the items, in order
     * @param annotation the id of an annotation ({@code custom} for {@code (@custom ...)}), {@code null} for a list
     */
    record Node(List<SExpr> items, List<Node> annotations, String annotation, int line, int column) implements SExpr {
        public Node {
            items = List.copyOf(items);
            annotations = List.copyOf(annotations);
        }

        /** Whether the first item is the keyword {@code keyword}. */
        public boolean startsWith(String keyword) {
            return !items.isEmpty() && items.getFirst() instanceof Atom a && a.is(keyword);
        }

        /** The first item's keyword, or {@code null}. */
        public String head() {
            return !items.isEmpty() && items.getFirst() instanceof Atom a && a.kind() == Kind.KEYWORD ? a.text() : null;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("(");
            if (annotation != null) sb.append('@').append(annotation);
            for (SExpr item : items) {
                if (sb.length() > 1) sb.append(' ');
                sb.append(item);
            }
            return sb.append(')').toString();
        }
    }

    /**
     * Reads every S-expression of {@code text}.
     *
     * @throws TextFormatException when the text is not a sequence of well-formed S-expressions
     */
    static List<SExpr> read(String text) {
        return new SExprReader(text).readAll().items();
    }
}
