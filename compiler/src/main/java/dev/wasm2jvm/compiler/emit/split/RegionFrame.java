package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.emit.body.HeapCharge;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.SWAP;
import static org.objectweb.asm.Opcodes.V22;

/**
 * How the method of an outlined construct and its caller exchange state: through one object of a
 * class generated for the function, with a typed field per wasm local that has a slot
 * ({@code l<localidx>}), per value array ({@code a<type letter>}: the arrays are shared, so their
 * locals and spilled values need no copying) and per value an exit carries
 * ({@code v<type letter><index>}); a v128 has two {@code long} fields, the low half's named as
 * above and the high half's with an {@code h} after, so that no exit allocates; the method's
 * {@code int} result says how control left it: {@link #FALLTHROUGH}, {@link #RETURN},
 * {@link #RESUME}, or {@code 1 + depth} for a branch to an enclosing label. Fields rather than
 * arrays, because HotSpot's C1 compiler overflows its stack
 * eliminating range checks in long methods full of array accesses.
 *
 * <p>The class declares only the fields its function's methods read or write, known once they are
 * emitted: a split function allocates its frame at every entry, and a frame holding each value type
 * at each index was mostly fields no code touched. Rust's allocator ({@code dlmalloc}'s
 * {@code malloc}, a state machine split into parts) and pulldown-cmark's parser allocate one per
 * call: 16 MB of frames in a run of rust-html-rewriter, 20 MB in pulldown-cmark's, enough for a
 * young collection each; pulldown-cmark's {@code func92} frame had 40 value fields for its 13
 * locals. Declared as used, both programs allocate less than G1's first young generation, so they
 * run without a collection (the figures are in {@code benchmarks/README.md}, "Split functions'
 * frames").
 */
public final class RegionFrame {
    public static final int FALLTHROUGH = 0;
    public static final int RETURN = -1;
    /**
     * An outlined loop left at its header, its locals in the frame, for its caller to call it again
     * at once ({@link OutlinedCalls#resumable}).
     */
    static final int RESUME = -2;
    /** The fields per index of an exit's values: four numeric, two for a v128, two reference. */
    private static final int VALUE_TYPES = 8;

    /** The internal name of the frame class. */
    public final String className;
    private final String descriptor;
    private final List<ValType> localTypes;
    /** How many of the locals have slots, and so fields. */
    private final int slotLocals;
    /** The kinds of value arrays that the function's method puts in the frame, which have fields. */
    private final boolean[] arrays = new boolean[Locals.KINDS.size()];
    private final int maxValues;
    /** The locals whose fields a method reads or writes. */
    private final BitSet localFields = new BitSet();
    /** The value fields a method reads or writes, by name, each with its descriptor. */
    private final Map<String, String> valueFields = new TreeMap<>();

    /**
     * @param className the frame class's internal name
     * @param localTypes the function's locals, parameters first
     * @param maxValues the most values an exit carries
     */
    RegionFrame(String className, List<ValType> localTypes, int maxValues) {
        this.className = className;
        this.descriptor = "L" + className + ";";
        this.localTypes = localTypes;
        this.slotLocals = Locals.slotLocals(localTypes);
        this.maxValues = maxValues;
    }

    String descriptor() {
        return descriptor;
    }

    /**
     * The fields of the frame class at most, before its methods are emitted: one per local, one per
     * value array, and one per value type and index of an exit's values.
     */
    public int fieldCount() {
        int v128Locals = (int) localTypes.stream().filter(t -> t == ValType.V128).count();
        return localTypes.size() + v128Locals + Locals.KINDS.size() + VALUE_TYPES * maxValues;
    }

    /**
     * The bytes of a frame object at most, before its methods are emitted and its fields known: as
     * HotSpot lays it out with compressed references, a 12-byte header and a field per local with
     * a slot, per value array and per value type and index of an exit's values, a multiple of 8.
     */
    public int bytes() {
        long bytes = 12 + 4L * Locals.KINDS.size();
        for (int l = 0; l < slotLocals; l++) bytes += JvmLimits.slots(localTypes.get(l)) * 4L;
        // Per index: int, long, float, double, a v128's two longs, one reference.
        bytes += 44L * maxValues;
        return (int) Math.min(HeapCharge.aligned(bytes), Integer.MAX_VALUE);
    }

