package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.module.CodeEffects;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.GlobalType;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.List;

import static dev.wasm2jvm.compiler.code.Opcodes.*;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static dev.wasm2jvm.compiler.module.ValType.F32;
import static dev.wasm2jvm.compiler.module.ValType.F64;
import static dev.wasm2jvm.compiler.module.ValType.V128;
import static dev.wasm2jvm.compiler.module.ValType.EXNREF;
import static dev.wasm2jvm.compiler.module.ValType.FUNCREF;

/**
 * Type-checks one expression (a function body, or the instructions of a constant expression) with
 * the spec's validation algorithm. As in the reference interpreter, an instruction's immediates are
 * checked before its operands. A function body's validator also gathers the body's effects
 * ({@link BodyEffects}).
 *
 * <p>This class does not follow the instructions' offsets, so the reader spares it a call before
 * every instruction ({@code CodeReader} calls {@code visitOffset} only on visitors that override
 * it), which took validation from 6.1% to 5.4% of the SQLite shell's compiling thread
 * (async-profiler, 40 rounds); {@link Located} does, for the one expression whose failure is
 * reported: validation depends on the code alone, so reading it again fails at the same instruction.
 */
sealed class ExpressionValidator extends InstructionVisitor permits ExpressionValidator.Located {
    /** An expression validator that knows the offset of the instruction it validates, for error reports. */
    static final class Located extends ExpressionValidator {
        private int offset = -1;

        Located(Context context, FuncType type, List<ValType> locals) {
            super(context, type, locals);
        }

        /** The offset of the instruction being validated. */
        int offset() {
            return offset;
        }

        @Override
        public void visitOffset(int offset) {
            this.offset = offset;
        }
    }

    private final Context context;
    private final List<ValType> locals;
    private final ValidationStack stack = new ValidationStack();
    private final BodyEffects effects = new BodyEffects();

    /**
     * @param type the expression's type: a function's type, or {@code [] -> [t]} for a constant
     * @param locals the parameters followed by the declared locals
     */
    ExpressionValidator(Context context, FuncType type, List<ValType> locals) {
        this.context = context;
        this.locals = locals;
        stack.pushFrame(BLOCK, List.of(), type.results());
    }

    /** The effects of the instructions validated. */
    CodeEffects effects() {
        return effects.effects();
    }

