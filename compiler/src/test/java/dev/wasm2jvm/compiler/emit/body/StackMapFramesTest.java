package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.LargeModule;
import dev.wasm2jvm.compiler.emit.StraightLineSteps;
import dev.wasm2jvm.compiler.emit.split.CodeSizes;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.*;

/**
 * The frames the emitters give: modules whose functions place every emitter's own labels (trap
 * checks, {@code select}, comparisons as values and as branches, {@code br_table}, loops with
 * values and locals of each type, reference locals set in loops and handlers' ranges, SIMD,
 * handlers) load with the verifier on, the
 * default for classes not from the boot class path, and compute what they should; and
 * {@link StackMapFrames} on bytecode written by hand.
 */
class StackMapFramesTest {
    private static Instance instantiate(String wat) {
        return WasmCompiler.compile(Wat.toBinary(wat)).instantiate(new Imports());
    }

    private static Object call(Instance instance, String name, Object... args) {
        return instance.function(name).call(args)[0];
    }

    private static final String LABELS = """
            (module
              (memory 1)
              (tag $e (param i32))
              ;; Loops with locals of every type, a comparison as a value and as a branch, select of each type.
              (func (export "loops") (param $n i32) (result f64)
                (local $i i32) (local $l i64) (local $f f32) (local $d f64)
                (loop $again
                  (local.set $l (i64.add (local.get $l) (select (i64.const 3) (i64.const 5) (i32.lt_s (local.get $i) (i32.const 4)))))
                  (local.set $f (f32.add (local.get $f) (select (f32.const 0.5) (f32.const 1) (i32.and (local.get $i) (i32.const 1)))))
                  (local.set $d (f64.add (local.get $d) (select (f64.const 2) (f64.const 0.25) (f64.lt (local.get $d) (f64.const 10)))))
                  (local.set $i (i32.add (local.get $i) (i32.lt_u (local.get $i) (local.get $n))))
                  (br_if $again (i32.lt_s (local.get $i) (local.get $n))))
                (f64.add (local.get $d) (f64.add (f64.promote_f32 (local.get $f)) (f64.convert_i64_s (local.get $l)))))
              ;; Trap checks inside expressions whose operands sit under them on the stack.
              (func (export "traps") (param $a i32) (param $b i32) (param $x f64) (result i64)
                (i64.add (i64.extend_i32_s (i32.div_s (local.get $a) (local.get $b)))
                  (i64.add (i64.extend_i32_u (i32.rem_u (local.get $a) (local.get $b)))
                    (i64.add (i64.trunc_f64_s (local.get $x)) (i64.extend_i32_s (i32.trunc_f32_u (f32.demote_f64 (local.get $x))))))))
              ;; A br_table carrying a value out of nested blocks, with a value under them.
              (func (export "table") (param $k i32) (result i32)
                (i32.add (i32.const 1000)
                  (block $c (result i32)
                    (block $b (result i32)
                      (block $a (result i32)
                        (br_table $a $b $c (i32.mul (local.get $k) (i32.const 10)) (local.get $k)))
                      (return (i32.add (i32.const 1))))
                    (return (i32.add (i32.const 2))))))
              ;; Blocks and ifs with results, a value under a loop, dead code after br and return.
              (func (export "nested") (param $n i32) (result i32) (local $acc i32)
                (i32.add (i32.const 7)
                  (loop $l (result i32)
                    (local.set $acc (i32.add (local.get $acc)
                      (if (result i32) (i32.and (local.get $n) (i32.const 1))
                        (then (block (result i32) (br 0 (i32.const 3)) (drop (i32.const 9)) (i32.const 4)))
                        (else (i32.const 5)))))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))
                    (local.get $acc))))
              ;; SIMD: lane operations, a comparison's mask, any_true as a branch.
              (func (export "simd") (param $a i32) (result i32) (local $v v128)
                (local.set $v (i32x4.splat (local.get $a)))
                (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
                (if (result i32) (v128.any_true (i32x4.gt_s (local.get $v) (v128.const i32x4 10 10 10 10)))
                  (then (i32x4.extract_lane 3 (local.get $v)))
                  (else (i8x16.extract_lane_u 0 (v128.bitselect (local.get $v) (v128.const i64x2 0 0) (i32x4.eq (local.get $v) (local.get $v)))))))
              ;; Memory accesses and a store's value while its address is computed.
              (func (export "memory") (param $a i32) (result i64)
                (i64.store offset=8 (local.get $a) (i64.mul (i64.const 3) (i64.extend_i32_u (local.get $a))))
                (i32.store8 (i32.add (local.get $a) (i32.const 1)) (select (i32.const 1) (i32.const 2) (local.get $a)))
                (i64.add (i64.load offset=8 (local.get $a)) (i64.load8_u (i32.add (local.get $a) (i32.const 1)))))
              ;; A handler whose range writes locals and has values under it.
              (func $thrower (param $v i32) (if (local.get $v) (then (throw $e (local.get $v)))))
              (func (export "handler") (param $v i32) (result i32) (local $l i64)
                (i32.add (i32.const 100)
                  (block $h (result i32)
                    (try_table (result i32) (catch $e $h)
                      (local.set $l (i64.const 40))
                      (call $thrower (local.get $v))
                      (i32.wrap_i64 (local.get $l))))))
              ;; A method whose only stack slot is the exception its handler takes and stores at once.
              (func (export "emptyTry") (block $h (try_table (catch_all $h))))
              ;; Reference locals, zeroed to null, set in a loop and in a handler's range, read after them.
              (elem declare func $thrower)
              (func (export "refs") (param $n i32) (result i32) (local $f funcref)
                (loop $l
                  (local.set $f (ref.func $thrower))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
                (ref.is_null (local.get $f)))
              (func (export "refHandler") (param $v i32) (result i32) (local $f funcref)
                (drop (block $h (result i32)
                  (try_table (result i32) (catch $e $h)
                    (local.set $f (ref.func $thrower))
                    (call $thrower (local.get $v))
                    (i32.const 0))))
                (ref.is_null (local.get $f)))
              ;; A self tail call, with a local that starts at zero each round.
              (func $count (export "count") (param $n i32) (param $sum i64) (result i64) (local $z i32)
                (local.set $z (i32.add (local.get $z) (i32.const 1)))
                (if (result i64) (i32.eqz (local.get $n))
                  (then (i64.add (local.get $sum) (i64.extend_i32_u (local.get $z))))
                  (else (return_call $count (i32.sub (local.get $n) (i32.const 1)) (i64.add (local.get $sum) (i64.extend_i32_u (local.get $z))))))))
            """;

