package dev.wasm2jvm.compiler.module;

import java.util.List;

/**
 * The code of a defined function.
 *
 * @param locals the declared locals, expanded (one entry per local, parameters excluded)
 * @param code the instruction bytes, ending with the function's final {@code end}
 * @param offset the byte offset of {@code code[0]} in the module
 * @param effects its calls and what they and its other instructions can do, as validation found
 *     them; {@code null} in a module not validated
 */
public record FunctionBody(List<ValType> locals, byte[] code, int offset, CodeEffects effects) {
    public FunctionBody {
        locals = List.copyOf(locals);
    }

    /** A body as the decoder records it: its code is read, and its effects found, by validation. */
    public FunctionBody(List<ValType> locals, byte[] code, int offset) {
        this(locals, code, offset, null);
    }

    /** This body with the {@code effects} that validation found. */
    public FunctionBody withEffects(CodeEffects effects) {
        return new FunctionBody(locals, code, offset, effects);
    }

    /**
     * Its effects.
     *
     * @throws IllegalStateException if the module was not validated, which finds them
     */
    @Override
    public CodeEffects effects() {
        if (effects == null) throw new IllegalStateException("a body's effects are found by validation: validate the module first");
        return effects;
    }
}
