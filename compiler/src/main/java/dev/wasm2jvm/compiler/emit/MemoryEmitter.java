package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.POP;

/**
 * Loads and stores ({@code i32.load}, {@code i64.store8}, ...) emitted inline as var handle accesses
 * on the memory's segment, and the {@code memory.*} / {@code data.drop} instructions as calls to the
 * runtime's {@code Memory}.
 *
 * <p>A load of {@code memarg.offset} from address {@code a} reads {@code Memory.segment} at the
 * {@code long} offset {@code zext(a) + memarg.offset}, so the whole 4 GiB address space is reachable
 * and an address past the end fails the segment's own bounds check.
 */
final class MemoryEmitter {
    static final String MEMORY = "dev/wasm2jvm/runtime/Memory";
    private static final String ACCESS = "dev/wasm2jvm/runtime/MemoryAccess";
    private static final String VAR_HANDLE = "java/lang/invoke/VarHandle";
    private static final String SEGMENT = "Ljava/lang/foreign/MemorySegment;";

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    MemoryEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    /** Emits a load or store; returns false if {@code opcode} is neither. */
    boolean visitMemoryAccess(int opcode, long offset, OperandStack stack) {
        switch (opcode) {
            case Opcodes.I32_LOAD -> load(offset, "I32", "I", ValType.I32, stack);
            case Opcodes.I64_LOAD -> load(offset, "I64", "J", ValType.I64, stack);
            case Opcodes.F32_LOAD -> load(offset, "F32", "F", ValType.F32, stack);
            case Opcodes.F64_LOAD -> load(offset, "F64", "D", ValType.F64, stack);
            case Opcodes.I32_LOAD8_S -> load(offset, "I8", "B", ValType.I32, stack);
            case Opcodes.I32_LOAD8_U -> {
                load(offset, "I8", "B", ValType.I32, stack);
                zeroExtend(0xFF);
            }
            case Opcodes.I32_LOAD16_S -> load(offset, "I16", "S", ValType.I32, stack);
            case Opcodes.I32_LOAD16_U -> {
                load(offset, "I16", "S", ValType.I32, stack);
                zeroExtend(0xFFFF);
            }
            case Opcodes.I64_LOAD8_S -> {
                load(offset, "I8", "B", ValType.I64, stack);
                mv.visitInsn(I2L);
            }
            case Opcodes.I64_LOAD8_U -> {
                load(offset, "I8", "B", ValType.I64, stack);
                zeroExtend(0xFF);
                mv.visitInsn(I2L);
            }
            case Opcodes.I64_LOAD16_S -> {
                load(offset, "I16", "S", ValType.I64, stack);
                mv.visitInsn(I2L);
            }
            case Opcodes.I64_LOAD16_U -> {
                load(offset, "I16", "S", ValType.I64, stack);
                zeroExtend(0xFFFF);
                mv.visitInsn(I2L);
            }
            case Opcodes.I64_LOAD32_S -> {
                load(offset, "I32", "I", ValType.I64, stack);
                mv.visitInsn(I2L);
            }
            case Opcodes.I64_LOAD32_U -> {
                load(offset, "I32", "I", ValType.I64, stack);
                NumericEmitter.extendUnsigned(mv);
            }
            case Opcodes.I32_STORE -> store(offset, "I32", "I", ValType.I32, -1, stack);
            case Opcodes.I64_STORE -> store(offset, "I64", "J", ValType.I64, -1, stack);
            case Opcodes.F32_STORE -> store(offset, "F32", "F", ValType.F32, -1, stack);
            case Opcodes.F64_STORE -> store(offset, "F64", "D", ValType.F64, -1, stack);
            case Opcodes.I32_STORE8 -> store(offset, "I8", "B", ValType.I32, I2B, stack);
            case Opcodes.I32_STORE16 -> store(offset, "I16", "S", ValType.I32, I2S, stack);
            case Opcodes.I64_STORE8 -> store(offset, "I8", "B", ValType.I64, I2B, stack);
            case Opcodes.I64_STORE16 -> store(offset, "I16", "S", ValType.I64, I2S, stack);
            case Opcodes.I64_STORE32 -> store(offset, "I32", "I", ValType.I64, -1, stack);
            default -> {
                return false;
            }
        }
        return true;
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

    /**
     * Replaces the i32 address on the stack by the var handle {@code handle} of {@code MemoryAccess},
     * the segment of memory 0 and the effective address {@code zext(addr) + offset}: the operands of
     * the var handle's {@code get} or {@code set}. Stack shuffles rather than locals keep this short,
     * which matters in functions with thousands of accesses.
     */
    void pushAccess(String handle, long offset) {
        effectiveAddress(offset);
        pushUnderAddress(ACCESS, handle);
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

    private void load(long offset, String handle, String accessType, ValType result, OperandStack stack) {
        pushAccess(handle, offset);
        mv.visitMethodInsn(INVOKEVIRTUAL, VAR_HANDLE, "get", "(" + SEGMENT + "J)" + accessType, false);
        stack.pop();
        stack.push(result);
    }

    private void store(long offset, String handle, String accessType, ValType valueType, int narrow, OperandStack stack) {
        int value = locals.spill();
        JvmType.store(mv, valueType, value);
        pushAccess(handle, offset);
        JvmType.load(mv, valueType, value);
        if (valueType == ValType.I64 && !accessType.equals("J")) mv.visitInsn(L2I);
        if (narrow >= 0) mv.visitInsn(narrow);
        mv.visitMethodInsn(INVOKEVIRTUAL, VAR_HANDLE, "set", "(" + SEGMENT + "J" + accessType + ")V", false);
        stack.pop(2);
    }

    private void zeroExtend(int mask) {
        if (mask == 0xFF) mv.visitIntInsn(org.objectweb.asm.Opcodes.SIPUSH, 0xFF);
        else mv.visitLdcInsn(mask);
        mv.visitInsn(IAND);
    }
}
