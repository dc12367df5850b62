package dev.wasm2jvm.compiler.emit.body;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.DCONST_1;
import static org.objectweb.asm.Opcodes.DCMPG;
import static org.objectweb.asm.Opcodes.DDIV;
import static org.objectweb.asm.Opcodes.DMUL;
import static org.objectweb.asm.Opcodes.FDIV;
import static org.objectweb.asm.Opcodes.FREM;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LXOR;
import static org.objectweb.asm.Opcodes.NEWARRAY;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * Places each entry of the line number table at the first bytecode after it that can throw or
 * call, rather than where the emitter asked for it, and leaves out an entry that no such bytecode
 * follows before the next one. Only those bytecodes are ever in a stack trace, so traces name the
 * same lines; but every label that a method visits starts a basic block of ASM's frame computation,
 * with a frame of its own to merge, and without DWARF lines every wasm instruction asks for an entry
 * (its offset in the body): half the time of emitting a function went to frames of blocks that
 * nothing jumps to. The entries come from {@link FunctionEmitter} with a {@link LineLabel}, a mark
 * that nothing else refers to and that never goes further than here: the label of an entry is made
 * only when the entry is placed. Without DWARF every wasm instruction starts a line, and a label
 * made for each was an eighth of the compiler's allocation.
 */
public final class LineEntries extends MethodVisitor {
    /** The mark of a line number entry, told apart from the labels that branches target; reused for every entry of a method. */
    static final class LineLabel extends Label {}

    /** The mark of the entry not placed yet, or {@code null}. */
    private LineLabel pending;
    private int pendingLine;

  public   LineEntries(MethodVisitor mv) {
        super(ASM9, mv);
    }

    @Override
    public void visitLabel(Label label) {
        if (label instanceof LineLabel line) {
            pending = line;
            pendingLine = 0;
            return;
        }
        super.visitLabel(label);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        if (start == pending) {
            pendingLine = line;
            return;
        }
        super.visitLineNumber(line, start);
    }

    /** Puts the pending entry here, before a bytecode that may throw or call. */
    private void place() {
        if (pending == null) return;
        Label here = new Label();
        super.visitLabel(here);
        if (pendingLine > 0) super.visitLineNumber(pendingLine, here);
        pending = null;
    }

    @Override
    public void visitInsn(int opcode) {
        if (!quiet(opcode)) place();
        super.visitInsn(opcode);
    }

    /**
     * Whether {@code opcode}, a bytecode without operands, can neither throw nor call: constants,
     * stack shuffles, arithmetic but integer division and remainder, shifts, logic, conversions,
     * comparisons and returns. Array accesses, {@code arraylength}, {@code athrow} and monitors can.
     */
    private static boolean quiet(int opcode) {
        return opcode <= DCONST_1
                || opcode >= POP && opcode <= DMUL // pop .. swap, iadd .. dmul
                || opcode == FDIV || opcode == DDIV
                || opcode >= FREM && opcode <= LXOR // frem, drem, negations, shifts, and, or, xor
                || opcode >= I2L && opcode <= DCMPG
                || opcode >= IRETURN && opcode <= RETURN;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        if (opcode == NEWARRAY) place();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitLdcInsn(Object value) {
        if (value instanceof Type || value instanceof Handle || value instanceof ConstantDynamic) place();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        place();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        place();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        place();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrapMethodHandle, Object... bootstrapMethodArguments) {
        place();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        place();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
