package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.V22;

/** The bound the planner sums from a function's code, which spares the trial of a function that fits. */
class StaticBoundTest {
    private static final Path BENCHMARKS = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "bench", "benchmarks");

    private static WasmModule validated(byte[] wasm) {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(wasm));
        return module;
    }

    /** The exact bytecode of function {@code funcidx}'s method unsplit, as the planner's trial emits it. */
    private static int exact(ModuleLayout layout, int funcidx) {
        return trial(layout, funcidx, new OperandStack.Spill[1]);
    }

    /** {@link #exact}, with what the function's spills need in {@code spill[0]}. */
    private static int trial(ModuleLayout layout, int funcidx, OperandStack.Spill[] spill) {
        ClassWriter trial = new ClassWriter(0);
        trial.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, null);
        spill[0] = FunctionMethods.emit(owner -> trial, layout.scratch(), funcidx, null, OperandStack.Spill.ANY, null);
        trial.visitEnd();
        try {
            return CodeSizes.of(trial.toByteArray()).get(layout.bodyName(funcidx));
        } catch (MethodTooLargeException e) {
            return e.getCodeSize();
        }
    }

    private static FunctionBody body(WasmModule module, int funcidx) {
        return module.codes().get(funcidx - module.importCount(ExternKind.FUNC));
    }

    /**
     * Every function of real modules (compiled C, C++, Rust and Go) that has a bound is within it
     * and spills nothing, with its calls counted as the region scanner counts them; and the bound
     * spares the trial of most bodies that the planner would otherwise bound or measure.
     */
    @Test
    void everyFunctionOfRealModulesIsWithinItsBound() throws IOException {
        List<Path> modules = List.of(Path.of("src/test/resources/dwarf/two-units/backtrace.wasm"),
                Path.of("../benchmarks/programs/sqlite/sqlite3.wasm"),
                BENCHMARKS.resolve("sqlite3/sqlite3.wasm"), BENCHMARKS.resolve("libsodium/libsodium-sign.wasm"),
                BENCHMARKS.resolve("shootout/shootout-switch.wasm"), BENCHMARKS.resolve("tinygo/tinygo-json.wasm"),
                BENCHMARKS.resolve("rust-json/benchmark.wasm"), BENCHMARKS.resolve("regex/benchmark.wasm"),
                BENCHMARKS.resolve("rust-compression/benchmark.wasm"), BENCHMARKS.resolve("pulldown-cmark/benchmark.wasm"),
                BENCHMARKS.resolve("intgemm-simd/benchmark.wasm"));
        int bounded = 0;
        int mediumBodies = 0;
        int mediumSpared = 0;
        long exactTotal = 0;
        long boundTotal = 0;
        for (Path path : modules) {
            assertTrue(Files.isRegularFile(path), "module not found: " + path);
            WasmModule module = validated(Files.readAllBytes(path));
            ModuleLayout layout = new ModuleLayout(module, "bound/Module");
            int imported = module.importCount(ExternKind.FUNC);
            for (int f = imported; f < module.functionCount(); f++) {
                FunctionBody body = body(module, f);
                StaticBound.Bound bound = StaticBound.of(layout, f, body);
                int length = body.code().length;
                boolean medium = length >= 1000 && length < JvmLimits.HUGE_METHOD / 2;
                if (medium) mediumBodies++;
                // The planner takes a function's calls from either count: its region tree's, or one without the tree.
                assertEquals(RegionScanner.calls(body), RegionScanner.scan(module, body, module.funcType(f),
                        new FlowInstructions(body.offset())).calls, path + " function " + f);
                if (bound.size() == StaticBound.UNBOUNDED) continue;
                bounded++;
                OperandStack.Spill[] spill = new OperandStack.Spill[1];
                int exact = trial(layout, f, spill);
                assertTrue(bound.size() >= exact, path + " function " + f + ": bound " + bound.size() + " < " + exact);
                assertEquals(OperandStack.Spill.NONE, spill[0], path + " function " + f);
                assertEquals(RegionScanner.calls(body), bound.calls(), path + " function " + f);
                if (medium && bound.size() <= JvmLimits.HUGE_METHOD) mediumSpared++;
                exactTotal += exact;
                boundTotal += bound.size();
            }
        }
        assertTrue(bounded > 5000, bounded + " functions bounded");
        // On these modules: 8,189 functions bounded, 728 of the 757 bodies of 1,000 to 4,000 bytes
        // spared, a bound 1.6 times the exact size in all.
        assertTrue(mediumSpared * 10 > mediumBodies * 9, mediumSpared + " of " + mediumBodies + " bodies of 1,000 to 4,000 bytes spared");
        assertTrue(boundTotal < 2 * exactTotal, "bound " + boundTotal + " for " + exactTotal + " bytes");
    }

    /** A function whose code is the longest form of its instructions (wide locals, calls, branches dropping values) is within its bound. */
    @Test
    void theLongestFormsAreWithinTheBound() {
        List<ValType> locals = Collections.nCopies(300, ValType.I64);
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < 20; i++) {
            code.block(Opcodes.BLOCK, ValType.I64)
                    .localGet(299).localGet(298).localGet(297).op(Opcodes.I64_ROTL).localGet(296).op(Opcodes.I64_GT_U)
                    .localGet(1).localGet(0).brIf(0).op(Opcodes.DROP).op(Opcodes.DROP)
                    .localGet(290).localGet(0).brIf(0).op(Opcodes.DROP).end()
                    .localSet(280 + i % 10)
                    .localGet(0).call(0).localGet(0).op(Opcodes.I32_ADD).localSet(0);
        }
        code.localGet(0);
        m.exportFunction("f", m.function(type, locals, code));
        WasmModule module = validated(m.build());
        ModuleLayout layout = new ModuleLayout(module, "bound/Module");
        int bound = StaticBound.of(layout, 0, body(module, 0)).size();
        int exact = exact(layout, 0);
        assertTrue(bound >= exact, "bound " + bound + " < " + exact);
        assertTrue(exact > 1000, exact + " bytes");
    }

    /** A module of one function {@code [i32] -> [i32]} that adds {@code count} constants to its parameter. */
    private static WasmModule adds(int count) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        ModuleBuilder.Code code = new ModuleBuilder.Code().localGet(0);
        for (int i = 0; i < count; i++) code.i32Const(1_000_000 + i).op(Opcodes.I32_ADD);
        m.exportFunction("f", m.function(type, List.of(), code));
        return validated(m.build());
    }

    /**
     * Around the limit the planner's decision is the exact size's: a function whose bound is just
     * within {@link JvmLimits#HUGE_METHOD} stays whole without a trial, one whose bound is past it
     * while its method fits stays whole after one, and one whose method is past it is split.
     */
    @Test
    void thePlanAroundTheLimitIsTheExactSizes() {
        // Each add is a constant and an iadd: 3 + 4 bytes in the bound, 4 at most exactly.
        int perAdd = 3 + 4;
        int fixed = StaticBound.of(new ModuleLayout(adds(0), "bound/Module"), 0, body(adds(0), 0)).size();
        int within = (JvmLimits.HUGE_METHOD - fixed) / perAdd;
        WasmModule atLimit = adds(within);
        ModuleLayout layout = new ModuleLayout(atLimit, "bound/Module");
        int bound = StaticBound.of(layout, 0, body(atLimit, 0)).size();
        assertTrue(bound <= JvmLimits.HUGE_METHOD && bound > JvmLimits.HUGE_METHOD - perAdd, bound + " bytes");
        assertNull(FunctionPlanner.plan(layout, 0).outlining());

        WasmModule pastBound = adds(within + 1);
        ModuleLayout past = new ModuleLayout(pastBound, "bound/Module");
        assertTrue(StaticBound.of(past, 0, body(pastBound, 0)).size() > JvmLimits.HUGE_METHOD);
        assertTrue(exact(past, 0) <= JvmLimits.HUGE_METHOD);
        assertNull(FunctionPlanner.plan(past, 0).outlining());

        // 2,500 adds, three or four bytes each, are over 8,000 bytes exactly: split.
        WasmModule huge = adds(2500);
        ModuleLayout hugeLayout = new ModuleLayout(huge, "bound/Module");
        assertTrue(exact(hugeLayout, 0) > JvmLimits.HUGE_METHOD);
        assertTrue(FunctionPlanner.plan(hugeLayout, 0).outlining() != null, "split");
    }

    @Test
    void aTailCallIsUnbounded() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, List.of(), new ModuleBuilder.Code().localGet(0).op(Opcodes.RETURN_CALL).u32(0)));
        WasmModule module = validated(m.build());
        ModuleLayout layout = new ModuleLayout(module, "bound/Module");
        assertEquals(StaticBound.UNBOUNDED, StaticBound.of(layout, 0, body(module, 0)).size());
    }
}
