package dev.wasm2jvm.compiler.emit.body;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.objectweb.asm.Opcodes.ASM9;
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
    private final MethodVisitor mv = new LineEntries(new MethodVisitor(ASM9) {
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
    });

    private void line(int line) {
        mv.visitLabel(mark);
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
    void eachPlacedEntryGetsALabelOfItsOwnAndTheMarkStaysHere() {
        line(1);
        mv.visitMethodInsn(INVOKESTATIC, "C", "f", "()I", false);
        line(2);
        mv.visitInsn(ICONST_2);
        mv.visitInsn(IDIV);
        mv.visitInsn(IRETURN);
        assertEquals(List.of("1 before " + INVOKESTATIC, "2 before " + IDIV), entries());
        assertEquals(2, labels.size());
        assertNotSame(labels.get(0), labels.get(1));
        for (Label label : labels) assertFalse(label instanceof LineEntries.LineLabel);
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
