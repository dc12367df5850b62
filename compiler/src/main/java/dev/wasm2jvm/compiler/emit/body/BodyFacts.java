package dev.wasm2jvm.compiler.emit.body;

import java.util.BitSet;

/**
 * What the constant count's reading of a function body that is not split finds for the body's
 * emission, which then needs no reading of its own for them: the locals its entry code sets first
 * ({@link EntryWrites}), and the locals each of its loops writes ({@link LoopWrites}), which the
 * bounds-check analysis must know at a loop's header, before it follows the loop's body within the
 * emission's reading ({@link FunctionEmitter#read}).
 */
public record BodyFacts(BitSet entryWrites, LoopWrites loopWrites) {}
