package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.BitSet;
import java.util.List;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LALOAD;
import static org.objectweb.asm.Opcodes.LASTORE;

/**
 * How the method of an outlined construct and its caller exchange state: the wasm locals travel in a
 * {@code long[]} frame indexed by localidx (references in a parallel {@code Object[]}), the values an
 * exit carries follow the locals, and the method's {@code int} result says how control left it:
 * {@link #FALLTHROUGH}, {@link #RETURN}, or {@code 1 + depth} for a branch to an enclosing label.
 */
final class RegionFrame {
    static final int FALLTHROUGH = 0;
    static final int RETURN = -1;

    private final List<ValType> localTypes;
    private final int size;

    /**
     * @param localTypes the function's locals, parameters first
     * @param maxValues the most values an exit carries
     */
    RegionFrame(List<ValType> localTypes, int maxValues) {
        this.localTypes = localTypes;
        this.size = localTypes.size() + maxValues;
    }

    /** Elements of each frame array. */
    int size() {
        return size;
    }

    /** Copies the locals in {@code set} from their slots into the frame. */
    void storeLocals(MethodVisitor mv, Locals locals, BitSet set) {
        for (int l = set.nextSetBit(0); l >= 0; l = set.nextSetBit(l + 1)) {
            ValType t = localTypes.get(l);
            pushArray(mv, locals, t);
            Push.intConst(mv, l);
            JvmType.load(mv, t, locals.slot(l));
            toElement(mv, t);
        }
    }

    /** Copies the locals in {@code set} from the frame into their slots. */
    void loadLocals(MethodVisitor mv, Locals locals, BitSet set) {
        for (int l = set.nextSetBit(0); l >= 0; l = set.nextSetBit(l + 1)) {
            ValType t = localTypes.get(l);
            loadElement(mv, locals, t, l);
            JvmType.store(mv, t, locals.slot(l));
        }
    }

    /** Moves the values of types {@code types} from the top of the stack into the frame's value area. */
    void storeValues(MethodVisitor mv, Locals locals, List<ValType> types) {
        for (int i = types.size() - 1; i >= 0; i--) {
            ValType t = types.get(i);
            int spill = locals.spill();
            JvmType.store(mv, t, spill);
            pushArray(mv, locals, t);
            Push.intConst(mv, localTypes.size() + i);
            JvmType.load(mv, t, spill);
            toElement(mv, t);
        }
    }

    /** Pushes the values of types {@code types} from the frame's value area. */
    void loadValues(MethodVisitor mv, Locals locals, List<ValType> types) {
        for (int i = 0; i < types.size(); i++) loadElement(mv, locals, types.get(i), localTypes.size() + i);
    }

    private static void pushArray(MethodVisitor mv, Locals locals, ValType t) {
        mv.visitVarInsn(ALOAD, t.isRef() ? locals.refsSlot() : locals.frameSlot());
    }

    /** Converts a value to its frame element and stores it ({@code array, index, value} on the stack). */
    private static void toElement(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitInsn(I2L);
            case F32 -> {
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(I2L);
            }
            case F64 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
            default -> { }
        }
        mv.visitInsn(t.isRef() ? AASTORE : LASTORE);
    }

    private static void loadElement(MethodVisitor mv, Locals locals, ValType t, int index) {
        pushArray(mv, locals, t);
        Push.intConst(mv, index);
        mv.visitInsn(t.isRef() ? AALOAD : LALOAD);
        switch (t) {
            case I32 -> mv.visitInsn(L2I);
            case F32 -> {
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
            }
            case F64 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
            case FUNCREF -> mv.visitTypeInsn(CHECKCAST, JvmType.FUNC_REF);
            default -> { }
        }
    }
}
