package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.binary.ByteReader;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.Arrays;

/**
 * Decodes an expression (a function body after its locals, or a constant expression) and drives an
 * {@link InstructionVisitor}. It checks the binary format only: opcodes, immediates (read as the
 * instruction's row in {@link Instructions} says) and the nesting of
 * {@code block}/{@code loop}/{@code if}/{@code else}/{@code end}; typing is the validator's job.
 *
 * <p>A compilation reads each body about half a dozen times (validation, which finds the effects too, the
 * planner's scans and trials, the constant count, the final emission), and the reads were a quarter
 * of the compiling thread (25.3% of the SQLite shell's samples with the reader as the innermost
 * frame of the compiler, async-profiler, 40 rounds). The instructions most frequent in real code
 * therefore go from the opcode byte straight to their visitor call ({@code FAST_PATHS}), the others
 * through the instruction's row: 19.2% after, and 0.85 to 0.99 of the compiler's CPU in runs of 12
 * to 30 rounds on four modules, 0.900 for the shell in 30 (README, "an eleventh round"). Decoding
 * each body once into an array of instructions replayed by every pass was measured and not kept: a
 * replay costs about 0.6 of such a read (the visitor calls stay), writing the array about 1.5
 * reads, so it pays only from four reads of one function on, a percent of the thread at most on the
 * modules measured.
 */
public final class CodeReader {
    /** Control frames on the nesting stack: a legacy {@code try} takes clauses until its {@code end} or {@code delegate}. */
    private static final byte BLOCK = 0;
    private static final byte IF = 1;
    private static final byte TRY = 2;
    /** A memarg flag: a memory index follows the flags. */
    private static final int MEMARG_HAS_MEMORY = 0x40;
    /** The alignment exponent's bits of a memarg's flags. */
    private static final int MEMARG_ALIGN = 0x3F;

    /**
     * Whether a class of visitors overrides {@link InstructionVisitor#resumeAt}. Only a code generator
     * passes over code; every other visitor (validation, the scans and counts of planning) is spared
     * that call before each instruction, a virtual call that no JIT can make direct, since a
     * compilation reads each body with half a dozen kinds of visitor.
     */
    private static final ClassValue<Boolean> PASSES_OVER = overrides("resumeAt");
    /**
     * Whether a class of visitors overrides {@link InstructionVisitor#visitOffset}: the scans that do
     * not are spared that call too, and so is a code generator, which takes the offset in its
     * {@code resumeAt}.
     */
    private static final ClassValue<Boolean> SEES_OFFSETS = overrides("visitOffset");

