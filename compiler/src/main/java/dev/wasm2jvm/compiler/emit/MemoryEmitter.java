package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.POP;

/**
 * Loads and stores ({@code i32.load}, {@code i64.store8}, ...) as calls of the runtime's
 * {@code MemoryAccess} helpers on the memory's segment (that class says why a call and not an inline
 * var handle access), and the {@code memory.*} / {@code data.drop} instructions as calls to the
 * runtime's {@code Memory}.
 *
 * <p>A load of {@code memarg.offset} from address {@code a} reads {@code Memory.segment} at the
 * {@code long} offset {@code zext(a) + memarg.offset}, so the whole 4 GiB address space is reachable
 * and an address past the end fails the segment's own bounds check.
 */
final class MemoryEmitter {
    static final String MEMORY = "dev/wasm2jvm/runtime/Memory";
    private static final String ACCESS = "dev/wasm2jvm/runtime/MemoryAccess";
    private static final String SEGMENT = "Ljava/lang/foreign/MemorySegment;";

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    MemoryEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    /**
     * Emits a load or store as a call of its {@code MemoryAccess} helper, named after the
     * instruction ({@code i64.load8_u} calls {@code i64Load8U}), which takes the wasm operands, the
     * memarg offset and memory 0's segment; returns false if {@code opcode} is neither.
     */
    boolean visitMemoryAccess(int opcode, long offset, OperandStack stack) {
        ValType type;
        boolean store;
        switch (opcode) {
            case Opcodes.I32_LOAD, Opcodes.I32_LOAD8_S, Opcodes.I32_LOAD8_U, Opcodes.I32_LOAD16_S,
                 Opcodes.I32_LOAD16_U -> { type = ValType.I32; store = false; }
            case Opcodes.I64_LOAD, Opcodes.I64_LOAD8_S, Opcodes.I64_LOAD8_U, Opcodes.I64_LOAD16_S,
                 Opcodes.I64_LOAD16_U, Opcodes.I64_LOAD32_S, Opcodes.I64_LOAD32_U -> { type = ValType.I64; store = false; }
            case Opcodes.F32_LOAD -> { type = ValType.F32; store = false; }
            case Opcodes.F64_LOAD -> { type = ValType.F64; store = false; }
            case Opcodes.I32_STORE, Opcodes.I32_STORE8, Opcodes.I32_STORE16 -> { type = ValType.I32; store = true; }
            case Opcodes.I64_STORE, Opcodes.I64_STORE8, Opcodes.I64_STORE16, Opcodes.I64_STORE32 -> {
                type = ValType.I64;
                store = true;
            }
            case Opcodes.F32_STORE -> { type = ValType.F32; store = true; }
            case Opcodes.F64_STORE -> { type = ValType.F64; store = true; }
            default -> {
                return false;
            }
        }
        callAccess(helperName(opcode), type, store, offset);
        if (store) {
            stack.pop(2);
        } else {
            stack.pop();
            stack.push(type);
        }
        return true;
    }

    /**
     * Calls {@code MemoryAccess} helper {@code helper}, a load or store of a {@code type} value, with
     * its wasm operands on the stack, the memarg {@code offset} and memory 0's segment.
     */
    void callAccess(String helper, ValType type, boolean store, long offset) {
        Push.intConst(mv, (int) offset);
        loadSegment();
        String t = JvmType.descriptor(type);
        String descriptor = store ? "(I" + t + "I" + SEGMENT + ")V" : "(II" + SEGMENT + ")" + t;
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, helper, descriptor, false);
    }

    /** The helper of a load or store: the spec's name in camel case, {@code i32.load8_u} as {@code i32Load8U}. */
    static String helperName(int opcode) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : Opcodes.name(opcode).toCharArray()) {
            if (c == '.' || c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** {@code memory.size}, {@code memory.grow}, {@code memory.fill}, {@code memory.copy}, {@code memory.init}, {@code data.drop}. */
    void visitMemoryInsn(int opcode, int index, OperandStack stack) {
        switch (opcode) {
            case Opcodes.MEMORY_SIZE -> {
                loadMemory(index);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "size", "(L" + MEMORY + ";)I", false);
                stack.push(ValType.I32);
            }
            case Opcodes.MEMORY_GROW -> {
                loadMemory(index);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "grow", "(IL" + MEMORY + ";)I", false);
                refreshSegment();
            }
            case Opcodes.MEMORY_FILL -> {
                loadMemory(index);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "fill", "(IIIL" + MEMORY + ";)V", false);
                stack.pop(3);
            }
            case Opcodes.MEMORY_COPY -> {
                loadMemory(index);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "copy", "(IIIL" + MEMORY + ";)V", false);
                stack.pop(3);
            }
            case Opcodes.MEMORY_INIT -> {
                loadMemory(0);
                loadDataSegment(index);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "init", "(IIIL" + MEMORY + ";[B)V", false);
                stack.pop(3);
            }
            case Opcodes.DATA_DROP -> {
                locals.loadInstance(mv);
                mv.visitFieldInsn(GETFIELD, layout.owner, ModuleEmitter.DATA_FIELD, "[[B");
                Push.intConst(mv, index);
                mv.visitInsn(org.objectweb.asm.Opcodes.ICONST_0);
                mv.visitIntInsn(org.objectweb.asm.Opcodes.NEWARRAY, org.objectweb.asm.Opcodes.T_BYTE);
                mv.visitInsn(org.objectweb.asm.Opcodes.AASTORE);
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    /** Pushes memory {@code memidx}'s {@code Memory} object. */
    void loadMemory(int memidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.memoryField(memidx), "L" + MEMORY + ";");
    }

    private void loadDataSegment(int dataidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, ModuleEmitter.DATA_FIELD, "[[B");
        Push.intConst(mv, dataidx);
        mv.visitInsn(org.objectweb.asm.Opcodes.AALOAD);
    }

    /** Replaces the i32 address on the stack by the {@code long} effective address {@code zext(addr) + offset}. */
    void effectiveAddress(long offset) {
        NumericEmitter.extendUnsigned(mv);
        if (offset != 0) {
            Push.longConst(mv, offset);
            mv.visitInsn(LADD);
        }
    }

    /** Puts the var handle {@code owner.handle} and memory 0's segment under the effective address on the stack. */
    void pushUnderAddress(String owner, String handle) {
        mv.visitFieldInsn(GETSTATIC, owner, handle, "Ljava/lang/invoke/VarHandle;");
        moveUnderLong();
        loadSegment();
        moveUnderLong();
    }

    /** Pushes memory 0's current segment, from the function's cache when it has one. */
    void loadSegment() {
        if (locals.segmentSlot() >= 0) {
            mv.visitVarInsn(ALOAD, locals.segmentSlot());
        } else {
            loadMemory(0);
            mv.visitFieldInsn(GETFIELD, MEMORY, "segment", SEGMENT);
        }
    }

    /**
     * Reloads the function's cached segment from the memory: at entry, and after anything that may
     * have grown the memory (memory.grow, calls) or synchronised with a thread that did.
     */
    void refreshSegment() {
        if (locals.segmentSlot() < 0) return;
        loadMemory(0);
        mv.visitFieldInsn(GETFIELD, MEMORY, "segment", SEGMENT);
        mv.visitVarInsn(ASTORE, locals.segmentSlot());
    }

    /** Moves the reference on top of the stack under the long below it. */
    private void moveUnderLong() {
        mv.visitInsn(DUP_X2);
        mv.visitInsn(POP);
    }
}
