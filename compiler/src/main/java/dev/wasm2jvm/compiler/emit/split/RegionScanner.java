package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.LoopNesting;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Finds the regions of a function body: the tree of its constructs and what each one touches.
 *
 * <p>A sequence or a group of states, scanned once the tree is whole, holds constructs of the tree
 * whose facts are known: the scan passes over each of them where it starts ({@link #resumeAt}) and
 * absorbs the tree's region, as it would absorb the one it made reading that code again, so that
 * it reads only the code that lies directly in the sequence's region or in the blocks that the
 * group closes. Read whole, the groups' code was 1.5 to 1.6% of the SQLite shell's compiling
 * thread, 0.4 to 0.55% so (async-profiler, 20 rounds with {@code --library}).
 */
public final class RegionScanner extends InstructionScanner {
    /** The size of a {@code block} of type {@code [] -> []}: its opcode and its empty block type. */
    private static final int PLAIN_BLOCK_SIZE = 2;
    private final WasmModule module;
    private final int base;
    private final Deque<Region> open = new ArrayDeque<>();
    private int position;
    /** The construct whose first instruction comes next, or {@code null}. */
    private Region opened;
    /** The position and entries of the {@code br_table} just read, or -1. */
    private int tableAt = -1;
    private int tableEntries;
    /** A legacy {@code try} just closed by {@code delegate}, which ends where the next instruction starts; or {@code null}. */
    private Region delegated;
    /** The regions of the tree that the code scanned holds, in order, passed over where each starts; the next at {@link #nextScanned}. */
    private final List<Region> scanned;
    private int nextScanned;

    private RegionScanner(WasmModule module, int base, Region root, List<Region> scanned) {
        this.module = module;
        this.base = base;
        this.scanned = scanned;
        open.push(root);
    }

    /**
     * The facts of the instruction sequence {@code [start, end)} of {@code body}, which lies directly
     * in {@code parent} and turns the frame's stack of {@code type}'s params into one of its results.
     */
    static Region scanSequence(WasmModule module, FunctionBody body, Region parent, int start, int end, FuncType type) {
        Region sequence = new Region(parent, Region.SEQUENCE, type, start);
        // No child straddles a sequence's bounds.
        List<Region> inside = new ArrayList<>();
        for (Region child : parent.children) {
            if (child.start >= start && child.end <= end) inside.add(child);
        }
        RegionScanner scanner = new RegionScanner(module, body.offset(), sequence, inside);
        CodeReader.readPart(body.code(), start, end, body.offset(), 0, scanner);
        scanner.reach(end);
        sequence.end = end;
        return sequence;
    }

    /**
     * The facts of a group of states of a {@link BlockNest}, the code from position {@code start} to
     * {@code end} of {@code body}, which closes the nest's blocks {@code closed} (outermost first,
     * each the first instruction of the one before) around it: its method opens blocks standing for
     * them before that code, and so does the scan, as if they were the plain blocks of two bytes each
     * just before {@code start}. Its branches out are counted from the region around the outermost of
     * those blocks, its parent.
     */
    static Region scanGroup(WasmModule module, FunctionBody body, List<Region> closed, int start, int end) {
        Region group = new Region(closed.getFirst().parent, Region.STATES, FuncType.EMPTY, start);
        int blocks = closed.size();
        // The blocks' constructs but the next block in, in code order: the innermost block's code comes first.
        List<Region> inside = new ArrayList<>();
        for (int k = blocks - 1; k >= 0; k--) {
            List<Region> children = closed.get(k).children;
            inside.addAll(children.subList(1, children.size()));
        }
        RegionScanner scanner = new RegionScanner(module, body.offset(), group, inside);
        for (int k = blocks; k > 0; k--) {
            scanner.reach(start - PLAIN_BLOCK_SIZE * k);
            scanner.visitBlock(Opcodes.BLOCK, BlockType.EMPTY);
        }
        CodeReader.readPart(body.code(), start, end, body.offset(), blocks, scanner);
        scanner.reach(end);
        group.end = end;
        return group;
    }

    /**
     * The calls of {@code body}, weighed as {@link JvmLimits#callWeight} says: its region tree's
     * {@link Region#calls}, counted without building the tree, for a function that may not need it.
     */
    public static int calls(FunctionBody body) {
        CallWeights weights = new CallWeights();
        CodeReader.read(body.code(), body.offset(), weights);
        return weights.calls;
    }

    /** Sums the weights of the calls that the scanner adds to its regions, instruction by instruction. */
    private static final class CallWeights extends InstructionScanner {
        int calls;

        @Override
        public void visitInsn(int opcode) {
            if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) calls += JvmLimits.simdCallWeight(opcode);
        }

        @Override
        public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
            calls += JvmLimits.callWeight(opcode);
        }

        @Override
        public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
            calls += JvmLimits.callWeight(opcode);
        }

        @Override
        public void visitCall(int funcidx) {
            calls += JvmLimits.callWeight(Opcodes.CALL);
        }

        @Override
        public void visitCallIndirect(int typeidx, int tableidx) {
            calls += JvmLimits.callWeight(Opcodes.CALL_INDIRECT);
        }
    }

    /**
     * Whether {@code body} has a loop that holds, with the loops in it, at least
     * {@link JvmLimits#SIMD_LOOP} SIMD instructions that compute: its region tree's {@link Region#simd},
     * found without building the tree, for every function of a module. A body without the SIMD
     * prefix byte anywhere has none and is not decoded.
     */
    static boolean holdsSimdLoop(FunctionBody body) {
        if (!holdsPrefix(body.code(), (byte) Opcodes.PREFIX_SIMD)) return false;
        SimdLoops loops = new SimdLoops();
        CodeReader.read(body.code(), body.offset(), loops);
        return loops.found;
    }

    private static boolean holdsPrefix(byte[] code, byte prefix) {
        for (byte b : code) {
            if (b == prefix) return true;
        }
        return false;
    }

    /** Counts, per open construct, the SIMD instructions that the scanner adds to its regions' {@link Region#simd}. */
    private static final class SimdLoops extends LoopNesting {
        /** The open constructs' counts, the function body's at 0. */
        private int[] counts = new int[16];
        boolean found;

        @Override
        protected void opened(boolean loop) {
            if (depth() == counts.length) counts = Arrays.copyOf(counts, 2 * depth());
            counts[depth()] = 0;
        }

        @Override
        protected void closed(boolean loop) {
            found |= loop && counts[depth()] >= JvmLimits.SIMD_LOOP;
            counts[depth() - 1] += counts[depth()];
        }

        @Override
        public void visitInsn(int opcode) {
            if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) counts[depth()]++;
        }

        @Override
        public void visitShuffle(byte[] lanes) {
            counts[depth()]++;
        }

        @Override
        public void visitLane(int opcode, int lane) {
            counts[depth()]++;
        }
    }

    /**
     * The region tree of {@code body}, rooted at the whole body; {@code flow}, for the body's
     * offset, records its instructions from the same reading.
     */
    static Region scan(WasmModule module, FunctionBody body, FuncType type, FlowInstructions flow) {
        Region root = new Region(null, -1, type, 0);
        CodeReader.read(body.code(), body.offset(), new Tee(new RegionScanner(module, body.offset(), root, List.of()), flow));
        root.end = body.code().length;
        return root;
    }

    @Override
    public void visitOffset(int offset) {
        reach(offset - base);
    }

    /** Passes over the next region of the tree already scanned where it starts, absorbing it whole. */
    @Override
    public int resumeAt(int offset) {
        if (nextScanned == scanned.size() || scanned.get(nextScanned).start != offset - base) return offset;
        Region known = scanned.get(nextScanned++);
        open.peek().absorb(known);
        return base + known.end;
    }

    /**
     * Reading reaches {@code position} of the body, an instruction's or the end of the range
     * scanned: what the instruction before left open (a {@code br_table}'s size, a construct's
     * first instruction, a delegated {@code try}'s end) is settled.
     */
    private void reach(int position) {
        this.position = position;
        if (tableAt >= 0) {
            open.peek().tableBytes += position - tableAt;
            open.peek().tableCode += JvmLimits.brTableCode(tableEntries);
            tableAt = -1;
        }
        if (opened != null) {
            opened.bodyStart = position;
            opened = null;
        }
        if (delegated != null) {
            delegated.end = position;
            delegated = null;
        }
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        opened = new Region(open.peek(), opcode, blocktype.resolve(module), position);
        open.push(opened);
    }

    @Override
    public void visitEnd() {
        if (open.size() == 1) return;
        Region closed = open.pop();
        closed.end = position + 1;
        open.peek().absorb(closed);
    }

    /** A {@code try_table}: a block whose clauses branch out of it. */
    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        visitBlock(Opcodes.TRY_TABLE, blocktype);
        // Counted from outside the try_table, whose body this branch is in.
        for (Catch c : catches) branch(c.labelidx() + 1);
    }

    @Override
    public void visitDelegate(int labelidx) {
        Region closed = open.pop();
        delegated = closed;
        open.peek().absorb(closed);
        // Counted from outside the try, as a branch from the code around it.
        exceptionLabel(labelidx);
    }

    @Override
    public void visitRethrow(int labelidx) {
        exceptionLabel(labelidx);
    }

    /** A label that a rethrow or delegate names, recorded if it lies outside the innermost region. */
    private void exceptionLabel(int labelidx) {
        Region r = open.peek();
        if (r.opcode == Region.SEQUENCE) r.exceptionEscapes.add(labelidx);
        else if (labelidx > 0 && open.size() > 1) r.exceptionEscapes.add(labelidx - 1);
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        branch(labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        for (int l : labels) branch(l);
        branch(defaultLabel);
        tableAt = position;
        tableEntries = labels.length;
    }

    private void branch(int labelidx) {
        Region r = open.peek();
        // Label 0 of a construct's body is the construct itself; a sequence has no label of its own;
        // the function body has no outside.
        if (r.opcode == Region.SEQUENCE) r.escape(labelidx);
        else if (labelidx > 0 && open.size() > 1) r.escape(labelidx - 1);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode == Opcodes.RETURN) open.peek().returns = true;
        if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) {
            open.peek().calls += JvmLimits.simdCallWeight(opcode);
            open.peek().simd++;
        }
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        open.peek().simd++;
    }

    @Override
    public void visitLane(int opcode, int lane) {
        open.peek().simd++;
    }

    @Override
    public void visitVariable(int opcode, int index) {
        switch (opcode) {
            case Opcodes.LOCAL_GET -> open.peek().reads.set(index);
            case Opcodes.LOCAL_SET -> open.peek().writes.set(index);
            case Opcodes.LOCAL_TEE -> open.peek().writes.set(index);
            default -> { }
        }
    }

    @Override
    public void visitElse() {
        open.peek().elseAt = position;
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        open.peek().calls += JvmLimits.callWeight(opcode);
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        open.peek().calls += JvmLimits.callWeight(opcode);
    }

    @Override
    public void visitCall(int funcidx) {
        open.peek().calls += JvmLimits.callWeight(Opcodes.CALL);
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        open.peek().calls += JvmLimits.callWeight(Opcodes.CALL_INDIRECT);
    }
}
