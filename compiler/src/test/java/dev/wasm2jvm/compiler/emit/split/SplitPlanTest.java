package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.split.SplitFixtures.Planned;
import dev.wasm2jvm.compiler.module.ValType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.STEP;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.adds;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.planned;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.simdLoop;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.starts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split planner on its own: a function's region tree and the frame before each instruction in,
 * the constructs, sequences and nests to outline out, for budgets that force each kind of cut.
 */
class SplitPlanTest {
    @Test
    void theLargestConstructsGoFirstUntilTheRestFits() {
        Planned f = planned(new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(40)).end()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(80)).end()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(20)).end()
                .localGet(0));
        List<Region> blocks = f.root().children;
        assertEquals(3, blocks.size());

        SplitPlan.Plan roomy = f.plan(100 * STEP);
        assertEquals(Set.of(blocks.get(1).start), starts(roomy), "only the largest block need go");
        assertTrue(roomy.sequences().isEmpty());

        // Children are planned before their parents: the largest block, too large for a method
        // itself, is cut into sequences first, and is then small enough to stay; the next largest goes.
        SplitPlan.Plan tight = f.plan(50 * STEP);
        assertEquals(Set.of(blocks.get(0).start), starts(tight));
        assertFalse(tight.sequences().isEmpty());
        for (Region s : tight.sequences()) {
            assertTrue(s.start >= blocks.get(1).bodyStart && s.end < blocks.get(1).end, "a sequence of the largest block");
        }

        assertEquals(Set.of(), starts(f.plan(1000 * STEP)), "a function within the budget stays whole");
    }

    @Test
    void straightLineCodeTooLargeForAMethodIsCutIntoSequences() {
        Planned f = planned(new ModuleBuilder.Code().raw(adds(300)).localGet(0));
        int budget = 100 * STEP;
        SplitPlan.Plan plan = f.plan(budget);
        assertTrue(plan.constructs().isEmpty());
        assertFalse(plan.sequences().isEmpty());
        int previousEnd = 0;
        for (Region s : plan.sequences()) {
            assertEquals(Region.SEQUENCE, s.opcode);
            assertTrue(s.start >= previousEnd, "sequences do not overlap");
            assertTrue(s.size() <= budget, "a sequence of " + s.size() + " bytes exceeds the budget");
            // Cuts fall where the operand stack holds few values, which the sequence takes and gives back.
            assertTrue(s.type.params().size() <= SplitPlan.MAX_CARRIED, s.type::toString);
            assertTrue(s.type.results().size() <= SplitPlan.MAX_CARRIED, s.type::toString);
            previousEnd = s.end;
        }
    }

    /**
     * Code of loops is planned at {@link JvmLimits#SPLIT_LOOP_METHOD}, other code at the budget: a
     * function of a block and a loop within the split budget together has its loop cut into
     * sequences, and its block, too large for the method of a function of loops, outlined whole;
     * the same function with a block for its loop stays whole, and so does either at an unbounded
     * budget, that of a function planned for its loops alone.
     */
    @Test
    void codeOfLoopsIsCutToTheSmallerBudget() {
        int steps = 3 * JvmLimits.SPLIT_LOOP_METHOD / 2 / STEP;
        Planned f = planned(new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(steps)).end()
                .raw(SplitFixtures.loop(adds(steps)).bytes())
                .localGet(0));
        Region block = f.root().children.get(0);
        Region loop = f.root().children.get(1);
        assertTrue(block.size() + loop.size() < JvmLimits.SPLIT_METHOD && loop.size() > JvmLimits.SPLIT_LOOP_METHOD);
        SplitPlan.Plan plan = f.plan(JvmLimits.SPLIT_METHOD);
        assertEquals(Set.of(block.start), starts(plan));
        assertFalse(plan.sequences().isEmpty());
        for (Region s : plan.sequences()) {
            assertTrue(s.start >= loop.bodyStart && s.end < loop.end, "a sequence of the loop");
            assertTrue(s.size() <= JvmLimits.SPLIT_LOOP_METHOD, "a sequence of " + s.size() + " bytes");
        }
        assertTrue(f.plan(Integer.MAX_VALUE).outlinesNothing());

        Planned blocks = planned(new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(steps)).end()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(steps)).end()
                .localGet(0));
        assertTrue(blocks.plan(JvmLimits.SPLIT_METHOD).outlinesNothing());
    }

    /**
     * A loop of SIMD work keeps the plain budget: the function of {@link #codeOfLoopsIsCutToTheSmallerBudget}
     * whose loop also computes {@link JvmLimits#SIMD_LOOP} SIMD instructions has that loop outlined
     * whole, as a resumable method, and cut into no sequences.
     */
    @Test
    void aLoopOfSimdWorkKeepsThePlainBudget() {
        int steps = 3 * JvmLimits.SPLIT_LOOP_METHOD / 2 / STEP;
        ModuleBuilder.Code body = new ModuleBuilder.Code().raw(adds(steps)).localGet(0);
        SplitFixtures.simd(body, SimdOpcodes.I32X4_SPLAT);
        for (int i = 2; i < JvmLimits.SIMD_LOOP; i++) SplitFixtures.simd(body, SimdOpcodes.I8X16_POPCNT);
        SplitFixtures.simd(body, SimdOpcodes.I32X4_EXTRACT_LANE).u8(0).localSet(0);
        Planned f = planned(new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(steps)).end()
                .raw(SplitFixtures.loop(body.bytes()).bytes())
                .localGet(0));
        Region loop = f.root().children.get(1);
        assertEquals(JvmLimits.SIMD_LOOP, loop.simd);
        assertTrue(loop.size() > JvmLimits.SPLIT_LOOP_METHOD && loop.size() < JvmLimits.SPLIT_METHOD);
        SplitPlan.Plan plan = f.plan(JvmLimits.SPLIT_METHOD);
        assertTrue(plan.constructs().get(loop.start), "the loop, outlined to be compiled as a method");
        assertTrue(plan.sequences().isEmpty(), "no sequence: " + plan.sequences());
    }

    /** A switch lowered to nested blocks and a br_table runs as a state machine of grouped cases. */
    @Test
    void aNestOfSwitchCasesBecomesAStateMachine() {
        Planned f = switchOfCases(6);
        SplitPlan.Plan plan = f.plan(60 * STEP);
        assertEquals(1, plan.nests().size());
        assertEquals(7, plan.nests().getFirst().size(), "every block of the switch is a state");
    }

    /** A switch of {@code cases} cases of 30 additions each, lowered to nested blocks and a {@code br_table}. */
    private static Planned switchOfCases(int cases) {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i <= cases; i++) code.block(Opcodes.BLOCK, (ValType) null);
        int[] labels = new int[cases];
        for (int i = 0; i < cases; i++) labels[i] = i;
        code.localGet(0).brTable(labels, cases).end();
        for (int i = 1; i <= cases; i++) code.raw(adds(30)).br(cases - i).end();
        return planned(code.localGet(0));
    }

    /** Plans of one function that outline the same parts are told apart from those that do not, so that the planner measures each outlining once. */
    @Test
    void plansThatOutlineTheSamePartsAreKnownAsSuch() {
        Planned f = switchOfCases(6);
        SplitPlan.Plan nest = f.plan(60 * STEP);
        assertTrue(nest.outlinesAs(f.plan(60 * STEP)), "a plan made again, with sequences and groups of its own");
        assertFalse(nest.outlinesAs(f.plan(1000 * STEP)), "a plan that outlines nothing");
        assertFalse(nest.outlinesAs(f.plan(20 * STEP)), "a tighter plan");
        assertTrue(f.plan(1000 * STEP).outlinesAs(f.plan(2000 * STEP)), "two budgets the whole function fits");
    }

    /**
     * A loop of SIMD work is outlined, to be compiled as a resumable method, in a function that fits
     * one method; a loop of fewer SIMD instructions, or of none, is not.
     */
    @Test
    void aLoopOfSimdWorkIsOutlinedHoweverSmall() {
        Planned f = planned(new ModuleBuilder.Code()
                .block(Opcodes.LOOP, (ValType) null).raw(adds(10)).localGet(0).brIf(0).end()
                .raw(simdLoop(JvmLimits.SIMD_LOOP).bytes())
                .raw(simdLoop(JvmLimits.SIMD_LOOP - 1).bytes())
                .localGet(0));
        List<Region> loops = f.root().children;
        assertEquals(JvmLimits.SIMD_LOOP, loops.get(1).simd);
        assertEquals(Set.of(loops.get(1).start), starts(f.plan(1000 * STEP)));
        assertTrue(f.plan(20 * STEP).constructs().get(loops.get(1).start), "and at a budget that outlines more");
    }

    /**
     * In a function that does not fit one method, a loop of {@link JvmLimits#LARGE_LOOP} bytes that
     * holds no loop is outlined, to be compiled as a resumable method, however small; a loop a step
     * shorter is not, nor a larger one around loops, nor the loop around a large one, which is
     * outlined itself. In a function that fits, none is.
     */
    @Test
    void aLargeInnermostLoopOfASplitFunctionIsOutlinedHoweverSmall() {
        int steps = SplitFixtures.largeLoopSteps();
        byte[] large = SplitFixtures.loop(adds(steps)).bytes();
        Planned f = planned(new ModuleBuilder.Code()
                .raw(SplitFixtures.loop(adds(steps - 1)).bytes())
                .raw(large)
                .raw(SplitFixtures.loopAroundLoops().bytes())
                .raw(SplitFixtures.loop(large).bytes())
                .localGet(0));
        List<Region> loops = f.root().children;
        assertTrue(loops.get(0).size() < JvmLimits.LARGE_LOOP, "a step short");
        assertTrue(loops.get(1).size() >= JvmLimits.LARGE_LOOP && !loops.get(1).holdsLoop());
        assertTrue(loops.get(2).size() >= 2 * JvmLimits.LARGE_LOOP - 2 * STEP && loops.get(2).holdsLoop());
        Region inner = loops.get(3).children.getFirst();
        assertEquals(Set.of(loops.get(1).start, inner.start), starts(f.plan(1000 * STEP, JvmLimits.LARGE_LOOP)));
        assertTrue(f.plan(1000 * STEP, SplitPlan.NO_LARGE_LOOPS).outlinesNothing());
    }

    /**
     * A loop of {@link JvmLimits#ONCE_LOOP} bytes that holds no loop is outlined in a function
     * entered once, and not in one split for its size ({@link JvmLimits#LARGE_LOOP}); a loop a step
     * shorter is outlined in neither.
     */
    @Test
    void aLoopOfAFunctionEnteredOnceIsOutlinedFromASmallerSize() {
        int steps = (JvmLimits.ONCE_LOOP - SplitFixtures.LOOP_BYTES + STEP - 1) / STEP;
        Planned f = planned(new ModuleBuilder.Code()
                .raw(SplitFixtures.loop(adds(steps - 1)).bytes())
                .raw(SplitFixtures.loop(adds(steps)).bytes())
                .localGet(0));
        List<Region> loops = f.root().children;
        assertTrue(loops.get(0).size() < JvmLimits.ONCE_LOOP, "a step short");
        assertTrue(loops.get(1).size() >= JvmLimits.ONCE_LOOP && loops.get(1).size() < JvmLimits.LARGE_LOOP);
        assertEquals(Set.of(loops.get(1).start), starts(f.plan(1000 * STEP, JvmLimits.ONCE_LOOP)));
        assertTrue(f.plan(1000 * STEP, JvmLimits.LARGE_LOOP).outlinesNothing());
    }

    /** Nested loops of SIMD work are each outlined: the outer one counts the SIMD instructions of the inner one. */
    @Test
    void nestedLoopsOfSimdWorkAreEachOutlined() {
        Planned f = planned(new ModuleBuilder.Code()
                .block(Opcodes.LOOP, (ValType) null).raw(adds(3)).raw(simdLoop(JvmLimits.SIMD_LOOP).bytes()).localGet(0).brIf(0).end()
                .localGet(0));
        Region outer = f.root().children.getFirst();
        Region inner = outer.children.getFirst();
        assertEquals(Opcodes.LOOP, inner.opcode);
        assertEquals(Set.of(outer.start, inner.start), starts(f.plan(1000 * STEP)));
    }

    /**
     * A loop whose SIMD instructions are a few bytecodes each, smaller than the call that would move
     * its local through the frame (at one bytecode byte per wasm byte, a call and a local are 40
     * bytes), stays where it is.
     */
    @Test
    void aSimdLoopSmallerThanItsCallStaysInline() {
        ModuleBuilder.Code code = new ModuleBuilder.Code().block(Opcodes.LOOP, (ValType) null).localGet(0);
        SplitFixtures.simd(code, SimdOpcodes.I32X4_SPLAT).localGet(0);
        SplitFixtures.simd(code, SimdOpcodes.I32X4_SPLAT);
        SplitFixtures.simd(code, SimdOpcodes.I32X4_ADD);
        SplitFixtures.simd(code, SimdOpcodes.I32X4_EXTRACT_LANE).u8(0);
        Planned f = planned(code.localTee(0).brIf(0).end().localGet(0));
        assertEquals(JvmLimits.SIMD_LOOP, f.root().children.getFirst().simd);
        assertTrue(f.plan(1000 * STEP).outlinesNothing());
    }
}
