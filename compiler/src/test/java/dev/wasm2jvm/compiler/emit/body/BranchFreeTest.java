package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.DLOAD;
import static org.objectweb.asm.Opcodes.FLOAD;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFLE;
import static org.objectweb.asm.Opcodes.IF_ICMPLE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LRETURN;
import static org.objectweb.asm.Opcodes.V22;

/**
 * The values {@link BranchFree} computes without a jump, against the jumps and wasm instructions they
 * replace, at the edges of each type's range.
 */
class BranchFreeTest {
    private static final int[] INTS = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -2, -1, 0, 1, 2,
            Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
    private static final long[] LONGS = {Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MIN_VALUE, -2, -1, 0, 1, 2,
            Integer.MAX_VALUE, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    private static final float[] FLOATS = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1, -Float.MIN_VALUE, -0.0f, 0.0f,
            Float.MIN_VALUE, 1, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xFFC0_0001)};
    private static final double[] DOUBLES = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1, -Double.MIN_VALUE, -0.0, 0.0,
            Double.MIN_VALUE, 1, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN,
            Double.longBitsToDouble(0xFFF8_0000_0000_0001L)};

    @Test
    void everyJumpOnIntsGivesTheValueItWouldJumpFor() throws Throwable {
        Methods methods = new Methods();
        for (int jump = IFEQ; jump <= IF_ICMPLE; jump++) {
            MethodVisitor mv = methods.add("j" + jump, jump <= IFLE ? "(I)I" : "(II)I");
            mv.visitVarInsn(ILOAD, 0);
            if (jump > IFLE) mv.visitVarInsn(ILOAD, 1);
            BranchFree.condition(mv, jump);
            mv.visitInsn(IRETURN);
        }
        MethodHandles.Lookup lookup = methods.define();
        assertEquals(List.of(), methods.jumps);
        for (int jump = IFEQ; jump <= IF_ICMPLE; jump++) {
            boolean single = jump <= IFLE;
            MethodHandle f = lookup.findStatic(lookup.lookupClass(), "j" + jump,
                    single ? MethodType.methodType(int.class, int.class) : MethodType.methodType(int.class, int.class, int.class));
            for (int a : INTS) {
                for (int b : INTS) {
                    int c = single ? Integer.compare(a, 0) : Integer.compare(a, b);
                    boolean jumps = switch ((jump - IFEQ) % 6) {
                        case 0 -> c == 0;
                        case 1 -> c != 0;
                        case 2 -> c < 0;
                        case 3 -> c >= 0;
                        case 4 -> c > 0;
                        default -> c <= 0;
                    };
                    int actual = single ? (int) f.invokeExact(a) : (int) f.invokeExact(a, b);
                    assertEquals(jumps ? 1 : 0, actual, "jump " + jump + " of " + a + (single ? "" : ", " + b));
                }
            }
        }
    }

    /**
     * Each wasm comparison as the compiler writes it, {@link NumericEmitter} through {@link BranchFusion}, and
     * returned as a value: no jump is left where the operands are integers or the result of {@code lcmp},
     * {@code fcmp} or {@code dcmp}.
     */
    @Test
    void everyComparisonUsedAsAValueIsComputedWithoutAJump() throws Throwable {
        Methods methods = new Methods();
        for (int opcode = Opcodes.I32_EQZ; opcode <= Opcodes.F64_GE; opcode++) {
            char type = operandType(opcode);
            boolean unary = opcode == Opcodes.I32_EQZ || opcode == Opcodes.I64_EQZ;
            String param = String.valueOf(type);
            MethodVisitor mv = new BranchFusion(methods.add("c" + opcode, "(" + param + (unary ? "" : param) + ")I"));
            int load = switch (type) {
                case 'I' -> ILOAD;
                case 'J' -> LLOAD;
                case 'F' -> FLOAD;
                default -> DLOAD;
            };
            mv.visitVarInsn(load, 0);
            if (!unary) mv.visitVarInsn(load, type == 'J' || type == 'D' ? 2 : 1);
            new NumericEmitter(mv, 4).visitInsn(opcode);
            mv.visitInsn(IRETURN);
        }
        MethodHandles.Lookup lookup = methods.define();
        assertEquals(List.of(), methods.jumps);
        for (int opcode = Opcodes.I32_EQZ; opcode <= Opcodes.F64_GE; opcode++) {
            Class<?> type = switch (operandType(opcode)) {
                case 'I' -> int.class;
                case 'J' -> long.class;
                case 'F' -> float.class;
                default -> double.class;
            };
            boolean unary = opcode == Opcodes.I32_EQZ || opcode == Opcodes.I64_EQZ;
            MethodHandle f = lookup.findStatic(lookup.lookupClass(), "c" + opcode,
                    unary ? MethodType.methodType(int.class, type) : MethodType.methodType(int.class, type, type));
            for (Object a : values(type)) {
                for (Object b : values(type)) {
                    boolean holds = holds(opcode, a, b);
                    int actual = (int) (unary ? f.invoke(a) : f.invoke(a, b));
                    assertEquals(holds ? 1 : 0, actual, Opcodes.name(opcode) + " " + a + (unary ? "" : " " + b));
                }
            }
        }
    }

    @Test
    void selectKeepsTheFirstOperandExactlyWhenTheConditionIsNotZero() throws Throwable {
        Methods methods = new Methods();
        MethodVisitor mv = methods.add("i32", "(III)I");
        mv.visitVarInsn(ILOAD, 0);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ILOAD, 2);
        BranchFree.select(mv, false, 3);
        mv.visitInsn(IRETURN);
        mv = methods.add("i64", "(JJI)J");
        mv.visitVarInsn(LLOAD, 0);
        mv.visitVarInsn(LLOAD, 2);
        mv.visitVarInsn(ILOAD, 4);
        BranchFree.select(mv, true, 5);
        mv.visitInsn(LRETURN);
        MethodHandles.Lookup lookup = methods.define();
        assertEquals(List.of(), methods.jumps);
        MethodHandle i32 = lookup.findStatic(lookup.lookupClass(), "i32", MethodType.methodType(int.class, int.class, int.class, int.class));
        MethodHandle i64 = lookup.findStatic(lookup.lookupClass(), "i64", MethodType.methodType(long.class, long.class, long.class, int.class));
        for (int c : INTS) {
            for (int a : INTS) {
                for (int b : INTS) assertEquals(c != 0 ? a : b, (int) i32.invokeExact(a, b, c), a + " " + b + " " + c);
            }
            for (long a : LONGS) {
                for (long b : LONGS) assertEquals(c != 0 ? a : b, (long) i64.invokeExact(a, b, c), a + " " + b + " " + c);
            }
        }
    }

    private static char operandType(int opcode) {
        if (opcode <= Opcodes.I32_GE_U) return 'I';
        if (opcode <= Opcodes.I64_GE_U) return 'J';
        if (opcode <= Opcodes.F32_GE) return 'F';
        return 'D';
    }

    private static List<Object> values(Class<?> type) {
        List<Object> values = new ArrayList<>();
        if (type == int.class) for (int v : INTS) values.add(v);
        if (type == long.class) for (long v : LONGS) values.add(v);
        if (type == float.class) for (float v : FLOATS) values.add(v);
        if (type == double.class) for (double v : DOUBLES) values.add(v);
        return values;
    }

    /** Whether wasm comparison {@code opcode} holds of {@code a} and {@code b} (or {@code a} alone), after the spec. */
    private static boolean holds(int opcode, Object a, Object b) {
        if (a instanceof Integer x) {
            int y = (Integer) b;
            return switch (opcode) {
                case Opcodes.I32_EQZ -> x == 0;
                case Opcodes.I32_EQ -> x == y;
                case Opcodes.I32_NE -> x != y;
                case Opcodes.I32_LT_S -> x < y;
                case Opcodes.I32_LT_U -> Integer.compareUnsigned(x, y) < 0;
                case Opcodes.I32_GT_S -> x > y;
                case Opcodes.I32_GT_U -> Integer.compareUnsigned(x, y) > 0;
                case Opcodes.I32_LE_S -> x <= y;
                case Opcodes.I32_LE_U -> Integer.compareUnsigned(x, y) <= 0;
                case Opcodes.I32_GE_S -> x >= y;
                default -> Integer.compareUnsigned(x, y) >= 0;
            };
        }
        if (a instanceof Long x) {
            long y = (Long) b;
            return switch (opcode) {
                case Opcodes.I64_EQZ -> x == 0;
                case Opcodes.I64_EQ -> x == y;
                case Opcodes.I64_NE -> x != y;
                case Opcodes.I64_LT_S -> x < y;
                case Opcodes.I64_LT_U -> Long.compareUnsigned(x, y) < 0;
                case Opcodes.I64_GT_S -> x > y;
                case Opcodes.I64_GT_U -> Long.compareUnsigned(x, y) > 0;
                case Opcodes.I64_LE_S -> x <= y;
                case Opcodes.I64_LE_U -> Long.compareUnsigned(x, y) <= 0;
                case Opcodes.I64_GE_S -> x >= y;
                default -> Long.compareUnsigned(x, y) >= 0;
            };
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        // Java's comparison operators are IEEE's, as wasm's are: false on NaN but for ne, -0 equal to 0.
        return switch (opcode) {
            case Opcodes.F32_EQ, Opcodes.F64_EQ -> x == y;
            case Opcodes.F32_NE, Opcodes.F64_NE -> x != y;
            case Opcodes.F32_LT, Opcodes.F64_LT -> x < y;
            case Opcodes.F32_GT, Opcodes.F64_GT -> x > y;
            case Opcodes.F32_LE, Opcodes.F64_LE -> x <= y;
            default -> x >= y;
        };
    }

    /** Static methods of one hidden class, and the jumps written into them. */
    private static final class Methods {
        private final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        private final List<String> jumps = new ArrayList<>();
        private MethodVisitor open;

        Methods() {
            cw.visit(V22, ACC_FINAL, BranchFreeTest.class.getPackageName().replace('.', '/') + "/BranchFreeValues",
                    null, "java/lang/Object", null);
        }

        MethodVisitor add(String name, String descriptor) {
            close();
            open = new MethodVisitor(ASM9, cw.visitMethod(ACC_STATIC, name, descriptor, null, null)) {
                @Override
                public void visitJumpInsn(int opcode, Label label) {
                    jumps.add(name + ": " + opcode);
                    super.visitJumpInsn(opcode, label);
                }
            };
            open.visitCode();
            return open;
        }

        MethodHandles.Lookup define() throws IllegalAccessException {
            close();
            cw.visitEnd();
            return MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
        }

        private void close() {
            if (open == null) return;
            open.visitMaxs(0, 0);
            open.visitEnd();
        }
    }
}
