package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.IFGT;
import static org.objectweb.asm.Opcodes.IFLT;
import static org.objectweb.asm.Opcodes.IFNE;

/**
 * The loop latches of a function body whose {@code i32.ne} may be emitted as an ordered comparison,
 * so that C2 counts the loop (issue 12): clang ends a loop of known trip count with
 * {@code local.get i; i32.const s; i32.add; local.tee i; i32.const n; i32.ne; br_if 0; end}, and
 * C2 makes a counted loop of an exit test on {@code !=} only for a stride of 1 or -1
 * ({@code condition_stride_ok} in HotSpot's {@code loopnode.cpp}). A loop C2 does not count keeps
 * a safepoint poll and every bounds check in each iteration, and is neither unrolled nor
 * vectorised: matmul's inner loop (stride 16, two elements an iteration) compiled to four range
 * checks, two multiplies and a poll per iteration.
 *
 * <p><b>The rule.</b> The latch's {@code i32.ne} is emitted as {@code i32.lt_s} (a positive stride
 * {@code s}) or {@code i32.gt_s} (a negative one) when its loop is entered with {@code i} set to a
 * constant {@code c} by the straight-line code just before the {@code loop}, the latch's
 * {@code local.tee} is the only write of {@code i} in the loop (nested constructs included),
 * {@code c} lies on the far side of {@code n} from the stride ({@code c < n} for {@code s > 0}) and
 * {@code n - c} is a multiple of {@code s}. Then {@code i} takes the values {@code c, c + s, ...}
 * without wrapping, each latch tests the first value not yet tested, and the latch that reaches
 * {@code n} leaves the loop: at every latch {@code i} is at most {@code n} (at least, for a negative
 * stride), where {@code !=} and the ordered test agree. Another branch back to the loop leaves
 * {@code i} as the header had it; a branch out of the loop ends the sequence. The comparison is
 * the same one JVM jump either way: the interpreter and C1 run the same code.
 *
 * <p><b>What it gains</b>, with the {@code int} bounds check of {@code CountedAccess}, which C2
 * needs as well and which the loads and stores between a counted loop's {@code loop} and its latch
 * call ({@link #inCountedLoop}; the figures are in {@code MemoryEmitter} and
 * {@code benchmarks/README.md}, "Counted loops for C2"): matmul's inner loop compiles to 16
 * multiply-adds an iteration without range checks or poll; the latch alone took 1.23 of the CPU
 * (a counted, unrolled loop that keeps a check per access). The body is read only when an
 * {@code i32.ne} or {@code br_if} that may be a latch's is emitted, or an access after a
 * {@code loop} ({@code FunctionEmitter}).
 */
final class CountedLatches extends InstructionScanner {
    /**
     * The latches' tests by module offset: for an {@code i32.ne}, the wasm opcode it is emitted as;
     * for a {@code br_if}, the JVM jump that tests its operand.
     */
    private final Map<Integer, Integer> tests = new HashMap<>();
    /**
     * The module offsets of each counted loop's {@code loop} and latch {@code br_if}, in pairs: the
     * accesses between them take {@code CountedAccess}'s {@code int} check ({@link #inCountedLoop}).
     */
    private final List<int[]> countedLoops = new ArrayList<>();
    /** The module offset of the instruction being read. */
    private int offset;
    /** The open constructs, innermost last: a loop's frame holds its entry constants and its writes. */
    private final List<Frame> frames = new ArrayList<>();
    /** Locals set to an {@code i32.const} by the straight-line code since the last join, with their values. */
    private Map<Integer, Integer> constants = new HashMap<>();
    /** The last instructions read, as opcode and immediate, for the latch sequence before a loop's end. */
    private final int[] recentOps = new int[RECENT];
    private final long[] recentArgs = new long[RECENT];
    private final int[] recentOffsets = new int[RECENT];
    private int recent;

    /** The latch sequence, {@code end} excluded: {@code local.get i; i32.const s; i32.add; local.tee i; i32.const n; i32.ne; br_if 0}. */
    private static final int[] LATCH = {Opcodes.LOCAL_GET, Opcodes.I32_CONST, Opcodes.I32_ADD, Opcodes.LOCAL_TEE,
            Opcodes.I32_CONST, Opcodes.I32_NE, Opcodes.BR_IF};
    /** The latch sequence of a loop that ends at 0, {@code end} excluded: {@code local.get i; i32.const s; i32.add; local.tee i; br_if 0}. */
    private static final int[] ZERO_LATCH = {Opcodes.LOCAL_GET, Opcodes.I32_CONST, Opcodes.I32_ADD, Opcodes.LOCAL_TEE,
            Opcodes.BR_IF};
    /** How many recent instructions are kept: the latch sequence and the loop's {@code end}. */
    private static final int RECENT = LATCH.length + 1;

    private static final class Frame {
        final boolean loop;
        /** The module offset of the construct's opening instruction. */
        final int start;
        /** For a loop: the constants its locals hold at entry; the locals it writes, with how often. */
        final Map<Integer, Integer> entry;
        final Map<Integer, Integer> writes = new HashMap<>();

        Frame(boolean loop, int start, Map<Integer, Integer> entry) {
            this.loop = loop;
            this.start = start;
            this.entry = entry;
        }
    }

    private CountedLatches() {}

    /** The counted latches of {@code body}. */
    static CountedLatches of(FunctionBody body) {
        CountedLatches analysis = new CountedLatches();
        CodeReader.read(body.code(), body.offset(), analysis);
        return analysis;
    }

    /** The opcode to emit for the {@code i32.ne} at module offset {@code offset}: {@code i32.ne} itself unless it is a counted latch's. */
    int comparison(int offset) {
        return tests.getOrDefault(offset, Opcodes.I32_NE);
    }

