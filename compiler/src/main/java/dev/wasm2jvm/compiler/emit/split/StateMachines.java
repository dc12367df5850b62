package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.body.ControlEmitter;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.Push;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.ICONST_M1;
import static org.objectweb.asm.Opcodes.IFLT;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INEG;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.SWAP;

/**
 * The state machines of the nests of blocks ({@link BlockNest}) that run in one method of a split
 * function, lowered through the control emitter's remote blocks. The method holding a nest opens
 * block 1 as any block and the others as remote blocks, whose ends are in the nest's groups: a
 * branch to block {@code k} sets the machine's state to {@code k} and jumps to the nest's
 * dispatcher, placed where the entry ends (at the end of block 2), which {@link OutlinedCalls}
 * lowers. A group's method opens ordinary blocks for the nest's blocks its code closes and enters
 * at the state it is called with ({@link #enter}).
 */
final class StateMachines {
    /** The most blocks of one nest that a {@code br_table} reaches through code of their own, rather than through a lookup table. */
    private static final int MAX_STATE_TRAMPOLINES = 8;

    /**
     * A nest running in this method: the slot holding its next state, its dispatcher, and the mark
     * of the method's scratch locals from before the slot, given back once the dispatcher is placed.
     * Its {@code equals} and {@code hashCode} are written out, with the hash a record's would have:
     * the record's own, through method handles, were 0.2% of the SQLite shell's compiling thread
     * (the machines a {@code br_table} reaches, a map's keys per target).
     */
    record Machine(BlockNest nest, int slot, Label dispatcher, int mark) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Machine m && slot == m.slot && mark == m.mark && nest.equals(m.nest)
                    && dispatcher.equals(m.dispatcher);
        }

        @Override
        public int hashCode() {
            return ((31 * nest.hashCode() + slot) * 31 + dispatcher.hashCode()) * 31 + mark;
        }
    }

    /** A remote block: block {@code state} of {@code machine}'s nest, whose end is state {@code state}. */
    private record Remote(Machine machine, int state) {}

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;
    private final ControlEmitter control;
    private final Outlining outlining;
    /** The nests whose blocks are open, innermost first. */
    private final Deque<Machine> running = new ArrayDeque<>();
    /** The remote blocks opened in this method, by the number the control emitter knows them by. */
    private final List<Remote> remotes = new ArrayList<>();
    /**
     * For each running nest, where the code of each of its states but state 1 starts, and where
     * this method goes on reading, at the {@code end} of the next block out: that code is its
     * groups', and unreachable here.
     */
    private final NavigableMap<Integer, Integer> statesCode = new TreeMap<>();
    /**
     * The first key of {@link #statesCode}: every instruction asks whether it starts a state's
     * code, and one compare answers for all but those few (a boxed lookup per instruction was 2.1%
     * of the SQLite shell's compiling thread).
     */
    private int nextStatesCode = Integer.MAX_VALUE;

    StateMachines(MethodVisitor mv, ModuleLayout layout, Locals locals, ControlEmitter control, Outlining outlining) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.control = control;
        this.outlining = outlining;
    }

    /**
     * The prologue of the method of {@code group}, called with its state in {@code slot}: opens
     * the blocks of the nest that the group's code closes, those of states
     * {@code first - 1..last - 1}, and jumps to the state, state {@code last} being the code that
     * follows and each earlier one the end of the block that many labels further out.
     */
    static void enter(MethodVisitor mv, ControlEmitter control, int slot, BlockNest.Group group) {
        int first = group.first();
        int last = group.last();
        for (int k = 0; k < group.blocks(); k++) control.visitBlock(Opcodes.BLOCK, BlockType.EMPTY);
        Label next = new Label();
        Label[] states = new Label[last - first + 1];
        for (int k = first; k < last; k++) states[k - first] = control.blockLabel(last - 1 - k);
        states[last - first] = next;
        mv.visitVarInsn(ILOAD, slot);
        mv.visitTableSwitchInsn(first, last, next, states);
        mv.visitLabel(next);
    }

    /**
     * Opens the block at {@code position} if it is a block of a nest run as a state machine, and
     * says whether it did: block 1 starts the machine and ends in this method, the others are remote.
     */
    boolean open(int position, BlockType blocktype) {
        Outlining.Link link = outlining.link(position);
        if (link == null) return false;
        if (link.k() == 1) {
            int mark = locals.mark();
            BlockNest nest = link.nest();
            // The dispatcher is jumped back to from the code of the groups after it.
            int slot = locals.borrow(ValType.I32);
            running.push(new Machine(nest, slot, locals.loopStart(), mark));
            for (int k = 2; k <= nest.size(); k++) statesCode.put(nest.block(k).end, nest.block(k - 1).end - 1);
            if (!statesCode.isEmpty()) nextStatesCode = statesCode.firstKey();
            control.visitBlock(Opcodes.BLOCK, blocktype);
        } else {
            remotes.add(new Remote(running.peek(), link.k()));
            control.openRemoteBlock(remotes.size() - 1);
        }
        return true;
    }

    /** As {@link dev.wasm2jvm.compiler.emit.body.SplitMethod.Ops#passStates}. */
    int passStates(int position) {
        if (position < nextStatesCode) return -1;
        Integer next = statesCode.remove(position);
        nextStatesCode = statesCode.isEmpty() ? Integer.MAX_VALUE : statesCode.firstKey();
        return next == null ? -1 : next;
    }

    /** Goes to the state of remote block {@code block}: stores it in its machine's slot and jumps to the dispatcher, which runs it. */
    void toState(int block) {
        Remote remote = remotes.get(block);
        Push.intConst(mv, remote.state());
        mv.visitVarInsn(ISTORE, remote.machine().slot());
        mv.visitJumpInsn(GOTO, remote.machine().dispatcher());
    }

    /**
     * The nest whose entry the end of remote block {@code block} closes, which is done with now (its
     * dispatcher belongs here): the end of its block 2; else {@code null}.
     */
    Machine entryDone(int block) {
        return remotes.get(block).state() == 2 ? running.pop() : null;
    }

    /**
     * Lowers a {@code br_table}, its index on top of the stack, through a map of states if it reaches
     * more than {@link #MAX_STATE_TRAMPOLINES} blocks of one running nest, and says whether it did: a
     * static {@code int[]} maps each index to the state of its target if that is such a block, which
     * goes to the dispatcher, or else to {@code -1 - ordinal} of the target among the others, reached
     * through a tableswitch.
     */
    boolean branchTable(int[] labels, int defaultLabel, int offset) {
        if (running.isEmpty()) return false;
        Map<Machine, Set<Integer>> reached = new LinkedHashMap<>();
        for (int i = 0; i <= labels.length; i++) {
            int label = i < labels.length ? labels[i] : defaultLabel;
            int block = control.remoteBlock(label);
            if (block >= 0) reached.computeIfAbsent(remotes.get(block).machine(), m -> new HashSet<>()).add(label);
        }
        Machine machine = null;
        int count = MAX_STATE_TRAMPOLINES;
        for (Map.Entry<Machine, Set<Integer>> e : reached.entrySet()) {
            if (e.getValue().size() > count) {
                machine = e.getKey();
                count = e.getValue().size();
            }
        }
        if (machine == null) return false;
        Map<Integer, Integer> others = new LinkedHashMap<>();
        int[] map = new int[labels.length];
        for (int i = 0; i < labels.length; i++) map[i] = stateOrOrdinal(labels[i], machine, others);
        int dflt = stateOrOrdinal(defaultLabel, machine, others);
        Label inRange = new Label();
        Label mapped = new Label();
        mv.visitInsn(DUP);
        Push.intConst(mv, labels.length);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFLT, inRange);
        mv.visitInsn(POP);
        Push.intConst(mv, dflt);
        mv.visitJumpInsn(GOTO, mapped);
        mv.visitLabel(inRange);
        mv.visitFieldInsn(GETSTATIC, layout.owner, layout.brTableMap(offset, map), "[I");
        mv.visitInsn(SWAP);
        mv.visitInsn(IALOAD);
        mv.visitLabel(mapped);
        Label other = new Label();
        if (!others.isEmpty()) {
            mv.visitInsn(DUP);
            mv.visitJumpInsn(IFLT, other);
        }
        mv.visitVarInsn(ISTORE, machine.slot());
        // The nest's blocks are all at one height: each opens the body of the one before, taking nothing.
        control.dropFor(reached.get(machine).iterator().next());
        mv.visitJumpInsn(GOTO, machine.dispatcher());
        if (others.isEmpty()) return true;
        mv.visitLabel(other);
        mv.visitInsn(INEG);
        mv.visitInsn(ICONST_M1);
        mv.visitInsn(IADD);
        Label[] targets = new Label[others.size()];
        for (int i = 0; i < targets.length; i++) targets[i] = new Label();
        mv.visitTableSwitchInsn(0, targets.length - 1, targets[0], targets);
        for (Map.Entry<Integer, Integer> e : others.entrySet()) {
            mv.visitLabel(targets[e.getValue()]);
            control.branch(e.getKey());
        }
        return true;
    }

    /** The state of {@code label} if it is a block of {@code machine}'s nest, else {@code -1 - } its ordinal in {@code others}. */
    private int stateOrOrdinal(int label, Machine machine, Map<Integer, Integer> others) {
        int block = control.remoteBlock(label);
        if (block >= 0 && remotes.get(block).machine() == machine) return remotes.get(block).state();
        return -1 - others.computeIfAbsent(label, l -> others.size());
    }
}
