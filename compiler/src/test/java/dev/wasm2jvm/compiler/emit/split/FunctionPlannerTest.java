package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.adds;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.simdLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner of one function: its body in, whether and how it is split, and its spill needs, out. */
class FunctionPlannerTest {
    private static final String CLASS = "plan.Module";

    /** A module of one function {@code [i32] -> [i32]} of {@code body}, validated. */
    private static WasmModule module(ModuleBuilder.Code body) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, List.of(), body));
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(m.build()));
        return module;
    }

    private static FunctionPlanner.Plan plan(WasmModule module) {
        return FunctionPlanner.plan(new ModuleLayout(module, CLASS.replace('.', '/')), 0);
    }

    /** The largest method of the classes the module compiles to. */
    private static int largestMethod(WasmModule module) {
        int largest = 0;
        for (byte[] c : ModuleEmitter.emit(module, CLASS).values()) {
            for (int size : CodeSizes.of(c).values()) largest = Math.max(largest, size);
        }
        return largest;
    }

    @Test
    void aFunctionThatFitsOneMethodStaysWhole() {
        // Measured (1,400 bytes of wasm), and well within HotSpot's limit.
        WasmModule module = module(new ModuleBuilder.Code().raw(adds(200)).localGet(0));
        FunctionPlanner.Plan plan = plan(module);
        assertNull(plan.outlining());
        assertEquals(0, plan.budget());
        assertEquals(OperandStack.Spill.NONE, plan.spill());
    }

    @Test
    void aFunctionTooLargeForOneMethodIsSplitAtTheFirstBudgetThatFits() {
        WasmModule module = module(new ModuleBuilder.Code().raw(adds(3000)).localGet(0));
        FunctionPlanner.Plan plan = plan(module);
        assertNotNull(plan.outlining());
        assertEquals(JvmLimits.SPLIT_METHOD, plan.budget());
        assertTrue(largestMethod(module) <= JvmLimits.HUGE_METHOD);
    }

    /**
     * Code of no bytecode ({@code nop}s) dilutes the bytecode per wasm byte measured on the whole
     * function, so that the plan for the first budget underestimates its straight-line code three
     * times and leaves methods too large; the next budget's plan fits.
     */
    @Test
    void aPlanWhoseMethodsDoNotFitIsTightened() {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < 30_000; i++) code.op(Opcodes.NOP);
        WasmModule module = module(code.raw(adds(2000)).localGet(0));
        FunctionPlanner.Plan plan = plan(module);
        assertNotNull(plan.outlining());
        assertTrue(plan.budget() < JvmLimits.SPLIT_METHOD, "budget " + plan.budget());
        int largest = FunctionPlanner.largestMethod(new ModuleLayout(module, "plan/Module"), 0, plan.outlining(), plan.spill());
        assertTrue(largest <= JvmLimits.HUGE_METHOD, "largest method " + largest);
        assertTrue(largestMethod(module) <= JvmLimits.HUGE_METHOD);
    }

    /**
     * The same function, planned as a module's compilation first plans it, at the first budget and
     * without a trial of its methods: one of them is too large, which its emission finds, and the
     * compilation plans the function again with its trials, so that every method of the module fits.
     */
    @Test
    void anUnmeasuredPlanWhoseMethodsDoNotFitIsPlannedAgainWithTrials() {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < 30_000; i++) code.op(Opcodes.NOP);
        WasmModule module = module(code.raw(adds(2000)).localGet(0));
        ModuleLayout layout = new ModuleLayout(module, "plan/Module");
        FunctionPlanner.Plan unmeasured = FunctionPlanner.plan(layout, 0, false);
        assertFalse(unmeasured.measured());
        assertEquals(JvmLimits.SPLIT_METHOD, unmeasured.budget());
        int largest = FunctionPlanner.largestMethod(layout, 0, unmeasured.outlining(), unmeasured.spill());
        assertTrue(largest > JvmLimits.HUGE_METHOD, "largest method " + largest);
        assertTrue(largestMethod(module) <= JvmLimits.HUGE_METHOD);
    }

    /**
     * {@code comparisons} chained {@code i32.lt_s} of the parameter (nine bytes of bytecode each),
     * after {@code twos} two-byte and {@code threes} three-byte drops of a value.
     */
    private static ModuleBuilder.Code comparisons(int comparisons, int twos, int threes) {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < twos; i++) code.localGet(0).op(Opcodes.DROP);
        for (int i = 0; i < threes; i++) code.i32Const(100).op(Opcodes.DROP);
        code.localGet(0);
        for (int i = 0; i < comparisons; i++) code.localGet(0).op(Opcodes.I32_LT_S);
        return code;
    }

    /** The exact bytecode of the method of the module's function unsplit, as the planner measures it (with every spill array). */
    private static int unsplitSize(WasmModule module) {
        return FunctionPlanner.largestMethod(new ModuleLayout(module, CLASS.replace('.', '/')), 0, null, OperandStack.Spill.ANY);
    }

    /**
     * A function whose unsplit method has exactly HotSpot's limit of bytecode stays whole, and one a
     * byte larger is split. The planner takes a bound of the bytecode, exact for this code, for the
     * size of a body of this length: a bound short by a byte would keep the larger one whole.
     */
    @Test
    void aFunctionRightAtTheMethodLimitStaysWholeAndOneByteMoreIsSplit() {
        WasmModule atLimit = module(comparisons(885, 2, 1));
        WasmModule over = module(comparisons(885, 4, 0));
        assertEquals(JvmLimits.HUGE_METHOD, unsplitSize(atLimit));
        assertEquals(JvmLimits.HUGE_METHOD + 1, unsplitSize(over));
        assertTrue(atLimit.codes().getFirst().code().length > 2000, "long enough to be measured");

        assertEquals(new FunctionPlanner.Plan(null, 0, OperandStack.Spill.NONE), plan(atLimit));
        assertNotNull(plan(over).outlining());
    }

    /** A short function that makes more calls than C1 handles among many live values is split for them. */
    @Test
    void aFunctionOfManyCallsIsSplit() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        // 250 calls in 1,500 bytes: measured, and short of the size that would split it.
        for (int i = 0; i < 250; i++) code.localGet(0).call(0).localSet(0);
        m.exportFunction("f", m.function(type, List.of(), code.localGet(0)));
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(m.build()));
        FunctionPlanner.Plan plan = plan(module);
        assertNotNull(plan.outlining());
        assertEquals(JvmLimits.SPLIT_METHOD, plan.budget());
        // Counted without the region tree, as the planner first does, and with it.
        FunctionBody body = module.codes().getFirst();
        assertEquals(250 * JvmLimits.callWeight(Opcodes.CALL), RegionScanner.calls(body));
        assertEquals(RegionScanner.scan(module, body, module.funcType(0), new FlowInstructions(body.offset())).calls, RegionScanner.calls(body));
    }

    /**
     * A short function that pushes more {@code v128} values (four slots each) than a JVM frame keeps
     * spills them: its plan says into which arrays, and how many elements.
     */
    @Test
    void aFunctionThatDeepensItsStackNeedsSpillElements() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        int values = 300;
        for (int i = 0; i < values; i++) code.localGet(1);
        for (int i = 0; i < values; i++) code.op(Opcodes.DROP);
        m.exportFunction("f", m.function(type, List.of(ValType.V128), code.localGet(0)));
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(m.build()));
        FunctionPlanner.Plan plan = plan(module);
        assertNull(plan.outlining(), "900 bytes are not measured for a split");
        // A v128 is spilled into the array of references; the i32 parameter is on the stack at the end.
        assertEquals(Set.of(ValType.EXTERNREF, ValType.I32), plan.spill().kinds());
        assertEquals(values, plan.spill().capacity(), "an element per position the stack reached");
    }

    @Test
    void aProbeRecordsTheStateBeforeEachReachableInstruction() {
        WasmModule module = module(new ModuleBuilder.Code().localGet(0).i32Const(1).op(Opcodes.I32_ADD));
        Map<Integer, SplitPlan.Point<OperandStack.Value>> points = FunctionPlanner.probe(module, 0);
        assertEquals(List.of(0, 2, 4, 5), List.copyOf(points.keySet()));
        assertEquals(2, points.get(4).height(), "i32.add finds its two operands");
    }

    /** A short function with a loop of SIMD work has that loop outlined, to be compiled as a resumable method. */
    @Test
    void aLoopOfSimdWorkIsOutlinedInAShortFunction() {
        WasmModule module = module(new ModuleBuilder.Code().raw(simdLoop(JvmLimits.SIMD_LOOP).bytes()).localGet(0));
        assertTrue(RegionScanner.holdsSimdLoop(module.codes().getFirst()));
        assertTrue(new ModuleLayout(module, CLASS.replace('.', '/')).callEffects().mayHoldSimdLoop(0));
        FunctionPlanner.Plan plan = plan(module);
        assertNotNull(plan.outlining());
        assertEquals(List.of(Opcodes.LOOP), plan.outlining().regions().stream().map(r -> r.opcode).toList());
        assertEquals(0, plan.outlining().regions().getFirst().start);
    }

    /** A short function whose loop has fewer SIMD instructions, or none, stays whole and is not measured. */
    @Test
    void aLoopOfLessSimdWorkStaysInItsFunction() {
        for (ModuleBuilder.Code loop : List.of(simdLoop(JvmLimits.SIMD_LOOP - 1),
                new ModuleBuilder.Code().block(Opcodes.LOOP, (ValType) null).raw(adds(10)).localGet(0).brIf(0).end())) {
            WasmModule module = module(loop.localGet(0));
            assertFalse(RegionScanner.holdsSimdLoop(module.codes().getFirst()));
            // Too few SIMD instructions in the whole body: the layout's pass over the code tells, without decoding it again.
            assertFalse(new ModuleLayout(module, CLASS.replace('.', '/')).callEffects().mayHoldSimdLoop(0));
            assertEquals(new FunctionPlanner.Plan(null, 0, OperandStack.Spill.NONE), plan(module));
        }
    }
}
