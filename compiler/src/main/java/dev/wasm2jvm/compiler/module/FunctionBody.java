package dev.wasm2jvm.compiler.module;

import java.util.List;

/**
 * The code of a defined function.
 *
 * @param locals the declared locals, expanded (one entry per local, parameters excluded)
 * @param code the instruction bytes, ending with the function's final {@code end}
 * @param offset the byte offset of {@code code[0]} in the module
 * @param effects its calls and what they and its other instructions can do, as the decoder found them
 */
public record FunctionBody(List<ValType> locals, byte[] code, int offset, CodeEffects effects) {
    public FunctionBody {
        locals = List.copyOf(locals);
    }
}
