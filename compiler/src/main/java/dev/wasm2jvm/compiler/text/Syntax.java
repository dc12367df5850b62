package dev.wasm2jvm.compiler.text;

/** The errors of the text format's grammar, worded as the spec interpreter words them. */
final class Syntax {
    private Syntax() {}

    /**
     * An item the grammar does not allow where it stands: {@code unknown operator} when it is no
     * token of the text format at all (a reserved token or an unknown keyword, which the spec's lexer
     * rejects by itself), {@code unexpected token} otherwise.
     */
    static TextFormatException unexpected(SExpr item) {
        if (item instanceof SExpr.Atom a && (a.kind() == SExpr.Kind.RESERVED
                || a.kind() == SExpr.Kind.KEYWORD && !Keywords.isKnown(a.text()))) {
            return error(item, "unknown operator " + a.text());
        }
        return error(item, "unexpected token");
    }

    static TextFormatException error(SExpr at, String message) {
        return new TextFormatException(message, at.line(), at.column());
    }
}
