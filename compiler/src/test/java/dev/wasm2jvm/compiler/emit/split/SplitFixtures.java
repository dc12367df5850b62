package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.stream.Collectors;

/** Functions of known shape for the split side's tests, scanned and probed as the pipeline does before planning. */
final class SplitFixtures {
    /** Bytes of wasm code per {@link #adds} step: local.get, i32.const, i32.add, local.set. */
    static final int STEP = 7;

    private SplitFixtures() {}

    /** {@code n} steps of {@code local0 = local0 + k}, each leaving the operand stack empty. */
    static byte[] adds(int n) {
        ModuleBuilder.Code c = new ModuleBuilder.Code();
        for (int k = 0; k < n; k++) c.localGet(0).i32Const(k % 64).op(Opcodes.I32_ADD).localSet(0);
        return c.bytes();
    }

    /**
     * {@code steps} steps of {@code acc = acc * 31 + k % 64} on local {@code acc}, appended to
     * {@code c}: 10 bytes of wasm each.
     */
    static ModuleBuilder.Code mixes(ModuleBuilder.Code c, int acc, int steps) {
        for (int k = 0; k < steps; k++) {
            c.localGet(acc).i32Const(31).op(Opcodes.I32_MUL).i32Const(k % 64).op(Opcodes.I32_ADD).localSet(acc);
        }
        return c;
    }

    /**
     * {@code steps} steps of {@code acc = acc * 31 + (i ^ k % 64)} on locals {@code acc} and
     * {@code i}, appended to {@code c}: 11 bytes of wasm each.
     */
    static ModuleBuilder.Code mixes(ModuleBuilder.Code c, int acc, int i, int steps) {
        for (int k = 0; k < steps; k++) {
            c.localGet(acc).i32Const(31).op(Opcodes.I32_MUL).localGet(i).i32Const(k % 64).op(Opcodes.I32_XOR)
                    .op(Opcodes.I32_ADD).localSet(acc);
        }
        return c;
    }

    /** Bytes of wasm code of a {@link #loop} besides its body: loop, its block type, local.get, br_if, end. */
    static final int LOOP_BYTES = 7;

    /** A loop of {@code body} that repeats while local 0 is not zero. */
    static ModuleBuilder.Code loop(byte[] body) {
        return new ModuleBuilder.Code().block(Opcodes.LOOP, (ValType) null).raw(body).localGet(0).brIf(0).end();
    }

    /** The fewest {@link #adds} steps that make a {@link #loop} of them large ({@code JvmLimits.LARGE_LOOP} bytes). */
    static int largeLoopSteps() {
        return (JvmLimits.LARGE_LOOP - LOOP_BYTES + STEP - 1) / STEP;
    }

    /**
     * A loop that is not large, but holds two loops of {@code largeLoopSteps() - 1} steps: as many
     * bytes as a large loop twice over, nearly all in the loops inside it.
     */
    static ModuleBuilder.Code loopAroundLoops() {
        ModuleBuilder.Code inner = loop(adds(largeLoopSteps() - 1));
        return loop(new ModuleBuilder.Code().raw(inner.bytes()).raw(inner.bytes()).bytes());
    }

    /**
     * A loop of {@code simd} SIMD instructions that compute ({@code simd >= 2}) on local 0:
     * {@code local0 += i32x4.extract_lane 0 (popcnt^(simd - 2) (i32x4.splat local0)) + 1} until it
     * reaches 1000; each {@code i8x16.popcnt} calls a helper a half.
     */
    static ModuleBuilder.Code simdLoop(int simd) {
        ModuleBuilder.Code c = new ModuleBuilder.Code().block(Opcodes.LOOP, (ValType) null).localGet(0);
        simd(c, SimdOpcodes.I32X4_SPLAT);
        for (int i = 2; i < simd; i++) simd(c, SimdOpcodes.I8X16_POPCNT);
        simd(c, SimdOpcodes.I32X4_EXTRACT_LANE).u8(0);
        c.i32Const(1).op(Opcodes.I32_ADD).localGet(0).op(Opcodes.I32_ADD).localSet(0);
        return c.localGet(0).i32Const(1000).op(Opcodes.I32_LT_S).brIf(0).end();
    }

    /** Appends SIMD instruction {@code opcode}: the prefix, then its number. */
    static ModuleBuilder.Code simd(ModuleBuilder.Code c, int opcode) {
        return c.u8(Opcodes.PREFIX_SIMD).u32(opcode & 0xFFF);
    }

    /** A function {@code [i32] -> [i32]} of {@code body}: its region tree, its flow instructions and the frame before each instruction. */
    static Planned planned(ModuleBuilder.Code body) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, List.of(), body));
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(m.build()));
        FunctionBody code = module.codes().getFirst();
        FlowInstructions flow = new FlowInstructions(code.offset());
        Region root = RegionScanner.scan(module, code, module.funcType(0), flow);
        return new Planned(module, code, root, flow, FunctionPlanner.probe(module, 0));
    }

    /** The start positions of the constructs that {@code plan} outlines, as a set to compare. */
    static Set<Integer> starts(SplitPlan.Plan plan) {
        return plan.constructs().stream().boxed().collect(Collectors.toSet());
    }

    record Planned(WasmModule module, FunctionBody body, Region root, FlowInstructions flow,
                   NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points) {
        /**
         * The plan at one bytecode byte per wasm byte, so that the budget counts wasm bytes; the one
         * local has a slot; large innermost loops are left in place.
         */
        SplitPlan.Plan plan(int budget) {
            return plan(budget, SplitPlan.NO_LARGE_LOOPS);
        }

        /** As {@link #plan(int)}, with innermost loops of {@code largeLoop} bytes or more outlined. */
        SplitPlan.Plan plan(int budget, int largeLoop) {
            return SplitPlan.plan(module, body, root, points, 1.0, budget, 1, largeLoop);
        }
    }
}