    /**
     * The JVM jump that tests the operand of the {@code br_if} at module offset {@code offset}:
     * {@code ifne} unless it is a counted latch's, whose loop ends at 0.
     */
    int branchTest(int offset) {
        return tests.getOrDefault(offset, IFNE);
    }

    /**
     * Whether the instruction at module offset {@code offset} lies in a loop that C2 counts, between
     * its {@code loop} and its latch: a load or store there is checked on its {@code int} address,
     * which C2's range check elimination removes from the loop ({@code MemoryEmitter}).
     */
    boolean inCountedLoop(int offset) {
        for (int[] loop : countedLoops) {
            if (loop[0] < offset && offset < loop[1]) return true;
        }
        return false;
    }

    /** Every instruction takes a place in the recent ones, as no opcode until its visit says which. */
    @Override
    public void visitOffset(int offset) {
        this.offset = offset;
        int at = recent++ % RECENT;
        recentOps[at] = -1;
        recentOffsets[at] = offset;
    }

    private void note(int opcode, long arg) {
        int at = (recent - 1) % RECENT;
        recentOps[at] = opcode;
        recentArgs[at] = arg;
    }

    /** A join or a jump: the straight-line constants end, and no latch sequence spans it. */
    private void join() {
        if (!constants.isEmpty()) constants = new HashMap<>();
        recent = 0;
    }

    @Override
    public void visitInsn(int opcode) {
        note(opcode, 0);
        if (opcode == Opcodes.RETURN || opcode == Opcodes.UNREACHABLE || opcode == Opcodes.THROW_REF) join();
    }

    @Override
    public void visitI32Const(int value) {
        note(Opcodes.I32_CONST, value);
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) {
            int last = (recent - 2) % RECENT;
            if (opcode == Opcodes.LOCAL_SET && recent > 1 && recentOps[last] == Opcodes.I32_CONST) {
                constants.put(index, (int) recentArgs[last]);
            } else {
                constants.remove(index);
            }
            for (Frame frame : frames) {
                if (frame.loop) frame.writes.merge(index, 1, Integer::sum);
            }
        }
        note(opcode, index);
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        // A block is entered straight from the code before it, so the constants hold inside it; a
        // loop's hold at its entry only (a back edge may bring other values to its header), an if's
        // arms and an exception handler's construct are entered by jumps.
        boolean loop = opcode == Opcodes.LOOP;
        frames.add(new Frame(loop, offset, loop ? Map.copyOf(constants) : Map.of()));
        if (opcode == Opcodes.BLOCK) recent = 0;
        else join();
    }

    @Override
    public void visitEnd() {
        if (!frames.isEmpty()) {
            Frame frame = frames.removeLast();
            if (frame.loop) latch(frame);
        }
        join();
    }

    /**
     * Records the latch of the loop {@code frame} that ends here, if the instructions before its end
     * are one that counts: {@code local.get i; i32.const s; i32.add; local.tee i}, then
     * {@code i32.const n; i32.ne; br_if 0} or, for {@code n} 0, {@code br_if 0} alone.
     */
    private void latch(Frame frame) {
        if (matches(LATCH, 1)) {
            int first = recent - 1 - LATCH.length;
            count(frame, first, arg(first + 4), first + 5, first + 6, Opcodes.I32_LT_S, Opcodes.I32_GT_S);
        } else if (matches(ZERO_LATCH, 1)) {
            int first = recent - 1 - ZERO_LATCH.length;
            count(frame, first, 0, first + 4, first + 4, IFLT, IFGT);
        }
    }

    /** Whether the {@code pattern.length} instructions before the last {@code skip} read are {@code pattern}. */
    private boolean matches(int[] pattern, int skip) {
        int first = recent - skip - pattern.length;
        if (first < 0) return false;
        for (int i = 0; i < pattern.length; i++) {
            if (recentOps[(first + i) % RECENT] != pattern[i]) return false;
        }
        return true;
    }

    private long arg(int at) {
        return recentArgs[at % RECENT];
    }

    private int offsetOf(int at) {
        return recentOffsets[at % RECENT];
    }

    /**
     * Records {@code upward} (a positive stride) or {@code downward} for the test at recent
     * instruction {@code test}, of the increment that starts at recent instruction {@code first} and
     * the {@code br_if} at {@code branch}, if the rule holds.
     */
    private void count(Frame frame, int first, long limit, int test, int branch, int upward, int downward) {
        int local = (int) arg(first);
        long stride = arg(first + 1);
        if (arg(first + 3) != local || arg(branch) != 0) return;
        Integer start = frame.entry.get(local);
        if (start == null || frame.writes.getOrDefault(local, 0) != 1 || stride == 0) return;
        long distance = limit - start;
        if (distance == 0 || (distance > 0) != (stride > 0) || distance % stride != 0) return;
        tests.put(offsetOf(test), stride > 0 ? upward : downward);
        countedLoops.add(new int[] {frame.start, offsetOf(branch)});
    }

    @Override
    public void visitElse() {
        join();
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        note(opcode, labelidx);
        // Past a br_if not taken the straight-line code goes on; past a br nothing reaches.
        if (opcode != Opcodes.BR_IF) join();
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        join();
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        frames.add(new Frame(false, offset, Map.of()));
        join();
    }

    @Override
    public void visitCatch(int tagidx) {
        join();
    }

    @Override
    public void visitDelegate(int labelidx) {
        if (!frames.isEmpty()) frames.removeLast();
        join();
    }

    @Override
    public void visitThrow(int tagidx) {
        join();
    }

    @Override
    public void visitRethrow(int labelidx) {
        join();
    }

}
