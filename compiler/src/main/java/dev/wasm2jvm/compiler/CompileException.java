package dev.wasm2jvm.compiler;

/**
 * A module was rejected: it is malformed (the binary cannot be decoded), invalid (it does not
 * type-check), or uses a feature wasm2jvm does not support. {@link #specMessage()} is the spec's text
 * alone (as in the spec tests' {@code assert_malformed} and {@code assert_invalid}); the message adds
 * the byte offset and the function.
 */
public class CompileException extends RuntimeException {
    /** Why a module was rejected. */
    public enum Kind { MALFORMED, INVALID, UNSUPPORTED }

    private final Kind kind;
    private final String specMessage;
    private final long offset;
    private final int funcidx;

    public CompileException(Kind kind, String specMessage, long offset, int funcidx) {
        super(format(kind, specMessage, offset, funcidx));
        this.kind = kind;
        this.specMessage = specMessage;
        this.offset = offset;
        this.funcidx = funcidx;
    }

    public static CompileException malformed(String specMessage, long offset) {
        return new CompileException(Kind.MALFORMED, specMessage, offset, -1);
    }

    public static CompileException invalid(String specMessage, long offset, int funcidx) {
        return new CompileException(Kind.INVALID, specMessage, offset, funcidx);
    }

    public static CompileException unsupported(String feature, long offset, int funcidx) {
        return new CompileException(Kind.UNSUPPORTED, "unsupported feature: " + feature, offset, funcidx);
    }

    public Kind kind() {
        return kind;
    }

    /** The spec's text, e.g. {@code "type mismatch"} or {@code "unexpected end"}. */
    public String specMessage() {
        return specMessage;
    }

    /** The byte offset in the module where the problem was found, or {@code -1}. */
    public long offset() {
        return offset;
    }

    /** The index of the function being decoded or validated, or {@code -1}. */
    public int funcidx() {
        return funcidx;
    }

    private static String format(Kind kind, String message, long offset, int funcidx) {
        StringBuilder sb = new StringBuilder(switch (kind) {
            case MALFORMED -> "malformed module";
            case INVALID -> "invalid module";
            case UNSUPPORTED -> "unsupported module";
        });
        if (funcidx >= 0) sb.append(" in function ").append(funcidx);
        if (offset >= 0) sb.append(" at offset 0x").append(Long.toHexString(offset));
        return sb.append(": ").append(message).toString();
    }
}
