package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.LoopNesting;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loads and stores of a function body whose bounds check an earlier access already made (issue
 * 12): such an access calls a {@code MemoryAccess} helper without one.
 *
 * <p><b>The rule.</b> A load or store whose address operand is the value of {@code local.get L}
 * (or of {@code local.tee L}) while {@code L} still holds it, of memory {@code m}, with
 * {@code memarg.offset} {@code o} and width {@code w}, is proven when every path to it executed an
 * access of {@code m} through the same value of {@code L} with an extent {@code o' + w' >= o + w}.
 * That access did not trap, so {@code zext(L) + o' + w'} was at most {@code m}'s size then, and a
 * memory's size never shrinks: the runtime's {@code Memory.grow} is the only thing that replaces
 * its segment, with a longer one, for every kind of memory (shared, memory64, imported: an import
 * is the same {@code Memory} object). An unshared memory may move when it grows (copied into a
 * larger allocation or its reservation), but only its own thread grows it, and the segment an
 * access is given follows every growth of that thread: memory 0's cached segment is reloaded after
 * anything that may grow it ({@code memory.grow}, calls that may), any other memory's is read at
 * each access. A shared memory, which other threads grow, is reserved at its maximum and never
 * moves, so an older segment of it addresses the same bytes. So {@code zext(L) + o + w} lies within
 * the memory the access reaches, whatever ran in between: calls, {@code memory.grow}, other
 * threads. For a 64-bit memory the address does not
 * wrap either: the earlier access would have trapped. Nothing is checked early: an access is
 * elided only when one that already executed proved it, so every trap stays where wasm has it.
 *
 * <p><b>The analysis</b>, one forward pass over the structured code: the fact set maps a memory and
 * a local to the largest extent proven for the local's current value. An access through a local adds
 * its extent after it; {@code local.set} and {@code local.tee} of the local drop its facts (they are
 * the only instructions that write a local: a split function's frame restore writes back the values
 * the locals held, the same values). Where paths join, the facts are those of every incoming edge,
 * each at the smallest extent: at the end of a {@code block} or {@code if} (its branches, its
 * fallthrough, an {@code if} without {@code else} its condition's edge too). A {@code loop} header
 * keeps the facts of its entry only for the locals its body never writes: a back edge is reached
 * from the header through the body alone, so such a local holds the entry's value there. After an
 * unconditional branch, {@code return} or {@code unreachable} the code is unreachable until the next
 * join. A body with exception handling ({@code try_table}, legacy {@code try}) is left with every
 * check: a throw from any call in it reaches its handlers. Which stack entry is the address is
 * followed through the instructions of known stack effect; any other instruction forgets what the
 * stack holds, which only makes fewer accesses proven. The class implements every method of
 * {@code InstructionVisitor} rather than a scanner's empty defaults, so that an instruction added
 * to the visitor cannot go by unmodelled and leave an address on the stack that is no longer there.
 *
 * <p><b>What it finds and what it gains</b> (the README's "Bounds checks proved by earlier
 * accesses" has the figures in full): statically 41 to 46% of the scalar loads and stores of the
 * Sightglass programs and the SQLite shell (richards 28%), a quarter to a third of the time spent in
 * access helpers by profile. Whole processes against the compiler without it, medians of the CPU
 * ratio: libsodium-sign 0.89, blind-sig 0.93, richards 0.94, regex and pulldown-cmark 0.97,
 * rust-html-rewriter 0.98, rust-json 0.99, the SQLite shell 0.99, Sightglass sqlite3 1.00 (12 to 14
 * pairs, 6 for the shell, load average 6 to 16). It costs the compiler about a tenth of its CPU
 * on the SQLite shell's module: the README says where.
 */
final class ProvenAccesses implements InstructionVisitor {
    /** A stack entry whose value is no local's known value. */
    private static final long UNKNOWN = -1;
    /**
     * The most facts held at once: copying and joining them at each {@code if} and {@code end} is
     * then bounded per instruction, so the pass stays linear in the body however many locals a
     * function accesses through; a fact not kept only leaves a later check in place.
     */
    static final int MAX_FACTS = 32;

    private final int baseOffset;
    private final BitSet proven = new BitSet();
    /** For each loop by its instruction's offset, the locals its body writes. */
    private final Map<Integer, BitSet> loopWrites;
    /** The facts at the current instruction, keyed by {@link #key}; {@code null} where it is unreachable. */
    private Map<Long, Long> facts = new HashMap<>();
    /** Of each local, how many writes the pass has gone by, so a stack entry knows whether it is still the local's value. */
    private int[] generations = new int[8];
    /** The top of the stack, as far as known: {@code local << 32 | generation}, or {@link #UNKNOWN}. */
    private final List<Long> stack = new ArrayList<>();
    /** The open constructs, innermost last: label {@code l} is {@code frames.get(frames.size() - 1 - l)}. */
    private final List<Frame> frames = new ArrayList<>();
    /** One more than the largest memory index accessed so far: the memories a local may have facts in. */
    private int memories;
    private int offset;
    private boolean handlesExceptions;

    private ProvenAccesses(int baseOffset, Map<Integer, BitSet> loopWrites) {
        this.baseOffset = baseOffset;
        this.loopWrites = loopWrites;
    }

    /** The proven accesses of {@code body}, by module offset. */
    static ProvenAccesses of(FunctionBody body) {
        LoopWrites writes = new LoopWrites();
        CodeReader.read(body.code(), body.offset(), writes);
        ProvenAccesses analysis = new ProvenAccesses(body.offset(), writes.byLoop);
        CodeReader.read(body.code(), body.offset(), analysis);
        if (analysis.handlesExceptions) analysis.proven.clear();
        return analysis;
    }

    /** Whether the load or store at module offset {@code offset} needs no bounds check. */
    boolean proven(int offset) {
        return offset >= baseOffset && proven.get(offset - baseOffset);
    }

    /** A construct's frame: what reaches its end, and an {@code if}'s facts at its condition. */
    private static final class Frame {
        final int opcode;
        /** The meet of the edges to the end so far; null while none reached it. */
        Map<Long, Long> atEnd;
        /** For an {@code if}: the facts at its condition, which its other arm starts with. */
        Map<Long, Long> atCondition;
        /** Whether the frame is an {@code if} whose {@code else} has not come: its condition's false edge goes to its end. */
        boolean falseEdgeToEnd;

        Frame(int opcode) {
            this.opcode = opcode;
        }
    }

    private static long key(int memidx, int localidx) {
        return (long) memidx << 32 | localidx;
    }

    @Override
    public void visitOffset(int offset) {
        this.offset = offset;
    }

    @Override
    public void visitVariable(int opcode, int index) {
        switch (opcode) {
            case Opcodes.LOCAL_GET -> push(current(index));
            case Opcodes.LOCAL_SET -> {
                pop(1);
                write(index);
            }
            case Opcodes.LOCAL_TEE -> {
                pop(1);
                write(index);
                push(current(index));
            }
            case Opcodes.GLOBAL_GET -> push(UNKNOWN);
            default -> pop(1);
        }
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        if (MemoryEmitter.helper(opcode) == null) {
            forgetStack();
            return;
        }
        Instruction instruction = Instructions.of(opcode);
        boolean store = instruction.operands() == 2;
        if (store) pop(1);
        long address = pop(1);
        if (!store) push(UNKNOWN);
        memories = Math.max(memories, memidx + 1);
        if (offset < 0 || address == UNKNOWN || facts == null) return;
        int local = (int) address;
        if ((int) (address >>> 32) != generations[local]) return;
        long extent = offset + instruction.width();
        Long known = facts.get(key(memidx, local));
        if (known != null && known >= extent) {
            proven.set(this.offset - baseOffset);
        } else if (known != null || facts.size() < MAX_FACTS) {
            facts.put(key(memidx, local), extent);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        switch (opcode) {
            case Opcodes.NOP -> { }
            case Opcodes.DROP -> pop(1);
            case Opcodes.SELECT -> {
                pop(3);
                push(UNKNOWN);
            }
            case Opcodes.UNREACHABLE, Opcodes.RETURN, Opcodes.THROW_REF -> unreachable();
            default -> plain(opcode);
        }
    }

    /** An instruction of fixed stack effect, or any other, whose effect on the stack is forgotten. */
    private void plain(int opcode) {
        Instruction instruction = Instructions.of(opcode);
        if (instruction.signature() == null) {
            forgetStack();
            return;
        }
        pop(instruction.operands());
        for (int i = instruction.type(ValType.I32).results().size(); i > 0; i--) push(UNKNOWN);
    }

    @Override public void visitI32Const(int value) { push(UNKNOWN); }
    @Override public void visitI64Const(long value) { push(UNKNOWN); }
    @Override public void visitF32Const(int bits) { push(UNKNOWN); }
    @Override public void visitF64Const(long bits) { push(UNKNOWN); }
    @Override public void visitV128Const(byte[] bytes) { push(UNKNOWN); }
    @Override public void visitLane(int opcode, int lane) { plain(opcode); }
    @Override public void visitShuffle(byte[] lanes) { forgetStack(); }
    @Override public void visitCall(int funcidx) { forgetStack(); }
    @Override public void visitCallIndirect(int typeidx, int tableidx) { forgetStack(); }
    @Override public void visitSelectTyped(ValType[] types) { forgetStack(); }
    @Override public void visitRefNull(ValType type) { push(UNKNOWN); }
    @Override public void visitRefFunc(int funcidx) { push(UNKNOWN); }
    @Override public void visitMemoryInsn(int opcode, int index, int index2) { forgetStack(); }
    @Override public void visitTableInsn(int opcode, int index, int index2) { forgetStack(); }
    @Override public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) { forgetStack(); }

    @Override
    public void visitReturnCall(int funcidx) {
        unreachable();
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        unreachable();
    }

    @Override
    public void visitThrow(int tagidx) {
        unreachable();
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        forgetStack();
        Frame frame = new Frame(opcode);
        switch (opcode) {
            case Opcodes.LOOP -> {
                BitSet written = loopWrites.get(offset);
                if (facts != null) facts.keySet().removeIf(key -> written.get((int) (long) key));
            }
            case Opcodes.IF -> {
                frame.atCondition = copy(facts);
                frame.falseEdgeToEnd = true;
            }
            case Opcodes.TRY -> handlesExceptions = true;
            default -> { }
        }
        frames.add(frame);
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        handlesExceptions = true;
        forgetStack();
        frames.add(new Frame(Opcodes.BLOCK));
    }

    @Override
    public void visitCatch(int tagidx) {
        handlesExceptions = true;
        forgetStack();
        facts = null;
    }

    @Override
    public void visitDelegate(int labelidx) {
        handlesExceptions = true;
        visitEnd();
    }

    @Override
    public void visitRethrow(int labelidx) {
        unreachable();
    }

    @Override
    public void visitElse() {
        forgetStack();
        Frame frame = frames.getLast();
        frame.atEnd = meet(frame.atEnd, facts);
        facts = frame.atCondition;
        frame.atCondition = null;
        frame.falseEdgeToEnd = false;
    }

    @Override
    public void visitEnd() {
        forgetStack();
        if (frames.isEmpty()) return;
        Frame frame = frames.removeLast();
        if (frame.opcode == Opcodes.LOOP) return;
        Map<Long, Long> joined = meet(frame.atEnd, facts);
        if (frame.falseEdgeToEnd) joined = meet(joined, frame.atCondition);
        facts = joined;
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        pop(1);
        branch(labelidx);
        if (opcode == Opcodes.BR) unreachable();
        else forgetStack();
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        for (int label : labels) branch(label);
        branch(defaultLabel);
        unreachable();
    }

    /** An edge to label {@code labelidx}: a block's or if's end takes the current facts; a loop's header takes none. */
    private void branch(int labelidx) {
        if (labelidx >= frames.size()) return;
        Frame target = frames.get(frames.size() - 1 - labelidx);
        if (target.opcode != Opcodes.LOOP) target.atEnd = meet(target.atEnd, facts);
    }

    private void unreachable() {
        forgetStack();
        facts = null;
    }

    /** The facts that hold on both edges: null is an edge that nothing reaches. */
    private static Map<Long, Long> meet(Map<Long, Long> a, Map<Long, Long> b) {
        if (a == null) return copy(b);
        if (b == null) return a;
        Map<Long, Long> both = new HashMap<>();
        a.forEach((key, extent) -> {
            Long other = b.get(key);
            if (other != null) both.put(key, Math.min(extent, other));
        });
        return both;
    }

    private static Map<Long, Long> copy(Map<Long, Long> facts) {
        return facts == null ? null : new HashMap<>(facts);
    }

    private void write(int localidx) {
        generation(localidx);
        generations[localidx]++;
        if (facts == null || facts.isEmpty()) return;
        for (int memidx = 0; memidx < memories; memidx++) facts.remove(key(memidx, localidx));
    }

    private long current(int localidx) {
        return (long) generation(localidx) << 32 | localidx;
    }

    private int generation(int localidx) {
        if (localidx >= generations.length) generations = Arrays.copyOf(generations, Math.max(localidx + 1, 2 * generations.length));
        return generations[localidx];
    }

    private void push(long entry) {
        stack.add(entry);
    }

    /** Pops {@code count} entries, returning the last popped: what lay deepest, or {@link #UNKNOWN} below what is known. */
    private long pop(int count) {
        long entry = UNKNOWN;
        for (int i = 0; i < count; i++) entry = stack.isEmpty() ? UNKNOWN : stack.removeLast();
        return entry;
    }

    private void forgetStack() {
        stack.clear();
    }

    /** The locals each loop's body writes, nested loops' included, by the loop instruction's offset. */
    private static final class LoopWrites extends LoopNesting {
        final Map<Integer, BitSet> byLoop = new HashMap<>();
        /** The locals written so far in each open loop, the innermost first. */
        private final ArrayDeque<BitSet> loops = new ArrayDeque<>();
        private int offset;

        @Override
        public void visitOffset(int offset) {
            this.offset = offset;
        }

        @Override
        protected void opened(boolean loop) {
            if (!loop) return;
            BitSet written = new BitSet();
            byLoop.put(offset, written);
            loops.push(written);
        }

        /** A loop's writes are its enclosing loop's too. */
        @Override
        protected void closed(boolean loop) {
            if (!loop) return;
            BitSet written = loops.pop();
            if (!loops.isEmpty()) loops.peek().or(written);
        }

        @Override
        public void visitVariable(int opcode, int index) {
            if ((opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) && !loops.isEmpty()) loops.peek().set(index);
        }
    }
}
