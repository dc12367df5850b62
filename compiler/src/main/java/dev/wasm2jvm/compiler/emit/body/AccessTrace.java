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
import java.util.List;

/**
 * What {@link ProvenAccesses} follows in a function body, recorded in one reading of it: the
 * accesses made through a local's current value, the writes of locals, the control flow, and the
 * locals each loop writes. The facts pass needs a loop's writes at its header, before it reads the
 * loop's body; recording the rest as it reads spares it a second decoding of the body, which was
 * 726 of the 1,358 samples the analysis took of the SQLite shell's compiling thread (the README's
 * "What it costs the compiler").
 *
 * <p>Which stack entry is an access's address is settled here, as the body is read: it does not
 * depend on the facts, only on which instructions push and pop what and which local writes come
 * between. It is followed through the instructions of known stack effect; any other instruction
 * forgets what the stack holds, which only makes fewer accesses proven. The class implements every
 * method of {@code InstructionVisitor} rather than a scanner's empty defaults, so that an
 * instruction added to the visitor cannot go by unmodelled and leave an address on the stack that
 * is no longer there.
 */
final class AccessTrace extends InstructionVisitor {
    /**
     * A load or store through a local's current value: its position. Its fact key and extent are the
     * next of {@link #keys} and {@link #extents}.
     */
    static final int ACCESS = 0;
    /** A {@code local.set} or {@code local.tee}: the local. */
    static final int WRITE = 1;
    static final int OPEN = 2;
    /** A {@code loop}: the loop's index among the body's loops, in order, in {@link #loopWrites}. */
    static final int OPEN_LOOP = 3;
    static final int OPEN_IF = 4;
    static final int ELSE = 5;
    static final int END = 6;
    /** A {@code br}: the label. */
    static final int BR = 7;
    /** A {@code br_if}: the label. */
    static final int BR_IF = 8;
    /** A {@code br_table}: its labels' index in {@link #tables}, the default last. */
    static final int BR_TABLE = 9;
    /** An instruction after which the code is unreachable until the next join. */
    static final int STOP = 10;

    /** A stack entry whose value is no local's known value. */
    private static final long UNKNOWN = -1;

    /**
     * The events recorded, in order: kind and argument (position, local, label or table). Sized for
     * an event per four bytes of code: the bodies of the SQLite shell, Sightglass {@code sqlite3} and
     * {@code regex} make 0.17 events per byte (nine in ten of them below 0.25), where arrays doubled
     * from 64 grew in 727 of the shell's 1,969 bodies (the copies 0.5% of its compiling thread).
     */
    byte[] kinds;
    int[] args;
    int count;
    /**
     * Of each {@link #ACCESS} event in order, its fact key and extent: apart from the events, so that
     * the arrays made for every body hold longs for its accesses alone, not for every event (the
     * trace's set-up, mostly zeroing those arrays, was 0.38% of Sightglass {@code sqlite3}'s compiling
     * thread with a pair of longs per event, 0.24 to 0.34% without). Sized for an access per ten bytes of
     * code: Sightglass {@code sqlite3}, {@code regex} and the SQLite shell make 0.04 to 0.05 per
     * byte, and the arrays grow in 100, 3 and 24 of their 2,562, 907 and 1,969 bodies.
     */
    long[] keys;
    long[] extents;
    int accesses;
    /** How many events the facts pass follows: those up to the last access, as nothing after it can prove one. */
    int followed;
    final List<int[]> tables = new ArrayList<>();
    /** For each loop of the body in order, the locals its body writes, nested loops' included. */
    final List<BitSet> loopWrites;
    /** Whether the body handles exceptions, which leaves every check in place. */
    boolean handlesExceptions;

    private final int baseOffset;
    private final LoopWrites loops = new LoopWrites();
    private int offset;
    /** Of each local, how many writes the reading has gone by, so a stack entry knows whether it is still the local's value. */
    private int[] generations = new int[8];
    /** The top of the stack, as far as known: {@code local << 32 | generation}, or {@link #UNKNOWN}. */
    private long[] stack = new long[16];
    private int height;

    private AccessTrace(int baseOffset, int length) {
        this.baseOffset = baseOffset;
        kinds = new byte[Math.max(16, length / 4)];
        args = new int[kinds.length];
        keys = new long[Math.max(4, length / 10)];
        extents = new long[keys.length];
        loopWrites = loops.byLoop;
    }

    /** The trace of {@code body}, read once. */
    static AccessTrace of(FunctionBody body) {
        AccessTrace trace = new AccessTrace(body.offset(), body.code().length);
        CodeReader.read(body.code(), body.offset(), trace);
        return trace;
    }