    @Test
    void everyEmittersLabelsVerifyAndCompute() {
        Instance instance = instantiate(LABELS);
        // d: 2, 4, 6, 8, 10, 10.25; f: 1 + 0.5 + 1 + 0.5 + 1 + 0.5; l: 4 times 3 and twice 5.
        assertEquals(10.25 + 4.5 + 22, (Double) call(instance, "loops", 6), 1e-9);
        assertEquals(-3L + 1 + 7 + 7, call(instance, "traps", -7, 2, 7.5));
        assertThrows(WasmTrap.class, () -> call(instance, "traps", 1, 0, 0.0));
        assertEquals(1, call(instance, "table", 0));
        assertEquals(10 + 2, call(instance, "table", 1));
        assertEquals(1000 + 20, call(instance, "table", 2));
        assertEquals(1000 + 90, call(instance, "table", 9));
        assertEquals(7 + 3 + 5 + 3 + 5, call(instance, "nested", 4));
        assertEquals(24, call(instance, "simd", 20));
        assertEquals(1, call(instance, "simd", 0));
        assertEquals(3L * 16 + 1, call(instance, "memory", 16));
        assertEquals(140, call(instance, "handler", 0));
        assertEquals(105, call(instance, "handler", 5));
        assertEquals(0, instance.function("emptyTry").call().length);
        assertEquals(4L, call(instance, "count", 3, 0L));
        assertEquals(0, call(instance, "refs", 3));
        assertEquals(0, call(instance, "refHandler", 0));
        assertEquals(0, call(instance, "refHandler", 5));
    }

    /** A function with a loop, one split into outlined parts, and one calling the first. */
    private static final String GIVEN_UP = """
            (module
              (func $sum (export "sum") (param $n i32) (result i64) (local $s i64)
                (loop $again
                  (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (local.get $n))))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
                (local.get $s))
              (func $big (export "big") (param $n i32) (param $acc i32) (result i32)
                (loop $again
                  (block
                    %s)
                  (block
                    %s)
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
                (local.get $acc))
              (func (export "twice") (param $n i32) (result i64)
                (i64.add (call $sum (local.get $n)) (call $sum (local.get $n)))))
            """.formatted(StraightLineSteps.wat(800, 1), StraightLineSteps.wat(800, 2));

