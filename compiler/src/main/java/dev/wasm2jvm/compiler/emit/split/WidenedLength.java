package dev.wasm2jvm.compiler.emit.split;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.Arrays;

import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.LOOKUPSWITCH;
import static org.objectweb.asm.Opcodes.TABLESWITCH;

/**
 * The bytecode length of one method as ASM's class writer writes it past a short jump's reach
 * (32 KiB), from where its method writer first put the method's jumps, switches and their targets:
 * for the planner's unsplit trial of a function that long, whose exact size decides its split plan's
 * bytecode per wasm byte. The class writer finds a jump that cannot reach only as it writes the
 * class, and then reads the class back and writes it again, round after round, until every jump
 * reaches ({@code ClassWriter.replaceAsmInstructions}); that was 3.3% of Sightglass {@code sqlite3}'s
 * compiling thread for three trials. This plays the same rounds on the recorded offsets alone:
 * <ul>
 *   <li>as first written, a jump back past the reach is already wide ({@code goto_w}, 5 bytes, or
 *       the opposite test over a {@code goto_w}, 8 bytes, which asks for another round); a jump
 *       forward past it is 3 bytes and asks for another round;</li>
 *   <li>in each further round, in order: a jump found too far forward in the round before is wide
 *       now; a short jump back widens at once if its target is now past the reach (a conditional
 *       one asks for another round); each switch is padded to its new offset; after the round, a
 *       short jump forward past the reach asks for another round;</li>
 *   <li>a round whose method passes 65,535 bytes ends the rounds: the writer throws with that
 *       length, which a trial takes as the size.</li>
 * </ul>
 * Every other instruction is written again the same (constants keep their pool indices), and the
 * trial writes no frames, line numbers or local names. {@code WidenedLengthTest} holds the length
 * against the written class for methods built to widen in several rounds, and the planner's trials
 * of real functions.
 */
final class WidenedLength extends ClassVisitor {
    /** What a conditional jump becomes past the reach: its opposite test (3 bytes) over a {@code goto_w} (5). */
    private static final int WIDE_CONDITIONAL = 8;
    private static final int WIDE_GOTO = 5;
    private static final int SHORT_JUMP = 3;
    /** A jump's state: as short as first written, found too far (widened in the next round), or wide. */
    private static final byte SHORT = 0;
    private static final byte TOO_FAR = 1;
    private static final byte WIDE = 2;
    /** The bytecode a class writer writes of one method at most. */
    private static final int MAX_CODE = 65535;

    private final String method;
    /** Recorded in order: each jump's or switch's offset as first written, and its opcode. */
    private int[] offsets = new int[64];
    private int[] opcodes = new int[64];
    /** Each jump's target, {@code null} for a switch, whose targets are 4-byte offsets. */
    private Label[] targets = new Label[64];
    private int count;

    /** Records method {@code method}'s jumps and switches as {@code cv}, a class writer, writes them. */
    WidenedLength(ClassVisitor cv, String method) {
        super(ASM9, cv);
        this.method = method;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        return name.equals(method) ? new Recorder(mv) : mv;
    }

    /**
     * The method's bytecode as the class writer writes it, from {@code firstWritten}, its length as
     * the method writer first wrote it (the offset of a label at its end).
     */
    int length(int firstWritten) {
        if (firstWritten > MAX_CODE) return firstWritten;
        int n = count;
        byte[] state = new byte[n];
        // The bytes each instruction adds over its first written form, summed over those before each.
        int[] grown = new int[n + 1];
        boolean again = false;
        for (int i = 0; i < n; i++) {
            if (targets[i] == null) continue;
            int from = offsets[i];
            int to = targets[i].getOffset();
            if (to <= from && to - from < Short.MIN_VALUE) {
                state[i] = WIDE;
                again |= opcodes[i] != GOTO;
            } else if (to > from && to - from > Short.MAX_VALUE) {
                state[i] = TOO_FAR;
                again = true;
            }
        }
        int length = firstWritten;
        while (again) {
            again = false;
            for (int i = 0; i < n; i++) {
                int from = offsets[i] + grown[i];
                int growth;
                if (targets[i] == null) {
                    growth = padding(from) - padding(offsets[i]);
                } else {
                    int to = targets[i].getOffset();
                    boolean backward = to <= offsets[i];
                    if (state[i] == TOO_FAR) {
                        state[i] = WIDE;
                    } else if (state[i] == SHORT && backward && moved(to, grown) - from < Short.MIN_VALUE) {
                        state[i] = WIDE;
                        again |= opcodes[i] != GOTO;
                    }
                    // A jump first written wide went back past the reach then, and is as wide now.
                    boolean firstWide = backward && to - offsets[i] < Short.MIN_VALUE;
                    growth = state[i] == WIDE && !firstWide ? wide(opcodes[i]) - SHORT_JUMP : 0;
                }
                grown[i + 1] = grown[i] + growth;
            }
            for (int i = 0; i < n; i++) {
                if (targets[i] == null || state[i] != SHORT) continue;
                int to = targets[i].getOffset();
                if (to > offsets[i] && moved(to, grown) - (offsets[i] + grown[i]) > Short.MAX_VALUE) {
                    state[i] = TOO_FAR;
                    again = true;
                }
            }
            length = firstWritten + grown[n];
            if (length > MAX_CODE) return length;
        }
        return length;
    }

    /** Where the instruction first written at {@code offset} is in this round: moved by what grew before it. */
    private int moved(int offset, int[] grown) {
        int before = Arrays.binarySearch(offsets, 0, count, offset);
        // A recorded instruction at the offset itself did not move it.
        return offset + grown[before >= 0 ? before : -before - 1];
    }

    /** A wide jump's bytes. */
    private static int wide(int opcode) {
        return opcode == GOTO ? WIDE_GOTO : WIDE_CONDITIONAL;
    }

    /** The padding of a switch at {@code offset}, which aligns its operands to 4 bytes after the opcode. */
    private static int padding(int offset) {
        return ~offset & 3;
    }

    /** Records a jump to {@code target}, or a switch if it is {@code null}, at {@code offset}. */
    private void record(int opcode, Label target, int offset) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, 2 * count);
            opcodes = Arrays.copyOf(opcodes, 2 * count);
            targets = Arrays.copyOf(targets, 2 * count);
        }
        offsets[count] = offset;
        opcodes[count] = opcode;
        targets[count++] = target;
    }

    /**
     * Passes every visit on to the method writer, and records each jump and switch at the offset
     * the writer is at, which a label placed there gives (one label, placed again before each: a
     * method writer that computes no frames only resolves it).
     */
    private final class Recorder extends MethodVisitor {
        private final Label here = new Label();

        Recorder(MethodVisitor mv) {
            super(ASM9, mv);
        }

        private int offset() {
            mv.visitLabel(here);
            return here.getOffset();
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            record(opcode, label, offset());
            mv.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            record(TABLESWITCH, null, offset());
            mv.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            record(LOOKUPSWITCH, null, offset());
            mv.visitLookupSwitchInsn(dflt, keys, labels);
        }
    }
}
