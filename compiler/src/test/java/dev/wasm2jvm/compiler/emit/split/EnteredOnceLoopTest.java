package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large innermost loop ({@link JvmLimits#LARGE_LOOP}) of a function that fits one method but is
 * entered once ({@code layout.EnteredOnce}: called once from a command's {@code _start}) is outlined
 * as a resumable method, and computes what the wasm computes: its result with locals live across
 * it, a {@code br} out of a block around it, the end of the loop, a trap inside it. A function
 * that fits one method by a little, 7,000 to 8,000 bytes of bytecode, has that loop alone outlined,
 * as it would have nothing outlined were it not entered once. The same function exported, which the
 * host may enter any number of times, keeps its loop.
 */
class EnteredOnceLoopTest {
    private static final String CLASS = "once.Loops";
    /** Steps of {@code acc = acc * 31 + (i ^ k)} in the loop: 11 bytes of wasm each, past LARGE_LOOP. */
    private static final int LOOP_STEPS = JvmLimits.LARGE_LOOP / 11 + 1;
    /**
     * Steps of {@code acc = acc * 31 + k} before the loop that bring the unsplit method to between
     * {@link JvmLimits#SPLIT_METHOD} and {@link JvmLimits#HUGE_METHOD} bytes of bytecode (7,576):
     * planned from the split budget, four regions of them would be outlined with the loop.
     */
    private static final int PROLOGUE_STEPS = 720;
    /** The iteration at which the loop divides by zero. */
    private static final int TRAP = 3_000;
    private static final int N = 0;
    private static final int EXIT = 1;
    private static final int ACC = 2;
    private static final int I = 3;
    private static final int F = 0;

    /**
     * {@code f(n, exit)}: {@code acc = n}, then {@code prologue} steps, then a loop over {@code i}
     * from 0 while {@code i < n}, left by a branch out at {@code i == exit}, dividing by zero at
     * {@code i == TRAP}; returns {@code acc}. {@code _start} stores {@code f(n, exit)} in the exported global {@code result};
     * {@code f} is exported too if {@code exported}.
     */
    private static WasmModule module(int n, int exit, boolean exported, int prologue) {
        ModuleBuilder.Code c = new ModuleBuilder.Code().localGet(N).localSet(ACC);
        SplitFixtures.mixes(c, ACC, prologue);
        c.block(Opcodes.BLOCK, (ValType) null).block(Opcodes.LOOP, (ValType) null);
        SplitFixtures.mixes(c, ACC, I, LOOP_STEPS);
        c.i32Const(1).localGet(I).i32Const(TRAP).op(Opcodes.I32_SUB).op(Opcodes.I32_DIV_U).op(Opcodes.DROP);
        c.localGet(I).i32Const(1).op(Opcodes.I32_ADD).localTee(I).localGet(EXIT).op(Opcodes.I32_EQ).brIf(1);
        c.localGet(I).localGet(N).op(Opcodes.I32_LT_U).brIf(0).end().end().localGet(ACC);
        ModuleBuilder m = new ModuleBuilder();
        int f = m.function(m.type(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                List.of(ValType.I32, ValType.I32), c);
        int result = m.globalI32(true, 0, "result");
        ModuleBuilder.Code start = new ModuleBuilder.Code().i32Const(n).i32Const(exit).call(f)
                .op(Opcodes.GLOBAL_SET).u32(result);
        m.exportFunction("_start", m.function(m.type(List.of(), List.of()), List.of(), start));
        if (exported) m.exportFunction("f", f);
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(m.build()));
        return module;
    }

    /** What {@code f(n, exit)} with {@code prologue} steps computes, in Java, or {@code null} if it traps. */
    private static Integer expected(int n, int exit, int prologue) {
        int acc = n;
        for (int k = 0; k < prologue; k++) acc = acc * 31 + k % 64;
        int i = 0;
        do {
            for (int k = 0; k < LOOP_STEPS; k++) acc = acc * 31 + (i ^ k % 64);
            if (i == TRAP) return null;
            i++;
        } while (i != exit && Integer.compareUnsigned(i, n) < 0);
        return acc;
    }

    private static FunctionPlanner.Plan plan(WasmModule module) {
        return FunctionPlanner.plan(new ModuleLayout(module, CLASS.replace('.', '/')), F);
    }

    private static Instance instantiate(WasmModule module) {
        return CompiledModule.of(CLASS, ModuleEmitter.emit(module, CLASS), Map.of()).instantiate(new Imports());
    }

    @Test
    void theLoopOfAFunctionEnteredOnceIsOutlinedAndResumes() {
        FunctionPlanner.Plan plan = plan(module(5_000, 1_000, false, 0));
        assertTrue(plan.outlining() != null && plan.outlining().regions().stream()
                .anyMatch(r -> r.opcode == Opcodes.LOOP && r.size() >= JvmLimits.LARGE_LOOP), "the loop is outlined");
        assertEquals(1, plan.outlining().regions().size(), "nothing else is: " + plan.outlining().regions());
    }

    /**
     * A function that fits is planned for its loops with an unbounded budget: from the split budget,
     * its plan would hold four regions of the prologue besides the loop (this test checked to fail
     * so).
     */
    @Test
    void aFunctionEnteredOnceThatFitsByALittleHasItsLoopAloneOutlined() {
        WasmModule module = module(5_000, 1_000, false, PROLOGUE_STEPS);
        int size = FunctionPlanner.largestMethod(new ModuleLayout(module, CLASS.replace('.', '/')), F, null,
                OperandStack.Spill.ANY);
        assertTrue(size > JvmLimits.SPLIT_METHOD && size <= JvmLimits.HUGE_METHOD, "unsplit method of " + size + " bytes");
        FunctionPlanner.Plan plan = plan(module);
        assertNotNull(plan.outlining(), "the loop is outlined");
        List<Region> regions = plan.outlining().regions();
        assertEquals(1, regions.size(), "nothing else is: " + regions);
        assertTrue(regions.getFirst().opcode == Opcodes.LOOP && regions.getFirst().size() >= JvmLimits.LARGE_LOOP);
        Instance instance = instantiate(module);
        instance.function("_start").call();
        assertEquals(expected(5_000, 1_000, PROLOGUE_STEPS), (int) instance.global("result").get());
    }

    @Test
    void theOutlinedLoopComputesWhatTheWasmDoes() {
        // One iteration, a few, many resumptions to the branch out, the loop's end, and an unsigned bound.
        int[][] cases = {{0, 1_000}, {1, 1_000}, {JvmLimits.RESUME_ITERATIONS + 3, 1_000},
                {10 * JvmLimits.RESUME_ITERATIONS, 1_000}, {5_000, 1_000}, {2_500, 10_000}, {-1, 1_000}};
        for (int[] c : cases) {
            Instance instance = instantiate(module(c[0], c[1], false, 0));
            instance.function("_start").call();
            assertEquals(expected(c[0], c[1], 0), (int) instance.global("result").get(), "f(" + c[0] + ", " + c[1] + ")");
        }
    }

    @Test
    void aTrapInTheOutlinedLoopIsTheWasmTrap() {
        Instance instance = instantiate(module(5_000, 10_000, false, 0));
        assertNull(expected(5_000, 10_000, 0));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("_start").call());
        assertEquals("integer divide by zero", trap.getMessage());
        assertEquals(0, (int) instance.global("result").get());
    }

    @Test
    void theSameFunctionExportedKeepsItsLoop() {
        WasmModule module = module(5_000, 1_000, true, 0);
        assertNull(plan(module).outlining());
        Instance instance = instantiate(module);
        instance.function("_start").call();
        assertEquals(expected(5_000, 1_000, 0), (int) instance.global("result").get());
    }
}
