package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.IFLT;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.IFNULL;
import static org.objectweb.asm.Opcodes.IF_ACMPEQ;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.IF_ICMPLE;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LCMP;

/** The comparison-then-test pairs that {@link BranchFusion} turns into one jump, and what it leaves alone. */
class BranchFusionTest {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(GOTO, "GOTO"), Map.entry(ICONST_0, "ICONST_0"), Map.entry(ICONST_1, "ICONST_1"),
            Map.entry(IFEQ, "IFEQ"), Map.entry(IFNE, "IFNE"), Map.entry(IFLT, "IFLT"), Map.entry(IFGE, "IFGE"),
            Map.entry(IF_ICMPGT, "IF_ICMPGT"), Map.entry(IF_ICMPLE, "IF_ICMPLE"), Map.entry(IRETURN, "IRETURN"),
            Map.entry(LCMP, "LCMP"));

    private final Label target = new Label();

    @Test
    void aResultTestedWithIfneBecomesTheComparisonsJump() {
        assertEquals(List.of("IF_ICMPGT L0"), fused(mv -> {
            compare(mv, Opcodes.I32_GT_S);
            mv.visitJumpInsn(IFNE, target);
        }));
    }

    @Test
    void aResultTestedWithIfeqBecomesTheOppositeJump() {
        assertEquals(List.of("LCMP", "IFGE L0"), fused(mv -> {
            compare(mv, Opcodes.I64_LT_S);
            mv.visitJumpInsn(IFEQ, target);
        }));
    }

    @Test
    void theLineEntryBetweenResultAndTestIsKept() {
        Label mark = new LineEntries.LineLabel();
        assertEquals(List.of("LINENUMBER 7 L1", "IF_ICMPLE L0"), fused(mv -> {
            compare(mv, Opcodes.I32_LE_S);
            mv.visitLineNumber(7, mark);
            mv.visitJumpInsn(IFNE, target);
        }));
    }

    @Test
    void aNegatedComparisonFusesTwice() {
        assertEquals(List.of("IF_ICMPLE L0"), fused(mv -> {
            compare(mv, Opcodes.I32_GT_S);
            compare(mv, Opcodes.I32_EQZ);
            mv.visitJumpInsn(IFNE, target);
        }));
    }

    @Test
    void aResultUsedOtherwisePassesThroughUnchanged() {
        assertEquals(List.of("IF_ICMPGT L1", "ICONST_0", "GOTO L2", "L1", "ICONST_1", "L2", "IRETURN"), fused(mv -> {
            compare(mv, Opcodes.I32_GT_S);
            mv.visitInsn(IRETURN);
        }));
    }

    @Test
    void aResultAndItsLineEntryUsedOtherwisePassThroughInOrder() {
        Label mark = new LineEntries.LineLabel();
        assertEquals(List.of("IF_ICMPGT L1", "ICONST_0", "GOTO L2", "L1", "ICONST_1", "L2", "LINENUMBER 7 L3", "IRETURN"),
                fused(mv -> {
                    compare(mv, Opcodes.I32_GT_S);
                    mv.visitLineNumber(7, mark);
                    mv.visitInsn(IRETURN);
                }));
    }

    @Test
    void aSecondLineEntryBetweenResultAndTestPassesBothThroughInOrder() {
        Label mark = new LineEntries.LineLabel();
        assertEquals(List.of("IF_ICMPGT L1", "ICONST_0", "GOTO L2", "L1", "ICONST_1", "L2", "LINENUMBER 7 L3",
                "LINENUMBER 8 L3", "IFNE L0"), fused(mv -> {
            compare(mv, Opcodes.I32_GT_S);
            mv.visitLineNumber(7, mark);
            mv.visitLineNumber(8, mark);
            mv.visitJumpInsn(IFNE, target);
        }));
    }

    @Test
    void aLabelWithALineNumberBetweenResultAndTestPassesThroughUnchanged() {
        Label merge = new Label();
        assertEquals(List.of("IF_ICMPGT L1", "ICONST_0", "GOTO L2", "L1", "ICONST_1", "L2", "L3", "LINENUMBER 7 L3", "IFNE L0"),
                fused(mv -> {
                    compare(mv, Opcodes.I32_GT_S);
                    mv.visitLabel(merge);
                    mv.visitLineNumber(7, merge);
                    mv.visitJumpInsn(IFNE, target);
                }));
    }

    @Test
    void aPartialPatternPassesThroughUnchanged() {
        Label other = new Label();
        Label end = new Label();
        assertEquals(List.of("IFNE L1", "ICONST_0", "GOTO L2", "L2", "IFNE L0"), fused(mv -> {
            mv.visitJumpInsn(IFNE, other);
            mv.visitInsn(ICONST_0);
            mv.visitJumpInsn(GOTO, end);
            mv.visitLabel(end);
            mv.visitJumpInsn(IFNE, target);
        }));
    }

    @Test
    void aMergePointBetweenResultAndTestPassesThroughUnchanged() {
        Label elseBranch = new Label();
        Label merge = new Label();
        List<String> out = fused(mv -> {
            mv.visitJumpInsn(IFEQ, elseBranch);
            mv.visitInsn(ICONST_1);
            mv.visitJumpInsn(GOTO, merge);
            mv.visitLabel(elseBranch);
            compare(mv, Opcodes.I32_GT_S);
            mv.visitLabel(merge);
            mv.visitJumpInsn(IFNE, target);
        });
        assertEquals(List.of("IFEQ L1", "ICONST_1", "GOTO L2", "L1", "IF_ICMPGT L3", "ICONST_0", "GOTO L4", "L3", "ICONST_1",
                "L4", "L2", "IFNE L0"), out);
    }

    @Test
    void aLabelWithoutLineNumberBetweenResultAndTestPassesThroughUnchanged() {
        Label loop = new Label();
        assertEquals(List.of("IF_ICMPGT L1", "ICONST_0", "GOTO L2", "L1", "ICONST_1", "L2", "L3", "IFNE L0"), fused(mv -> {
            compare(mv, Opcodes.I32_GT_S);
            mv.visitLabel(loop);
            mv.visitJumpInsn(IFNE, target);
        }));
    }

    @Test
    void everyConditionalJumpHasItsOpposite() {
        int[][] pairs = {{IFEQ, IFNE}, {IFLT, IFGE}, {IF_ICMPGT, IF_ICMPLE}, {IF_ACMPEQ, IF_ACMPNE}, {IFNULL, IFNONNULL}};
        for (int[] pair : pairs) {
            assertEquals(pair[1], BranchFusion.negate(pair[0]));
            assertEquals(pair[0], BranchFusion.negate(pair[1]));
        }
    }

    /** The wasm comparison {@code opcode} as the numeric emitter writes it: 1 if it holds, else 0. */
    private static void compare(MethodVisitor mv, int opcode) {
        new NumericEmitter(mv, 0).visitInsn(opcode);
    }

    /** The instructions that reach the next visitor, labels named L0 ({@link #target}), L1, ... as they first appear. */
    private List<String> fused(Consumer<MethodVisitor> code) {
        List<String> out = new ArrayList<>();
        Map<Label, String> names = new IdentityHashMap<>();
        names.put(target, "L0");
        MethodVisitor recorder = new MethodVisitor(ASM9) {
            private String name(Label l) {
                return names.computeIfAbsent(l, k -> "L" + names.size());
            }

            @Override
            public void visitInsn(int opcode) {
                out.add(NAMES.get(opcode));
            }

            @Override
            public void visitJumpInsn(int opcode, Label label) {
                out.add(NAMES.get(opcode) + " " + name(label));
            }

            @Override
            public void visitLabel(Label label) {
                out.add(name(label));
            }

            @Override
            public void visitLineNumber(int line, Label start) {
                out.add("LINENUMBER " + line + " " + name(start));
            }
        };
        MethodVisitor fusion = new BranchFusion(recorder);
        code.accept(fusion);
        fusion.visitEnd();
        return out;
    }
}
