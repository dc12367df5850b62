package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.LMUL;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * {@code __multi3}, the 128-bit multiplication that clang calls for every {@code __int128} or
 * {@code unsigned __int128} product on wasm32 (libsodium's field arithmetic, Poly1305, SQLite's) and
 * rustc for every {@code u128} one (big-number limbs), recognised by its exact code and compiled as
 * {@link Math#unsignedMultiplyHigh}, which C2 compiles to one widening multiply, and three
 * {@code long} multiplies.
 *
 * <p>On wasm32 the function takes the address of its result and the two halves of each operand,
 * {@code (i32 ret, i64 aLo, i64 aHi, i64 bLo, i64 bHi) -> ()}, and stores the product's high half at
 * {@code ret + 8}, then its low half at {@code ret}. The body clang 16 to 19 emit for it (the
 * libsodium and SQLite builds of the Sightglass programs, wasi-libc's) builds the high half out of
 * four 32-bit partial products: 126 bytes of JVM bytecode, which C2 counts against the inlining
 * budget of each of its callers (libsodium's {@code fe25519_mul} calls it 25 times), against about
 * 40 here. Recognising only that exact body, with its type and its one declared {@code i64} local,
 * keeps the substitution exact: it computes what the wasm code computes, stores in the same order
 * and traps where it traps (the high half's store first, which is the one out of bounds whenever
 * either is). Rust's {@code compiler_builtins} build of it (the Sightglass blind-sig and rust-json
 * programs), with six {@code i64} locals, computes the same product another way and stores the
 * low half first: an access whose high half is past the end stores the
 * low half, then traps, and so does its replacement. Any other body is compiled as written.
 *
 * <p>The stores are the runtime's compact helpers ({@code CompactAccess}, {@link StraightLine} says
 * why): the body is inlined into its callers, whose budget it shares, and every store in it runs at
 * every call. clang's form stores both halves with {@code CompactAccess.i128Store}, one bounds check
 * for the 16 bytes, which traps exactly when the high half's store would, with its text, before
 * either half is written: the method is 34 + 83 bytes as C2 counts them, against 43 + 2 x 87 with
 * the {@code MemoryAccess} helpers.
 */
public final class Multi3 {
    private Multi3() {}

    private static final FuncType TYPE =
            new FuncType(List.of(ValType.I32, ValType.I64, ValType.I64, ValType.I64, ValType.I64), List.of());

    /** A body recognised: its declared locals, its code after them, and which half it stores first. */
    private record Form(List<ValType> locals, byte[] code, boolean lowFirst) {}

    /** The code of clang's body, after its locals: what {@code wasm-objdump -d} shows for it, end included. */
    private static final byte[] CLANG = HexFormat.of().parseHex(
            "2000" + "2004" + "2001" + "7e" + "2002" + "2003" + "7e" + "7c"
            + "2003" + "4220" + "88" + "2202" + "2001" + "4220" + "88" + "2204" + "7e" + "7c"
            + "2003" + "42ffffffff0f" + "83" + "2203" + "2001" + "42ffffffff0f" + "83" + "2201" + "7e" + "2205"
            + "4220" + "88" + "2003" + "2004" + "7e" + "7c" + "2203" + "4220" + "88" + "7c"
            + "2003" + "42ffffffff0f" + "83" + "2002" + "2001" + "7e" + "7c" + "2201" + "4220" + "88" + "7c"
            + "370308"
            + "2000" + "2001" + "4220" + "86" + "2005" + "42ffffffff0f" + "83" + "84"
            + "370300"
            + "0b");

    /** The code of rustc's body ({@code compiler_builtins}), after its locals, end included. */
    private static final byte[] RUST = HexFormat.of().parseHex(
            "2000" + "2003" + "42ffffffff0f" + "83" + "2205" + "2001" + "42ffffffff0f" + "83" + "2206" + "7e" + "2207"
            + "2003" + "4220" + "88" + "2208" + "2006" + "7e" + "2206"
            + "2005" + "2001" + "4220" + "88" + "2209" + "7e" + "7c" + "2205" + "4220" + "86" + "7c" + "220a"
            + "370300"
            + "2000" + "2008" + "2009" + "7e" + "2005" + "2006" + "54" + "ad" + "4220" + "86"
            + "2005" + "4220" + "88" + "84" + "7c" + "200a" + "2007" + "54" + "ad" + "7c"
            + "2004" + "2001" + "7e" + "2003" + "2002" + "7e" + "7c" + "7c"
            + "370308"
            + "0b");

    private static final List<Form> FORMS = List.of(
            new Form(List.of(ValType.I64), CLANG, false),
            new Form(List.of(ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64), RUST, true));

    private static final int RET = 0;
    private static final int A_LO = 1;
    private static final int A_HI = 2;
    private static final int B_LO = 3;
    private static final int B_HI = 4;

    /** Whether a function of type {@code type} with body {@code body} is {@code __multi3} as clang or rustc emits it. */
    public static boolean matches(FuncType type, FunctionBody body) {
        return form(type, body) != null;
    }

    /**
     * The form {@code body} has, if any. Asked of every function as it is emitted, trials included:
     * the code is compared first, which its length alone settles for nearly every body, where
     * comparing the types first was 0.25% of the SQLite shell's compiling thread.
     */
    private static Form form(FuncType type, FunctionBody body) {
        for (Form form : FORMS) {
            if (Arrays.equals(body.code(), form.code()) && body.locals().equals(form.locals()) && type.equals(TYPE)) {
                return form;
            }
        }
        return null;
    }

    /**
     * Emits the method body of {@code __multi3}, whose parameters {@code locals} holds, on memory 0
     * of {@code layout}: {@code hi = unsignedMultiplyHigh(aLo, bLo) + aLo * bHi + aHi * bLo} stored
     * at {@code ret + 8} and {@code aLo * bLo} at {@code ret}, in the order of the body recognised.
     */
    public static void emit(MethodVisitor mv, ModuleLayout layout, Locals locals, FunctionBody body) {
        int line = FunctionEmitter.lineNumber(layout, body.offset(), body.offset());
        if (line > 0 && line <= 0xFFFF) mv.visitLineNumber(line, new LineEntries.LineLabel());
        MemoryEmitter memory = new MemoryEmitter(mv, layout, locals);
        memory.cacheMemory();
        boolean lowFirst = form(TYPE, body).lowFirst();
        if (lowFirst) storeLow(mv, locals, memory);
        locals.load(mv, RET);
        locals.load(mv, A_LO);
        locals.load(mv, B_LO);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "unsignedMultiplyHigh", "(JJ)J", false);
        locals.load(mv, A_LO);
        locals.load(mv, B_HI);
        mv.visitInsn(LMUL);
        mv.visitInsn(LADD);
        locals.load(mv, A_HI);
        locals.load(mv, B_LO);
        mv.visitInsn(LMUL);
        mv.visitInsn(LADD);
        if (lowFirst) {
            memory.callCompact(RuntimeRefs.compact(RuntimeRefs.I64_STORE, false), 0, 8);
        } else {
            locals.load(mv, A_LO);
            locals.load(mv, B_LO);
            mv.visitInsn(LMUL);
            memory.callOnMemory(RuntimeRefs.I128_STORE, 0);
        }
        mv.visitInsn(RETURN);
    }

    /** {@code aLo * bLo} stored at {@code ret}. */
    private static void storeLow(MethodVisitor mv, Locals locals, MemoryEmitter memory) {
        locals.load(mv, RET);
        locals.load(mv, A_LO);
        locals.load(mv, B_LO);
        mv.visitInsn(LMUL);
        memory.callCompact(RuntimeRefs.compact(RuntimeRefs.I64_STORE, false), 0, 0);
    }
}