    /** Whether a class of visitors overrides {@code InstructionVisitor}'s method {@code name}, which takes an int. */
    private static ClassValue<Boolean> overrides(String name) {
        return new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                try {
                    return type.getMethod(name, int.class).getDeclaringClass() != InstructionVisitor.class;
                } catch (NoSuchMethodException e) {
                    throw new AssertionError("InstructionVisitor declares " + name, e);
                }
            }
        };
    }

    /**
     * How {@link #next} reads a one-byte opcode, by opcode: the instructions most frequent in real
     * code take a path that goes straight from the byte to the visitor call, without the table's row
     * and the switch over every shape of immediates ({@link #instruction}, which reads the others).
     */
    private static final byte[] FAST_PATHS = fastPaths();
    /** Read by {@link #instruction}, as its row says: every prefixed and every less frequent instruction. */
    private static final byte GENERAL = 0;
    /** An instruction without immediates that {@link InstructionVisitor#visitInsn} receives: not {@code else}, {@code end} or {@code catch_all}. */
    private static final byte PLAIN = 1;
    /** {@code local.get/set/tee}, {@code global.get/set}. */
    private static final byte VARIABLE = 2;
    private static final byte I32_CONST = 3;
    /** A load or a store: a memarg. */
    private static final byte MEMORY_ACCESS = 4;
    /** {@code br}, {@code br_if}. */
    private static final byte BRANCH = 5;
    private static final byte DIRECT_CALL = 6;
    private static final byte BLOCK_END = 7;
    /** {@code block}, {@code loop}, {@code if} (and the legacy {@code try}). */
    private static final byte BLOCK_START = 8;

    private static byte[] fastPaths() {
        byte[] paths = new byte[0x100];
        for (int op = 0; op < paths.length; op++) {
            Instruction insn = Instructions.of(op);
            if (insn == null) continue;
            paths[op] = switch (insn.immediates()) {
                case NONE -> op == Opcodes.END ? BLOCK_END : op == Opcodes.ELSE || op == Opcodes.CATCH_ALL ? GENERAL : PLAIN;
                case BLOCK_TYPE -> BLOCK_START;
                case LOCAL, GLOBAL -> VARIABLE;
                case I32 -> I32_CONST;
                case MEMARG -> MEMORY_ACCESS;
                case LABEL -> op == Opcodes.BR || op == Opcodes.BR_IF ? BRANCH : GENERAL;
                case FUNCTION -> op == Opcodes.CALL ? DIRECT_CALL : GENERAL;
                default -> GENERAL;
            };
        }
        return paths;
    }

    private final ByteReader in;
    private final InstructionVisitor visitor;
    private final boolean passesOver;
    private final boolean seesOffsets;
    private byte[] frames = new byte[16];
    private int depth;
    /** Whether the visitor ended the reading before the expression's end ({@link InstructionVisitor#resumeAt}). */
    private boolean ended;

    private CodeReader(ByteReader in, InstructionVisitor visitor) {
        this.in = in;
        this.visitor = visitor;
        this.passesOver = PASSES_OVER.get(visitor.getClass());
        this.seesOffsets = SEES_OFFSETS.get(visitor.getClass());
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
        CodeReader reader = new CodeReader(in, visitor);
        reader.expression();
        // The bytes are a sized body or initialiser, so anything after its end breaks that size.
        if (!reader.ended && !in.atEnd()) throw in.error("section size mismatch", in.pos());
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

    /**
     * Reads the part {@code [start, end)} of the expression {@code code}, in place: an outlined part
     * of a function body, whose instructions may close the {@code enclosing} blocks around them,
     * opened before {@code start}, and must close no others. The part's own frame stays open: its
     * reader closes it.
     *
     * @param baseOffset the byte offset of {@code code[0]} in the module
     * @throws CompileException (malformed) if the part is not such a run of instructions
     */
    public static void readPart(byte[] code, int start, int end, int baseOffset, int enclosing, InstructionVisitor visitor) {
        ByteReader in = new ByteReader(code, start, baseOffset);
        CodeReader reader = new CodeReader(in, visitor);
        for (int i = 0; i <= enclosing; i++) reader.push(BLOCK);
        reader.instructions(end);
        if (!reader.ended && (in.pos() != end || reader.depth != 1)) throw in.error("part of an expression closes a block it did not open, or leaves one open", in.pos());
    }

    private void expression() {
        push(BLOCK);
        instructions(Integer.MAX_VALUE);
    }

    /** Reads instructions until the outermost frame closes or reading reaches {@code end}. */
    private void instructions(int end) {
        while (depth > 0 && in.pos() < end) {
            int at = in.pos();
            if (!passesOver) {
                if (seesOffsets) visitor.visitOffset(in.offsetOf(at));
                next(at);
                continue;
            }
            int offset = in.offsetOf(at);
            if (seesOffsets) visitor.visitOffset(offset);
            int resume = visitor.resumeAt(offset);
            if (resume == offset) {
                next(at);
            } else if (resume < 0) {
                ended = true;
                return;
            } else {
                in.skip(resume - offset);
            }
        }
    }

    private void push(byte frame) {
        if (depth == frames.length) frames = Arrays.copyOf(frames, depth * 2);
        frames[depth++] = frame;
    }

    /** Reads the instruction at index {@code at}. */
    private void next(int at) {
        int op = in.u8();
        switch (FAST_PATHS[op]) {
            case PLAIN -> visitor.visitInsn(op);
            case VARIABLE -> visitor.visitVariable(op, in.index());
            case I32_CONST -> visitor.visitI32Const(in.s32());
            case MEMORY_ACCESS -> memoryAccess(op);
            case BRANCH -> visitor.visitBranch(op, in.index());
            case DIRECT_CALL -> visitor.visitCall(in.index());
            case BLOCK_END -> {
                depth--;
                visitor.visitEnd();
            }
            case BLOCK_START -> block(op);
            default -> instruction(at, op);
        }
    }

    /**
     * Reads the instruction of opcode {@code op} at index {@code at} as its row in {@link Instructions}
     * says: every instruction {@link #next} has no fast path for. No prefixed instruction has a block
     * type, a local, a global or an {@code i32} immediate, so those rows are read there only.
     */
    private void instruction(int at, int op) {
        if (op == Opcodes.PREFIX_MISC || op == Opcodes.PREFIX_SIMD || op == Opcodes.PREFIX_ATOMIC) op = prefixed(at, op);
        Instruction insn = Instructions.of(op);
        if (insn == null) throw illegal(at);
        switch (insn.immediates()) {
            case NONE -> {
                switch (op) {
                    case Opcodes.ELSE -> {
                        // Only an if's first arm may be closed by else; elsewhere the decoder wanted an end.
                        if (frames[depth - 1] != IF) throw in.error("END opcode expected", at);
                        frames[depth - 1] = BLOCK;
                        visitor.visitElse();
                    }
                    case Opcodes.CATCH_ALL -> {
                        if (frames[depth - 1] != TRY) throw in.error("END opcode expected", at);
                        visitor.visitCatch(-1);
                    }
                    default -> visitor.visitInsn(op);
                }
            }
            case TRY_TABLE -> {
                BlockType type = blockType();
                Catch[] catches = new Catch[in.length()];
                for (int i = 0; i < catches.length; i++) catches[i] = catchClause();
                visitor.visitTryTable(type, catches);
                push(BLOCK);
            }
            case TAG -> {
                if (op == Opcodes.CATCH) {
                    if (frames[depth - 1] != TRY) throw in.error("END opcode expected", at);
                    visitor.visitCatch(in.index());
                } else {
                    visitor.visitThrow(in.index());
                }
            }
            case LABEL -> {
                switch (op) {
                    case Opcodes.RETHROW -> visitor.visitRethrow(in.index());
                    case Opcodes.DELEGATE -> {
                        if (frames[depth - 1] != TRY) throw in.error("END opcode expected", at);
                        depth--;
                        visitor.visitDelegate(in.index());
                    }
                    default -> visitor.visitBranch(op, in.index());
                }
            }
            case LABEL_TABLE -> {
                int[] labels = new int[in.length()];
                for (int i = 0; i < labels.length; i++) labels[i] = in.index();
                visitor.visitBrTable(labels, in.index());
            }
            case FUNCTION -> {
                if (op == Opcodes.RETURN_CALL) visitor.visitReturnCall(in.index());
                else visitor.visitRefFunc(in.index());
            }
            case TYPE_AND_TABLE -> {
                int typeidx = in.index();
                if (op == Opcodes.CALL_INDIRECT) visitor.visitCallIndirect(typeidx, in.index());
                else visitor.visitReturnCallIndirect(typeidx, in.index());
            }
            case VALUE_TYPES -> {
                ValType[] types = new ValType[in.length()];
                for (int i = 0; i < types.length; i++) types[i] = valType();
                visitor.visitSelectTyped(types);
            }
            case TABLE, ELEMENT -> visitor.visitTableInsn(op, in.index(), 0);
            case TABLE_PAIR, ELEMENT_AND_TABLE -> {
                int first = in.index();
                visitor.visitTableInsn(op, first, in.index());
            }
            case MEMORY -> visitor.visitMemoryInsn(op, in.index(), 0);
            case MEMORY_PAIR -> {
                int destination = in.index();
                visitor.visitMemoryInsn(op, destination, in.index());
            }
            case DATA -> visitor.visitMemoryInsn(op, in.index(), 0);
            case DATA_AND_MEMORY -> {
                int dataidx = in.index();
                visitor.visitMemoryInsn(op, dataidx, in.index());
            }
            case MEMARG -> memoryAccess(op);
            case MEMARG_AND_LANE -> {
                int flags = memargFlags();
                int memidx = memargMemory(flags);
                long offset = in.u64();
                visitor.visitMemoryLane(op, memidx, flags & MEMARG_ALIGN, offset, in.u8());
            }
            case LANE -> visitor.visitLane(op, in.u8());
            case LANES_16 -> visitor.visitShuffle(in.bytes(16));
            case I64 -> visitor.visitI64Const(in.s64());
            case F32 -> visitor.visitF32Const(in.fixed32());
            case F64 -> visitor.visitF64Const(in.fixed64());
            case V128 -> visitor.visitV128Const(in.bytes(16));
            case REF_TYPE -> visitor.visitRefNull(refType());
            case ZERO_BYTE -> {
                in.zeroByte();
                visitor.visitInsn(op);
            }
        }
    }

    /** {@code block}, {@code loop}, {@code if} or {@code try}: a block type, and a frame on the nesting stack. */
    private void block(int op) {
        visitor.visitBlock(op, blockType());
        push(op == Opcodes.IF ? IF : op == Opcodes.TRY ? TRY : BLOCK);
    }

    /** An instruction with a memarg. */
    private void memoryAccess(int op) {
        int flags = memargFlags();
        int memidx = memargMemory(flags);
        visitor.visitMemoryAccess(op, memidx, flags & MEMARG_ALIGN, in.u64());
    }

    /** The opcode of a prefixed instruction: the prefix and its u32 subopcode, which must fit 12 bits. */
    private int prefixed(int at, int prefix) {
        int sub = in.u32();
        if (Integer.compareUnsigned(sub, 0xFFF) > 0) throw illegal(at);
        return prefix << 12 | sub;
    }

    /**
     * A memarg's flags: the alignment exponent in bits 0 to 5, and bit 6 when a memory index
     * follows (multi-memory); a larger value is malformed.
     */
    private int memargFlags() {
        int flags = in.u32();
        if (Integer.compareUnsigned(flags, MEMARG_HAS_MEMORY << 1) >= 0) throw in.error("malformed memop flags", in.pos() - 1);
        return flags;
    }

    /** The memory index that follows a memarg's flags, or memory 0 when they have none. */
    private int memargMemory(int flags) {
        return (flags & MEMARG_HAS_MEMORY) != 0 ? in.index() : 0;
    }

    /** A {@code try_table}'s catch clause: its kind byte, the tag of those that name one, the label. */
    private Catch catchClause() {
        int at = in.pos();
        int kind = in.u8();
        if (kind > Catch.CATCH_ALL_REF) throw in.error("malformed catch clause", at);
        int tagidx = kind < Catch.CATCH_ALL ? in.index() : -1;
        return new Catch(kind, tagidx, in.index());
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
