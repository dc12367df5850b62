package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.ForwardingVisitor;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.body.ControlEmitter;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.MemoryEmitter;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.body.SplitMethod;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.MethodVisitor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.STEP;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.adds;
import static dev.wasm2jvm.compiler.emit.split.SplitFixtures.planned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam between the split side and the body emitters: a split function's methods lowered by
 * {@link FunctionEmitter} with the pseudo-operations of {@link Outlining#method}, which are
 * recorded. The plan's parts come out as calls where they start, nest blocks and exits; each
 * method reads only its own instructions, so the methods together decode the body once, but for
 * the {@code end}s of a nest's blocks.
 */
class OutlinedCallsTest {
    @Test
    void outlinedConstructsAndSequencesAreCalledWhereTheyStart() {
        Split f = split(new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(40)).end()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(80)).localGet(0).brIf(0).raw(adds(10)).end()
                .block(Opcodes.BLOCK, (ValType) null).raw(adds(20)).end()
                .localGet(0), 50 * STEP);
        assertFalse(f.plan.constructs().isEmpty());
        assertFalse(f.plan.sequences().isEmpty());
        Lowered lowered = f.lower();

        Set<Integer> expected = new TreeSet<>(SplitFixtures.starts(f.plan));
        for (Region s : f.plan.sequences()) expected.add(s.start);
        assertEquals(expected, lowered.called, "every outlined part is called once, where it starts");
        for (Region r : f.outlining.regions()) {
            List<String> ops = lowered.ops.get(r);
            assertEquals("enterPart", ops.getFirst(), "an outlined part's method starts with its prologue");
            assertEquals("endPart", ops.getLast(), "and ends by closing its frame");
        }
        assertTrue(lowered.ops.get(null).contains("enterFunction"));
        // A branch out of a block that was cut into sequences leaves the sequence's method with an exit code.
        assertTrue(lowered.ops.values().stream().anyMatch(ops -> ops.contains("exitBranch")));
        lowered.assertDecoded(f.body, offset -> 1);
    }

    /** A switch lowered to nested blocks runs as a state machine; its groups of states open the nest's blocks themselves. */
    @Test
    void aNestRunsAsAStateMachineWhoseGroupsOpenTheirBlocks() {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        int cases = 6;
        for (int i = 0; i <= cases; i++) code.block(Opcodes.BLOCK, (ValType) null);
        code.localGet(0).brTable(new int[] {0, 1, 2, 3, 4, 5}, 6).end();
        for (int i = 1; i <= cases; i++) code.raw(adds(30)).br(cases - i).end();
        Split f = split(code.localGet(0), 60 * STEP);
        assertEquals(1, f.plan.nests().size());
        BlockNest nest = f.plan.nests().getFirst();
        Lowered lowered = f.lower();

        Set<String> nestBlocks = new TreeSet<>();
        for (int k = 1; k <= nest.size(); k++) nestBlocks.add("openBlock@" + nest.block(k).start);
        List<String> function = lowered.ops.get(null);
        assertEquals(nest.size(), function.stream().filter(nestBlocks::contains).count(), "the nest's blocks open in the function's method");
        assertEquals(nest.size() - 1, function.stream().filter("endRemote"::equals).count(),
                "the blocks whose ends the groups hold close there as remote blocks");
        for (BlockNest.Group g : nest.groups) {
            List<String> ops = lowered.ops.get(g.region());
            assertEquals("enterPart", ops.getFirst());
            assertTrue(ops.stream().noneMatch(nestBlocks::contains), "a group's blocks are opened by its prologue, not read from code");
            assertFalse(ops.contains("endRemote"), "and are ordinary blocks there");
            assertEquals("endPart", ops.getLast());
        }
        // The function's method passes over the code of each state, which the groups hold, but
        // reads the ends of the nest's blocks, whose frames it closes: the groups read those too.
        Set<Integer> blockEnds = new TreeSet<>();
        for (int k = 1; k < nest.size(); k++) blockEnds.add(f.body.offset() + nest.block(k).end - 1);
        lowered.assertDecoded(f.body, offset -> blockEnds.contains(offset) ? 2 : 1);
    }

    /** A function {@code [i32] -> [i32]} of {@code body}, planned at one bytecode byte per wasm byte within {@code budget}. */
    private static Split split(ModuleBuilder.Code body, int budget) {
        SplitFixtures.Planned f = planned(body);
        SplitPlan.Plan plan = f.plan(budget);
        ModuleLayout layout = new ModuleLayout(f.module(), "Split");
        List<ValType> locals = f.module().funcType(0).params();
        return new Split(f.module(), layout, f.body(), plan, new Outlining(layout, 0, f.body(), f.root(), f.flow(), plan, locals, f.points()));
    }

    private record Split(WasmModule module, ModuleLayout layout, FunctionBody body, SplitPlan.Plan plan, Outlining outlining) {
        /** Lowers the function's method and every part's, as the pipeline does, recording the pseudo-operations asked for. */
        Lowered lower() {
            Lowered lowered = new Lowered();
            MethodVisitor discard = new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) { };
            FuncType type = module.funcType(0);
            List<ValType> all = type.params();
            Locals locals = Locals.function(type, all, false, true, OperandStack.Spill.ANY);
            FunctionEmitter function = new FunctionEmitter(discard, layout, locals, 0, lowered.recording(outlining, null), type);
            function.enterFunction(type.params().size());
            CodeReader.read(body.code(), body.offset(), lowered.counting(function));
            for (Region r : outlining.regions()) {
                Locals partLocals = Locals.region(r.operands(), all, r.touched(), false, OperandStack.Spill.ANY);
                FunctionEmitter part = new FunctionEmitter(discard, layout, partLocals, 0, lowered.recording(outlining, r), r.type);
                outlining.lowerPart(r, part, lowered.counting(part));
            }
            return lowered;
        }
    }

    /** What the lowering of a split function asked of the split side and read of the body. */
    private static final class Lowered {
        /** By method (its part, {@code null} for the function's), the pseudo-operations that did something, in order. */
        final Map<Region, List<String>> ops = new HashMap<>();
        /** The positions where an outlined part was called. */
        final Set<Integer> called = new TreeSet<>();
        /** How many times the instruction at each module offset was decoded. */
        final Map<Integer, Integer> decoded = new HashMap<>();

        SplitMethod recording(Outlining outlining, Region r) {
            SplitMethod method = outlining.method(r);
            List<String> log = ops.computeIfAbsent(r, k -> new ArrayList<>());
            return new SplitMethod() {
                @Override
                public int bodyOffset() {
                    return method.bodyOffset();
                }

                @Override
                public int stackBase() {
                    return method.stackBase();
                }

                @Override
                public boolean outlinedPart() {
                    return method.outlinedPart();
                }

                @Override
                public Ops lower(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, ControlEmitter control,
                                 MemoryEmitter memory) {
                    Ops ops = method.lower(mv, layout, locals, stack, control, memory);
                    return (Ops) Proxy.newProxyInstance(Ops.class.getClassLoader(), new Class<?>[] {Ops.class}, (proxy, m, args) -> {
                        Object result;
                        try {
                            result = m.invoke(ops, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        String name = m.getName();
                        boolean acted = switch (name) {
                            case "callSequence", "callConstruct" -> (int) result >= 0;
                            case "branchTable", "catching" -> Boolean.TRUE.equals(result);
                            case "outerLabelTypes" -> false;
                            default -> true;
                        };
                        if (acted) log.add(name.startsWith("call") ? "call" : name.equals("openBlock") ? name + "@" + args[0] : name);
                        if (name.startsWith("call") && acted) called.add((int) args[0]);
                        return result;
                    });
                }
            };
        }

        /** {@code emitter}, counting the instructions it decodes (those it does not pass over). */
        InstructionVisitor counting(FunctionEmitter emitter) {
            return new ForwardingVisitor(emitter) {
                @Override
                public int resumeAt(int offset) {
                    int resume = super.resumeAt(offset);
                    if (resume == offset) decoded.merge(offset, 1, Integer::sum);
                    return resume;
                }
            };
        }

        /** Asserts that the instruction at each module offset of {@code body} was decoded {@code times} times. */
        void assertDecoded(FunctionBody body, IntUnaryOperator times) {
            decoded.forEach((offset, n) -> assertEquals(times.applyAsInt(offset), n, "times the instruction at offset " + offset + " was decoded"));
            Set<Integer> starts = new TreeSet<>();
            CodeReader.read(body.code(), body.offset(), new InstructionScanner() {
                @Override
                public void visitOffset(int offset) {
                    starts.add(offset);
                }
            });
            assertEquals(starts, decoded.keySet(), "every instruction is decoded in some method");
        }
    }
}
