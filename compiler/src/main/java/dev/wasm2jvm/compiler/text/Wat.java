package dev.wasm2jvm.compiler.text;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The WebAssembly text format: converts a module written as text ({@code .wat}) into the binary
 * format, which the decoder then reads like any other module. The whole Wasm 3.0 text format is
 * read (folded and plain instructions, every abbreviation, identifiers, annotations); whether the
 * compiler supports what the module uses is decided later, as for a binary module.
 *
 * <pre>{@code
 * byte[] wasm = Wat.toBinary("(module (func (export \"answer\") (result i32) i32.const 42))");
 * }</pre>
 */
public final class Wat {
    /**
     * The stack of the thread that converts a text module. The reader and the encoders recurse per
     * level of nesting, some kilobyte each: the 1 MiB of a default thread overflowed at 2,000
     * nested blocks, where a binary module nests a million; this holds
     * {@link SExprReader#MAX_NESTING} with room to spare, and is only committed as it is used.
     */
    private static final long STACK_BYTES = 64L << 20;

    private Wat() {}

    /**
     * Whether {@code bytes} look like a text module: after any whitespace they start with {@code (}
     * or a comment's {@code ;}, which no binary module does (those start with {@code \0asm}). Other
     * bytes are left to the decoder, whose error names the binary format's magic number.
     */
    public static boolean isText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
            return b == '(' || b == ';';
        }
        return false;
    }

    /**
     * Converts a text module, UTF-8 encoded: one {@code (module ...)}, or the fields of a module
     * without it.
     *
     * @throws TextFormatException if the text is malformed
     */
    public static byte[] toBinary(byte[] utf8) {
        return toBinary(SExprReader.utf8(utf8, "malformed UTF-8 encoding", 1, 1));
    }

    /** As {@link #toBinary(byte[])}, for text already decoded. */
    public static byte[] toBinary(String text) {
        FutureTask<byte[]> conversion = new FutureTask<>(() -> convert(text));
        Thread thread = new Thread(null, conversion, "wasm2jvm-wat", STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        try {
            return conversion.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while converting a text module", e);
        }
    }

    private static byte[] convert(String text) {
        SExpr.Node document = new SExprReader(text).readAll();
        List<SExpr> items = document.items();
        if (items.size() == 1 && items.getFirst() instanceof SExpr.Node module && module.startsWith("module")
                && document.annotations().isEmpty()) {
            return module(module);
        }
        for (SExpr item : items) {
            if (item instanceof SExpr.Node n && n.startsWith("module")) throw Syntax.unexpected(n.items().getFirst());
        }
        return new ModuleEncoder(document, 0).encode();
    }

    /**
     * Converts a {@code (module ...)} form of a script: {@code (module $id? binary "..."*)} gives its
     * bytes as they are, {@code (module $id? quote "..."*)} the text module its strings spell, and any
     * other the module its fields define. A leading {@code definition} keyword is passed over.
     *
     * @throws TextFormatException if the module is malformed
     */
    public static byte[] module(SExpr.Node form) {
        if (!form.startsWith("module")) throw Syntax.unexpected(form.items().isEmpty() ? form : form.items().getFirst());
        Cursor c = new Cursor(form, 1);
        c.accept("definition");
        c.id();
        if (c.accept("binary")) return ModuleEncoder.strings(c).toArray();
        if (c.accept("quote")) return toBinary(ModuleEncoder.strings(c).toArray());
        if (!c.atEnd() && !(c.peek() instanceof SExpr.Node)) throw Syntax.unexpected(c.peek());
        return new ModuleEncoder(form, c.position()).encode();
    }
}