    /** The fact key of accesses of memory {@code memidx} through local {@code localidx}. */
    static long key(int memidx, int localidx) {
        return (long) memidx << 32 | localidx;
    }

    private void add(int kind, int arg) {
        if (count == kinds.length) {
            kinds = Arrays.copyOf(kinds, 2 * count);
            args = Arrays.copyOf(args, 2 * count);
        }
        kinds[count] = (byte) kind;
        args[count] = arg;
        count++;
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
        if (offset < 0 || address == UNKNOWN) return;
        int local = (int) address;
        if ((int) (address >>> 32) != generations[local]) return;
        add(ACCESS, this.offset - baseOffset);
        if (accesses == keys.length) {
            keys = Arrays.copyOf(keys, 2 * accesses);
            extents = Arrays.copyOf(extents, 2 * accesses);
        }
        keys[accesses] = key(memidx, local);
        extents[accesses] = offset + instruction.width();
        accesses++;
        followed = count;
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
            case Opcodes.UNREACHABLE, Opcodes.RETURN, Opcodes.THROW_REF -> stop();
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
        for (int i = instruction.results(); i > 0; i--) push(UNKNOWN);
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
        stop();
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        stop();
    }

    @Override
    public void visitThrow(int tagidx) {
        stop();
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        forgetStack();
        loops.visitBlock(opcode, blocktype);
        switch (opcode) {
            case Opcodes.LOOP -> add(OPEN_LOOP, loopWrites.size() - 1);
            case Opcodes.IF -> add(OPEN_IF, 0);
            case Opcodes.TRY -> {
                handlesExceptions = true;
                add(OPEN, 0);
            }
            default -> add(OPEN, 0);
        }
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        handlesExceptions = true;
        forgetStack();
        loops.visitTryTable(blocktype, catches);
        add(OPEN, 0);
    }

    @Override
    public void visitCatch(int tagidx) {
        handlesExceptions = true;
        stop();
    }

    @Override
    public void visitDelegate(int labelidx) {
        handlesExceptions = true;
        forgetStack();
        loops.visitDelegate(labelidx);
        add(END, 0);
    }

    @Override
    public void visitRethrow(int labelidx) {
        stop();
    }

    @Override
    public void visitElse() {
        forgetStack();
        add(ELSE, 0);
    }

    @Override
    public void visitEnd() {
        forgetStack();
        loops.visitEnd();
        add(END, 0);
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        forgetStack();
        add(opcode == Opcodes.BR ? BR : BR_IF, labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        forgetStack();
        int[] all = Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = defaultLabel;
        add(BR_TABLE, tables.size());
        tables.add(all);
    }

    private void stop() {
        forgetStack();
        add(STOP, 0);
    }

    private void write(int localidx) {
        generation(localidx);
        generations[localidx]++;
        loops.written(localidx);
        add(WRITE, localidx);
    }

    private long current(int localidx) {
        return (long) generation(localidx) << 32 | localidx;
    }

    private int generation(int localidx) {
        if (localidx >= generations.length) generations = Arrays.copyOf(generations, Math.max(localidx + 1, 2 * generations.length));
        return generations[localidx];
    }

    private void push(long entry) {
        if (height == stack.length) stack = Arrays.copyOf(stack, 2 * height);
        stack[height++] = entry;
    }

    /** Pops {@code count} entries, returning the last popped: what lay deepest, or {@link #UNKNOWN} below what is known. */
    private long pop(int count) {
        long entry = UNKNOWN;
        for (int i = 0; i < count; i++) entry = height == 0 ? UNKNOWN : stack[--height];
        return entry;
    }

    private void forgetStack() {
        height = 0;
    }

    /** The locals each loop's body writes, nested loops' included, in the order the loops open. */
    private static final class LoopWrites extends LoopNesting {
        final List<BitSet> byLoop = new ArrayList<>();
        /** The locals written so far in each open loop, the innermost first. */
        private final ArrayDeque<BitSet> open = new ArrayDeque<>();

        @Override
        protected void opened(boolean loop) {
            if (!loop) return;
            BitSet written = new BitSet();
            byLoop.add(written);
            open.push(written);
        }

        /** A loop's writes are its enclosing loop's too. */
        @Override
        protected void closed(boolean loop) {
            if (!loop) return;
            BitSet written = open.pop();
            if (!open.isEmpty()) open.peek().or(written);
        }

        void written(int localidx) {
            if (!open.isEmpty()) open.peek().set(localidx);
        }
    }
}
