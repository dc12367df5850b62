package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP2;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.INEG;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LNEG;
import static org.objectweb.asm.Opcodes.POP;

/**
 * The threads proposal's instructions (prefix {@code 0xFE}): atomic loads, stores and
 * read-modify-writes, emitted inline as var handle accesses on the segment of the memory they name; {@code
 * memory.atomic.wait32/64} and {@code memory.atomic.notify} as calls to the runtime's {@code Memory};
 * and {@code atomic.fence}.
 *
 * <p>The effective address {@code zext(addr) + memarg.offset} (of a 64-bit memory, {@code addr +
 * memarg.offset}, outside every segment beyond 2^64) is checked for natural alignment first
 * ({@code "unaligned atomic"}), then by the var handle's bounds check ({@code "out of bounds memory
 * access"}), the order of the spec's interpreter. Loads and stores use the volatile access modes and
 * read-modify-writes the var handle's atomic ones, which together are sequentially consistent, on
 * shared and unshared memories alike. The 8- and 16-bit read-modify-writes, which the JDK's byte and
 * short var handles do not offer, call {@code AtomicAccess}.
 */
final class AtomicEmitter {
    private static final String VAR_HANDLE = "java/lang/invoke/VarHandle";
    private static final String SEGMENT = "Ljava/lang/foreign/MemorySegment;";

    /** The value type and access width of an atomic load, store or read-modify-write. */
    private record Form(ValType type, int bytes) {
        /** The form of {@code insn}: the value it loads, or the last operand it stores or combines. */
        static Form of(Instruction insn) {
            FuncType t = insn.type();
            ValType value = t.results().isEmpty() ? t.params().getLast() : t.results().getFirst();
            return new Form(value, insn.width());
        }

        /** The {@code AtomicAccess} var handle of this width. */
        RuntimeRefs.RuntimeField handle() {
            return switch (bytes) {
                case 1 -> RuntimeRefs.ATOMIC_I8;
                case 2 -> RuntimeRefs.ATOMIC_I16;
                case 4 -> RuntimeRefs.ATOMIC_I32;
                default -> RuntimeRefs.ATOMIC_I64;
            };
        }

        String descriptor() {
            return switch (bytes) {
                case 1 -> "B";
                case 2 -> "S";
                case 4 -> "I";
                default -> "J";
            };
        }
    }

    /**
     * The read-modify-write operations, each with its var handle access mode and the {@code
     * AtomicAccess} helpers of its 8- and 16-bit forms. {@code sub} adds the negated operand, which
     * wraps around alike.
     */
    private enum Rmw {
        ADD("getAndAdd", RuntimeRefs.RMW8_ADD, RuntimeRefs.RMW16_ADD),
        SUB("getAndAdd", RuntimeRefs.RMW8_ADD, RuntimeRefs.RMW16_ADD),
        AND("getAndBitwiseAnd", RuntimeRefs.RMW8_AND, RuntimeRefs.RMW16_AND),
        OR("getAndBitwiseOr", RuntimeRefs.RMW8_OR, RuntimeRefs.RMW16_OR),
        XOR("getAndBitwiseXor", RuntimeRefs.RMW8_XOR, RuntimeRefs.RMW16_XOR),
        XCHG("getAndSet", RuntimeRefs.RMW8_XCHG, RuntimeRefs.RMW16_XCHG);

        final String accessMode;
        final RuntimeRefs.RuntimeMethod narrow8;
        final RuntimeRefs.RuntimeMethod narrow16;

        Rmw(String accessMode, RuntimeRefs.RuntimeMethod narrow8, RuntimeRefs.RuntimeMethod narrow16) {
            this.accessMode = accessMode;
            this.narrow8 = narrow8;
            this.narrow16 = narrow16;
        }

        static Rmw of(Instruction.AtomicOp op) {
            return valueOf(op.name());
        }
    }

    private final MethodVisitor mv;
    private final Locals locals;
    private final MemoryEmitter memory;

    AtomicEmitter(MethodVisitor mv, Locals locals, MemoryEmitter memory) {
        this.mv = mv;
        this.locals = locals;
        this.memory = memory;
    }

    /** {@code atomic.fence}: orders every memory access before it before every access after it. */
    void visitFence() {
        mv.visitMethodInsn(INVOKESTATIC, VAR_HANDLE, "fullFence", "()V", false);
    }

