package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.emit.layout.StringConstant;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.ValType;

/**
 * Element segments made only of {@code ref.func x} and {@code ref.null}, encoded as a string that
 * {@code Instance.funcRefs(String)} decodes: two chars per element, the function index's high and
 * low halves, {@code 0xFFFF 0xFFFF} for null.
 */
final class FuncRefList {
    private FuncRefList() {}

    /** The encoding of {@code segment}, or {@code null} if an element is some other expression. */
    static String encode(ElemSegment segment) {
        if (segment.type() != ValType.FUNCREF) return null;
        int[] funcidxs = new int[segment.init().size()];
        for (int i = 0; i < funcidxs.length; i++) {
            long funcidx = refOf(segment.init().get(i));
            if (funcidx == Long.MIN_VALUE) return null;
            funcidxs[i] = (int) funcidx;
        }
        return StringConstant.ofInts(funcidxs);
    }

    /** The function index of a {@code ref.func x} expression, -1 for {@code ref.null}, else {@code Long.MIN_VALUE}. */
    private static long refOf(ConstExpr expr) {
        RefRecognizer r = new RefRecognizer();
        CodeReader.read(expr.code(), expr.offset(), r);
        return r.instructions == 1 ? r.ref : Long.MIN_VALUE;
    }

    /** Counts an expression's instructions and remembers its reference, if that is what it is. */
    private static final class RefRecognizer extends InstructionVisitor {
        int instructions;
        long ref = Long.MIN_VALUE;

        private void other() {
            instructions++;
            ref = Long.MIN_VALUE;
        }

        @Override public void visitRefFunc(int funcidx) { instructions++; ref = funcidx & 0xFFFFFFFFL; }
        @Override public void visitRefNull(ValType type) { instructions++; ref = -1; }
        @Override public void visitEnd() { }
        @Override public void visitInsn(int opcode) { other(); }
        @Override public void visitBlock(int opcode, BlockType blocktype) { other(); }
        @Override public void visitElse() { other(); }
        @Override public void visitTryTable(BlockType blocktype, Catch[] catches) { other(); }
        @Override public void visitThrow(int tagidx) { other(); }
        @Override public void visitCatch(int tagidx) { other(); }
        @Override public void visitDelegate(int labelidx) { other(); }
        @Override public void visitRethrow(int labelidx) { other(); }
        @Override public void visitBranch(int opcode, int labelidx) { other(); }
        @Override public void visitBrTable(int[] labels, int defaultLabel) { other(); }
        @Override public void visitCall(int funcidx) { other(); }
        @Override public void visitCallIndirect(int typeidx, int tableidx) { other(); }
        @Override public void visitVariable(int opcode, int index) { other(); }
        @Override public void visitSelectTyped(ValType[] types) { other(); }
        @Override public void visitI32Const(int value) { other(); }
        @Override public void visitI64Const(long value) { other(); }
        @Override public void visitF32Const(int bits) { other(); }
        @Override public void visitF64Const(long bits) { other(); }
        @Override public void visitMemoryAccess(int opcode, int memidx, int align, long offset) { other(); }
        @Override public void visitMemoryInsn(int opcode, int index, int index2) { other(); }
        @Override public void visitTableInsn(int opcode, int index, int index2) { other(); }
        @Override public void visitV128Const(byte[] bytes) { other(); }
        @Override public void visitShuffle(byte[] lanes) { other(); }
        @Override public void visitLane(int opcode, int lane) { other(); }
        @Override public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) { other(); }
    }
}
