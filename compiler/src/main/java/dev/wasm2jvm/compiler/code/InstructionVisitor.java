package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.module.ValType;

/**
 * Receives the instructions of one expression (a function body or a constant expression) in order,
 * as {@link CodeReader} decodes them. Methods are grouped by immediate shape, as in ASM's
 * {@code MethodVisitor}; the opcode constants are in {@link Opcodes} and {@link SimdOpcodes}.
 *
 * <p>Before each instruction the reader calls {@link #visitOffset} with the instruction's byte offset
 * in the module, for error messages and line numbers, then {@link #resumeAt}, which may pass over
 * code and is given the same offset: a visitor that overrides it may take the offset there and
 * leave {@code visitOffset} alone, which the reader then spares it (a call per instruction). The
 * final {@code end} of the expression is reported by {@link #visitEnd} like every other {@code end}.
 *
 * <p>An abstract class rather than an interface, as ASM's {@code MethodVisitor} is: a compilation
 * reads each body with half a dozen kinds of visitor (validation, which finds the effects too, the
 * planner's scans, the constant count, the code generators), so the reader's calls to them are
 * megamorphic, and a megamorphic call of a class's method goes through its vtable, one load, where
 * an interface's goes through an itable stub that first searches the receiver's interfaces. The
 * stubs were 5.8 to 6.5% of the SQLite shell's compiling thread with the interface, 2.8 to 3.1%
 * with the class; the reader's frames and the stubs together 19.5% against 17.6% on average
 * (async-profiler, seven profiles each, 20 rounds with {@code --library}; benchmarks/README.md,
 * "a twenty-second round"), which CPU ratios on a shared machine do not resolve.
 */
public abstract class InstructionVisitor {

    /** The byte offset in the module of the instruction about to be visited. */
    public void visitOffset(int offset) {}

    /**
     * Where the reader goes on after {@link #visitOffset}{@code (offset)}: {@code offset} itself to
     * read the instruction there, or the module offset of a later instruction of the same expression
     * to pass over the code between without decoding it, as a code generator does with code it moves
     * to another method. The code passed over must be whole instructions whose blocks all end in it.
     * A negative value ends the reading there, unchecked, for a scan that has seen all it needs of a
     * body already validated.
     */
    public int resumeAt(int offset) {
        return offset;
    }

    /**
     * An instruction without immediates: {@code unreachable}, {@code nop}, {@code return}, {@code drop},
     * {@code throw_ref},
     * untyped {@code select}, {@code ref.is_null}, {@code atomic.fence}, every numeric, comparison and
     * conversion instruction, and the SIMD instructions without immediates.
     */
    public abstract void visitInsn(int opcode);

    /** {@code block}, {@code loop}, {@code if}, or the legacy {@code try}. */
    public abstract void visitBlock(int opcode, BlockType blocktype);

    /** {@code try_table}: a block whose body's exceptions the clauses catch, in order. */
    public abstract void visitTryTable(BlockType blocktype, Catch[] catches);

    /** {@code throw} of tag {@code tagidx}. */
    public abstract void visitThrow(int tagidx);

    /**
     * The legacy {@code catch} of tag {@code tagidx}, or {@code catch_all} when it is -1: it ends the
     * body or the previous clause of the {@code try} being read and starts a clause.
     */
    public abstract void visitCatch(int tagidx);

    /** The legacy {@code delegate}: it ends a {@code try}, whose body's exceptions go to the handlers of label {@code labelidx}. */
    public abstract void visitDelegate(int labelidx);

    /** The legacy {@code rethrow}: throws again the exception caught by the clause of {@code try} label {@code labelidx}. */
    public abstract void visitRethrow(int labelidx);

    public abstract void visitElse();

    /** The end of a block, loop, if, or of the whole expression. */
    public abstract void visitEnd();

    /** {@code br} or {@code br_if}. */
    public abstract void visitBranch(int opcode, int labelidx);

    public abstract void visitBrTable(int[] labels, int defaultLabel);

    public abstract void visitCall(int funcidx);

    public abstract void visitCallIndirect(int typeidx, int tableidx);

    /**
     * {@code return_call}: returns what the call of {@code funcidx} returns, which the callee's
     * frame replaces this one's for. It types, validates and scans as the call and a {@code return},
     * so that is what the default visits; the code generator overrides it.
     */
    public void visitReturnCall(int funcidx) {
        visitCall(funcidx);
        visitInsn(Opcodes.RETURN);
    }

    /** {@code return_call_indirect}, as {@link #visitReturnCall} is to {@code call}. */
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        visitCallIndirect(typeidx, tableidx);
        visitInsn(Opcodes.RETURN);
    }

    /** {@code local.get/set/tee} (a localidx) or {@code global.get/set} (a globalidx). */
    public abstract void visitVariable(int opcode, int index);

    /** The typed {@code select t*}; the binary format allows a vector, the validator requires one type. */
    public abstract void visitSelectTyped(ValType[] types);

    public abstract void visitI32Const(int value);

    public abstract void visitI64Const(long value);

    /** {@code f32.const}, as raw bits so NaN payloads survive. */
    public abstract void visitF32Const(int bits);

    /** {@code f64.const}, as raw bits so NaN payloads survive. */
    public abstract void visitF64Const(long bits);

    public abstract void visitRefNull(ValType type);

    public abstract void visitRefFunc(int funcidx);

    /**
     * An instruction with a {@code memarg}: every load and store, every atomic memory access
     * (including {@code memory.atomic.notify/wait}), and the SIMD loads and stores without a lane.
     *
     * @param memidx the memory accessed
     * @param align the alignment exponent as encoded ({@code 2} means 4 bytes)
     * @param offset the unsigned 64-bit offset (negative from 2^63); the validator bounds it by the
     *     memory's address type
     */
    public abstract void visitMemoryAccess(int opcode, int memidx, int align, long offset);

    /**
     * A memory instruction with indices: {@code memory.size} and {@code memory.grow} (memidx),
     * {@code memory.fill} (memidx), {@code memory.copy} (destination and source memidx),
     * {@code memory.init} (dataidx, memidx) and {@code data.drop} (dataidx, unused second index 0).
     */
    public abstract void visitMemoryInsn(int opcode, int index, int index2);

    /**
     * A table instruction: {@code table.get/set/size/grow/fill} (tableidx), {@code table.copy}
     * (destination and source tableidx), {@code table.init} (elemidx, tableidx) and {@code elem.drop}
     * (elemidx, unused second index 0).
     */
    public abstract void visitTableInsn(int opcode, int index, int index2);

    /** {@code v128.const}: 16 bytes, little-endian. */
    public abstract void visitV128Const(byte[] bytes);

    /** {@code i8x16.shuffle}: 16 lane indices. */
    public abstract void visitShuffle(byte[] lanes);

    /** A SIMD {@code extract_lane} or {@code replace_lane} instruction. */
    public abstract void visitLane(int opcode, int lane);

    /** A SIMD {@code load*_lane} or {@code store*_lane} instruction; the memarg as in {@link #visitMemoryAccess}. */
    public abstract void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane);
}
