package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The locals live where control may leave a region, by the backward analysis to its fixpoint. */
class LiveLocalsTest {
    /**
     * {@code f(l0)} with locals l1, l2: loops A, B, C, each the first construct of the one before;
     * A's header reads l1, B's l2; C's code branches back to each of the three headers, all of
     * which the backward pass reaches after C's code. What is live in C is known only once A's
     * header is, which changes B's, which changes C's: each loop followed again inside the one
     * around it. After C, l1 and l2 are written before any read.
     */
    @Test
    void aLoopInLoopsSeesEveryHeaderAroundIt() {
        ModuleBuilder.Code code = new ModuleBuilder.Code()
                .block(Opcodes.LOOP, (ValType) null)
                .localGet(1).op(Opcodes.DROP)
                .block(Opcodes.LOOP, (ValType) null)
                .localGet(2).op(Opcodes.DROP)
                .block(Opcodes.LOOP, (ValType) null)
                .localGet(0).brIf(0)
                .localGet(0).brIf(1)
                .localGet(0).brIf(2)
                .end()
                .i32Const(0).localSet(2)
                .i32Const(0).localSet(1)
                .end()
                .end()
                .localGet(0);
        FlowInstructions flow = scan(code, List.of(ValType.I32, ValType.I32));
        int innerLoop = nth(flow, FlowInstructions.OPEN_LOOP, 3);
        int innerEnd = nth(flow, FlowInstructions.END, 1);

        LiveLocals live = everyInstructionAsked(flow);

        assertEquals(bits(0, 1, 2), live.at(innerLoop + 1), "C's code may go back to any of the three headers");
        assertEquals(bits(0, 1, 2), live.aroundLabels(innerLoop + 1));
        assertEquals(bits(0), live.at(innerEnd + 1), "past C, l1 and l2 are written first");
    }

    /**
     * {@code f(l0)} with local l1: 2,000 loops, each the first construct of the one before, each
     * reading l0 and branching back to its header; past them l1 is written, then read. Each loop's
     * header changes once, so each is followed again with every loop in it: some 8 million steps
     * for 10,000 instructions, past {@link LiveLocals#STEPS_PER_INSTRUCTION}. The pass gives up
     * the fixpoint and answers every local read, l1 included, which no path in the loops reads.
     */
    @Test
    void nestedLoopsPastTheStepsGetEveryLocalRead() {
        int depth = 2000;
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < depth; i++) code.block(Opcodes.LOOP, (ValType) null).localGet(0).brIf(0);
        for (int i = 0; i < depth; i++) code.end();
        code.i32Const(0).localSet(1).localGet(1);
        FlowInstructions flow = scan(code, List.of(ValType.I32));
        int innermost = nth(flow, FlowInstructions.OPEN_LOOP, depth);

        LiveLocals live = everyInstructionAsked(flow);

        assertEquals(bits(0, 1), live.at(innermost + 1));
        assertEquals(bits(0, 1), live.aroundLabels(innermost + 1));
    }

    /** The flow instructions of {@code f(i32) -> i32} with {@code locals} and {@code code}, as the split planner scans them. */
    private static FlowInstructions scan(ModuleBuilder.Code code, List<ValType> locals) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, locals, code));
        WasmModule module = ModuleDecoder.decode(m.build());
        FunctionBody body = module.codes().getFirst();
        FlowInstructions flow = new FlowInstructions(body.offset());
        RegionScanner.scan(module, body, module.funcType(0), flow);
        return flow;
    }

    /** The analysis of {@code flow}, asked what is live before each of its instructions. */
    private static LiveLocals everyInstructionAsked(FlowInstructions flow) {
        BitSet asked = new BitSet();
        asked.set(0, flow.count);
        return new LiveLocals(flow.kinds, flow.args, flow.tables, flow.count, asked);
    }

    /** The index of the {@code n}th recorded instruction of kind {@code kind}. */
    private static int nth(FlowInstructions flow, int kind, int n) {
        for (int i = 0; i < flow.count; i++) {
            if (flow.kinds[i] == kind && --n == 0) return i;
        }
        throw new AssertionError("no such instruction");
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) b.set(i);
        return b;
    }
}
