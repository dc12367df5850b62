package dev.wasm2jvm.compiler.text;

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
                n.items().forEach(Keywords::check);
            }
        }
    }
}
