package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.internal.BoxedArguments;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.List;

/**
 * How wasm values are carried on the JVM: the Java type of each value type and the opcodes that move it.
 *
 * <p>A {@code v128} is two {@code long}s, its low and high halves, wherever a JVM construct can hold
 * two values: on the operand stack, in local slots and among a method's parameters (descriptor
 * {@code JJ}); where a construct holds exactly one value (a return value, a field, an array
 * element, a boxed argument) it is an immutable {@code V128} ({@link #singleDescriptor}). See
 * {@code body.SimdEmitter}.
 */
public final class JvmType {
    public static final String FUNC_REF = RuntimeRefs.FUNC_REF;
    public static final String V128 = RuntimeRefs.V128_CLASS;
    public static final String OBJECT = "java/lang/Object";
    /** The parameter descriptor of a wide function's boxed arguments. */
    public static final String ARGUMENTS_DESCRIPTOR = "[Ljava/lang/Object;";

    private JvmType() {}

    public static Type of(ValType t) {
        return switch (t) {
            case I32 -> Type.INT_TYPE;
            case I64 -> Type.LONG_TYPE;
            case F32 -> Type.FLOAT_TYPE;
            case F64 -> Type.DOUBLE_TYPE;
            case FUNCREF -> Type.getObjectType(FUNC_REF);
            case EXTERNREF, EXNREF -> Type.getObjectType(OBJECT);
            case V128 -> Type.getObjectType(V128);
        };
    }

    /** The descriptor of a value of type {@code t} among a method's parameters: {@code JJ} for a v128. */
    public static String descriptor(ValType t) {
        return t == ValType.V128 ? "JJ" : singleDescriptor(t);
    }

    /**
     * The descriptor of a field, array element or return value holding one value of type {@code t}:
     * {@code of(t).getDescriptor()}, as constants, since emitting asks for one at every access of a
     * global and every call and {@code Type} builds a new string each time.
     */
    public static String singleDescriptor(ValType t) {
        return switch (t) {
            case I32 -> "I";
            case I64 -> "J";
            case F32 -> "F";
            case F64 -> "D";
            case FUNCREF -> FUNC_REF_DESCRIPTOR;
            case EXTERNREF, EXNREF -> "Ljava/lang/Object;";
            case V128 -> V128_DESCRIPTOR;
        };
    }

    private static final String FUNC_REF_DESCRIPTOR = "L" + FUNC_REF + ";";
    private static final String V128_DESCRIPTOR = "L" + V128 + ";";

    /** The JVM return type of a function with these results: void, the one result, or boxed results in an array. */
    public static String returnDescriptor(List<ValType> results) {
        return switch (results.size()) {
            case 0 -> "V";
            case 1 -> singleDescriptor(results.get(0));
            default -> "[Ljava/lang/Object;";
        };
    }

    /**
     * Whether functions of type {@code type} take their parameters boxed in one {@code Object[]}
     * because there are too many slots of them to pass one by one ({@code BoxedArguments}).
     */
    public static boolean isWide(FuncType type) {
        // The slots counted as BoxedArguments.isWide counts them in the signature, which is not built
        // here: every call asks, so a type too short to be wide, nearly every one, is not counted
        // (the count's list iterator was 0.4% of the SQLite shell's compiling thread).
        List<ValType> params = type.params();
        if (params.size() <= BoxedArguments.MAX_SLOTS / JvmLimits.slots(ValType.V128)) return false;
        int slots = 0;
        for (int i = 0; i < params.size(); i++) slots += size(params.get(i));
        return slots > BoxedArguments.MAX_SLOTS;
    }

    /** The parameter descriptors of a function of type {@code type}: each parameter's, or the boxed arguments' array. */
    static String parameterDescriptors(FuncType type) {
        if (isWide(type)) return ARGUMENTS_DESCRIPTOR;
        StringBuilder sb = new StringBuilder();
        for (ValType p : type.params()) sb.append(descriptor(p));
        return sb.toString();
    }

    /** The JVM slots that the parameters of a function of type {@code type} take. */
    public static int parameterSlots(FuncType type) {
        if (isWide(type)) return 1;
        int slots = 0;
        for (ValType p : type.params()) slots += size(p);
        return slots;
    }

