package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.decode.ByteReader;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.Arrays;

/**
 * Decodes an expression (a function body after its locals, or a constant expression) and drives an
 * {@link InstructionVisitor}. It checks the binary format only: opcodes, immediates and the nesting
 * of {@code block}/{@code loop}/{@code if}/{@code else}/{@code end}; typing is the validator's job.
 */
public final class CodeReader {
    /** Control frames on the nesting stack. */
    private static final byte BLOCK = 0;
    private static final byte IF = 1;

    private final ByteReader in;
    private final InstructionVisitor visitor;
    private byte[] frames = new byte[16];
    private int depth;

    private CodeReader(ByteReader in, InstructionVisitor visitor) {
        this.in = in;
        this.visitor = visitor;
    }

    /**
     * Reads the expression {@code code}, which must end with its final {@code end} and nothing after.
     *
     * @param code the expression's bytes
     * @param baseOffset the byte offset of {@code code[0]} in the module, for {@code visitOffset} and errors
     * @throws CompileException (malformed) if the bytes are not an expression
     */
    public static void read(byte[] code, int baseOffset, InstructionVisitor visitor) {
        ByteReader in = new ByteReader(code, 0, baseOffset);
        new CodeReader(in, visitor).expression();
        // The bytes are a sized body or initialiser, so anything after its end breaks that size.
        if (!in.atEnd()) throw in.error("section size mismatch", in.pos());
    }

    /**
     * Reads an expression that starts at {@code start} in {@code module} and ends at the first
     * {@code end} that closes it; bytes after it are left to the caller.
     *
     * @return the index just after the expression's final {@code end}
     * @throws CompileException (malformed) if the bytes are not an expression
     */
    public static int readExpression(byte[] module, int start, InstructionVisitor visitor) {
        ByteReader in = new ByteReader(module, start, 0);
        new CodeReader(in, visitor).expression();
        return in.pos();
    }

    private void expression() {
        push(BLOCK);
        while (depth > 0) {
            int at = in.pos();
            visitor.visitOffset(in.offsetOf(at));
            instruction(at, in.u8());
        }
    }

    private void push(byte frame) {
        if (depth == frames.length) frames = Arrays.copyOf(frames, depth * 2);
        frames[depth++] = frame;
    }

    private void instruction(int at, int op) {
        switch (op) {
            case Opcodes.BLOCK, Opcodes.LOOP -> {
                visitor.visitBlock(op, blockType());
                push(BLOCK);
            }
            case Opcodes.IF -> {
                visitor.visitBlock(op, blockType());
                push(IF);
            }
            case Opcodes.ELSE -> {
                // Only an if's first arm may be closed by else; elsewhere the decoder wanted an end.
                if (frames[depth - 1] != IF) throw in.error("END opcode expected", at);
                frames[depth - 1] = BLOCK;
                visitor.visitElse();
            }
            case Opcodes.END -> {
                depth--;
                visitor.visitEnd();
            }
            case Opcodes.BR, Opcodes.BR_IF -> visitor.visitBranch(op, in.index());
            case Opcodes.BR_TABLE -> {
                int[] labels = new int[in.length()];
                for (int i = 0; i < labels.length; i++) labels[i] = in.index();
                visitor.visitBrTable(labels, in.index());
            }
            case Opcodes.CALL -> visitor.visitCall(in.index());
            case Opcodes.CALL_INDIRECT -> {
                int typeidx = in.index();
                visitor.visitCallIndirect(typeidx, in.index());
            }
            case Opcodes.SELECT_T -> {
                ValType[] types = new ValType[in.length()];
                for (int i = 0; i < types.length; i++) types[i] = valType();
                visitor.visitSelectTyped(types);
            }
            case Opcodes.LOCAL_GET, Opcodes.LOCAL_SET, Opcodes.LOCAL_TEE, Opcodes.GLOBAL_GET, Opcodes.GLOBAL_SET ->
                    visitor.visitVariable(op, in.index());
            case Opcodes.TABLE_GET, Opcodes.TABLE_SET -> visitor.visitTableInsn(op, in.index(), 0);
            case Opcodes.MEMORY_SIZE, Opcodes.MEMORY_GROW -> {
                in.zeroByte();
                visitor.visitMemoryInsn(op, 0, 0);
            }
            case Opcodes.I32_CONST -> visitor.visitI32Const(in.s32());
            case Opcodes.I64_CONST -> visitor.visitI64Const(in.s64());
            case Opcodes.F32_CONST -> visitor.visitF32Const(in.fixed32());
            case Opcodes.F64_CONST -> visitor.visitF64Const(in.fixed64());
            case Opcodes.REF_NULL -> visitor.visitRefNull(refType());
            case Opcodes.REF_FUNC -> visitor.visitRefFunc(in.index());
            case Opcodes.PREFIX_MISC -> misc(at, prefixed(at, op));
            case Opcodes.PREFIX_SIMD -> simd(at, prefixed(at, op));
            case Opcodes.PREFIX_ATOMIC -> atomic(at, prefixed(at, op));
            default -> {
                if (op >= Opcodes.I32_LOAD && op <= Opcodes.I64_STORE32) {
                    memoryAccess(op);
                } else if (isPlain(op)) {
                    visitor.visitInsn(op);
                } else {
                    throw illegal(at);
                }
            }
        }
    }