    @Override
    public void visitInsn(int opcode) {
        switch (opcode) {
            case UNREACHABLE -> stack.unreachable();
            case NOP, ATOMIC_FENCE -> {}
            case RETURN -> {
                stack.popAll(stack.outermost().endTypes);
                stack.unreachable();
            }
            case DROP -> stack.pop();
            case THROW_REF -> {
                stack.pop(EXNREF);
                stack.unreachable();
            }
            case SELECT -> select();
            case REF_IS_NULL -> {
                ValType t = stack.pop();
                if (t != null && !t.isRef()) throw ValidationStack.mismatch();
                stack.push(I32);
            }
            default -> {
                if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) effects.simd();
                apply(Instructions.of(opcode).type());
            }
        }
    }

    /** Untyped {@code select} chooses between two numeric or two vector operands, never references. */
    private void select() {
        stack.pop(I32);
        ValType t1 = stack.pop();
        ValType t2 = stack.pop();
        boolean bothNum = (t1 == null || t1.isNum()) && (t2 == null || t2.isNum());
        boolean bothVec = (t1 == null || t1 == V128) && (t2 == null || t2 == V128);
        if (!bothNum && !bothVec) throw ValidationStack.mismatch();
        if (t1 != t2 && t1 != null && t2 != null) throw ValidationStack.mismatch();
        stack.push(t1 == null ? t2 : t1);
    }

    @Override
    public void visitSelectTyped(ValType[] types) {
        if (types.length != 1) throw new ValidationFailure("invalid result arity");
        ValType t = types[0];
        stack.pop(I32);
        stack.pop(t);
        stack.pop(t);
        stack.push(t);
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        FuncType type = blockType(blocktype);
        if (opcode == IF) stack.pop(I32);
        stack.popAll(type.params());
        stack.pushFrame(opcode, type.params(), type.results());
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        FuncType type = blockType(blocktype);
        // The clauses branch from outside the try_table: their labels are counted before its own.
        for (Catch c : catches) {
            List<ValType> carried = new ArrayList<>(c.all() ? List.of() : context.tag(c.tagidx()).params());
            if (c.ref()) carried.add(EXNREF);
            if (!stack.label(c.labelidx()).labelTypes().equals(carried)) throw ValidationStack.mismatch();
        }
        stack.popAll(type.params());
        stack.pushFrame(TRY_TABLE, type.params(), type.results());
    }

    @Override
    public void visitThrow(int tagidx) {
        stack.popAll(context.tag(tagidx).params());
        stack.unreachable();
    }

    @Override
    public void visitCatch(int tagidx) {
        effects.catchClause();
        List<ValType> carried = tagidx < 0 ? List.of() : context.tag(tagidx).params();
        ValidationStack.Frame frame = stack.popFrame();
        if (frame.opcode != TRY && frame.opcode != CATCH) throw ValidationStack.mismatch();
        stack.pushFrame(tagidx < 0 ? CATCH_ALL : CATCH, carried, frame.endTypes);
    }

    @Override
    public void visitDelegate(int labelidx) {
        ValidationStack.Frame frame = stack.popFrame();
        if (frame.opcode != TRY) throw ValidationStack.mismatch();
        stack.label(labelidx);
        stack.pushAll(frame.endTypes);
    }

    @Override
    public void visitRethrow(int labelidx) {
        int opcode = stack.label(labelidx).opcode;
        if (opcode != CATCH && opcode != CATCH_ALL) throw new ValidationFailure("invalid rethrow label");
        stack.unreachable();
    }

    private FuncType blockType(BlockType blocktype) {
        return blocktype.typeidx() >= 0 ? context.type(blocktype.typeidx())
                : blocktype.result() == null ? FuncType.EMPTY
                : new FuncType(List.of(), List.of(blocktype.result()));
    }

    @Override
    public void visitElse() {
        ValidationStack.Frame frame = stack.popFrame();
        if (frame.opcode != IF) throw new IllegalStateException("else outside an if: the reader checks nesting");
        stack.pushFrame(ELSE, frame.startTypes, frame.endTypes);
    }

    @Override
    public void visitEnd() {
        ValidationStack.Frame frame = stack.popFrame();
        // An if without else behaves as if its else passed the parameters through as results.
        if (frame.opcode == IF && !frame.startTypes.equals(frame.endTypes)) throw ValidationStack.mismatch();
        // The final end leaves the results to the caller rather than to an enclosing block.
        if (!stack.isEmpty()) stack.pushAll(frame.endTypes);
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        List<ValType> labelTypes = stack.label(labelidx).labelTypes();
        if (opcode == BR_IF) {
            stack.pop(I32);
            stack.popAll(labelTypes);
            stack.pushAll(labelTypes);
        } else {
            stack.popAll(labelTypes);
            stack.unreachable();
        }
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        List<ValType> defaultTypes = stack.label(defaultLabel).labelTypes();
        for (int label : labels) stack.label(label);
        stack.pop(I32);
        int arity = defaultTypes.size();
        for (int label : labels) {
            List<ValType> labelTypes = stack.label(label).labelTypes();
            if (labelTypes.size() != arity) throw ValidationStack.mismatch();
            // Re-push what was popped so that every target checks the same operands, which in
            // unreachable code may each be Unknown.
            for (ValType t : stack.popActual(labelTypes)) stack.push(t);
        }
        stack.popAll(defaultTypes);
        stack.unreachable();
    }

    @Override
    public void visitCall(int funcidx) {
        effects.call(funcidx);
        apply(context.func(funcidx));
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        effects.callIndirect();
        TableType table = context.table(tableidx);
        FuncType type = context.type(typeidx);
        if (table.elemType() != FUNCREF) throw ValidationStack.mismatch();
        stack.pop(table.addressType());
        apply(type);
    }

    @Override
    public void visitReturnCall(int funcidx) {
        effects.tailCall();
        visitCall(funcidx);
        tailCallResults(context.func(funcidx));
        visitInsn(RETURN);
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        effects.tailCall();
        visitCallIndirect(typeidx, tableidx);
        tailCallResults(context.type(typeidx));
        visitInsn(RETURN);
    }

    /** A tail call's callee must return exactly the function's results: no value of the caller's may stay under them. */
    private void tailCallResults(FuncType callee) {
        if (!callee.results().equals(stack.outermost().endTypes)) throw ValidationStack.mismatch();
    }

    /**
     * Typed as the spec writes it ({@code local.get x : [] -> [t]}, {@code local.set x : [t] -> []},
     * {@code local.tee x : [t] -> [t]}, and so for globals) rather than through the instruction
     * table's type for {@code t}: variables are the most frequent instructions, and without the
     * table's row and its lists' loops the validator's own frames went from 3.2% to 2.6% of the
     * SQLite shell's compiling thread (async-profiler, 30 rounds).
     */
    @Override
    public void visitVariable(int opcode, int index) {
        switch (opcode) {
            case LOCAL_GET -> stack.push(local(index));
            case LOCAL_SET -> stack.pop(local(index));
            case LOCAL_TEE -> {
                ValType t = local(index);
                stack.pop(t);
                stack.push(t);
            }
            case GLOBAL_GET -> stack.push(context.global(index).valType());
            case GLOBAL_SET -> {
                GlobalType global = context.global(index);
                if (!global.mutable()) throw new ValidationFailure("global is immutable");
                stack.pop(global.valType());
            }
            default -> throw new IllegalArgumentException("not a variable instruction: " + Opcodes.name(opcode));
        }
    }

    private ValType local(int localidx) {
        if (localidx < 0 || localidx >= locals.size()) {
            throw new ValidationFailure("unknown local " + Integer.toUnsignedString(localidx));
        }
        return locals.get(localidx);
    }

    @Override
    public void visitI32Const(int value) {
        stack.push(I32);
    }

    @Override
    public void visitI64Const(long value) {
        stack.push(I64);
    }

    @Override
    public void visitF32Const(int bits) {
        stack.push(F32);
    }

    @Override
    public void visitF64Const(long bits) {
        stack.push(F64);
    }

    @Override
    public void visitV128Const(byte[] bytes) {
        stack.push(V128);
    }

    @Override
    public void visitRefNull(ValType type) {
        stack.push(type);
    }

    @Override
    public void visitRefFunc(int funcidx) {
        context.reference(funcidx);
        stack.push(FUNCREF);
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        effects.accessMemory();
        Instruction access = Instructions.of(opcode);
        ValType address = context.mem(memidx).addressType();
        checkAlignment(align, access.naturalAlign(), access.atomic() != null);
        checkOffset(offset, address);
        apply(access.type(I32, address, address));
    }

    /** An offset of a 32-bit memory must be a u32; the binary format reads every offset as a u64. */
    private static void checkOffset(long offset, ValType address) {
        if (address == I32 && Long.compareUnsigned(offset, 0xFFFF_FFFFL) > 0) {
            throw new ValidationFailure("offset out of range");
        }
    }

    private static void checkAlignment(int align, int naturalAlign, boolean atomic) {
        if (atomic) {
            if (align != naturalAlign) throw new ValidationFailure("atomic alignment must be natural");
        } else if (Integer.compareUnsigned(align, naturalAlign) > 0) {
            throw new ValidationFailure("alignment must not be larger than natural");
        }
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        Instruction insn = Instructions.of(opcode);
        switch (opcode) {
            case MEMORY_SIZE, MEMORY_GROW, MEMORY_FILL -> {
                ValType address = context.mem(index).addressType();
                apply(insn.type(I32, address, address));
            }
            case MEMORY_COPY -> {
                ValType destination = context.mem(index).addressType();
                apply(insn.type(I32, destination, context.mem(index2).addressType()));
            }
            case MEMORY_INIT -> {
                context.dataCountSection();
                ValType address = context.mem(index2).addressType();
                context.data(index);
                apply(insn.type(I32, address, address));
            }
            case DATA_DROP -> {
                context.dataCountSection();
                context.data(index);
            }
            default -> throw new IllegalArgumentException("not a memory instruction: " + Opcodes.name(opcode));
        }
    }

    @Override
    public void visitTableInsn(int opcode, int index, int index2) {
        Instruction insn = Instructions.of(opcode);
        switch (opcode) {
            case TABLE_GET, TABLE_SET, TABLE_SIZE, TABLE_GROW, TABLE_FILL -> {
                TableType table = context.table(index);
                apply(insn.type(table.elemType(), table.addressType(), table.addressType()));
            }
            case TABLE_COPY -> {
                TableType dst = context.table(index);
                TableType src = context.table(index2);
                if (dst.elemType() != src.elemType()) throw ValidationStack.mismatch();
                apply(insn.type(I32, dst.addressType(), src.addressType()));
            }
            case TABLE_INIT -> {
                TableType table = context.table(index2);
                ValType elem = context.elem(index);
                if (table.elemType() != elem) throw ValidationStack.mismatch();
                apply(insn.type(I32, table.addressType(), table.addressType()));
            }
            case ELEM_DROP -> context.elem(index);
            default -> throw new IllegalArgumentException("not a table instruction: " + Opcodes.name(opcode));
        }
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        effects.simd();
        for (byte lane : lanes) {
            if (Byte.toUnsignedInt(lane) >= 32) throw invalidLane();
        }
        apply(Instructions.of(SimdOpcodes.I8X16_SHUFFLE).type());
    }

    @Override
    public void visitLane(int opcode, int lane) {
        effects.simd();
        Instruction insn = Instructions.of(opcode);
        if (Integer.compareUnsigned(lane, insn.lanes()) >= 0) throw invalidLane();
        apply(insn.type());
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        effects.accessMemory();
        Instruction insn = Instructions.of(opcode);
        ValType address = context.mem(memidx).addressType();
        checkAlignment(align, insn.naturalAlign(), false);
        checkOffset(offset, address);
        if (Integer.compareUnsigned(lane, insn.lanes()) >= 0) throw invalidLane();
        apply(insn.type(I32, address, address));
    }

    private static ValidationFailure invalidLane() {
        return new ValidationFailure("invalid lane index");
    }

    private void apply(FuncType type) {
        stack.popAll(type.params());
        stack.pushAll(type.results());
    }
}
