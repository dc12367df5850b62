package dev.wasm2jvm.compiler.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The lexer of the text format, building {@link SExpr}s as it goes. */
final class SExprReader {
    /**
     * The deepest lists the text may nest. Reading them and encoding the instructions in them
     * recurse per level, on the stack {@link Wat#toBinary(String)} gives them; a {@code switch} of
     * thousands of cases, as nested blocks, fits.
     */
    static final int MAX_NESTING = 10_000;

    private static final String DEC = "[0-9](?:_?[0-9])*";
    private static final String HEX = "[0-9a-fA-F](?:_?[0-9a-fA-F])*";
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:" + DEC + "(?:\\." + "(?:" + DEC + ")?)?(?:[eE][+-]?" + DEC + ")?"
            + "|0x" + HEX + "(?:\\.(?:" + HEX + ")?)?(?:[pP][+-]?" + DEC + ")?"
            + "|inf|nan|nan:0x" + HEX + ")");

    private final String text;
    private int depth;
    private int pos;
    private int line = 1;
    private int lineStart;

    SExprReader(String text) {
        this.text = text;
    }

    /** The whole text as one list without parentheses: its items, and its top-level annotations apart. */
    SExpr.Node readAll() {
        List<SExpr> items = new ArrayList<>();
        List<SExpr.Node> annotations = new ArrayList<>();
        while (skipSpace()) {
            if (text.charAt(pos) == ')') throw error("unexpected token");
            add(read(false), items, annotations);
        }
        return new SExpr.Node(items, annotations, null, 1, 1);
    }

    private static void add(SExpr item, List<SExpr> items, List<SExpr.Node> annotations) {
        if (item instanceof SExpr.Node n && n.annotation() != null) annotations.add(n);
        else items.add(item);
    }

    /** Reads one item; inside an annotation, {@code (@} opens a plain list, as the annotation's content is any tokens. */
    private SExpr read(boolean inAnnotation) {
        int startLine = line;
        int startColumn = column();
        if (text.charAt(pos) != '(') return atom();
        if (depth == MAX_NESTING) throw new TextFormatException("nesting too deep", startLine, startColumn);
        pos++;
        String annotation = null;
        if (!inAnnotation && pos < text.length() && text.charAt(pos) == '@') {
            pos++;
            annotation = annotationId(startLine, startColumn);
        }
        List<SExpr> items = new ArrayList<>();
        List<SExpr.Node> annotations = new ArrayList<>();
        while (true) {
            if (!skipSpace()) {
                throw new TextFormatException(annotation != null ? "unclosed annotation" : "unexpected end of input",
                        startLine, startColumn);
            }
            if (text.charAt(pos) == ')') {
                pos++;
                return new SExpr.Node(items, annotations, annotation, startLine, startColumn);
            }
            depth++;
            SExpr item = read(inAnnotation || annotation != null);
            depth--;
            add(item, items, annotations);
        }
    }

    private String annotationId(int startLine, int startColumn) {
        if (pos < text.length() && text.charAt(pos) == '"') {
            byte[] bytes = stringOr("empty annotation id", startLine, startColumn);
            if (bytes.length == 0) throw new TextFormatException("empty annotation id", startLine, startColumn);
            return utf8(bytes, "malformed UTF-8 encoding", startLine, startColumn);
        }
        int start = pos;
        while (pos < text.length() && isIdChar(text.charAt(pos))) pos++;
        if (pos == start) throw new TextFormatException("empty annotation id", startLine, startColumn);
        return text.substring(start, pos);
    }

    /** Skips whitespace and comments; false at the end of the text. */
    private boolean skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == ';' && peek(1) == ';') {
                // A line comment ends at any newline: LF, CR or CR LF.
                while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') pos++;
            } else if (c == '(' && peek(1) == ';') {
                blockComment();
            } else {
                return true;
            }
        }
        return false;
    }

    private void blockComment() {
        int startLine = line;
        int startColumn = column();
        pos += 2;
        int depth = 1;
        while (depth > 0) {
            if (pos >= text.length()) throw new TextFormatException("unclosed comment", startLine, startColumn);
            char c = text.charAt(pos);
            if (c == '(' && peek(1) == ';') {
                depth++;
                pos += 2;
            } else if (c == ';' && peek(1) == ')') {
                depth--;
                pos += 2;
            } else {
                if (c == '\n') {
                    line++;
                    lineStart = pos + 1;
                }
                pos++;
            }
        }
    }

    private char peek(int ahead) {
        return pos + ahead < text.length() ? text.charAt(pos + ahead) : 0;
    }

    private SExpr.Atom atom() {
        int startLine = line;
        int startColumn = column();
        int start = pos;
        int strings = 0;
        boolean other = false;
        byte[] lastString = null;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || (c == ';' && peek(1) == ';')) break;
            if (c == '"') {
                // After a lone $, a string that is no string literal leaves the identifier empty.
                lastString = pos == start + 1 && text.charAt(start) == '$'
                        ? stringOr("empty identifier", startLine, startColumn) : string();
                strings++;
            } else if (c > 0x20 && c < 0x7f) {
                other = true;
                pos++;
            } else {
                throw error("illegal character");
            }
        }
        String raw = text.substring(start, pos);
        if (strings == 1 && !other) return new SExpr.Atom(SExpr.Kind.STRING, raw, lastString, startLine, startColumn);
        if (raw.charAt(0) == '$') {
            if (strings == 1 && raw.charAt(1) == '"' && raw.endsWith("\"")) {
                if (lastString.length == 0) throw new TextFormatException("empty identifier", startLine, startColumn);
                String name = utf8(lastString, "malformed UTF-8 encoding", startLine, startColumn);
                return new SExpr.Atom(SExpr.Kind.ID, name, null, startLine, startColumn);
            }
            if (raw.length() == 1) throw new TextFormatException("empty identifier", startLine, startColumn);
            if (strings == 0 && raw.chars().allMatch(ch -> isIdChar((char) ch))) {
                return new SExpr.Atom(SExpr.Kind.ID, raw.substring(1), null, startLine, startColumn);
            }
        } else if (strings == 0 && raw.chars().allMatch(ch -> isIdChar((char) ch))) {
            if (NUMBER.matcher(raw).matches()) return new SExpr.Atom(SExpr.Kind.NUMBER, raw, null, startLine, startColumn);
            if (raw.charAt(0) >= 'a' && raw.charAt(0) <= 'z') {
                return new SExpr.Atom(SExpr.Kind.KEYWORD, raw, null, startLine, startColumn);
            }
        }
        return new SExpr.Atom(SExpr.Kind.RESERVED, raw, null, startLine, startColumn);
    }

    /** A string literal, or {@code message} at the token's start when there is none. */
    private byte[] stringOr(String message, int line, int column) {
        try {
            return string();
        } catch (TextFormatException e) {
            throw new TextFormatException(message, line, column);
        }
    }

    /** Reads a string literal at {@code pos}, returning its bytes. */
    private byte[] string() {
        int startLine = line;
        int startColumn = column();
        pos++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (pos >= text.length()) throw new TextFormatException("unclosed string", startLine, startColumn);
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return bytes.toByteArray();
            }
            if (c == '\\') {
                escape(bytes);
            } else if (c < 0x20 || c == 0x7f) {
                throw error(c == '\n' ? "unclosed string" : "illegal character");
            } else {
                int cp = text.codePointAt(pos);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                pos += Character.charCount(cp);
            }
        }
    }

    private void escape(ByteArrayOutputStream bytes) {
        char c = peek(1);
        switch (c) {
            case 't' -> bytes.write('\t');
            case 'n' -> bytes.write('\n');
            case 'r' -> bytes.write('\r');
            case '"', '\'', '\\' -> bytes.write(c);
            case 'u' -> {
                int end = text.indexOf('}', pos);
                if (peek(2) != '{' || end < 0 || !text.substring(pos + 3, end).matches(HEX)) throw error("illegal escape");
                long cp;
                try {
                    cp = Long.parseLong(text.substring(pos + 3, end).replace("_", ""), 16);
                } catch (NumberFormatException e) {
                    throw error("illegal escape");
                }
                if (cp >= 0x110000 || (cp >= 0xd800 && cp < 0xe000)) throw error("illegal escape");
                bytes.writeBytes(new String(Character.toChars((int) cp)).getBytes(StandardCharsets.UTF_8));
                pos = end + 1;
                return;
            }
            default -> {
                if (hexDigit(c) < 0 || hexDigit(peek(2)) < 0) throw error("illegal escape");
                bytes.write(hexDigit(c) * 16 + hexDigit(peek(2)));
                pos += 3;
                return;
            }
        }
        pos += 2;
    }

    private static int hexDigit(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80 ? Character.digit(c, 16) : -1;
    }

    static boolean isIdChar(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || "!#$%&'*+-./:<=>?@\\^_`|~".indexOf(c) >= 0;
    }

    /** Decodes {@code bytes} as UTF-8, rejecting invalid sequences with {@code message}. */
    static String utf8(byte[] bytes, String message, int line, int column) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TextFormatException(message, line, column);
        }
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private TextFormatException error(String message) {
        return new TextFormatException(message, line, column());
    }
}
