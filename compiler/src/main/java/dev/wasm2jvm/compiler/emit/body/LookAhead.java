package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The straight-line code ahead of an instruction of a function body, for {@link FunctionEmitter}
 * to recognise an idiom of several instructions and lower it as a whole, where each instruction
 * alone would be lowered without knowing what its result is for ({@link MulPairs}). Where
 * {@link FunctionEmitter}'s {@code precedingConstant} and {@link BranchFusion} look back at one
 * instruction, an idiom is recognised from its first one: {@link #window} reads the instructions
 * that follow, and {@link #overwrittenBeforeRead} proves that the locals an idiom's lowering no
 * longer writes are dead after it.
 *
 * <p>Straight-line code is every instruction but those that branch, call (a callee's exception may
 * reach a handler of the body, which reads locals), throw, or open, divide or end a block: a scan
 * stops before the first of those. Both reads are of a body already validated, so the instructions
 * are well typed; they decode it with {@link CodeReader}, as every pass does, only where an idiom's
 * first instruction is, rarely enough that the compiler's throughput does not see them.
 */
final class LookAhead {
    private final FunctionBody body;

    LookAhead(FunctionBody body) {
        this.body = body;
    }

    /**
     * The straight-line instructions at module offset {@code offset}, at most {@code count}: fewer
     * if one that is not straight-line comes first.
     */
    Window window(int offset, int count) {
        Window window = new Window(count);
        scan(offset, window);
        return window;
    }

    /**
     * Whether straight-line code from module offset {@code offset} writes each of {@code locals}
     * before reading it, or returns or traps first, so that their values at {@code offset} are
     * never read; false if it reads one, or if it reaches code that is not straight-line first.
     * Memory accesses on the way may trap, which ends the function: a trap is not an exception
     * that the body's handlers catch.
     */
    boolean overwrittenBeforeRead(int offset, int... locals) {
        Liveness liveness = new Liveness(locals);
        scan(offset, liveness);
        return liveness.dead;
    }

    private void scan(int offset, Step step) {
        int start = offset - body.offset();
        CodeReader.readPart(body.code(), start, body.code().length, body.offset(), 0, new Scanner(body.code(), body.offset(), step));
    }

    /** Takes the straight-line instructions a scan reads, one by one, until it returns false. */
    private interface Step {
        /**
         * The instruction just read, its local, lane or constant in {@code immediate}, a shuffle's
         * lanes in {@code lanes}, and the module offset of the one after it.
         */
        boolean take(int opcode, int immediate, byte[] lanes, int next);
    }

    /** Reads straight-line instructions into a {@link Step}, ending before the first other one. */
    private static final class Scanner extends InstructionScanner {
        /** What the last instruction read was, if it is straight-line; -1 otherwise. */
        private static final int OTHER = -1;
        private final byte[] code;
        private final int base;
        private final Step step;
        private boolean started;
        private int opcode = OTHER;
        private int immediate;
        private byte[] lanes;

        Scanner(byte[] code, int base, Step step) {
            this.code = code;
            this.base = base;
            this.step = step;
        }

        /**
         * Hands the instruction read before {@code offset} to the step, then reads on unless the
         * next one divides or ends a block: the reader's blocks are not the body's, so it must not
         * decode those.
         */
        @Override
        public int resumeAt(int offset) {
            if (started && (opcode == OTHER || !step.take(opcode, immediate, lanes, offset))) return -1;
            started = true;
            opcode = OTHER;
            return switch (code[offset - base]) {
                case Opcodes.END, Opcodes.ELSE, Opcodes.CATCH, Opcodes.CATCH_ALL, Opcodes.DELEGATE -> -1;
                default -> offset;
            };
        }

        private void read(int opcode, int immediate, byte[] lanes) {
            this.opcode = opcode;
            this.immediate = immediate;
            this.lanes = lanes;
        }

        @Override
        public void visitInsn(int opcode) {
            read(opcode, 0, null);
        }

        @Override
        public void visitVariable(int opcode, int index) {
            read(opcode, index, null);
        }

        @Override
        public void visitI32Const(int value) {
            read(Opcodes.I32_CONST, value, null);
        }

        @Override
        public void visitI64Const(long value) {
            read(Opcodes.I64_CONST, 0, null);
        }

        @Override
        public void visitF32Const(int bits) {
            read(Opcodes.F32_CONST, 0, null);
        }

        @Override
        public void visitF64Const(long bits) {
            read(Opcodes.F64_CONST, 0, null);
        }

        @Override
        public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
            read(opcode, memidx, null);
        }

        @Override
        public void visitV128Const(byte[] bytes) {
            read(SimdOpcodes.V128_CONST, 0, bytes);
        }

        @Override
        public void visitShuffle(byte[] lanes) {
            read(SimdOpcodes.I8X16_SHUFFLE, 0, lanes);
        }

        @Override
        public void visitLane(int opcode, int lane) {
            read(opcode, lane, null);
        }
    }

    /** Straight-line instructions read ahead: each one's opcode and immediates, and where each ends. */
    static final class Window implements Step {
        private final int[] opcodes;
        private final int[] immediates;
        private final byte[][] lanes;
        private final int[] ends;
        private int size;

        private Window(int capacity) {
            opcodes = new int[capacity];
            immediates = new int[capacity];
            lanes = new byte[capacity][];
            ends = new int[capacity];
        }

        @Override
        public boolean take(int opcode, int immediate, byte[] lanes, int next) {
            opcodes[size] = opcode;
            immediates[size] = immediate;
            this.lanes[size] = lanes;
            ends[size] = next;
            return ++size < opcodes.length;
        }

        int size() {
            return size;
        }

        /** Whether instruction {@code i} is {@code opcode}. */
        boolean is(int i, int opcode) {
            return opcodes[i] == opcode;
        }

        /** Whether instruction {@code i} is {@code opcode} of local {@code local}. */
        boolean is(int i, int opcode, int local) {
            return opcodes[i] == opcode && immediates[i] == local;
        }

        /** Whether instruction {@code i} is {@code i8x16.shuffle} with lane indices {@code lanes}. */
        boolean isShuffle(int i, byte[] lanes) {
            return opcodes[i] == SimdOpcodes.I8X16_SHUFFLE && Arrays.equals(this.lanes[i], lanes);
        }

        /** The local of instruction {@code i}, a {@code local.get}, {@code set} or {@code tee}. */
        int local(int i) {
            return immediates[i];
        }

        /** The module offset after instruction {@code i}. */
        int end(int i) {
            return ends[i];
        }
    }

    /** Whether straight-line code writes a set of locals before it reads any of them. */
    private static final class Liveness implements Step {
        private final BitSet pending = new BitSet();
        boolean dead;

        Liveness(int... locals) {
            for (int local : locals) pending.set(local);
        }

        @Override
        public boolean take(int opcode, int immediate, byte[] lanes, int next) {
            switch (opcode) {
                case Opcodes.LOCAL_GET -> {
                    if (pending.get(immediate)) return false;
                }
                case Opcodes.LOCAL_SET, Opcodes.LOCAL_TEE -> {
                    pending.clear(immediate);
                    dead = pending.isEmpty();
                }
                case Opcodes.RETURN, Opcodes.UNREACHABLE -> dead = true;
                case Opcodes.THROW_REF -> {
                    return false;
                }
                default -> { }
            }
            return !dead;
        }
    }
}
