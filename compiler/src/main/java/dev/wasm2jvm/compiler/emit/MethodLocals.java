package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wasm locals that each method of a split function names in its own code, outside the parts it
 * calls. A local that a method never names lives only in the frame object while that method runs:
 * its callees read and write it there, so the method moves nothing around their calls.
 */
final class MethodLocals {
    private final BitSet root = new BitSet();
    private final Map<Region, BitSet> outlined = new HashMap<>();

    /** Attributes each local instruction of {@code body} to the innermost of {@code regions} around it. */
    MethodLocals(FunctionBody body, List<Region> regions) {
        List<Region> sorted = new ArrayList<>(regions);
        // Outer before inner: a sequence that starts with a construct encloses it.
        sorted.sort(Comparator.<Region>comparingInt(r -> r.start).thenComparingInt(r -> -r.end)
                .thenComparingInt(r -> r.opcode == Region.SEQUENCE ? 0 : 1));
        for (Region r : sorted) outlined.put(r, new BitSet());
        Deque<Region> open = new ArrayDeque<>();
        CodeReader.read(body.code(), body.offset(), new Uses(body.offset()) {
            private int next;

            @Override
            void use(int position, int localidx) {
                for (; next < sorted.size() && sorted.get(next).start <= position; next++) {
                    Region r = sorted.get(next);
                    while (!open.isEmpty() && open.peek().end <= r.start) open.pop();
                    open.push(r);
                }
                while (!open.isEmpty() && open.peek().end <= position) open.pop();
                (open.isEmpty() ? root : outlined.get(open.peek())).set(localidx);
            }
        });
    }

    /** The locals that the method of {@code r}, or of the function's body if {@code null}, names itself. */
    BitSet of(Region r) {
        return r == null ? root : outlined.get(r);
    }

    /** Reports the position and index of every {@code local.get}, {@code local.set} and {@code local.tee}. */
    private abstract static class Uses implements InstructionVisitor {
        private final int base;
        private int position;

        Uses(int base) {
            this.base = base;
        }

        abstract void use(int position, int localidx);

        @Override
        public void visitOffset(int offset) {
            position = offset - base;
        }

        @Override
        public void visitVariable(int opcode, int index) {
            if (opcode == Opcodes.LOCAL_GET || opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) use(position, index);
        }

        @Override public void visitInsn(int opcode) { }
        @Override public void visitBlock(int opcode, BlockType blocktype) { }
        @Override public void visitElse() { }
        @Override public void visitEnd() { }
        @Override public void visitBranch(int opcode, int labelidx) { }
        @Override public void visitBrTable(int[] labels, int defaultLabel) { }
        @Override public void visitCall(int funcidx) { }
        @Override public void visitCallIndirect(int typeidx, int tableidx) { }
        @Override public void visitSelectTyped(ValType[] types) { }
        @Override public void visitI32Const(int value) { }
        @Override public void visitI64Const(long value) { }
        @Override public void visitF32Const(int bits) { }
        @Override public void visitF64Const(long bits) { }
        @Override public void visitRefNull(ValType type) { }
        @Override public void visitRefFunc(int funcidx) { }
        @Override public void visitMemoryAccess(int opcode, int align, long offset) { }
        @Override public void visitMemoryInsn(int opcode, int index, int index2) { }
        @Override public void visitTableInsn(int opcode, int index, int index2) { }
        @Override public void visitV128Const(byte[] bytes) { }
        @Override public void visitShuffle(byte[] lanes) { }
        @Override public void visitLane(int opcode, int lane) { }
        @Override public void visitMemoryLane(int opcode, int align, long offset, int lane) { }
    }
}
