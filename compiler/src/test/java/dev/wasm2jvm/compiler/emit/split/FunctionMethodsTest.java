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
import org.objectweb.asm.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.V22;

/** The planner's trials measure the methods that the final emission writes. */
class FunctionMethodsTest {
    private static final Path BENCHMARKS = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "bench", "benchmarks");

    /** The bytecode of each method of a class into which {@code emission} writes a function. */
    private static Map<String, Integer> written(ModuleLayout layout, Consumer<ClassWriter> emission) {
        return written(layout, 0, emission);
    }

    /** As {@link #written(ModuleLayout, Consumer)}, with a class writer of {@code flags}. */
    private static Map<String, Integer> written(ModuleLayout layout, int flags, Consumer<ClassWriter> emission) {
        ClassWriter writer = new ClassWriter(flags) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        writer.visit(V22, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, layout.owner, null, RuntimeRefs.INSTANCE, null);
        emission.accept(writer);
        writer.visitEnd();
        return CodeSizes.of(writer.toByteArray());
    }

    /**
     * A measurement leaves out the line numbers (from DWARF in one module, from the offsets of the
     * instructions in the other) and the local names, and every method of every function measures
     * what the emission with them writes: the entries take no bytecode, and the fusion of a
     * comparison with its test, which looks at them, sees them in both. The end of a function's
     * method within a short jump's reach, as first written, is its size.
     */
    @Test
    void aMeasurementWritesTheBytecodeOfTheEmissionWithLineNumbers() throws IOException {
        int methods = 0;
        for (Path path : new Path[] {Path.of("src/test/resources/dwarf/two-units/backtrace.wasm"),
                BENCHMARKS.resolve("sqlite3/sqlite3.wasm")}) {
            WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(Files.readAllBytes(path)));
            ModuleLayout layout = new ModuleLayout(module, "measured/Module");
            int imported = module.importCount(ExternKind.FUNC);
            for (int f = imported; f < module.functionCount(); f++) {
                int funcidx = f;
                Map<String, Integer> emitted = written(layout, writer ->
                        FunctionMethods.emit(owner -> writer, layout.scratch(), funcidx, null, OperandStack.Spill.ANY, null));
                Label end = new Label();
                Map<String, Integer> measured = written(layout, writer ->
                        FunctionMethods.measure(owner -> writer, layout.scratch(), funcidx, null, OperandStack.Spill.ANY, null, end));
                assertEquals(emitted, measured, path + " function " + f);
                methods += emitted.size();
                int size = measured.get(layout.bodyName(f));
                if (size <= Short.MAX_VALUE) assertEquals(size, end.getOffset(), path + " function " + f);
            }
        }
        assertTrue(methods > 1000, methods + " methods");
    }

    /**
     * Past a short jump's reach the class writer widens a jump when it writes the class, so the
     * method's end as first written is short of its size: the planner writes such a trial's class.
     */
    @Test
    void aJumpPastAShortOffsetsReachMakesTheMethodLargerThanItsEndAsWritten() {
        WasmModule module = CodeBoundTest.module(List.of(), new ModuleBuilder.Code()
                .block(Opcodes.BLOCK, (ValType) null).localGet(0).brIf(0).raw(SplitFixtures.adds(8000)).end().localGet(0));
        ModuleLayout layout = new ModuleLayout(module, "measured/Module");
        Label end = new Label();
        Map<String, Integer> measured = written(layout, writer ->
                FunctionMethods.measure(owner -> writer, layout.scratch(), 0, null, OperandStack.Spill.ANY, null, end));
        assertTrue(end.getOffset() > Short.MAX_VALUE, end.getOffset() + " bytes");
        assertTrue(measured.get(layout.bodyName(0)) > end.getOffset(), measured + " against " + end.getOffset());
    }

    /**
     * The final emission of a plan that no trial measured gives the size of the split function's
     * method and of each outlined part's as the class written has them, whether the emitters give
     * the frames (a writer computing them, which the emitters' frames stand in for) or not.
     */
    @Test
    void anEmissionOfAPlanNotMeasuredGivesTheSizesOfTheMethodsItWrites() {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (int i = 0; i < 40; i++) code.block(Opcodes.BLOCK, (ValType) null).raw(SplitFixtures.adds(100)).localGet(0).brIf(0).end();
        code.localGet(0).brTable(new int[] {0, 0, 0}, 0);
        WasmModule module = CodeBoundTest.module(List.of(), new ModuleBuilder.Code().block(Opcodes.BLOCK, (ValType) null)
                .raw(code.bytes()).end().localGet(0));
        ModuleLayout layout = new ModuleLayout(module, "measured/Module");
        FunctionPlanner.Plan plan = FunctionPlanner.plan(layout, 0, false);
        assertTrue(plan.outlining() != null, "split");
        for (int flags : new int[] {0, ClassWriter.COMPUTE_FRAMES}) {
            Map<String, Integer> sizes = new HashMap<>();
            Map<String, Integer> written = written(layout, flags, writer -> FunctionMethods.emit(owner -> writer,
                    layout.scratch(), 0, plan.outlining(), plan.spill(), null, null, sizes));
            assertTrue(sizes.size() > 3, sizes.toString());
            sizes.forEach((method, size) -> assertEquals(written.get(method), size, method + " with flags " + flags));
        }
    }
}
