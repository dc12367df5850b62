package dev.wasm2jvm.compiler.text;

import java.util.List;

/** Reads the items of one list from left to right. */
final class Cursor {
    private final SExpr.Node node;
    private final List<SExpr> items;
    private int next;

    Cursor(SExpr.Node node, int start) {
        this.node = node;
        this.items = node.items();
        this.next = start;
    }

    SExpr.Node node() {
        return node;
    }

    /** The index of the next item in the list. */
    int position() {
        return next;
    }

    boolean atEnd() {
        return next >= items.size();
    }

    /** The next item, or {@code null} at the end. */
    SExpr peek() {
        return peek(0);
    }

    SExpr peek(int ahead) {
        return next + ahead < items.size() ? items.get(next + ahead) : null;
    }

    SExpr next() {
        if (atEnd()) throw Syntax.error(node, "unexpected token");
        return items.get(next++);
    }

    SExpr.Atom atom() {
        SExpr item = next();
        if (item instanceof SExpr.Atom a) return a;
        throw Syntax.unexpected(item);
    }

    SExpr.Node list() {
        SExpr item = next();
        if (item instanceof SExpr.Node n) return n;
        throw Syntax.unexpected(item);
    }

    boolean peekKeyword(String keyword) {
        return peek() instanceof SExpr.Atom a && a.is(keyword);
    }

    /** Whether the next item is a list headed by {@code keyword}. */
    boolean peekList(String keyword) {
        return peek() instanceof SExpr.Node n && n.startsWith(keyword);
    }

    /** Consumes the keyword {@code keyword} if it is next. */
    boolean accept(String keyword) {
        if (!peekKeyword(keyword)) return false;
        next++;
        return true;
    }

    void expect(String keyword) {
        SExpr item = next();
        if (!(item instanceof SExpr.Atom a && a.is(keyword))) throw Syntax.unexpected(item);
    }

    /** An optional identifier: consumed and returned when it is next. */
    SExpr.Atom id() {
        if (peek() instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID) {
            next++;
            return a;
        }
        return null;
    }

    /** Whether the next item is an index: an unsigned integer or an identifier. */
    boolean peekIndex() {
        SExpr item = peek();
        return item instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID || Literals.isNat(item);
    }

    void end() {
        if (!atEnd()) throw Syntax.unexpected(peek());
    }
}
