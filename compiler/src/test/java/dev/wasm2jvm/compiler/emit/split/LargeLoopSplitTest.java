package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large innermost loop ({@link JvmLimits#LARGE_LOOP}) of a function too large for one method is
 * outlined as a resumable method and computes what the wasm computes: a loop that resumes many
 * times, leaves through a branch out of a block around it or falls out of its end, with locals
 * live across it. The same loop in a function that fits one method stays in place.
 */
class LargeLoopSplitTest {
    private static final String CLASS = "large.Loops";
    /** Steps of {@code acc = acc * 31 + k} before the loop: far more bytecode than one method may have. */
    private static final int PROLOGUE_STEPS = 2_500;
    /** Steps of {@code acc = acc * 31 + (i ^ k)} in the loop: 11 bytes of wasm each, past LARGE_LOOP. */
    private static final int LOOP_STEPS = JvmLimits.LARGE_LOOP / 11 + 1;
    /** The iteration at which the branch out of the block leaves the loop. */
    private static final int EXIT = 1_000;
    private static final int N = 0;
    private static final int ACC = 1;
    private static final int I = 2;

    /**
     * {@code f(n)}: {@code acc = n}, then {@code prologue} steps, then the loop over {@code i} from 0
     * while {@code i < n}, left at {@code i == EXIT}; returns {@code acc}.
     */
    private static WasmModule module(int prologue) {
        ModuleBuilder.Code c = new ModuleBuilder.Code().localGet(N).localSet(ACC);
        SplitFixtures.mixes(c, ACC, prologue);
        c.block(Opcodes.BLOCK, (ValType) null).block(Opcodes.LOOP, (ValType) null);
        SplitFixtures.mixes(c, ACC, I, LOOP_STEPS);
        c.localGet(I).i32Const(1).op(Opcodes.I32_ADD).localTee(I).i32Const(EXIT).op(Opcodes.I32_EQ).brIf(1);
        c.localGet(I).localGet(N).op(Opcodes.I32_LT_U).brIf(0).end().end().localGet(ACC);
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, List.of(ValType.I32, ValType.I32), c));
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(m.build()));
        return module;
    }

    /** What {@code f(n)} computes, in Java. */
    private static int expected(int n, int prologue) {
        int acc = n;
        for (int k = 0; k < prologue; k++) acc = acc * 31 + k % 64;
        int i = 0;
        do {
            for (int k = 0; k < LOOP_STEPS; k++) acc = acc * 31 + (i ^ k % 64);
            i++;
        } while (i != EXIT && Integer.compareUnsigned(i, n) < 0);
        return acc;
    }

    private static FunctionPlanner.Plan plan(WasmModule module) {
        return FunctionPlanner.plan(new ModuleLayout(module, CLASS.replace('.', '/')), 0);
    }

    @Test
    void aSplitFunctionsLargeInnermostLoopResumesAndComputesWhatTheWasmDoes() {
        WasmModule module = module(PROLOGUE_STEPS);
        FunctionPlanner.Plan plan = plan(module);
        assertNotNull(plan.outlining(), "the function is split");
        Region loop = plan.outlining().regions().stream().filter(r -> r.opcode == Opcodes.LOOP).findFirst().orElseThrow();
        assertTrue(loop.size() >= JvmLimits.LARGE_LOOP, "loop of " + loop.size() + " bytes");

        Instance instance = CompiledModule.of(CLASS, ModuleEmitter.emit(module, CLASS), Map.of()).instantiate(new Imports());
        // One iteration, a few, many resumptions up to the branch out, and an unsigned bound past it.
        for (int n : new int[] {0, 1, JvmLimits.RESUME_ITERATIONS + 3, 10 * JvmLimits.RESUME_ITERATIONS, 5_000, -1}) {
            assertEquals(expected(n, PROLOGUE_STEPS), (int) instance.function("f").call(n)[0], "f(" + n + ")");
        }
    }

    @Test
    void theSameLoopStaysInAFunctionThatFitsOneMethod() {
        WasmModule module = module(0);
        assertNull(plan(module).outlining());
        Instance instance = CompiledModule.of(CLASS, ModuleEmitter.emit(module, CLASS), Map.of()).instantiate(new Imports());
        assertEquals(expected(5_000, 0), (int) instance.function("f").call(5_000)[0]);
    }
}