    /** Pushes a new frame object. */
    void create(MethodVisitor mv) {
        mv.visitTypeInsn(NEW, className);
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, className, "<init>", "()V", false);
    }

    /** Copies the locals in {@code set} from their slots into the frame. */
    public void storeLocals(MethodVisitor mv, Locals locals, BitSet set) {
        for (int l = set.nextSetBit(0); l >= 0 && l < slotLocals; l = set.nextSetBit(l + 1)) {
            localFields.set(l);
            ValType t = localTypes.get(l);
            if (t == ValType.V128) {
                for (int half = 0; half < 2; half++) {
                    mv.visitVarInsn(ALOAD, locals.frameSlot());
                    mv.visitVarInsn(LLOAD, locals.slot(l) + 2 * half);
                    mv.visitFieldInsn(PUTFIELD, className, v128Field(l, half), "J");
                }
                continue;
            }
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            JvmType.load(mv, t, locals.slot(l));
            mv.visitFieldInsn(PUTFIELD, className, "l" + l, JvmType.descriptor(t));
        }
    }

    /** Copies the locals in {@code set} from the frame into their slots. */
    public void loadLocals(MethodVisitor mv, Locals locals, BitSet set) {
        for (int l = set.nextSetBit(0); l >= 0 && l < slotLocals; l = set.nextSetBit(l + 1)) {
            localFields.set(l);
            ValType t = localTypes.get(l);
            if (t == ValType.V128) {
                for (int half = 0; half < 2; half++) {
                    mv.visitVarInsn(ALOAD, locals.frameSlot());
                    mv.visitFieldInsn(GETFIELD, className, v128Field(l, half), "J");
                    mv.visitVarInsn(LSTORE, locals.slot(l) + 2 * half);
                }
                continue;
            }
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            mv.visitFieldInsn(GETFIELD, className, "l" + l, JvmType.descriptor(t));
            JvmType.store(mv, t, locals.slot(l));
        }
    }

    /** The field of half {@code half} (0 low, 1 high) of v128 local {@code l}. */
    private static String v128Field(int l, int half) {
        return half == 0 ? "l" + l : "l" + l + "h";
    }

    /** Puts the function's value arrays into the frame. */
    void storeArrays(MethodVisitor mv, Locals locals) {
        for (int k = 0; k < Locals.KINDS.size(); k++) {
            arrays[k] = locals.arraySlot(k) >= 0;
            if (!arrays[k]) continue;
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            mv.visitVarInsn(ALOAD, locals.arraySlot(k));
            mv.visitFieldInsn(PUTFIELD, className, arrayField(k), Locals.arrayDescriptor(k));
        }
    }

    /** Takes the function's value arrays from the frame. */
    void loadArrays(MethodVisitor mv, Locals locals) {
        for (int k = 0; k < Locals.KINDS.size(); k++) {
            if (locals.arraySlot(k) < 0) continue;
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            mv.visitFieldInsn(GETFIELD, className, arrayField(k), Locals.arrayDescriptor(k));
            mv.visitVarInsn(ASTORE, locals.arraySlot(k));
        }
    }

    private static String arrayField(int kind) {
        return "a" + Locals.KINDS.get(kind).letter();
    }

    /** Moves the values of types {@code types} from the top of the stack into the frame's value fields. */
    public void storeValues(MethodVisitor mv, Locals locals, List<ValType> types) {
        for (int i = types.size() - 1; i >= 0; i--) {
            ValType t = types.get(i);
            if (t == ValType.V128) {
                for (int half = 1; half >= 0; half--) {
                    mv.visitVarInsn(ALOAD, locals.frameSlot());
                    mv.visitInsn(DUP_X2);
                    mv.visitInsn(POP);
                    mv.visitFieldInsn(PUTFIELD, className, valueField(t, i, half), "J");
                }
                continue;
            }
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            if (JvmType.size(t) == 2) {
                mv.visitInsn(DUP_X2);
                mv.visitInsn(POP);
            } else {
                mv.visitInsn(SWAP);
            }
            mv.visitFieldInsn(PUTFIELD, className, valueField(t, i, 0), valueDescriptor(t));
        }
    }

    /** Pushes the values of types {@code types} from the frame's value fields. */
    void loadValues(MethodVisitor mv, Locals locals, List<ValType> types) {
        for (int i = 0; i < types.size(); i++) {
            ValType t = types.get(i);
            if (t == ValType.V128) {
                for (int half = 0; half < 2; half++) {
                    mv.visitVarInsn(ALOAD, locals.frameSlot());
                    mv.visitFieldInsn(GETFIELD, className, valueField(t, i, half), "J");
                }
                continue;
            }
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            mv.visitFieldInsn(GETFIELD, className, valueField(t, i, 0), valueDescriptor(t));
            if (t == ValType.FUNCREF) mv.visitTypeInsn(CHECKCAST, JvmType.FUNC_REF);
        }
    }

    /**
     * The field of value {@code i} of type {@code t} (of its high half with {@code half} 1, for a
     * v128), recorded as one the class declares.
     */
    private String valueField(ValType t, int i, int half) {
        String name = "v" + t.letter() + i + (half == 1 ? "h" : "");
        valueFields.putIfAbsent(name, t == ValType.V128 ? "J" : valueDescriptor(t));
        return name;
    }

    /** References of either kind share one {@code Object} field per index. */
    private static String valueDescriptor(ValType t) {
        return t.isRef() ? "Ljava/lang/Object;" : JvmType.descriptor(t);
    }

    /** The frame class: the fields its function's methods use and a no-argument constructor. */
    public byte[] classFile(String nestHost) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V22, ACC_FINAL | ACC_SUPER, className, null, "java/lang/Object", null);
        cw.visitNestHost(nestHost);
        cw.visitInnerClass(className, nestHost, className.substring(className.lastIndexOf('$') + 1), ACC_STATIC | ACC_FINAL);
        for (int l = localFields.nextSetBit(0); l >= 0; l = localFields.nextSetBit(l + 1)) {
            if (localTypes.get(l) == ValType.V128) {
                cw.visitField(0, v128Field(l, 0), "J", null, null).visitEnd();
                cw.visitField(0, v128Field(l, 1), "J", null, null).visitEnd();
            } else {
                cw.visitField(0, "l" + l, JvmType.descriptor(localTypes.get(l)), null, null).visitEnd();
            }
        }
        for (int k = 0; k < Locals.KINDS.size(); k++) {
            if (arrays[k]) cw.visitField(0, arrayField(k), Locals.arrayDescriptor(k), null, null).visitEnd();
        }
        valueFields.forEach((name, descriptor) -> cw.visitField(0, name, descriptor, null, null).visitEnd());
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