    /** Loads the parameters of a method for functions of type {@code type}, which start at slot 0. */
    public static void loadParameters(MethodVisitor mv, FuncType type) {
        if (isWide(type)) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            return;
        }
        int slot = 0;
        for (ValType p : type.params()) {
            load(mv, p, slot);
            slot += size(p);
        }
    }

    /** The descriptor of the static method for a function of type {@code type} in class {@code owner}. */
    static String methodDescriptor(FuncType type, String owner) {
        return "(" + parameterDescriptors(type) + "L" + owner + ";)" + returnDescriptor(type.results());
    }

    /** The descriptor of a {@code MethodHandle.invokeExact} call for functions of type {@code type}. */
    public static String handleDescriptor(FuncType type) {
        return "(" + parameterDescriptors(type) + ")" + returnDescriptor(type.results());
    }

    /** The JVM stack or local slots a value of type {@code t} takes ({@link JvmLimits#slots}). */
    public static int size(ValType t) {
        return JvmLimits.slots(t);
    }

    /**
     * The opcode for one value of type {@code t} ({@link #of}: a {@code v128} as its {@code V128})
     * of the family whose {@code int} opcode is {@code intOpcode}: {@code ILOAD}, {@code ISTORE},
     * {@code IALOAD}, {@code IASTORE} or {@code IRETURN}. It is {@code of(t).getOpcode(intOpcode)}
     * without the {@code Type}, which a reference type makes anew at each call: every
     * {@code local.get} and {@code local.set} asks.
     */
    public static int opcode(ValType t, int intOpcode) {
        return intOpcode + switch (t) {
            case I32 -> 0;
            case I64 -> Opcodes.LLOAD - Opcodes.ILOAD;
            case F32 -> Opcodes.FLOAD - Opcodes.ILOAD;
            case F64 -> Opcodes.DLOAD - Opcodes.ILOAD;
            case FUNCREF, EXTERNREF, EXNREF, V128 -> Opcodes.ALOAD - Opcodes.ILOAD;
        };
    }

    public static void load(MethodVisitor mv, ValType t, int slot) {
        if (t == ValType.V128) {
            mv.visitVarInsn(Opcodes.LLOAD, slot);
            mv.visitVarInsn(Opcodes.LLOAD, slot + 2);
            return;
        }
        mv.visitVarInsn(opcode(t, Opcodes.ILOAD), slot);
    }

    public static void store(MethodVisitor mv, ValType t, int slot) {
        if (t == ValType.V128) {
            mv.visitVarInsn(Opcodes.LSTORE, slot + 2);
            mv.visitVarInsn(Opcodes.LSTORE, slot);
            return;
        }
        mv.visitVarInsn(opcode(t, Opcodes.ISTORE), slot);
    }

    public static void pop(MethodVisitor mv, ValType t) {
        if (t == ValType.V128) mv.visitInsn(Opcodes.POP2);
        mv.visitInsn(size(t) == 1 ? Opcodes.POP : Opcodes.POP2);
    }

    /** Returns the one result of type {@code t} on the stack from the method, a v128 boxed. */
    public static void returnValue(MethodVisitor mv, ValType t) {
        if (t == ValType.V128) box(mv, t);
        mv.visitInsn(opcode(t, Opcodes.IRETURN));
    }

    /** Unboxes the result of a call just made that returns {@code results}, if it is one v128. */
    public static void unboxResult(MethodVisitor mv, List<ValType> results) {
        if (results.size() == 1 && results.get(0) == ValType.V128) unbox(mv, ValType.V128);
    }

    /** Pushes the default value of {@code t}: zero, or null for references. */
    public static void pushDefault(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitInsn(Opcodes.ICONST_0);
            case I64 -> mv.visitInsn(Opcodes.LCONST_0);
            case F32 -> mv.visitInsn(Opcodes.FCONST_0);
            case F64 -> mv.visitInsn(Opcodes.DCONST_0);
            case V128 -> {
                mv.visitInsn(Opcodes.LCONST_0);
                mv.visitInsn(Opcodes.LCONST_0);
            }
            default -> mv.visitInsn(Opcodes.ACONST_NULL);
        }
    }

    /** Boxes the value of type {@code t} on top of the stack (references stay as they are), a v128 into a {@code V128}. */
    public static void box(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
            case I64 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Long", "valueOf", "(J)Ljava/lang/Long;", false);
            case F32 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "valueOf", "(F)Ljava/lang/Float;", false);
            case F64 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "valueOf", "(D)Ljava/lang/Double;", false);
            case V128 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeRefs.SIMD, "box", "(JJ)L" + V128 + ";", false);
            default -> { }
        }
    }

    /**
     * Replaces the numeric value of type {@code t} on the stack by a {@code long} holding its bits,
     * the form of a global's {@code bits} field and of a SIMD lane: raw bits, so NaN payloads survive.
     */
    public static void toBits(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitInsn(Opcodes.I2L);
            case F32 -> {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(Opcodes.I2L);
            }
            case F64 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
            default -> { }
        }
    }

    /** The inverse of {@link #toBits}: the value of type {@code t} whose bits are the {@code long} on the stack. */
    public static void fromBits(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitInsn(Opcodes.L2I);
            case F32 -> {
                mv.visitInsn(Opcodes.L2I);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
            }
            case F64 -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
            default -> { }
        }
    }

    /** Unboxes an {@code Object} on top of the stack into a value of type {@code t}. */
    public static void unbox(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> unbox(mv, "java/lang/Integer", "intValue", "()I");
            case I64 -> unbox(mv, "java/lang/Long", "longValue", "()J");
            case F32 -> unbox(mv, "java/lang/Float", "floatValue", "()F");
            case F64 -> unbox(mv, "java/lang/Double", "doubleValue", "()D");
            case FUNCREF -> mv.visitTypeInsn(Opcodes.CHECKCAST, FUNC_REF);
            case V128 -> {
                mv.visitTypeInsn(Opcodes.CHECKCAST, V128);
                mv.visitInsn(Opcodes.DUP);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, V128, "low", "()J", false);
                mv.visitInsn(Opcodes.DUP2_X1);
                mv.visitInsn(Opcodes.POP2);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, V128, "high", "()J", false);
            }
            case EXTERNREF, EXNREF -> { }
        }
    }

    private static void unbox(MethodVisitor mv, String box, String method, String descriptor) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, box);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, method, descriptor, false);
    }
}
