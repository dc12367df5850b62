package dev.wasm2jvm.compiler.module;

import java.util.List;

/**
 * An element segment. Every encoding is normalised to a list of initialiser expressions: a plain
 * function index vector becomes one {@code ref.func x} expression per index.
 *
 * @param mode active, passive or declarative
 * @param tableidx the target table for active segments
 * @param offset the offset expression for active segments, else {@code null}
 * @param type the element reference type
 * @param init one constant expression per element
 */
public record ElemSegment(SegmentMode mode, int tableidx, ConstExpr offset, ValType type, List<ConstExpr> init) {
    public ElemSegment {
        init = List.copyOf(init);
    }
}
