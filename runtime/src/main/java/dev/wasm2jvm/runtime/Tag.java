package dev.wasm2jvm.runtime;

/**
 * A WebAssembly exception tag: what a {@link WasmException} is an exception of, and the types of
 * the values it carries. Tags compare by identity: every instantiation of a module that defines a
 * tag makes a new one, and a module that imports a tag gets the very object it was given, so an
 * exception thrown with one module's tag is caught by another's {@code catch} only if that module
 * imported the tag. A host makes its own tags with the constructor, to throw into wasm code
 * ({@link WasmException}) or to give to modules that import one.
 */
public final class Tag {
    /**
     * The tag's type as a {@link FuncRef} signature with no results: one letter per value the
     * exceptions of this tag carry, then {@code ':'}, as {@code "il:"}; interned.
     */
    public final String type;

    /**
     * Makes a new tag, distinct from every other.
     *
     * @param type the types of the values its exceptions carry, as {@code "il:"} (see {@link FuncRef})
     * @throws IllegalArgumentException if {@code type} is not such a signature
     */
    public Tag(String type) {
        int colon = type.indexOf(':');
        if (colon < 0 || colon != type.length() - 1) {
            throw new IllegalArgumentException("a tag type is parameter letters and ':', not \"" + type + "\"");
        }
        for (int i = 0; i < colon; i++) FuncRef.javaType(type.charAt(i));
        this.type = type.intern();
    }

    /** How many values the exceptions of this tag carry. */
    public int arity() {
        return type.length() - 1;
    }

    @Override
    public String toString() {
        return "tag " + type;
    }
}
