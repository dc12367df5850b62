package dev.wasm2jvm.compiler.module;

/** A WebAssembly value type (numtype, vectype or reftype), with its binary encoding. */
public enum ValType {
    I32(0x7F, "i32"),
    I64(0x7E, "i64"),
    F32(0x7D, "f32"),
    F64(0x7C, "f64"),
    V128(0x7B, "v128"),
    FUNCREF(0x70, "funcref"),
    EXTERNREF(0x6F, "externref"),
    /** The exception handling proposal's reference to a caught exception. */
    EXNREF(0x69, "exnref");

    private final int code;
    private final String text;

    ValType(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The byte that encodes this type in the binary format. */
    public int code() {
        return code;
    }

    public boolean isRef() {
        return this == FUNCREF || this == EXTERNREF || this == EXNREF;
    }

    public boolean isNum() {
        return this == I32 || this == I64 || this == F32 || this == F64;
    }

    /**
     * The letter of this type in signature strings ({@code FuncRef#type} in the runtime):
     * {@code i l f d v r e x} for i32, i64, f32, f64, v128, funcref, externref, exnref.
     */
    public char letter() {
        return switch (this) {
            case I32 -> 'i';
            case I64 -> 'l';
            case F32 -> 'f';
            case F64 -> 'd';
            case V128 -> 'v';
            case FUNCREF -> 'r';
            case EXTERNREF -> 'e';
            case EXNREF -> 'x';
        };
    }

    /** The type encoded by {@code code}, or {@code null} if the byte encodes none. */
    public static ValType fromCode(int code) {
        return switch (code) {
            case 0x7F -> I32;
            case 0x7E -> I64;
            case 0x7D -> F32;
            case 0x7C -> F64;
            case 0x7B -> V128;
            case 0x70 -> FUNCREF;
            case 0x6F -> EXTERNREF;
            case 0x69 -> EXNREF;
            default -> null;
        };
    }

    /** The reference type encoded by {@code code}, or {@code null}. */
    public static ValType refFromCode(int code) {
        return code == 0x70 ? FUNCREF : code == 0x6F ? EXTERNREF : code == 0x69 ? EXNREF : null;
    }

    @Override
    public String toString() {
        return text;
    }
}
