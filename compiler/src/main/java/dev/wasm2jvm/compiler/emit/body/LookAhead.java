package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

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
 * stops before the first of those. A window ends there; a proof goes on along each way control may
 * take from a block's start, {@code else}, {@code end} or branch ({@link ControlFlow}), as the last
 * step of an unrolled loop needs, whose products the loop's next iteration writes again after the
 * {@code br_if} back. All reads are of a body already validated, so the instructions are well
 * typed; they decode it with {@link CodeReader}, as every pass does, only where an idiom's first
 * instruction is, rarely enough that the compiler's throughput does not see them.
 */
final class LookAhead {
    /** The instructions a proof reads at most, over all the ways it follows, before it gives up. */
    private static final int PROOF_LIMIT = 4096;
    private final FunctionBody body;
    /** The body's structured control, read at the first proof that needs it. */
    private ControlFlow control;

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
     * Whether every way from module offset {@code offset} writes each of {@code locals} before
     * reading it, or returns or traps first, so that their values at {@code offset} are never read:
     * straight-line code, then each successor {@link ControlFlow} gives of the instruction that ends
     * it, each place once with the same locals unwritten (a loop back to one adds no read). False if
     * a way reads one, or reaches a call, a throw or an exception handler's construct, or if the
     * ways read more than {@link #PROOF_LIMIT} instructions. Memory accesses on the way may trap,
     * which ends the function: a trap is not an exception that the body's handlers catch.
     */
    boolean overwrittenBeforeRead(int offset, int... locals) {
        BitSet unwritten = new BitSet();
        for (int local : locals) unwritten.set(local);
        Deque<Way> ways = new ArrayDeque<>();
        Set<Way> seen = new HashSet<>();
        ways.push(new Way(offset, unwritten));
        int budget = PROOF_LIMIT;
        while (!ways.isEmpty()) {
            Way way = ways.pop();
            if (way.offset() == ControlFlow.EXIT || !seen.add(way)) continue;
            Liveness liveness = new Liveness(way.unwritten());
            int stop = scan(way.offset(), liveness);
            budget -= liveness.read;
            if (liveness.live || budget < 0) return false;
            if (liveness.dead) continue;
            if (control == null) control = new ControlFlow(body);
            int[] next = control.successors(stop);
            if (next == null) return false;
            for (int successor : next) ways.push(new Way(successor, liveness.unwritten));
        }
        return true;
    }

    /** A place a proof has reached, and the locals not yet written on the way there. */
    private record Way(int offset, BitSet unwritten) {}

    /** Scans from module offset {@code offset}; returns the module offset of the instruction the scan stopped before, if it did. */
    private int scan(int offset, Step step) {
        int start = offset - body.offset();
        Scanner scanner = new Scanner(body.code(), body.offset(), step);
        CodeReader.readPart(body.code(), start, body.code().length, body.offset(), 0, scanner);
        return scanner.stop;
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
        /** The module offset of the instruction being read. */
        private int current;
        /** The module offset of the instruction that is not straight-line where the scan stopped, if it did. */
        int stop = -1;
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
            if (started && opcode == OTHER) {
                stop = current;
                return -1;
            }
            if (started && !step.take(opcode, immediate, lanes, offset)) return -1;
            started = true;
            opcode = OTHER;
            current = offset;
            return switch (code[offset - base]) {
                case Opcodes.END, Opcodes.ELSE, Opcodes.CATCH, Opcodes.CATCH_ALL, Opcodes.DELEGATE -> {
                    stop = offset;
                    yield -1;
                }
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

        /** The opcode of instruction {@code i}. */
        int opcode(int i) {
            return opcodes[i];
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

    /**
     * Whether straight-line code reads one of a set of locals before it writes it ({@code live}),
     * or writes them all or leaves the function first ({@code dead}); neither if it ends before,
     * with {@code unwritten} left.
     */
    private static final class Liveness implements Step {
        final BitSet unwritten;
        boolean live;
        boolean dead;
        /** The instructions taken. */
        int read;

        Liveness(BitSet unwritten) {
            this.unwritten = (BitSet) unwritten.clone();
        }

        @Override
        public boolean take(int opcode, int immediate, byte[] lanes, int next) {
            read++;
            switch (opcode) {
                case Opcodes.LOCAL_GET -> live = unwritten.get(immediate);
                case Opcodes.LOCAL_SET, Opcodes.LOCAL_TEE -> {
                    unwritten.clear(immediate);
                    dead = unwritten.isEmpty();
                }
                case Opcodes.RETURN, Opcodes.UNREACHABLE -> dead = true;
                case Opcodes.THROW_REF -> live = true;
                default -> { }
            }
            return !live && !dead;
        }
    }
}
