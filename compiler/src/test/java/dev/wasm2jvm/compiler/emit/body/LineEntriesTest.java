package dev.wasm2jvm.compiler.emit.body;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.FCONST_1;
import static org.objectweb.asm.Opcodes.FSTORE;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFLE;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.V22;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.ICONST_2;
import static org.objectweb.asm.Opcodes.IDIV;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.ISTORE;

/** Line number entries placed at the bytecodes that can be in a stack trace, and only there. */
class LineEntriesTest {
    /** What reaches the method: a line entry as its number, a bytecode as its negated opcode. */
    private final List<Integer> written = new ArrayList<>();
    /** The labels that reach the method, in order. */
    private final List<Label> labels = new ArrayList<>();
    /** The one mark of every line entry, as {@code FunctionEmitter} gives them. */
    private final Label mark = new LineEntries.LineLabel();
    /** The method, recording what reaches it. */
    private final MethodVisitor method = new MethodVisitor(ASM9) {
        @Override
        public void visitLabel(Label label) {
            labels.add(label);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            assertSame(labels.getLast(), start);
            written.add(line);
        }

        @Override
        public void visitInsn(int opcode) {
            written.add(-opcode);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            written.add(-opcode);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            written.add(-opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            written.add(-opcode);
        }
    };
    private final MethodVisitor mv = new LineEntries(method);

    private void line(int line) {
        mv.visitLineNumber(line, mark);
    }

    /** Each line entry with the opcode of the instruction it stands before. */
    private List<String> entries() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i) > 0) entries.add(written.get(i) + " before " + -written.get(i + 1));
        }
        return entries;
    }

    @Test
    void anEntryMovesToTheFirstBytecodeThatMayThrowOrCall() {
        line(1);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(ICONST_2);
        mv.visitInsn(IDIV);
        line(2);
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESTATIC, "C", "g", "(I)I", false);
        mv.visitInsn(IRETURN);
        assertEquals(List.of("1 before " + IDIV, "2 before " + INVOKESTATIC), entries());
    }

    @Test
    void aTrialsVisitorLeavesEveryEntryOutAndPassesEveryBytecode() {
        MethodVisitor trial = new LineEntries(method, false);
        trial.visitLineNumber(1, mark);
        trial.visitVarInsn(ILOAD, 0);
        trial.visitInsn(ICONST_2);
        trial.visitInsn(IDIV);
        trial.visitLineNumber(2, mark);
        trial.visitMethodInsn(INVOKESTATIC, "C", "g", "(I)I", false);
        trial.visitInsn(IRETURN);
        assertEquals(List.of(-ILOAD, -ICONST_2, -IDIV, -INVOKESTATIC, -IRETURN), written);
        assertEquals(List.of(), labels);
    }

    @Test
    void anEntryFollowedByQuietBytecodesAloneIsLeftOut() {
        line(1);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, 0);
        line(2);
        Label target = new Label();
        mv.visitJumpInsn(GOTO, target);
        mv.visitLabel(target);
        line(3);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(ICONST_2);
        mv.visitInsn(IDIV);
        mv.visitInsn(IRETURN);
        assertEquals(List.of("3 before " + IDIV), entries());
    }

    @Test
    void entriesOfReachedCodeShareTheLabelOfDebugInformationAndTheMarkStaysHere() {
        line(1);
        mv.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        line(2);
        mv.visitInsn(ICONST_2);
        mv.visitInsn(IDIV);
        mv.visitInsn(IRETURN);
        assertEquals(List.of("1 before " + INVOKESTATIC, "2 before " + IDIV), entries());
        assertEquals(2, labels.size());
        assertSame(labels.get(0), labels.get(1));
        assertFalse(labels.get(0) instanceof LineEntries.LineLabel);
    }

    @Test
    void entriesOfCodeNotKnownToBeReachedGetLabelsOfTheirOwn() {
        Label reached = new Label();
        Label unreached = new Label();
        Label alsoUnreached = new Label();
        mv.visitVarInsn(ILOAD, 0);
        mv.visitJumpInsn(IFEQ, reached);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(IRETURN);
        mv.visitLabel(unreached);
        line(1);
        mv.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        // A jump from code not known to be reached does not make its target so.
        mv.visitJumpInsn(GOTO, alsoUnreached);
        mv.visitLabel(alsoUnreached);
        line(2);
        mv.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        mv.visitInsn(IRETURN);
        mv.visitLabel(reached);
        line(3);
        mv.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        line(4);
        mv.visitInsn(IDIV);
        mv.visitInsn(IRETURN);
        assertEquals(List.of("1 before " + INVOKESTATIC, "2 before " + INVOKESTATIC, "3 before " + INVOKESTATIC,
                "4 before " + IDIV), entries());
        assertEquals(7, labels.size());
        assertSame(unreached, labels.get(0));
        assertSame(alsoUnreached, labels.get(2));
        assertSame(reached, labels.get(4));
        assertSame(labels.get(5), labels.get(6));
        assertEquals(4, new HashSet<>(List.of(labels.get(1), labels.get(3), labels.get(5), reached)).size());
    }

    /**
     * A class written through {@code LineEntries} with a writer computing frames is the same, byte
     * for byte, as with a label of its own at each entry: in reached code, in code after jumps,
     * returns and switches, and in and after an exception handler's range whose stores change a
     * local's type.
     */
    @Test
    void theClassIsTheSameAsWithALabelOfItsOwnAtEachEntry() {
        assertArrayEquals(classOf(true), classOf(false));
    }

    /** A class of one method, its line entries marked for {@code LineEntries} to place or placed at once. */
    private static byte[] classOf(boolean marked) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(V22, ACC_PUBLIC, "T", null, "java/lang/Object", null);
        MethodVisitor writer = cw.visitMethod(ACC_STATIC, "m", "(I)I", null, null);
        MethodVisitor m = marked ? new LineEntries(writer) : writer;
        Label mark = new LineEntries.LineLabel();
        IntConsumer line = n -> {
            if (marked) {
                m.visitLineNumber(n, mark);
            } else {
                Label at = new Label();
                m.visitLabel(at);
                m.visitLineNumber(n, at);
            }
        };
        Label orElse = new Label();
        Label join = new Label();
        Label loop = new Label();
        Label out = new Label();
        Label never = new Label();
        Label a = new Label();
        Label b = new Label();
        Label other = new Label();
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        Label after = new Label();
        m.visitCode();
        line.accept(1);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitVarInsn(ISTORE, 1);
        m.visitVarInsn(ILOAD, 0);
        m.visitJumpInsn(IFEQ, orElse);
        line.accept(2);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitVarInsn(ISTORE, 1);
        m.visitJumpInsn(GOTO, join);
        m.visitVarInsn(ILOAD, 0);
        line.accept(3); // dead code after a jump, the entry not at its start
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitInsn(POP);
        m.visitLabel(never); // a label no jump goes to, after dead code
        line.accept(4);
        m.visitFieldInsn(GETSTATIC, "C", "x", "I");
        m.visitInsn(POP);
        m.visitLabel(orElse);
        line.accept(5);
        m.visitFieldInsn(GETSTATIC, "C", "x", "I");
        m.visitVarInsn(ISTORE, 1);
        m.visitLabel(join);
        m.visitLabel(loop);
        m.visitVarInsn(ILOAD, 1);
        m.visitJumpInsn(IFLE, out);
        m.visitVarInsn(ILOAD, 1);
        line.accept(6);
        m.visitMethodInsn(INVOKESTATIC, "C", "g", "(I)I", false);
        m.visitVarInsn(ISTORE, 1);
        m.visitJumpInsn(GOTO, loop);
        m.visitLabel(out);
        m.visitVarInsn(ILOAD, 0);
        m.visitTableSwitchInsn(0, 1, other, a, b);
        m.visitLabel(a);
        line.accept(7);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitInsn(IRETURN);
        m.visitLabel(b);
        m.visitVarInsn(ILOAD, 1);
        m.visitInsn(ICONST_2);
        line.accept(8);
        m.visitInsn(IDIV);
        m.visitInsn(IRETURN);
        m.visitLabel(other);
        m.visitTryCatchBlock(tryStart, tryEnd, handler, null);
        m.visitLabel(tryStart);
        line.accept(9);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitVarInsn(ISTORE, 1);
        m.visitInsn(FCONST_1);
        m.visitVarInsn(FSTORE, 1);
        line.accept(10);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitVarInsn(ISTORE, 1);
        m.visitLabel(tryEnd);
        m.visitJumpInsn(GOTO, after);
        m.visitLabel(handler);
        m.visitInsn(POP);
        line.accept(11);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitVarInsn(ISTORE, 1);
        m.visitLabel(after);
        line.accept(12);
        m.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        m.visitInsn(IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void otherLabelsAndEntriesPassAsTheyCome() {
        Label start = new Label();
        mv.visitLabel(start);
        mv.visitLineNumber(7, start);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(IRETURN);
        assertEquals(List.of("7 before " + ILOAD), entries());
    }
}
