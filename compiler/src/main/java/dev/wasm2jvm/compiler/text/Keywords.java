package dev.wasm2jvm.compiler.text;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The keywords of the text format: instruction names and the words of its grammar. */
final class Keywords {
    private static final Set<String> GRAMMAR = Set.of("module", "type", "func", "param", "result", "local", "global",
            "table", "memory", "elem", "data", "import", "export", "start", "mut", "offset", "item", "declare", "then",
            "else", "end", "block", "loop", "if", "select", "try", "try_table", "catch", "catch_ref", "catch_all",
            "catch_all_ref", "delegate", "do", "tag", "rec", "sub", "final", "struct", "array", "field", "ref", "null",
            "i8", "i16", "i32", "i64", "f32", "f64", "v128", "funcref", "externref", "anyref", "eqref", "i31ref",
            "structref", "arrayref", "nullref", "nullfuncref", "nullexternref", "exnref", "nullexnref", "extern", "any",
            "eq", "i31", "exn", "noexn", "none", "nofunc", "noextern", "shared", "unshared", "pagesize", "binary",
            "quote", "definition", "instance", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
            // The script's result patterns are tokens of the text format too, so they are no unknown operators in a module.
            "nan:canonical", "nan:arithmetic");

    private static final Pattern MEMARG = Pattern.compile(
            "(?:offset|align)=(?:[0-9](?:_?[0-9])*|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*)");

    private Keywords() {}

    static boolean isKnown(String keyword) {
        return GRAMMAR.contains(keyword) || Instructions.named(keyword) != null || MEMARG.matcher(keyword).matches();
    }

    /**
     * Rejects the first token of {@code item} that is no token of the text format, as the spec's
     * lexer does before any grammar applies; annotations are exempt. An {@code @custom} annotation
     * anywhere but at the top of a module is misplaced.
     */
    static void check(SExpr item) {
        switch (item) {
            case SExpr.Atom a -> {
                if (a.kind() == SExpr.Kind.RESERVED || a.kind() == SExpr.Kind.KEYWORD && !isKnown(a.text())) {
                    throw Syntax.unexpected(a);
                }
            }
            case SExpr.Node n -> {
                for (SExpr.Node annotation : n.annotations()) {
                    if ("custom".equals(annotation.annotation())) {
                        throw Syntax.error(annotation, "misplaced @custom annotation");
                    }
                }
                checkNames(n);
                checkBranchHints(n);
                n.items().forEach(Keywords::check);
            }
        }
    }

    /** The constructs an {@code @name} annotation names, when it follows their keyword and identifier. */
    private static final Set<String> NAMED = Set.of("module", "func", "param", "local", "type", "field", "global",
            "table", "memory", "elem", "data", "tag", "import", "block", "loop", "if", "try_table", "try");
    private static final String BRANCH_HINT = "metadata.code.branch_hint";

    /** {@code (@name "...")} stands right after its construct's keyword and identifier, once per module. */
    static void checkNames(SExpr.Node n) {
        List<SExpr.Node> names = n.annotations().stream().filter(a -> "name".equals(a.annotation())).toList();
        if (names.isEmpty()) return;
        if (n.startsWith("module") && names.size() > 1) throw Syntax.error(names.get(1), "@name annotation: multiple module");
        int first = n.items().size() > 1 && n.items().get(1) instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID ? 2 : 1;
        for (SExpr.Node name : names) {
            if (n.head() == null || !NAMED.contains(n.head()) || first < n.items().size() && before(n.items().get(first), name)) {
                throw Syntax.error(name, "misplaced @name annotation");
            }
        }
    }

    /** A branch hint annotates the instruction after it: it belongs in code, one per instruction. */
    static void checkBranchHints(SExpr.Node n) {
        List<SExpr.Node> hints = n.annotations().stream().filter(a -> BRANCH_HINT.equals(a.annotation())).toList();
        if (hints.isEmpty()) return;
        if (n.startsWith("module") || n.annotation() == null && n.head() == null) {
            throw Syntax.error(hints.getFirst(), "@" + BRANCH_HINT + " annotation: not in a function");
        }
        for (int i = 1; i < hints.size(); i++) {
            SExpr.Node previous = hints.get(i - 1);
            SExpr.Node hint = hints.get(i);
            if (n.items().stream().noneMatch(item -> before(previous, item) && before(item, hint))) {
                throw Syntax.error(hint, "@" + BRANCH_HINT + " annotation: duplicate annotation");
            }
        }
    }

    private static boolean before(SExpr a, SExpr b) {
        return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
    }
}
