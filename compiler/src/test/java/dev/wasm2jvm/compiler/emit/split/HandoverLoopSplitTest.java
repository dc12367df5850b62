package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large loops of functions that fit one method and are called from few places run inline, then hand
 * over to their resumable methods ({@link SplitPlan#handovers}): they compute what the function
 * computes unsplit whether they end before the handover, at it, or long after it, leaving by a
 * branch, a return or their end.
 */
class HandoverLoopSplitTest {
    private static final String CLASS = "handover.Loops";
    /** A loop that never reaches its end, left by a branch out or a return. */
    private static final int SCAN = 0;
    /** A loop that falls through its end, with a large loop inside it. */
    private static final int NESTED = 1;
    /** The large loop alone: a function too short to hand over. */
    private static final int SHORT = 2;
    /** Scan's code in a function called from three places. */
    private static final int POPULAR = 3;
    /** The exports, which call the functions above. */
    private static final List<String> EXPORTS = List.of("scan", "nested", "short", "popular");

    /** {@code n} statements of two memory accesses each, about 13 bytes a statement. */
    private static String work(int n) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
            sb.append(k % 2 == 0
                    ? "(i32.store offset=" + 4 * k + " (local.get $p) (i32.add (i32.load offset=" + (4 * k + 8) + " (local.get $p)) (local.get $acc)))\n"
                    : "(local.set $acc (i32.xor (i32.load offset=" + 4 * k + " (local.get $p)) (i32.mul (local.get $acc) (i32.const 31))))\n");
        }
        return sb.toString();
    }

    private static final String WAT = """
            (module
              (memory (export "memory") 1)
              (func (export "scan") (param i32 i32 i32) (result i32) (call $scan (local.get 0) (local.get 1) (local.get 2)))
              (func (export "nested") (param i32 i32 i32) (result i32) (call $nested (local.get 0) (local.get 1) (local.get 2)))
              (func (export "short") (param i32 i32 i32) (result i32) (call $short (local.get 0) (local.get 1) (local.get 2)))
              (func (export "popular") (param i32 i32 i32) (result i32)
                (i32.add (call $popular (local.get 0) (local.get 1) (local.get 2))
                  (i32.add (call $popular (i32.const 0) (i32.const -1) (i32.const -1)) (call $popular (i32.const 1) (i32.const -1) (i32.const -1)))))
              (func $scan (param $n i32) (param $stop i32) (param $ret i32) (result i32)
                (local $i i32) (local $acc i32) (local $p i32) (local $k i32)
                %1$s
                (block $out
                  (loop $l
                    (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $p (i32.and (i32.mul (local.get $i) (i32.const 12)) (i32.const 0x3ff0)))
                    %2$s
                    (local.set $k (i32.const 0))
                    (loop $inner
                      (local.set $acc (i32.add (local.get $acc) (local.get $k)))
                      (local.set $k (i32.add (local.get $k) (i32.const 1)))
                      (br_if $inner (i32.lt_u (local.get $k) (i32.const 3))))
                    (br_if $out (i32.eq (local.get $i) (local.get $stop)))
                    (if (i32.eq (local.get $i) (local.get $ret)) (then (return (i32.add (local.get $acc) (i32.const 7)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l)))
                (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 1000003))))
              (func $nested (param $n i32) (param $stop i32) (param $ret i32) (result i32)
                (local $i i32) (local $acc i32) (local $p i32) (local $k i32)
                %1$s
                (loop $l
                  (local.set $p (i32.and (i32.mul (local.get $i) (i32.const 20)) (i32.const 0x3ff0)))
                  (local.set $k (i32.const 0))
                  (loop $inner
                    %2$s
                    (local.set $p (i32.add (local.get $p) (i32.const 4)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br_if $inner (i32.lt_u (local.get $k) (i32.const 2))))
                  (if (i32.eq (local.get $i) (local.get $ret)) (then (return (local.get $acc))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.and (i32.lt_u (local.get $i) (local.get $n)) (i32.ne (local.get $i) (local.get $stop)))))
                (i32.sub (local.get $acc) (local.get $i)))
              (func $short (param $n i32) (param $stop i32) (param $ret i32) (result i32)
                (local $i i32) (local $acc i32) (local $p i32)
                (loop $l
                  (local.set $p (i32.and (i32.mul (local.get $i) (i32.const 12)) (i32.const 0x3ff0)))
                  %2$s
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $acc))
              (func $popular (param $n i32) (param $stop i32) (param $ret i32) (result i32)
                (local $i i32) (local $acc i32) (local $p i32)
                %1$s
                (loop $l
                  (local.set $p (i32.and (i32.mul (local.get $i) (i32.const 12)) (i32.const 0x3ff0)))
                  %2$s
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $acc)))
            """.formatted(work(10), work(26));
    /** The index of function {@code f} of the constants above: after the four exports. */
    private static int index(int f) {
        return EXPORTS.size() + f;
    }

    private static WasmModule module() {
        WasmModule module = ModuleDecoder.decode(WasmCompiler.binary(WAT.getBytes(StandardCharsets.UTF_8)));
        ModuleValidator.validate(module);
        return module;
    }

    /** The outermost large loop of each long function hands over; the one inside it, and the short function's, do not. */
    @Test
    void theOutermostLargeLoopOfALongFunctionHandsOver() {
        WasmModule module = module();
        for (int f : new int[] {SCAN, NESTED}) {
            int i = index(f);
            Region root = RegionScanner.scan(module, module.codes().get(i), module.funcType(i));
            assertTrue(module.codes().get(i).code().length >= JvmLimits.HANDOVER_FUNCTION);
            assertTrue(RegionScanner.holdsHandoverLoop(module.codes().get(i)));
            Region loop = root.subtree().stream().filter(r -> r.opcode == Opcodes.LOOP).findFirst().orElseThrow();
            assertTrue(loop.size() >= JvmLimits.HANDOVER_LOOP, () -> loop.size() + " bytes");
            SplitPlan.Plan plan = SplitPlan.handovers(root, FunctionPlanner.probe(module, i), module.codes().get(i).code().length);
            assertEquals(Set.of(loop.start), plan.handovers(), EXPORTS.get(f));
            assertTrue(plan.constructs().isEmpty() && plan.sequences().isEmpty() && plan.nests().isEmpty());
        }
        Region nestedInner = RegionScanner.scan(module, module.codes().get(index(NESTED)), module.funcType(index(NESTED))).subtree()
                .stream().filter(r -> r.opcode == Opcodes.LOOP).skip(1).findFirst().orElseThrow();
        assertTrue(nestedInner.size() >= JvmLimits.HANDOVER_LOOP, "the inner loop is large too");
        assertTrue(module.codes().get(index(SHORT)).code().length < JvmLimits.HANDOVER_FUNCTION);
        assertTrue(!RegionScanner.holdsHandoverLoop(module.codes().get(index(SHORT))));
        assertTrue(RegionScanner.holdsHandoverLoop(module.codes().get(index(POPULAR))), "its loop is large enough");
    }

    @Test
    void handoverLoopsComputeWhatTheFunctionDoesUnsplit() {
        WasmModule module = module();
        ModuleLayout layout = new ModuleLayout(module, CLASS.replace('.', '/'));
        Map<Integer, FunctionPlanner.Plan> plans = new HashMap<>();
        for (int f : new int[] {SCAN, NESTED}) {
            FunctionPlanner.Plan plan = FunctionPlanner.plan(layout, index(f));
            assertNotNull(plan.outlining(), EXPORTS.get(f) + " hands its loop over");
            assertEquals(List.of(Opcodes.LOOP), plan.outlining().regions().stream().map(r -> r.opcode).toList());
            plans.put(index(f), plan);
        }
        assertNull(FunctionPlanner.plan(layout, index(SHORT)).outlining(), "the short function stays whole");
        assertNull(FunctionPlanner.plan(layout, index(POPULAR)).outlining(), "a function called from three places stays whole");

        Map<String, byte[]> split = ModuleEmitter.emit(module, CLASS);
        Map<String, byte[]> whole = unsplit(module, split, plans);
        int handover = JvmLimits.HANDOVER_ITERATIONS;
        int many = handover + 7 * JvmLimits.HANDOVER_RESUME + 3;
        // Loops that end before the handover, at its iteration, just after it, and after many
        // resumptions; by the loop's own test, a branch out, a return.
        int[][] cases = {
            {0, -1, -1}, {1, -1, -1}, {handover - 1, -1, -1}, {handover, -1, -1}, {handover + 1, -1, -1}, {many, -1, -1},
            {many, handover + 2, -1}, {many, -1, handover + 5}, {many, -1, 3}, {many, 2, -1}, {many, many - 1, -1},
        };
        for (int f : new int[] {SCAN, NESTED}) {
            String name = EXPORTS.get(f);
            for (int[] args : cases) {
                Object[] expected = call(whole, name, args);
                assertEquals(List.of(expected), List.of(call(split, name, args)),
                        () -> name + "(" + args[0] + ", " + args[1] + ", " + args[2] + ")");
            }
        }
    }

    /** Calls export {@code name} of a fresh instance of {@code classes}, whose memory starts zeroed. */
    private static Object[] call(Map<String, byte[]> classes, String name, int[] args) {
        Instance instance = CompiledModule.of(CLASS, classes, Map.of()).instantiate(new Imports());
        return instance.function(name).call(args[0], args[1], args[2]);
    }

    /** {@code split}'s classes with each function of {@code plans} emitted unsplit in place of its split method. */
    private static Map<String, byte[]> unsplit(WasmModule module, Map<String, byte[]> split, Map<Integer, FunctionPlanner.Plan> plans) {
        ModuleLayout layout = new ModuleLayout(module, CLASS.replace('.', '/'));
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        new ClassReader(split.get(CLASS)).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                for (int f : plans.keySet()) {
                    if (name.equals(layout.bodyName(f))) return null;
                }
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }

            @Override
            public void visitEnd() {
                plans.forEach((f, plan) -> FunctionMethods.emit(owner -> writer, layout, f, null, plan.spill(), null));
                super.visitEnd();
            }
        }, ClassReader.SKIP_FRAMES);
        Map<String, byte[]> classes = new HashMap<>(split);
        classes.put(CLASS, writer.toByteArray());
        return classes;
    }
}