    /** What {@code big} computes. */
    private static int big(int n, int acc) {
        do {
            acc = StraightLineSteps.model(StraightLineSteps.model(acc, 800, 1), 800, 2);
        } while (--n > 0);
        return acc;
    }

    /** The progress of a compilation: the functions whose frames were computed, and the passes over the module's functions. */
    private static final class Told implements CompileProgress {
        final List<Integer> framesComputed = new ArrayList<>();
        int passes;

        @Override
        public void advanced(int done, int total) {
            if (done == total) passes++;
        }

        @Override
        public void framesComputed(int funcidx, String reason) {
            framesComputed.add(funcidx);
        }
    }

    /** Compiles {@code wasm} as class {@code className}, giving up on the frames of the methods named {@code givenUp}. */
    private static CompiledModule compile(byte[] wasm, String className, Set<String> givenUp, Told told) {
        StackMapFrames.givenUp = givenUp;
        try {
            return WasmCompiler.compile(wasm, className, null, told);
        } finally {
            StackMapFrames.givenUp = Set.of();
        }
    }

    /** The names of the methods of each class of {@code compiled}, in the classes' order. */
    private static Map<String, Set<String>> methods(CompiledModule compiled) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        compiled.classFiles().forEach((name, classFile) -> methods.put(name, new TreeSet<>(CodeSizes.of(classFile).keySet())));
        return methods;
    }

    /** The last method named {@code prefix...} of {@code methods}, in the classes' order. */
    private static String last(Map<String, Set<String>> methods, String prefix) {
        return methods.values().stream().flatMap(Set::stream).filter(name -> name.startsWith(prefix)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theMethodsOfAFunctionWhoseFramesAreNotResolvedGetTheWritersFrames() {
        byte[] wasm = Wat.toBinary(GIVEN_UP);
        Told first = new Told();
        Map<String, Set<String>> methods = methods(compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME, Set.of(), first));
        assertEquals(List.of(), first.framesComputed);
        assertEquals(1, first.passes);
        String part = last(methods, "big$");
        // The loop of sum (funcidx 0), and a part of big (1), whose own method was written before it.
        Told told = new Told();
        CompiledModule compiled = compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME, Set.of("sum", part), told);
        assertEquals(List.of(0, 1), told.framesComputed);
        // One pass finds both.
        assertEquals(2, told.passes);
        assertEquals(methods, methods(compiled));
        // Loaded with the verifier on.
        Instance instance = compiled.instantiate(new Imports());
        assertEquals(55L, call(instance, "sum", 10));
        assertEquals(110L, call(instance, "twice", 10));
        assertEquals(big(3, 7), call(instance, "big", 3, 7));
    }

    @Test
    void aFunctionOfACodeClassAndAPartInALaterOneGetTheWritersFrames() {
        byte[] wasm = LargeModule.build();
        Map<String, Set<String>> methods = methods(compile(wasm, "large.Module", Set.of(), new Told()));
        // The code classes fill in funcidx order: sum, after every value function, has its last part in the last ones.
        String lastPart = last(methods, "sum$seq_");
        Told told = new Told();
        CompiledModule compiled = compile(wasm, "large.Module", Set.of("value12345", lastPart), told);
        assertEquals(List.of(LargeModule.FIRST_VALUE + 12_345, LargeModule.FIRST_VALUE + LargeModule.VALUES), told.framesComputed);
        assertEquals(2, told.passes);
        assertEquals(methods, methods(compiled));
        Instance instance = compiled.instantiate(new Imports().add("wasi_snapshot_preview1", "proc_exit", args -> null));
        assertEquals(LargeModule.value(12_345), call(instance, "value12345"));
        assertEquals(LargeModule.sum(), call(instance, "sum"));
    }

    /** A static method {@code f} of {@code descriptor}, written by {@code body} through StackMapFrames, as a class file. */
    private static byte[] method(String descriptor, java.util.function.Consumer<MethodVisitor> body) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(V22, ACC_PUBLIC | ACC_SUPER, "dev/wasm2jvm/compiler/emit/body/Framed", null, "java/lang/Object", null);
        MethodVisitor mv = StackMapFrames.method(cw, ACC_PUBLIC | ACC_STATIC, "f", descriptor);
        mv.visitCode();
        body.accept(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static Object run(byte[] classFile, Object... args) throws Throwable {
        Class<?> c = MethodHandles.lookup().defineHiddenClass(classFile, true).lookupClass();
        return java.util.Arrays.stream(c.getMethods()).filter(m -> m.getName().equals("f")).findFirst().orElseThrow().invoke(null, args);
    }

    /** The frames of method {@code f}, expanded, each as its locals and its stack ({@code 0} is {@code TOP}, {@code 1} an int). */
    private static List<String> frames(byte[] classFile) {
        List<String> frames = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(ASM9) {
                    @Override
                    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
                        frames.add(java.util.Arrays.toString(java.util.Arrays.copyOf(local, numLocal)) + " "
                                + java.util.Arrays.toString(java.util.Arrays.copyOf(stack, numStack)));
                    }
                };
            }
        }, ClassReader.EXPAND_FRAMES);
        return frames;
    }

    /** The bytecodes of method {@code f}, by opcode. */
    private static List<Integer> opcodes(byte[] classFile) {
        List<Integer> opcodes = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(ASM9) {
                    @Override public void visitInsn(int opcode) { opcodes.add(opcode); }
                    @Override public void visitVarInsn(int opcode, int varIndex) { opcodes.add(opcode); }
                    @Override public void visitJumpInsn(int opcode, Label label) { opcodes.add(opcode); }
                };
            }
        }, 0);
        return opcodes;
    }

    @Test
    void aSlotOfTwoTypesOnTwoPathsIsNeitherAfterThem() throws Throwable {
        // if (x) { s1 = 1.5f } else { s1 = 2 }; return x: slot 1 is float or int, so neither at the join.
        byte[] classFile = method("(I)I", mv -> {
            Label other = new Label();
            Label join = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, other);
            mv.visitLdcInsn(1.5f);
            mv.visitVarInsn(FSTORE, 1);
            mv.visitJumpInsn(GOTO, join);
            mv.visitLabel(other);
            mv.visitInsn(ICONST_2);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitLabel(join);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(IRETURN);
        });
        assertEquals(5, run(classFile, 5));
        assertEquals(0, run(classFile, 0));
    }

    /**
     * Two jumps to one label through {@link LineEntries}, which marks a jump's target in
     * {@link Label#info} where this visitor keeps the state the jumps bring: the second jump's mark
     * must not replace the first jump's state, whose slot 1 (an int, then a float) is neither at the
     * label.
     */
    @Test
    void twoJumpsThroughLineEntriesMergeAtTheirLabel() throws Throwable {
        byte[] classFile = method("(I)I", framed -> {
            MethodVisitor mv = new LineEntries(framed);
            Label join = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, join);
            mv.visitInsn(FCONST_1);
            mv.visitVarInsn(FSTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFLT, join);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IADD);
            mv.visitInsn(IRETURN);
            mv.visitLabel(join);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(IRETURN);
        });
        assertEquals(6, run(classFile, 5));
        assertEquals(0, run(classFile, 0));
        assertEquals(-3, run(classFile, -3));
    }

    @Test
    void codeAfterAJumpThatNothingReachesIsLeftOut() throws Throwable {
        byte[] classFile = method("(J)J", mv -> {
            Label end = new Label();
            mv.visitJumpInsn(GOTO, end);
            mv.visitInsn(LCONST_1);
            mv.visitInsn(LRETURN);
            mv.visitLabel(end);
            mv.visitVarInsn(LLOAD, 0);
            mv.visitInsn(LRETURN);
        });
        assertEquals(List.of(GOTO, LLOAD, LRETURN), opcodes(classFile));
        assertEquals(9L, run(classFile, 9L));
    }

    @Test
    void aLoopKeepsTheTypesOfTheCodeFallingIntoIt() throws Throwable {
        // long sum = 0; for (int i = n; i != 0; i--) sum += i; return sum, the loop's frame holding both.
        byte[] classFile = method("(I)J", mv -> {
            Label loop = new StackMapFrames.LoopStart();
            Label done = new Label();
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, 1);
            mv.visitLabel(loop);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, done);
            mv.visitVarInsn(LLOAD, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(I2L);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, 1);
            mv.visitIincInsn(0, -1);
            mv.visitJumpInsn(GOTO, loop);
            mv.visitLabel(done);
            mv.visitVarInsn(LLOAD, 1);
            mv.visitInsn(LRETURN);
        });
        assertEquals(55L, run(classFile, 10));
    }

    @Test
    void aJumpBackThatChangedASlotOfTheLoopsFrameIsRefused() {
        StackMapFrames.Unresolved e = assertThrows(StackMapFrames.Unresolved.class, () -> method("(I)V", mv -> {
            Label loop = new StackMapFrames.LoopStart();
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitLabel(loop);
            mv.visitInsn(FCONST_0);
            mv.visitVarInsn(FSTORE, 1);
            mv.visitJumpInsn(GOTO, loop);
        }));
        assertTrue(e.getMessage().contains("a jump back"), e.getMessage());
    }

    @Test
    void aJumpBackToALabelNotMarkedALoopStartIsUnresolved() {
        StackMapFrames.Unresolved e = assertThrows(StackMapFrames.Unresolved.class, () -> method("(I)V", mv -> {
            Label loop = new Label();
            mv.visitLabel(loop);
            mv.visitIincInsn(0, -1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFNE, loop);
            mv.visitInsn(RETURN);
        }));
        assertTrue(e.getMessage().contains("not loop starts"), e.getMessage());
    }

    /**
     * A frame whose locals did not change since the frame before has that frame's locals, also
     * under a stack of two values, which only a full frame carries.
     */
    @Test
    void aFrameOfUnchangedLocalsKeepsThemUnderAStack() throws Throwable {
        byte[] classFile = method("(I)I", mv -> {
            Label first = new Label();
            Label second = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, first);
            mv.visitLabel(first);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(ICONST_2);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, second);
            mv.visitLabel(second);
            mv.visitInsn(IADD);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(IADD);
            mv.visitInsn(IRETURN);
        });
        assertEquals(List.of("[1] []", "[1] [1, 1]"), frames(classFile));
        assertEquals(8, run(classFile, 5));
    }

    /**
     * A slot given another type after a jump and before the jump's label is merged there, though
     * the jump's locals were merged already at a later jump that did not change them; a store of
     * the type a slot holds changes nothing.
     */
    @Test
    void aSlotRetypedBetweenTheJumpsAndTheirLabelIsMerged() throws Throwable {
        byte[] classFile = method("(I)I", mv -> {
            Label join = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, join);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFLT, join);
            mv.visitInsn(FCONST_1);
            mv.visitVarInsn(FSTORE, 1);
            mv.visitLabel(join);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(IRETURN);
        });
        assertEquals(List.of("[1] []"), frames(classFile));
        assertEquals(5, run(classFile, 5));
        byte[] kept = method("(I)I", mv -> {
            Label join = new Label();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, join);
            mv.visitInsn(ICONST_3);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitLabel(join);
            mv.visitVarInsn(ILOAD, 1);
            mv.visitInsn(IRETURN);
        });
        assertEquals(List.of("[1, 1] []"), frames(kept));
        assertEquals(3, run(kept, 5));
        assertEquals(0, run(kept, 0));
    }

    /**
     * Jumps that bring a slot of another type than the code falling into their label make it
     * unknown there, though no store falls between the last jump and the label; the next frame,
     * with no change of the locals in between, has the same locals.
     */
    @Test
    void aLabelOfJumpsThatDifferedTakesTheirMergeAndTheNextFrameKeepsIt() throws Throwable {
        byte[] classFile = method("(I)I", mv -> {
            Label join = new Label();
            Label next = new Label();
            mv.visitInsn(FCONST_1);
            mv.visitVarInsn(FSTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, join);
            mv.visitInsn(ICONST_1);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFLT, join);
            mv.visitLabel(join);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFGT, next);
            mv.visitLabel(next);
            mv.visitInsn(IRETURN);
        });
        assertEquals(List.of("[1] []", "[1] [1]"), frames(classFile));
        assertEquals(-2, run(classFile, -2));
    }

    /** Bytecode that no frames make valid is a failure of its own, not one the compilation falls back from. */
    @Test
    void stacksOfTwoHeightsOrALabelNeverPlacedAreNotUnresolved() {
        IllegalStateException heights = assertThrows(IllegalStateException.class, () -> method("(I)I", mv -> {
            Label join = new Label();
            mv.visitInsn(ICONST_1);
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, join);
            mv.visitInsn(ICONST_2);
            mv.visitLabel(join);
            mv.visitInsn(IRETURN);
        }));
        assertEquals(IllegalStateException.class, heights.getClass());
        assertEquals("stacks of 1 and 2 slots meet", heights.getMessage());
        IllegalStateException neverPlaced = assertThrows(IllegalStateException.class, () -> method("(I)V", mv -> {
            mv.visitVarInsn(ILOAD, 0);
            mv.visitJumpInsn(IFEQ, new Label());
            mv.visitInsn(RETURN);
        }));
        assertEquals(IllegalStateException.class, neverPlaced.getClass());
        assertEquals("a label jumped to but never placed", neverPlaced.getMessage());
    }
}
