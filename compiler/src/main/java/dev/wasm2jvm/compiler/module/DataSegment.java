package dev.wasm2jvm.compiler.module;

/**
 * A data segment.
 *
 * @param mode active or passive
 * @param memidx the target memory for active segments
 * @param offset the offset expression for active segments, else {@code null}
 * @param init the bytes
 */
public record DataSegment(SegmentMode mode, int memidx, ConstExpr offset, byte[] init) {}