    /** The opcode of a prefixed instruction: the prefix and its u32 subopcode, which must fit 12 bits. */
    private int prefixed(int at, int prefix) {
        int sub = in.u32();
        if (Integer.compareUnsigned(sub, 0xFFF) > 0) throw illegal(at);
        return prefix << 12 | sub;
    }

    /** One-byte instructions without immediates. */
    private static boolean isPlain(int op) {
        return op == Opcodes.UNREACHABLE || op == Opcodes.NOP || op == Opcodes.RETURN || op == Opcodes.DROP
                || op == Opcodes.SELECT || op == Opcodes.REF_IS_NULL
                || (op >= Opcodes.I32_EQZ && op <= Opcodes.I64_EXTEND32_S);
    }

    private void misc(int at, int op) {
        switch (op) {
            case Opcodes.MEMORY_INIT -> {
                int dataidx = in.index();
                in.zeroByte();
                visitor.visitMemoryInsn(op, dataidx, 0);
            }
            case Opcodes.DATA_DROP -> visitor.visitMemoryInsn(op, in.index(), 0);
            case Opcodes.MEMORY_COPY -> {
                in.zeroByte();
                in.zeroByte();
                visitor.visitMemoryInsn(op, 0, 0);
            }
            case Opcodes.MEMORY_FILL -> {
                in.zeroByte();
                visitor.visitMemoryInsn(op, 0, 0);
            }
            case Opcodes.TABLE_INIT -> {
                int elemidx = in.index();
                visitor.visitTableInsn(op, elemidx, in.index());
            }
            case Opcodes.ELEM_DROP -> visitor.visitTableInsn(op, in.index(), 0);
            case Opcodes.TABLE_COPY -> {
                int dst = in.index();
                visitor.visitTableInsn(op, dst, in.index());
            }
            case Opcodes.TABLE_GROW, Opcodes.TABLE_SIZE, Opcodes.TABLE_FILL ->
                    visitor.visitTableInsn(op, in.index(), 0);
            default -> {
                if (op >= Opcodes.I32_TRUNC_SAT_F32_S && op <= Opcodes.I64_TRUNC_SAT_F64_U) {
                    visitor.visitInsn(op);
                } else {
                    throw illegal(at);
                }
            }
        }
    }

    private void simd(int at, int op) {
        String name = SimdOpcodes.name(op);
        if (name == null) throw illegal(at);
        switch (op) {
            case SimdOpcodes.V128_CONST -> visitor.visitV128Const(in.bytes(16));
            case SimdOpcodes.I8X16_SHUFFLE -> visitor.visitShuffle(in.bytes(16));
            default -> {
                if (op <= SimdOpcodes.V128_STORE || op == SimdOpcodes.V128_LOAD32_ZERO
                        || op == SimdOpcodes.V128_LOAD64_ZERO) {
                    memoryAccess(op);
                } else if (op >= SimdOpcodes.V128_LOAD8_LANE && op <= SimdOpcodes.V128_STORE64_LANE) {
                    int align = memargAlign();
                    long offset = Integer.toUnsignedLong(in.u32());
                    visitor.visitMemoryLane(op, align, offset, in.u8());
                } else if (op >= SimdOpcodes.I8X16_EXTRACT_LANE_S && op <= SimdOpcodes.F64X2_REPLACE_LANE) {
                    visitor.visitLane(op, in.u8());
                } else {
                    visitor.visitInsn(op);
                }
            }
        }
    }

    private void atomic(int at, int op) {
        if (op == Opcodes.ATOMIC_FENCE) {
            in.zeroByte();
            visitor.visitInsn(op);
        } else if (op >= Opcodes.MEMORY_ATOMIC_NOTIFY && op <= Opcodes.MEMORY_ATOMIC_WAIT64
                || op >= Opcodes.I32_ATOMIC_LOAD && op <= Opcodes.I64_ATOMIC_RMW32_CMPXCHG_U) {
            memoryAccess(op);
        } else {
            throw illegal(at);
        }
    }

    private void memoryAccess(int op) {
        int align = memargAlign();
        visitor.visitMemoryAccess(op, align, Integer.toUnsignedLong(in.u32()));
    }

    /** A memarg's alignment exponent; 2^32 and beyond cannot describe an alignment of a 32-bit address. */
    private int memargAlign() {
        int align = in.u32();
        if (Integer.compareUnsigned(align, 32) >= 0) throw in.error("malformed memop flags", in.pos() - 1);
        return align;
    }

    /** {@code 0x40} (empty), a value type, or a non-negative s33 type index. */
    private BlockType blockType() {
        int b = in.peek();
        if (b == 0x40) {
            in.u8();
            return BlockType.EMPTY;
        }
        if ((b & 0xC0) == 0x40) return BlockType.of(valType());
        int at = in.pos();
        long typeidx = in.s33();
        if (typeidx < 0) throw in.error("malformed block type", at);
        // Type indices of 2^31 and above are out of range of every module; keep them out of range.
        return BlockType.ofIndex((int) Math.min(typeidx, Integer.MAX_VALUE));
    }

    private ValType valType() {
        int at = in.pos();
        ValType t = ValType.fromCode(in.typeByte());
        if (t == null) throw in.error("malformed value type", at);
        return t;
    }

    private ValType refType() {
        int at = in.pos();
        ValType t = ValType.refFromCode(in.typeByte());
        if (t == null) throw in.error("malformed reference type", at);
        return t;
    }

    private CompileException illegal(int at) {
        return in.error("illegal opcode", at);
    }
}
