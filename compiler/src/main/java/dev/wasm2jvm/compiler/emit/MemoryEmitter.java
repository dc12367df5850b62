package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.GETFIELD;
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
    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    MemoryEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    /**
     * Emits a load or store as a call of its {@code MemoryAccess} helper, which takes the wasm
     * operands, the memarg offset and memory 0's segment; returns false if {@code opcode} is neither.
     */
    boolean visitMemoryAccess(int opcode, long offset, OperandStack stack) {
        RuntimeRefs.RuntimeMethod helper = helper(opcode);
        if (helper == null) return false;
        callAccess(helper, offset);
        apply(stack, Instructions.of(opcode).type());
        return true;
    }

    /**
     * Calls {@code MemoryAccess} helper {@code helper} with its wasm operands on the stack, the
     * memarg {@code offset} and memory 0's segment.
     */
    void callAccess(RuntimeRefs.RuntimeMethod helper, long offset) {
        Push.intConst(mv, (int) offset);
        loadSegment();
        helper.invoke(mv);
    }

    /** Replaces the instruction's operands on {@code stack} by its results. */
    private static void apply(OperandStack stack, FuncType type) {
        stack.pop(type.params().size());
        stack.pushAll(type.results());
    }

    /** The {@code MemoryAccess} helper of a load or store, named after it; null for any other instruction. */
    static RuntimeRefs.RuntimeMethod helper(int opcode) {
        return switch (opcode) {
            case Opcodes.I32_LOAD -> RuntimeRefs.I32_LOAD;
            case Opcodes.I64_LOAD -> RuntimeRefs.I64_LOAD;
            case Opcodes.F32_LOAD -> RuntimeRefs.F32_LOAD;
            case Opcodes.F64_LOAD -> RuntimeRefs.F64_LOAD;
            case Opcodes.I32_LOAD8_S -> RuntimeRefs.I32_LOAD8_S;
            case Opcodes.I32_LOAD8_U -> RuntimeRefs.I32_LOAD8_U;
            case Opcodes.I32_LOAD16_S -> RuntimeRefs.I32_LOAD16_S;
            case Opcodes.I32_LOAD16_U -> RuntimeRefs.I32_LOAD16_U;
            case Opcodes.I64_LOAD8_S -> RuntimeRefs.I64_LOAD8_S;
            case Opcodes.I64_LOAD8_U -> RuntimeRefs.I64_LOAD8_U;
            case Opcodes.I64_LOAD16_S -> RuntimeRefs.I64_LOAD16_S;
            case Opcodes.I64_LOAD16_U -> RuntimeRefs.I64_LOAD16_U;
            case Opcodes.I64_LOAD32_S -> RuntimeRefs.I64_LOAD32_S;
            case Opcodes.I64_LOAD32_U -> RuntimeRefs.I64_LOAD32_U;
            case Opcodes.I32_STORE -> RuntimeRefs.I32_STORE;
            case Opcodes.I64_STORE -> RuntimeRefs.I64_STORE;
            case Opcodes.F32_STORE -> RuntimeRefs.F32_STORE;
            case Opcodes.F64_STORE -> RuntimeRefs.F64_STORE;
            case Opcodes.I32_STORE8 -> RuntimeRefs.I32_STORE8;
            case Opcodes.I32_STORE16 -> RuntimeRefs.I32_STORE16;
            case Opcodes.I64_STORE8 -> RuntimeRefs.I64_STORE8;
            case Opcodes.I64_STORE16 -> RuntimeRefs.I64_STORE16;
            case Opcodes.I64_STORE32 -> RuntimeRefs.I64_STORE32;
            default -> null;
        };
    }

    /** {@code memory.size}, {@code memory.grow}, {@code memory.fill}, {@code memory.copy}, {@code memory.init}, {@code data.drop}. */
    void visitMemoryInsn(int opcode, int index, OperandStack stack) {
        switch (opcode) {
            case Opcodes.MEMORY_SIZE -> {
                loadMemory(index);
                RuntimeRefs.MEMORY_SIZE.invoke(mv);
                apply(stack, Instructions.of(opcode).type());
            }
            case Opcodes.MEMORY_GROW -> {
                loadMemory(index);
                RuntimeRefs.MEMORY_GROW.invoke(mv);
                // [i32] -> [i32]: the operand's entry stands for the result, and the stack's low
                // water mark, which the split planner reads, does not dip.
                refreshSegment();
            }
            case Opcodes.MEMORY_FILL -> {
                loadMemory(index);
                RuntimeRefs.MEMORY_FILL.invoke(mv);
                apply(stack, Instructions.of(opcode).type());
            }
            case Opcodes.MEMORY_COPY -> {
                loadMemory(index);
                RuntimeRefs.MEMORY_COPY.invoke(mv);
                apply(stack, Instructions.of(opcode).type());
            }
            case Opcodes.MEMORY_INIT -> {
                loadMemory(0);
                loadDataSegment(index);
                RuntimeRefs.MEMORY_INIT.invoke(mv);
                apply(stack, Instructions.of(opcode).type());
            }
            case Opcodes.DATA_DROP -> {
                locals.loadInstance(mv);
                mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.DATA_FIELD, "[[B");
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
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.memoryField(memidx), "L" + RuntimeRefs.MEMORY + ";");
    }

    private void loadDataSegment(int dataidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.DATA_FIELD, "[[B");
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

    /** Puts the var handle {@code handle} and memory 0's segment under the effective address on the stack. */
    void pushUnderAddress(RuntimeRefs.RuntimeField handle) {
        handle.get(mv);
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
            RuntimeRefs.MEMORY_SEGMENT.get(mv);
        }
    }

    /**
     * Reloads the function's cached segment from the memory: at entry, and after anything that may
     * have grown the memory (memory.grow, calls) or synchronised with a thread that did.
     */
    void refreshSegment() {
        if (locals.segmentSlot() < 0) return;
        loadMemory(0);
        RuntimeRefs.MEMORY_SEGMENT.get(mv);
        mv.visitVarInsn(ASTORE, locals.segmentSlot());
    }

    /** Moves the reference on top of the stack under the long below it. */
    private void moveUnderLong() {
        mv.visitInsn(DUP_X2);
        mv.visitInsn(POP);
    }
}