    /** Emits an instruction of the prefix {@code 0xFE} that has a memarg. */
    void visitAtomicAccess(int opcode, int memidx, long offset, OperandStack stack) {
        Instruction insn = Instructions.of(opcode);
        Access at = new Access(memidx, offset);
        switch (insn.atomic()) {
            case NOTIFY -> notify(at, stack);
            case WAIT -> await(at, insn.type().params().get(1), stack);
            case LOAD -> load(Form.of(insn), at, stack);
            case STORE -> store(Form.of(insn), at, stack);
            case ADD, SUB, AND, OR, XOR, XCHG -> readModifyWrite(Rmw.of(insn.atomic()), Form.of(insn), at, stack);
            case CMPXCHG -> compareExchange(Form.of(insn), at, stack);
            case FENCE -> throw new IllegalArgumentException("atomic.fence has no memarg");
        }
    }

    /** The memarg of an atomic access: the memory and the offset. */
    private record Access(int memidx, long offset) {}

    private void load(Form form, Access access, OperandStack stack) {
        pushAccess(form, access);
        mv.visitMethodInsn(INVOKEVIRTUAL, VAR_HANDLE, "getVolatile", "(" + SEGMENT + "J)" + form.descriptor(), false);
        if (form.bytes < 4) {
            Push.intConst(mv, (1 << form.bytes * 8) - 1);
            mv.visitInsn(IAND);
        }
        extendResult(form);
        stack.pop();
        stack.push(form.type);
    }

    private void store(Form form, Access access, OperandStack stack) {
        int value = locals.spill();
        JvmType.store(mv, form.type, value);
        pushAccess(form, access);
        JvmType.load(mv, form.type, value);
        wrapOperand(form);
        if (form.bytes == 1) mv.visitInsn(I2B);
        if (form.bytes == 2) mv.visitInsn(I2S);
        mv.visitMethodInsn(INVOKEVIRTUAL, VAR_HANDLE, "setVolatile", "(" + SEGMENT + "J" + form.descriptor() + ")V", false);
        stack.pop(2);
    }

    private void readModifyWrite(Rmw rmw, Form form, Access access, OperandStack stack) {
        int value = locals.spill();
        JvmType.store(mv, form.type, value);
        if (form.bytes < 4) {
            pushNarrowAccess(form, access);
            JvmType.load(mv, form.type, value);
            wrapOperand(form);
            if (rmw == Rmw.SUB) mv.visitInsn(INEG);
            (form.bytes == 1 ? rmw.narrow8 : rmw.narrow16).invoke(mv);
        } else {
            pushAccess(form, access);
            JvmType.load(mv, form.type, value);
            wrapOperand(form);
            if (rmw == Rmw.SUB) mv.visitInsn(form.bytes == 8 ? LNEG : INEG);
            String t = form.descriptor();
            mv.visitMethodInsn(INVOKEVIRTUAL, VAR_HANDLE, rmw.accessMode, "(" + SEGMENT + "J" + t + ")" + t, false);
        }
        extendResult(form);
        stack.pop(2);
        stack.push(form.type);
    }

    /** {@code cmpxchg}: the expected value is wrapped to the access width like the replacement. */
    private void compareExchange(Form form, Access access, OperandStack stack) {
        int mark = locals.mark();
        int replacement = locals.borrow(form.type);
        int expected = locals.borrow(form.type);
        JvmType.store(mv, form.type, replacement);
        JvmType.store(mv, form.type, expected);
        if (form.bytes < 4) pushNarrowAccess(form, access);
        else pushAccess(form, access);
        JvmType.load(mv, form.type, expected);
        wrapOperand(form);
        JvmType.load(mv, form.type, replacement);
        wrapOperand(form);
        if (form.bytes < 4) {
            (form.bytes == 1 ? RuntimeRefs.RMW8_CMPXCHG : RuntimeRefs.RMW16_CMPXCHG).invoke(mv);
        } else {
            String t = form.descriptor();
            mv.visitMethodInsn(INVOKEVIRTUAL, VAR_HANDLE, "compareAndExchange", "(" + SEGMENT + "J" + t + t + ")" + t, false);
        }
        extendResult(form);
        locals.release(mark);
        stack.pop(3);
        stack.push(form.type);
    }

