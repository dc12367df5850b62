package dev.wasm2jvm.compiler.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lexer: token classes, comments, strings, annotations, and where its errors point. */
class SExprReaderTest {
    private static SExpr.Atom atom(String text) {
        List<SExpr> items = SExpr.read(text);
        assertEquals(1, items.size());
        return (SExpr.Atom) items.getFirst();
    }

    private static TextFormatException error(String text) {
        return assertThrows(TextFormatException.class, () -> SExpr.read(text));
    }

    @Test
    void classifiesTokens() {
        assertEquals(SExpr.Kind.KEYWORD, atom("i32.add").kind());
        assertEquals(SExpr.Kind.KEYWORD, atom("offset=8").kind());
        assertEquals(SExpr.Kind.NUMBER, atom("-0x1_0p+3").kind());
        assertEquals(SExpr.Kind.NUMBER, atom("nan:0x7f").kind());
        assertEquals(SExpr.Kind.NUMBER, atom("inf").kind());
        assertEquals(SExpr.Kind.RESERVED, atom("0drop").kind());
        assertEquals(SExpr.Kind.RESERVED, atom("1__0").kind());
        assertEquals(SExpr.Kind.RESERVED, atom("$\"l\"0").kind());
        assertEquals(SExpr.Kind.RESERVED, atom("data\"a\"").kind());
        SExpr.Atom id = atom("$x.y");
        assertEquals(SExpr.Kind.ID, id.kind());
        assertEquals("x.y", id.text());
        assertEquals("a b", atom("$\"a b\"").text());
    }

    @Test
    void stringsDecodeEscapes() {
        SExpr.Atom s = atom("\"a\\t\\n\\\"\\41\\u{1F600}é\"");
        assertEquals(SExpr.Kind.STRING, s.kind());
        assertArrayEquals(("a\t\n\"A" + new String(Character.toChars(0x1F600)) + "é").getBytes(StandardCharsets.UTF_8),
                s.bytes());
    }

    @Test
    void commentsAndParenthesesDelimitTokens() {
        SExpr.Node n = (SExpr.Node) SExpr.read("(func;;c\n (; nested (; ;) ;)nop(nop))").getFirst();
        assertEquals(3, n.items().size());
        assertEquals("nop", n.items().get(1).toString());
        assertEquals(2, n.items().get(1).line());
        assertEquals(20, n.items().get(1).column());
    }

    @Test
    void annotationsAreKeptApartFromItems() {
        SExpr.Node n = (SExpr.Node) SExpr.read("(module (@custom \"x\" (after func) \"y\") (func) (@a , ; ]))").getFirst();
        assertEquals(2, n.items().size());
        assertEquals(List.of("custom", "a"), n.annotations().stream().map(SExpr.Node::annotation).toList());
    }

    @Test
    void errorsNameTheSpecMessageAndPosition() {
        TextFormatException e = error("(func\n  \"abc");
        assertEquals("unclosed string", e.specMessage());
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertEquals("malformed text at line 2, column 3: unclosed string", e.getMessage());
        assertEquals("illegal character", error("(@a \u0001)").specMessage());
        assertEquals("illegal character", error("(func Würstchen)").specMessage());
        assertEquals("empty annotation id", error("(@ x)").specMessage());
        assertEquals("empty identifier", error("(func $)").specMessage());
        assertEquals("empty identifier", error("(func $\"\")").specMessage());
        assertEquals("malformed UTF-8 encoding", error("(func $\"\\ff\")").specMessage());
        assertEquals("unclosed annotation", error("(@a (x)").specMessage());
        assertEquals("unclosed comment", error("(; (; ;)").specMessage());
        assertEquals("unexpected token", error(")").specMessage());
        assertTrue(error("\"\\q\"").specMessage().startsWith("illegal escape"));
    }
}
