package dev.wasm2jvm.compiler.emit.body;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.IFNULL;
import static org.objectweb.asm.Opcodes.IF_ACMPEQ;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.IF_ICMPLE;

/**
 * Fuses a test that is only branched on: a comparison emitted on its own leaves 0 or 1 on the stack
 * ({@code jump L1; iconst_0; goto L2; L1: iconst_1; L2:}), and {@code br_if}, {@code if} and
 * {@code select} then test that with {@code ifne} or {@code ifeq}. This method visitor turns the pair
 * into the comparison's own jump, negated for {@code ifeq}, so the common wasm idiom of a comparison
 * followed by {@code br_if} costs one JVM jump: smaller methods, which the JIT inlines and compiles
 * sooner, and fewer bytecodes for the interpreter before it does. A line entry of the emitters may
 * sit between the two: one {@code visitLineNumber} of a {@link LineEntries.LineLabel}, which no jump
 * goes to. Any label there is a merge point (a block's end that another branch reaches with its own
 * value, a loop header), so the sequence passes through unchanged, as does any other.
 */
public final class BranchFusion extends MethodVisitor {
    /**
     * How much of the pattern is held back, while it may still be the start of one: 0 nothing, 1
     * {@code jump isTrue}, 2 and {@code iconst_0}, 3 and {@code goto end}, 4 and {@code isTrue:}, 5
     * and {@code iconst_1}, 6 the whole 0/1 result, then maybe a line entry. The fields say what
     * each call was, so {@link #flush} makes them again: holding each call as a lambda in a list and
     * replaying them cost 3.3% of a warm compiler's thread for Ruby ({@code flush} itself 1.5%, the
     * lambdas and the list 1.2%, holding 0.6%; async-profiler), and 1.9% for the SQLite shell, which
     * pays 0.3% for it now.
     */
    private int matched;
    private int jump;
    private Label isTrue;
    private Label end;
    /** The line of a line entry between the result and its test, else 0, and the entry's mark. */
    private int line;
    private Label lineMark;

    public BranchFusion(MethodVisitor mv) {
        super(ASM9, mv);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        if (matched == 6 && (opcode == IFNE || opcode == IFEQ)) {
            int fused = opcode == IFNE ? jump : negate(jump);
            matched = 0;
            if (line != 0) {
                mv.visitLineNumber(line, lineMark);
                line = 0;
            }
            // The fused jump may itself be the test of a further comparison (i32.eqz of a comparison).
            visitJumpInsn(fused, label);
            return;
        }
        if (matched == 2 && opcode == GOTO) {
            matched++;
            end = label;
            return;
        }
        flush();
        if (negatable(opcode)) {
            matched++;
            jump = opcode;
            isTrue = label;
            return;
        }
        mv.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitInsn(int opcode) {
        if ((matched == 1 && opcode == ICONST_0) || (matched == 4 && opcode == ICONST_1)) {
            matched++;
            return;
        }
        flush();
        mv.visitInsn(opcode);
    }

    @Override
    public void visitLabel(Label label) {
        if ((matched == 3 && label == isTrue) || (matched == 5 && label == end)) {
            matched++;
            return;
        }
        flush();
        mv.visitLabel(label);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        if (matched == 6 && this.line == 0 && start instanceof LineEntries.LineLabel) {
            this.line = line;
            lineMark = start;
            return;
        }
        flush();
        mv.visitLineNumber(line, start);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        flush();
        mv.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        flush();
        mv.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        flush();
        mv.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        flush();
        mv.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        flush();
        mv.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        flush();
        mv.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitLdcInsn(Object value) {
        flush();
        mv.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        flush();
        mv.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        flush();
        mv.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        flush();
        mv.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        flush();
        mv.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        flush();
        mv.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
        flush();
        mv.visitLocalVariable(name, descriptor, signature, start, end, index);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        flush();
        mv.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        flush();
        mv.visitMaxs(maxStack, maxLocals);
    }

    @Override
    public void visitEnd() {
        flush();
        mv.visitEnd();
    }

    /** Emits what was held back, in its order: it did not turn out to be the pattern. */
    private void flush() {
        if (matched == 0) return;
        // The calls go to the next visitor, never back here, so the state can be cleared after them.
        mv.visitJumpInsn(jump, isTrue);
        if (matched >= 2) mv.visitInsn(ICONST_0);
        if (matched >= 3) mv.visitJumpInsn(GOTO, end);
        if (matched >= 4) mv.visitLabel(isTrue);
        if (matched >= 5) mv.visitInsn(ICONST_1);
        if (matched >= 6) mv.visitLabel(end);
        if (line != 0) mv.visitLineNumber(line, lineMark);
        matched = 0;
        line = 0;
    }

    /** Whether {@code opcode} is a conditional jump with an opposite. */
    private static boolean negatable(int opcode) {
        return (opcode >= IFEQ && opcode <= IF_ICMPLE) || opcode == IF_ACMPEQ || opcode == IF_ACMPNE
                || opcode == IFNULL || opcode == IFNONNULL;
    }

    /** The jump taken exactly when {@code opcode} is not. */
    static int negate(int opcode) {
        return switch (opcode) {
            case IFNULL -> IFNONNULL;
            case IFNONNULL -> IFNULL;
            // IFEQ..IF_ACMPNE come in pairs whose first member is odd: eq/ne, lt/ge, gt/le.
            default -> ((opcode - IFEQ) & 1) == 0 ? opcode + 1 : opcode - 1;
        };
    }
}