    /** {@code memory.atomic.wait32/64}: returns 0 (woken), 1 (not equal) or 2 (timed out). */
    private void await(Access access, ValType expectedType, OperandStack stack) {
        int mark = locals.mark();
        int timeout = locals.borrow(ValType.I64);
        int expected = locals.borrow(expectedType);
        JvmType.store(mv, ValType.I64, timeout);
        JvmType.store(mv, expectedType, expected);
        boolean wide = waitAddress(access, JvmType.size(expectedType) * 4);
        JvmType.load(mv, expectedType, expected);
        JvmType.load(mv, ValType.I64, timeout);
        locals.release(mark);
        memory.loadMemory(access.memidx());
        if (expectedType == ValType.I32) {
            (wide ? RuntimeRefs.MEMORY_ATOMIC_WAIT32_64 : RuntimeRefs.MEMORY_ATOMIC_WAIT32).invoke(mv);
        } else {
            (wide ? RuntimeRefs.MEMORY_ATOMIC_WAIT64_64 : RuntimeRefs.MEMORY_ATOMIC_WAIT64).invoke(mv);
        }
        stack.pop(3);
        stack.push(ValType.I32);
    }

    /** {@code memory.atomic.notify}: returns how many waiters it woke. */
    private void notify(Access access, OperandStack stack) {
        int count = locals.spill();
        JvmType.store(mv, ValType.I32, count);
        boolean wide = waitAddress(access, 4);
        JvmType.load(mv, ValType.I32, count);
        memory.loadMemory(access.memidx());
        (wide ? RuntimeRefs.MEMORY_ATOMIC_NOTIFY64 : RuntimeRefs.MEMORY_ATOMIC_NOTIFY).invoke(mv);
        stack.pop(2);
        stack.push(ValType.I32);
    }

    /**
     * Replaces the i32 address on the stack by the effective address as the unsigned int that
     * {@code Memory}'s wait and notify take; they check its alignment and bounds themselves, but
     * cannot see a memarg offset that carries it past 4 GiB.
     */
    private void address32(Access access, int size) {
        if (access.offset() == 0) return;
        memory.effectiveAddress(access.memidx(), access.offset());
        Push.intConst(mv, size);
        RuntimeRefs.ATOMIC_ADDRESS32.invoke(mv);
    }

    /**
     * Replaces the address on the stack by the one {@code Memory}'s wait and notify take: for a
     * 32-bit memory the unsigned int of {@link #address32}, for a 64-bit one the long effective
     * address. Returns whether it is the long.
     */
    private boolean waitAddress(Access access, int size) {
        if (!memory.address64(access.memidx())) {
            address32(access, size);
            return false;
        }
        memory.effectiveAddress(access.memidx(), access.offset());
        return true;
    }

    /** Replaces the address by the operands of a var handle access: handle, segment, effective address. */
    private void pushAccess(Form form, Access access) {
        memory.effectiveAddress(access.memidx(), access.offset());
        checkAlignment(form.bytes);
        memory.pushUnderAddress(form.handle(), access.memidx());
    }

    /** Replaces the address by the first operands of an {@code AtomicAccess} helper: segment, effective address. */
    private void pushNarrowAccess(Form form, Access access) {
        memory.effectiveAddress(access.memidx(), access.offset());
        checkAlignment(form.bytes);
        memory.loadSegment(access.memidx());
        mv.visitInsn(DUP_X2);
        mv.visitInsn(POP);
    }

    /** Traps unless the effective address on the stack is a multiple of {@code bytes}. */
    private void checkAlignment(int bytes) {
        if (bytes == 1) return;
        Label aligned = new Label();
        mv.visitInsn(DUP2);
        mv.visitInsn(L2I);
        Push.intConst(mv, bytes - 1);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFEQ, aligned);
        RuntimeRefs.ATOMIC_UNALIGNED.invoke(mv);
        mv.visitInsn(ATHROW);
        mv.visitLabel(aligned);
    }

    /** Wraps an i64 operand of a narrower access to the int the access takes. */
    private void wrapOperand(Form form) {
        if (form.type == ValType.I64 && form.bytes < 8) mv.visitInsn(L2I);
    }

    /** Zero-extends the int result of an access narrower than i64 to an i64 result. */
    private void extendResult(Form form) {
        if (form.type != ValType.I64 || form.bytes == 8) return;
        if (form.bytes == 4) NumericEmitter.extendUnsigned(mv);
        else mv.visitInsn(I2L);
    }
}
