package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ExternKind;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.V22;

/** The bound of a method's bytecode that the planner takes for the size of a function it does not split. */
class CodeBoundTest {
    private static final Path BENCHMARKS = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "bench", "benchmarks");

    /** A module of one function {@code [i32] -> [i32]} with {@code locals} and {@code body}, validated. */
    static WasmModule module(List<ValType> locals, ModuleBuilder.Code body) {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.exportFunction("f", m.function(type, locals, body));
        return validated(m.build());
    }

    private static WasmModule validated(byte[] wasm) {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(wasm));
        return module;
    }

    /** The exact bytecode of each method of function {@code funcidx} unsplit, from the class a writer makes of it. */
    private static Map<String, Integer> exact(ModuleLayout layout, int funcidx) {
        return exact(layout, funcidx, null, OperandStack.Spill.ANY);
    }

    /** The exact bytecode of each method of function {@code funcidx} emitted as {@code outlining} says. */
    private static Map<String, Integer> exact(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill) {
        ClassWriter trial = new ClassWriter(0);
        trial.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, null);
        FunctionMethods.emit(owner -> trial, layout.scratch(), funcidx, outlining, spill, null);
        trial.visitEnd();
        try {
            return CodeSizes.of(trial.toByteArray());
        } catch (MethodTooLargeException e) {
            return Map.of(e.getMethodName(), e.getCodeSize());
        }
    }

    private static Map<String, Integer> bound(ModuleLayout layout, int funcidx) {
        return bound(layout, funcidx, null, OperandStack.Spill.ANY);
    }

    private static Map<String, Integer> bound(ModuleLayout layout, int funcidx, Outlining outlining, OperandStack.Spill spill) {
        CodeBound bound = new CodeBound();
        FunctionMethods.emit(owner -> bound, layout.scratch(), funcidx, outlining, spill, null);
        return bound.bounds();
    }

    @Test
    void theBoundIsExactForCodeWithoutConstantsOrSwitches() {
        // Comparisons (a branch each), loads and stores of locals past the short and the one-byte forms.
        List<ValType> locals = Collections.nCopies(300, ValType.I32);
        ModuleBuilder.Code code = new ModuleBuilder.Code().localGet(0);
        for (int i = 0; i < 50; i++) code.localGet(i % 4 == 0 ? 299 : i % 4).op(Opcodes.I32_LT_S).localTee(i * 6 % 300);
        ModuleLayout layout = new ModuleLayout(module(locals, code), "bound/Module");

        Map<String, Integer> exact = exact(layout, 0);
        assertEquals(exact, bound(layout, 0));
        assertTrue(exact.get(layout.bodyName(0)) > 500, exact.toString());
    }

    /**
     * The methods of a split function (its own, its outlined parts', a state machine's groups and
     * dispatch) are within their bounds: the planner takes a bound within the limit for the size
     * of the largest.
     */
    @Test
    void theMethodsOfASplitFunctionAreWithinTheirBounds() {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < 40; i++) code.block(Opcodes.BLOCK, (ValType) null).raw(SplitFixtures.adds(100)).localGet(0).brIf(0).end();
        code.localGet(0).brTable(new int[] {0, 0, 0}, 0);
        WasmModule module = module(List.of(), new ModuleBuilder.Code().block(Opcodes.BLOCK, (ValType) null).raw(code.bytes())
                .end().localGet(0));
        ModuleLayout layout = new ModuleLayout(module, "bound/Module");
        FunctionPlanner.Plan plan = FunctionPlanner.plan(layout, 0);
        assertTrue(plan.outlining() != null, "split");

        Map<String, Integer> exact = exact(layout, 0, plan.outlining(), plan.spill());
        Map<String, Integer> bound = bound(layout, 0, plan.outlining(), plan.spill());
        assertEquals(exact.keySet(), bound.keySet());
        assertTrue(exact.size() > 3, exact.toString());
        exact.forEach((method, size) -> assertTrue(bound.get(method) >= size, method + ": bound " + bound.get(method) + " < " + size));
    }

    @Test
    void aConstantLoadCountsItsWideForm() {
        ModuleBuilder.Code code = new ModuleBuilder.Code().localGet(0);
        for (int i = 0; i < 10; i++) code.i32Const(1_000_000 + i).op(Opcodes.I32_ADD);
        ModuleLayout layout = new ModuleLayout(module(List.of(), code), "bound/Module");

        // Ten ldc of a constant pool index below 256, two bytes each, counted as three.
        assertEquals(exact(layout, 0).get("f") + 10, bound(layout, 0).get("f"));
    }

    /**
     * Every method of every function of real modules, compiled C, C++, Rust and Go, scalar and SIMD,
     * is within its bound, and the bound is within a few percent of the exact size over all of them.
     */
    @Test
    void everyUnsplitMethodOfRealModulesIsWithinItsBound() throws IOException {
        List<Path> modules = List.of(Path.of("src/test/resources/dwarf/two-units/backtrace.wasm"),
                BENCHMARKS.resolve("sqlite3/sqlite3.wasm"), BENCHMARKS.resolve("blake3-simd/benchmark.wasm"),
                BENCHMARKS.resolve("libsodium/libsodium-sign.wasm"), BENCHMARKS.resolve("shootout/shootout-switch.wasm"),
                BENCHMARKS.resolve("intgemm-simd/benchmark.wasm"), BENCHMARKS.resolve("tinygo/tinygo-json.wasm"),
                BENCHMARKS.resolve("rust-json/benchmark.wasm"));
        long exactTotal = 0;
        long boundTotal = 0;
        int methods = 0;
        for (Path path : modules) {
            assertTrue(Files.isRegularFile(path), "module not found: " + path);
            WasmModule module = validated(Files.readAllBytes(path));
            ModuleLayout layout = new ModuleLayout(module, "bound/Module");
            int imported = module.importCount(ExternKind.FUNC);
            for (int f = imported; f < module.functionCount(); f++) {
                // Bodies that short are never asked for a size; they would only dilute the total.
                if (module.codes().get(f - imported).code().length < 200) continue;
                Map<String, Integer> exact = exact(layout, f);
                Map<String, Integer> bound = bound(layout, f);
                assertEquals(exact.keySet(), bound.keySet(), path + " function " + f);
                for (Map.Entry<String, Integer> e : exact.entrySet()) {
                    int b = bound.get(e.getKey());
                    assertTrue(b >= e.getValue(), path + " function " + f + ": bound " + b + " < " + e.getValue());
                    exactTotal += e.getValue();
                    boundTotal += b;
                    methods++;
                }
            }
        }
        assertTrue(methods > 1000, methods + " methods");
        assertTrue(boundTotal <= exactTotal * 1.05, "bound " + boundTotal + " for " + exactTotal + " bytes");
    }
}
