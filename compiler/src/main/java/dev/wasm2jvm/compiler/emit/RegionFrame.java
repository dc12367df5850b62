package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.util.BitSet;
import java.util.List;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.SWAP;
import static org.objectweb.asm.Opcodes.V22;

/**
 * How the method of an outlined construct and its caller exchange state: through one object of a
 * class generated for the function, with a typed field per wasm local ({@code l<localidx>}) and per
 * value an exit carries ({@code v<type letter><index>}); the method's {@code int} result says how
 * control left it: {@link #FALLTHROUGH}, {@link #RETURN}, or {@code 1 + depth} for a branch to an
 * enclosing label. Fields rather than arrays, because HotSpot's C1 compiler overflows its stack
 * eliminating range checks in long methods full of array accesses.
 */
final class RegionFrame {
    static final int FALLTHROUGH = 0;
    static final int RETURN = -1;
    /** The types of an exit's values, each with a field per index: four numeric, two reference. */
    private static final int VALUE_TYPES = 6;

    /** The internal name of the frame class. */
    final String className;
    private final List<ValType> localTypes;
    private final int maxValues;

    /**
     * @param className the frame class's internal name
     * @param localTypes the function's locals, parameters first
     * @param maxValues the most values an exit carries
     */
    RegionFrame(String className, List<ValType> localTypes, int maxValues) {
        this.className = className;
        this.localTypes = localTypes;
        this.maxValues = maxValues;
    }

    String descriptor() {
        return "L" + className + ";";
    }

    /** The fields of the frame class: one per local, and one per value type and index of an exit's values. */
    int fieldCount() {
        return localTypes.size() + VALUE_TYPES * maxValues;
    }

    /** Pushes a new frame object. */
    void create(MethodVisitor mv) {
        mv.visitTypeInsn(NEW, className);
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, className, "<init>", "()V", false);
    }

    /** Copies the locals in {@code set} from their slots into the frame. */
    void storeLocals(MethodVisitor mv, Locals locals, BitSet set) {
        for (int l = set.nextSetBit(0); l >= 0; l = set.nextSetBit(l + 1)) {
            ValType t = localTypes.get(l);
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            JvmType.load(mv, t, locals.slot(l));
            mv.visitFieldInsn(PUTFIELD, className, "l" + l, JvmType.descriptor(t));
        }
    }

    /** Copies the locals in {@code set} from the frame into their slots. */
    void loadLocals(MethodVisitor mv, Locals locals, BitSet set) {
        for (int l = set.nextSetBit(0); l >= 0; l = set.nextSetBit(l + 1)) {
            ValType t = localTypes.get(l);
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            mv.visitFieldInsn(GETFIELD, className, "l" + l, JvmType.descriptor(t));
            JvmType.store(mv, t, locals.slot(l));
        }
    }

    /** Moves the values of types {@code types} from the top of the stack into the frame's value fields. */
    void storeValues(MethodVisitor mv, Locals locals, List<ValType> types) {
        for (int i = types.size() - 1; i >= 0; i--) {
            ValType t = types.get(i);
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            if (JvmType.size(t) == 2) {
                mv.visitInsn(DUP_X2);
                mv.visitInsn(POP);
            } else {
                mv.visitInsn(SWAP);
            }
            mv.visitFieldInsn(PUTFIELD, className, valueField(t, i), valueDescriptor(t));
        }
    }

    /** Pushes the values of types {@code types} from the frame's value fields. */
    void loadValues(MethodVisitor mv, Locals locals, List<ValType> types) {
        for (int i = 0; i < types.size(); i++) {
            ValType t = types.get(i);
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            mv.visitFieldInsn(GETFIELD, className, valueField(t, i), valueDescriptor(t));
            if (t == ValType.FUNCREF) mv.visitTypeInsn(CHECKCAST, JvmType.FUNC_REF);
        }
    }

    private static String valueField(ValType t, int i) {
        return "v" + t.letter() + i;
    }

    /** References of either kind share one {@code Object} field per index. */
    private static String valueDescriptor(ValType t) {
        return t.isRef() ? "Ljava/lang/Object;" : JvmType.descriptor(t);
    }

    /** The frame class: its fields and a no-argument constructor. */
    byte[] classFile(String nestHost) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V22, ACC_FINAL | ACC_SUPER, className, null, "java/lang/Object", null);
        cw.visitNestHost(nestHost);
        cw.visitInnerClass(className, nestHost, className.substring(className.lastIndexOf('$') + 1), ACC_STATIC | ACC_FINAL);
        for (int l = 0; l < localTypes.size(); l++) {
            cw.visitField(0, "l" + l, JvmType.descriptor(localTypes.get(l)), null, null).visitEnd();
        }
        for (int i = 0; i < maxValues; i++) {
            for (ValType t : List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64)) {
                cw.visitField(0, valueField(t, i), valueDescriptor(t), null, null).visitEnd();
            }
            cw.visitField(0, valueField(ValType.FUNCREF, i), "Ljava/lang/Object;", null, null).visitEnd();
            cw.visitField(0, valueField(ValType.EXTERNREF, i), "Ljava/lang/Object;", null, null).visitEnd();
        }
        MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(org.objectweb.asm.Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
