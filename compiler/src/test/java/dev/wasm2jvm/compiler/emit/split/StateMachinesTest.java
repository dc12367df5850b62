package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.LineEntries;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.STEP;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.adds;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.planned;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.SIPUSH;

/**
 * The state machine of a nest of blocks, lowered through the control emitter's remote blocks: the
 * states that the branches of the nest's method go to, the map of a {@code br_table} over many of
 * them, and where each group of states enters at the state it is called with. Each case's code
 * starts with a marker, {@code i32.const MARK + k} for state {@code k}, to find it in the bytecode.
 */
class StateMachinesTest {
    private static final int MARK = 10_000;

    /** A branch or a fall through the end to block {@code k} of the nest sets state {@code k} and goes to the dispatcher. */
    @Test
    void branchesToTheNestsBlocksGoToTheirStatesThroughTheDispatcher() {
        int blocks = 7;
        // From the entry, in block 7: label 3 is block 4 and label 5 block 2; its end goes on in state 7.
        Lowered f = lower(blocks, 30, false, entry -> entry.localGet(0).brIf(3).localGet(0).brIf(5));

        List<Jump> jumps = stateJumps(f.function());
        assertEquals(List.of(4, 2, 7), jumps.stream().map(Jump::state).toList(), "the states set, in order");
        int slot = jumps.getFirst().slot();
        assertTrue(jumps.stream().allMatch(j -> j.slot() == slot), "one slot holds the state");
        LabelNode dispatcher = jumps.getFirst().target().label;
        for (Jump j : jumps) assertSame(dispatcher, j.target().label, "every state goes to the one dispatcher");

        // The dispatcher runs state 1, the code after the nest, in this method, and the others in the groups.
        AbstractInsnNode load = next(dispatcher);
        assertEquals(ILOAD, load.getOpcode());
        assertEquals(slot, ((VarInsnNode) load).var);
        TableSwitchInsnNode dispatch = (TableSwitchInsnNode) next(load);
        assertEquals(1, dispatch.min);
        assertEquals(1, dispatch.max);
        assertEquals(ILOAD, next(dispatch.labels.getFirst()).getOpcode(), "state 1 is the code after the nest: local.get 0");
        assertTrue(f.function().instructions.indexOf(dispatcher) > f.function().instructions.indexOf(jumps.getLast().target()),
                "the dispatcher follows the entry");
        for (int k = 2; k <= blocks; k++) assertFalse(hasMark(f.function(), k), "state " + k + "'s code is its group's alone");
    }

    /**
     * A {@code br_table} that reaches more than eight blocks of the nest maps each index to its
     * target's state, and a target outside the nest to {@code -1 -} its ordinal among those.
     */
    @Test
    void aTableOverManyBlocksOfTheNestMapsIndexesToStates() {
        int blocks = 13;
        int[] labels = new int[blocks + 1];
        for (int i = 0; i < labels.length; i++) labels[i] = i;
        // Labels 0..11 are blocks 13..2, 12 is block 1, whose end is in this method, and 13 the block around the nest.
        Lowered f = lower(blocks, 30, true, entry -> entry.localGet(0).brTable(labels, blocks));

        int[] expected = new int[labels.length];
        for (int i = 0; i < blocks - 1; i++) expected[i] = blocks - i;
        expected[blocks - 1] = -1;
        expected[blocks] = -2;
        List<int[]> maps = List.copyOf(f.layout().brTableMaps().values());
        assertEquals(2, maps.size(), "the table's map, and the dispatcher's of states to groups");
        assertArrayEquals(expected, maps.get(0));
        int[] groupOf = new int[blocks + 1];
        for (int i = 0; i < f.nest().groups.size(); i++) {
            for (int k = f.nest().groups.get(i).first(); k <= f.nest().groups.get(i).last(); k++) groupOf[k] = i;
        }
        assertArrayEquals(groupOf, maps.get(1));
        assertEquals(List.of(), stateJumps(f.function()).stream().map(Jump::state).toList(), "no state is set by code of its own");
    }

