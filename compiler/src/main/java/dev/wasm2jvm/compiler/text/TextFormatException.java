package dev.wasm2jvm.compiler.text;

import dev.wasm2jvm.compiler.CompileException;

/**
 * Text that is not a module in the WebAssembly text format: a {@link Kind#MALFORMED} rejection whose
 * {@link #specMessage()} is the spec interpreter's wording ({@code unexpected token},
 * {@code unknown operator}, ...) and whose message adds the line and column.
 */
public final class TextFormatException extends CompileException {
    private final int line;
    private final int column;

    public TextFormatException(String specMessage, int line, int column) {
        super(Kind.MALFORMED, specMessage, -1, -1);
        this.line = line;
        this.column = column;
    }

    /** The 1-based line of the text where the problem was found. */
    public int line() {
        return line;
    }

    /** The 1-based column (in characters) of the text where the problem was found. */
    public int column() {
        return column;
    }

    @Override
    public String getMessage() {
        return "malformed text at line " + line + ", column " + column + ": " + specMessage();
    }
}
