package dev.wasm2jvm.compiler.code;

/** SIMD opcodes (prefix {@code 0xFD}), encoded as {@code 0xFD000 | subopcode}. */
public final class SimdOpcodes {
    private SimdOpcodes() {}

    /** The spec's name of a SIMD opcode, or {@code null} if {@code opcode} is not one. */
    public static String name(int opcode) {
        return null;
    }
}