    /** Each group's method enters at the state it is called with: state {@code k} at the code after the end of block {@code k}. */
    @Test
    void eachGroupEntersAtTheCodeOfTheStateItIsCalledWith() {
        int blocks = 12;
        int[] labels = new int[blocks - 1];
        for (int i = 0; i < labels.length; i++) labels[i] = i;
        Lowered f = lower(blocks, 12, false, entry -> entry.localGet(0).brTable(labels, blocks - 1));
        assertTrue(f.nest().groups.size() > 1, "the states are spread over several groups");
        assertTrue(f.nest().groups.stream().anyMatch(g -> g.blocks() > 2), "of more than two states");
        int covered = 0;
        for (BlockNest.Group g : f.nest().groups) {
            MethodNode method = f.part(g.region());
            TableSwitchInsnNode enter = null;
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof TableSwitchInsnNode t) {
                    enter = t;
                    break;
                }
            }
            assertNotNull(enter, "the group's prologue switches on its state");
            assertEquals(g.first(), enter.min);
            assertEquals(g.last(), enter.max);
            AbstractInsnNode load = previous(enter);
            assertEquals(ILOAD, load.getOpcode());
            for (int k = g.first(); k <= g.last(); k++) {
                assertEquals(MARK + k, mark(next(enter.labels.get(k - g.first()))), "group " + g.first() + ".." + g.last() + " enters state " + k);
                assertTrue(hasMark(method, k));
                covered++;
            }
            assertEquals(MARK + g.last(), mark(next(enter.dflt)), "its last state is the code that follows");
        }
        assertEquals(blocks - 1, covered, "the groups hold every state but state 1");
    }

    /** A function's method and its parts' lowered into {@link MethodNode}s, line entries placed as the pipeline does. */
    private record Lowered(ModuleLayout layout, BlockNest nest, MethodNode function, Outlining outlining, List<ValType> locals) {
        MethodNode part(Region r) {
            MethodNode method = new MethodNode();
            Locals partLocals = Locals.region(r.operands(), locals, r.touched(), false, OperandStack.Spill.ANY);
            FunctionEmitter part = new FunctionEmitter(new LineEntries(method), layout, partLocals, 0, outlining.method(r), r.type);
            outlining.lowerPart(r, part);
            return method;
        }
    }

    /**
     * A function {@code [i32] -> [i32]} whose body is a nest of {@code blocks} blocks (inside a block
     * of its own if {@code enclosed}), its {@code entry} in the innermost; the code of state {@code k}
     * is its marker and {@code steps} additions, and falls into state {@code k - 1}; it is planned so
     * that the nest runs as a state machine, and its own method lowered.
     */
    private static Lowered lower(int blocks, int steps, boolean enclosed, Consumer<ModuleBuilder.Code> entry) {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        // The nop keeps the block around the nest out of it: a nest's blocks each open the body of the one before.
        if (enclosed) code.block(Opcodes.BLOCK, (ValType) null).op(Opcodes.NOP);
        for (int k = 1; k <= blocks; k++) code.block(Opcodes.BLOCK, (ValType) null);
        entry.accept(code);
        code.end();
        for (int k = blocks; k >= 2; k--) code.i32Const(MARK + k).localSet(0).raw(adds(steps)).end();
        if (enclosed) code.end();
        SplitFixtures.Planned planned = planned(code.localGet(0));
        SplitPlan.Plan plan = planned.plan(80 * STEP);
        assertEquals(1, plan.nests().size(), "the nest runs as a state machine");
        ModuleLayout layout = new ModuleLayout(planned.module(), "Split");
        FuncType type = planned.module().funcType(0);
        List<ValType> locals = type.params();
        Outlining outlining = new Outlining(layout, 0, planned.body(), planned.root(), planned.flow(), plan, locals, planned.points());
        MethodNode function = new MethodNode();
        FunctionEmitter emitter = new FunctionEmitter(new LineEntries(function), layout, Locals.function(type, locals, false, true, OperandStack.Spill.ANY),
                0, outlining.method(null), type);
        emitter.enterFunction(type.params().size());
        CodeReader.read(planned.body().code(), planned.body().offset(), emitter);
        return new Lowered(layout, plan.nests().getFirst(), function, outlining, locals);
    }

    /** A jump to {@code state}: the state stored in {@code slot}, then {@code target}, a {@code goto}. */
    private record Jump(int state, int slot, JumpInsnNode target) {}

    /** The jumps to a state that {@code method} makes: an int constant stored in a slot, then a {@code goto}. */
    private static List<Jump> stateJumps(MethodNode method) {
        List<Jump> jumps = new ArrayList<>();
        AbstractInsnNode[] insns = Arrays.stream(method.instructions.toArray()).filter(i -> i.getOpcode() >= 0).toArray(AbstractInsnNode[]::new);
        for (int i = 2; i < insns.length; i++) {
            Integer state = intConstant(insns[i - 2]);
            if (state == null || insns[i - 1].getOpcode() != ISTORE || insns[i].getOpcode() != GOTO) continue;
            jumps.add(new Jump(state, ((VarInsnNode) insns[i - 1]).var, (JumpInsnNode) insns[i]));
        }
        return jumps;
    }

    private static boolean hasMark(MethodNode method, int state) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() == SIPUSH && ((IntInsnNode) insn).operand == MARK + state) return true;
        }
        return false;
    }

    /** The marker that {@code insn} pushes, or -1. */
    private static int mark(AbstractInsnNode insn) {
        return insn.getOpcode() == SIPUSH ? ((IntInsnNode) insn).operand : -1;
    }

    /** The value of an int constant instruction, else {@code null}. */
    private static Integer intConstant(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        if (op >= org.objectweb.asm.Opcodes.ICONST_M1 && op <= org.objectweb.asm.Opcodes.ICONST_5) return op - org.objectweb.asm.Opcodes.ICONST_0;
        if (insn instanceof IntInsnNode n && (op == org.objectweb.asm.Opcodes.BIPUSH || op == SIPUSH)) return n.operand;
        if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof Integer v) return v;
        return null;
    }

    /** The first instruction after {@code insn}, past labels, line numbers and frames. */
    private static AbstractInsnNode next(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getNext();
        while (n.getOpcode() < 0) n = n.getNext();
        return n;
    }

    /** The first instruction before {@code insn}, past labels, line numbers and frames. */
    private static AbstractInsnNode previous(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getPrevious();
        while (n.getOpcode() < 0) n = n.getPrevious();
        return n;
    }
}
