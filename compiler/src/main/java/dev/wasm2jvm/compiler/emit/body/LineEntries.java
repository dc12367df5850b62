package dev.wasm2jvm.compiler.emit.body;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.V22;
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
 * nothing jumps to. The entries come from {@link FunctionEmitter} as one {@code visitLineNumber} of a
 * {@link LineLabel}, a mark that is never visited as a label and never goes further than here: the
 * label of an entry is made only when the entry is placed. Without DWARF every wasm instruction
 * starts a line, and a label made for each was an eighth of the compiler's allocation. An entry was
 * a {@code visitLabel} of the mark and a {@code visitLineNumber}, each through {@link BranchFusion}
 * and this visitor: {@code FunctionEmitter.lineEntry} took 1.3% of the SQLite shell's compiling
 * thread, 0.5% as one call (async-profiler, 30 rounds; the comparisons that {@code BranchFusion}
 * flushes at an entry aside).
 *
 * <p>An entry placed in code that the method's entry reaches by falling through or by jumps from
 * such code starts no basic block at all: its label is one that ASM marks as used by debug
 * information only ({@link #debugLabel}), which a class writer resolves and passes over. Such a
 * block only ever fell through into the next one and was never a jump target, so the frames, the
 * maximum stack and the bytes written are the same; what it cost was a frame to make and merge for
 * every call and field access of a function (most of ASM's frame computation). In an exception
 * handler's range ASM merges the locals at each block's start and end into the handler's frame, but
 * it ends a block after every store there, so the locals at such an entry were those at its block's
 * start already. Elsewhere (code after a jump, a return, a throw or a switch that no jump from
 * reached code is known to reach yet, which ASM would replace with {@code nop}s and an
 * {@code athrow} block by block) an entry keeps a label of its own, which makes a block as before.
 *
 * <p>A planner's trial, which only measures the bytecode, leaves the entries out ({@link
 * #LineEntries(MethodVisitor, boolean)}): they take none, and placing them in the trials' tables that
 * no one reads was 0.25 to 0.3% of the SQLite shell's compiling thread. They still reach this
 * visitor, since {@link BranchFusion}, before it, fuses a test with the comparison before it only
 * across one entry, and the trial must emit what the final emission does.
 */
public final class LineEntries extends MethodVisitor {
    // Each visit goes to the next visitor from here rather than through MethodVisitor's own method,
    // whose one call site, shared by every visitor of a chain, the JIT cannot make direct: a call
    // per bytecode emitted (the same in BranchFusion, before this).

    /**
     * The mark of a line number entry, {@code visitLineNumber(line, mark)} without a
     * {@code visitLabel} of it: told apart from the labels that branches target, and reused for
     * every entry of a method.
     */
    static final class LineLabel extends Label {}

    /**
     * The mark in {@link Label#info} of a label that a jump from reached code goes to. Any
     * {@code info} is taken for it: {@link StackMapFrames}, after this visitor, replaces it with the
     * state that such jumps bring, and a jump does not mark a label that holds one.
     */
    static final Object REACHED = new Object();

    /**
     * Each thread's label marked as used by debug information only. A class writer keeps nothing of
     * such a label but the offset it resolves it to, which {@code visitLineNumber} copies at once, so
     * one label serves every entry of every method that a thread writes.
     */
    private static final ThreadLocal<Label> DEBUG_LABEL = ThreadLocal.withInitial(LineEntries::debugLabel);

    /** The line of the entry not placed yet, or 0. */
    private int pendingLine;
    /** Whether the method's entry is known to reach the next bytecode: see the class comment. */
    private boolean reached = true;
    private final Label debugLabel = DEBUG_LABEL.get();
    /** Whether the entries are written, else left out: see the class comment. */
    private final boolean table;

    /** This thread's label of entries placed in reached code, which no jump goes to. */
    static Label threadDebugLabel() {
        return DEBUG_LABEL.get();
    }

    public LineEntries(MethodVisitor mv) {
        this(mv, true);
    }

    /** A visitor that places the entries in {@code mv}'s line number table if {@code table}, else leaves them out. */
    public LineEntries(MethodVisitor mv, boolean table) {
        super(ASM9, mv);
        this.table = table;
    }

    /**
     * A label that ASM marks as used by debug information only, so that a class writer computing
     * frames does not start a basic block at it. ASM's API makes such labels only where a class
     * reader meets a line number entry, and asks {@link ClassReader#readLabel} for the label, so
     * this reads a method of one entry and keeps the label it made.
     */
    static Label debugLabel() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(V22, 0, "LineEntry", null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(ACC_STATIC, "entry", "()V", null, null);
        method.visitCode();
        Label start = new Label();
        method.visitLabel(start);
        method.visitLineNumber(1, start);
        method.visitInsn(RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        Label[] made = new Label[1];
        new ClassReader(writer.toByteArray()) {
            @Override
            protected Label readLabel(int bytecodeOffset, Label[] labels) {
                made[0] = super.readLabel(bytecodeOffset, labels);
                return made[0];
            }
        }.accept(new ClassVisitor(ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(ASM9) {};
            }
        }, 0);
        return made[0];
    }

    @Override
    public void visitLabel(Label label) {
        if (label.info != null) reached = true;
        mv.visitLabel(label);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        if (start instanceof LineLabel) {
            if (table) pendingLine = line;
            return;
        }
        mv.visitLineNumber(line, start);
    }

    /** Puts the pending entry here, before a bytecode that may throw or call. */
    private void place() {
        if (pendingLine == 0) return;
        int line = pendingLine;
        pendingLine = 0;
        Label here = reached ? debugLabel : new Label();
        mv.visitLabel(here);
        mv.visitLineNumber(line, here);
    }

    @Override
    public void visitInsn(int opcode) {
        if (!quiet(opcode)) place();
        mv.visitInsn(opcode);
        if (opcode == ATHROW || opcode >= IRETURN && opcode <= RETURN) reached = false;
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        if (reached) reach(label);
        mv.visitJumpInsn(opcode, label);
        if (opcode == GOTO) reached = false;
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        reachAll(dflt, labels);
        mv.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        reachAll(dflt, labels);
        mv.visitLookupSwitchInsn(dflt, keys, labels);
    }

    /** A switch: its targets are reached if it is, and the code after it is not known to be. */
    private void reachAll(Label dflt, Label[] labels) {
        if (reached) {
            reach(dflt);
            for (Label l : labels) reach(l);
        }
        reached = false;
    }

    /** Marks {@code label} as a jump's target from reached code, unless it holds a mark already. */
    private static void reach(Label label) {
        if (label.info == null) label.info = REACHED;
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
    public void visitVarInsn(int opcode, int varIndex) {
        mv.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        mv.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        if (opcode == NEWARRAY) place();
        mv.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitLdcInsn(Object value) {
        if (value instanceof Type || value instanceof Handle || value instanceof ConstantDynamic) place();
        mv.visitLdcInsn(value);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        place();
        mv.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        place();
        mv.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        place();
        mv.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrapMethodHandle, Object... bootstrapMethodArguments) {
        place();
        mv.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        place();
        mv.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
