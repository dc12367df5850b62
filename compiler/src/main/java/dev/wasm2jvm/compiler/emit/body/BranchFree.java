package dev.wasm2jvm.compiler.emit.body;

import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.BIPUSH;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.DUP2_X1;
import static org.objectweb.asm.Opcodes.DUP2_X2;
import static org.objectweb.asm.Opcodes.DUP_X1;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.ICONST_M1;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.IFGT;
import static org.objectweb.asm.Opcodes.IFLE;
import static org.objectweb.asm.Opcodes.IFLT;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IF_ICMPEQ;
import static org.objectweb.asm.Opcodes.IF_ICMPGE;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.IF_ICMPLE;
import static org.objectweb.asm.Opcodes.IF_ICMPLT;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INEG;
import static org.objectweb.asm.Opcodes.IOR;
import static org.objectweb.asm.Opcodes.ISHR;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.IUSHR;
import static org.objectweb.asm.Opcodes.IXOR;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LAND;
import static org.objectweb.asm.Opcodes.LCONST_1;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LNEG;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.LSUB;
import static org.objectweb.asm.Opcodes.LUSHR;
import static org.objectweb.asm.Opcodes.LXOR;
import static org.objectweb.asm.Opcodes.POP2;

/**
 * Values chosen by a condition, computed by arithmetic instead of a jump: a comparison's 0 or 1
 * that is not branched on, and {@code select} of integers. HotSpot's C2 turns every side of a
 * branch whose profile count is 0 into an uncommon trap; when a later phase of the program takes
 * it, the trap throws the method's C2 code away, sends it back to the interpreter to be profiled
 * again and C2 compiles it anew. A jump that only chooses between two values is such a branch, and
 * a value computed without one leaves C2 nothing to prune (C2 compiles both shapes to a few ALU
 * instructions; a jump it keeps is a {@code setcc} or {@code cmov} at best).
 */
final class BranchFree {
    private BranchFree() {}

    /** Whether {@link #condition} computes the 0 or 1 of {@code jump}: the jumps on {@code int}s. */
    static boolean computes(int jump) {
        return jump >= IFEQ && jump <= IF_ICMPLE;
    }

    /**
     * Replaces the operands of the conditional jump {@code jump} (one of {@link #computes}) by 1 if
     * it would jump, else 0. A single {@code int} is tested by its sign bit; a comparison of two
     * widens them to {@code long}s, whose difference cannot overflow. At most 11 bytes
     * ({@code StaticBound.CONDITION}).
     */
    static void condition(MethodVisitor mv, int jump) {
        switch (jump) {
            case IFLT -> signBit(mv);
            case IFGE -> {
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
                signBit(mv);
            }
            case IFNE -> nonZero(mv);
            case IFEQ -> {
                nonZero(mv);
                flip(mv);
            }
            case IFGT -> {
                mv.visitInsn(I2L);
                mv.visitInsn(LNEG);
                longSignBit(mv);
            }
            case IFLE -> {
                mv.visitInsn(I2L);
                mv.visitInsn(LCONST_1);
                mv.visitInsn(LSUB);
                longSignBit(mv);
            }
            case IF_ICMPNE -> {
                mv.visitInsn(ISUB);
                nonZero(mv);
            }
            case IF_ICMPEQ -> {
                mv.visitInsn(ISUB);
                nonZero(mv);
                flip(mv);
            }
            default -> {
                // a b -> (long) b - (long) a, the difference d of the operands the other way round.
                mv.visitInsn(I2L);
                mv.visitInsn(DUP2_X1);
                mv.visitInsn(POP2);
                mv.visitInsn(I2L);
                mv.visitInsn(LSUB);
                switch (jump) {
                    case IF_ICMPLT -> {
                        mv.visitInsn(LNEG);
                        longSignBit(mv);
                    }
                    case IF_ICMPGT -> longSignBit(mv);
                    case IF_ICMPLE -> {
                        longSignBit(mv);
                        flip(mv);
                    }
                    case IF_ICMPGE -> {
                        mv.visitInsn(LCONST_1);
                        mv.visitInsn(LSUB);
                        longSignBit(mv);
                    }
                    default -> throw new IllegalArgumentException("not a jump on ints: " + jump);
                }
            }
        }
    }

    /**
     * {@code select} of two {@code i32}s or two {@code i64}s: {@code second ^ ((first ^ second) & mask)}
     * with the mask all ones when the condition is not 0, through the scratch slot {@code maskSlot}
     * (an {@code int}'s, or a {@code long}'s for {@code wide}). At most 11 bytes and two
     * accesses of the slot ({@code StaticBound.SELECT}).
     */
    static void select(MethodVisitor mv, boolean wide, int maskSlot) {
        // (c | -c) has its sign bit set exactly when c is not 0; the arithmetic shift spreads it.
        mv.visitInsn(DUP);
        mv.visitInsn(INEG);
        mv.visitInsn(IOR);
        mv.visitIntInsn(BIPUSH, 31);
        mv.visitInsn(ISHR);
        if (wide) {
            mv.visitInsn(I2L);
            mv.visitVarInsn(LSTORE, maskSlot);
            mv.visitInsn(DUP2_X2);
            mv.visitInsn(LXOR);
            mv.visitVarInsn(LLOAD, maskSlot);
            mv.visitInsn(LAND);
            mv.visitInsn(LXOR);
        } else {
            mv.visitVarInsn(ISTORE, maskSlot);
            mv.visitInsn(DUP_X1);
            mv.visitInsn(IXOR);
            mv.visitVarInsn(ILOAD, maskSlot);
            mv.visitInsn(IAND);
            mv.visitInsn(IXOR);
        }
    }

    private static void signBit(MethodVisitor mv) {
        mv.visitIntInsn(BIPUSH, 31);
        mv.visitInsn(IUSHR);
    }

    private static void longSignBit(MethodVisitor mv) {
        mv.visitIntInsn(BIPUSH, 63);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
    }

    /** 1 if the {@code int} is not 0, else 0: {@code x | -x} has its sign bit set exactly then. */
    private static void nonZero(MethodVisitor mv) {
        mv.visitInsn(DUP);
        mv.visitInsn(INEG);
        mv.visitInsn(IOR);
        signBit(mv);
    }

    private static void flip(MethodVisitor mv) {
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IXOR);
    }
}
