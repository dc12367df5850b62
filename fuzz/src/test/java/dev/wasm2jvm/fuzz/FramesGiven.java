package dev.wasm2jvm.fuzz;

import dev.wasm2jvm.compiler.CompileProgress;

/**
 * The progress the fuzzers compile with: nobody watches it, but a function whose stack map frames
 * the compiler's emitters could not give fails the compilation, as it did before the compiler fell
 * back to ASM's frames. The classes would be right, and the emitters' defect, which the fuzzers are
 * here to find, unseen.
 */
final class FramesGiven implements CompileProgress {
    static final FramesGiven CHECK = new FramesGiven();

    private FramesGiven() {}

    @Override
    public void advanced(int done, int total) { }

    @Override
    public void framesComputed(int funcidx, String reason) {
        throw new IllegalStateException("the emitters could not give the frames of function " + funcidx + ": " + reason);
    }
}
