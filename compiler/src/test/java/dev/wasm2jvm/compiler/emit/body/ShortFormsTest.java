package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.wasm2jvm.compiler.code.Opcodes.BLOCK;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_GE_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_GT_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_LE_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_LT_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ROTL;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ROTR;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_SUB;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_GE_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_GT_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_LE_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_LT_U;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_ROTL;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_ROTR;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_SHL;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_SHR_S;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_SHR_U;
import static dev.wasm2jvm.compiler.code.Opcodes.LOOP;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequences {@link ShortForms} lowers as one step compute what their instructions compute one
 * by one: each is checked against the same code with a {@code nop} inside, which no match passes
 * over, at the edges of its constants and operands; and the short forms are the bytecodes they are
 * for ({@code iinc}, no {@code l2i} of a constant count).
 */
class ShortFormsTest {
    private static final int NOP = 0x01;
    private static final int[] INTS = {0, 1, -1, 2, 127, 128, -128, -129, 32767, 32768, -32768, -32769,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1, 0x1234_5678};
    private static final long[] LONGS = {0, 1, -1, 2, 63, 64, 65, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL,
            1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 0x1234_5678_9ABC_DEF0L};

    /**
     * Increments by constants at and past a {@code short}'s bounds, by {@code i32.add} and
     * {@code i32.sub}, ending in {@code local.set} and in {@code local.tee}: the same results as the
     * instructions one by one, with wrapping at the int's bounds; an {@code iinc} where the addend
     * fits a {@code short}, none where it does not.
     */
    @Test
    void incrementsAddAsTheInstructionsDoAndAreOneIincWhereTheAddendFits() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32), List.of(I32));
        int[] constants = {1, -1, 127, 128, -128, -129, 32767, 32768, -32768, -32769, Integer.MAX_VALUE, Integer.MIN_VALUE};
        List<String> names = new ArrayList<>();
        Map<String, Boolean> fits = new HashMap<>();
        for (int c : constants) {
            for (int op : new int[] {I32_ADD, I32_SUB}) {
                long addend = op == I32_ADD ? (long) c : -(long) c;
                String name = (op == I32_ADD ? "add" : "sub") + Integer.toUnsignedString(c);
                pair(b, type, name + "set", new Code().localGet(0).i32Const(c).op(op).localSet(0).localGet(0),
                        new Code().localGet(0).i32Const(c).op(NOP).op(op).localSet(0).localGet(0));
                pair(b, type, name + "tee", new Code().localGet(0).i32Const(c).op(op).localTee(0),
                        new Code().localGet(0).i32Const(c).op(NOP).op(op).localTee(0));
                names.add(name + "set");
                names.add(name + "tee");
                boolean fit = addend >= Short.MIN_VALUE && addend <= Short.MAX_VALUE;
                fits.put(name + "set", fit);
                fits.put(name + "tee", fit);
            }
        }
        CompiledModule compiled = WasmCompiler.compile(b.build());
        Instance instance = compiled.instantiate(new Imports());
        for (String name : names) {
            for (int x : INTS) {
                assertEquals(instance.function(name + "!").call(x)[0], instance.function(name).call(x)[0], name + " of " + x);
            }
        }
        Map<String, int[]> counts = bytecodeCounts(compiled);
        for (String name : names) {
            assertEquals(fits.get(name) ? 1 : 0, counts.get(name)[Opcodes.IINC], name);
            assertEquals(0, counts.get(name + "!")[Opcodes.IINC], name + "!");
        }
    }

    /**
     * A counter a loop increments with {@code local.tee} and tests against a constant with
     * {@code i32.lt_u}, whose result is also the loop's and a block's: counted as the
     * instructions one by one count it, with one {@code iinc} in the loop.
     */
    @Test
    void aLoopCounterThatIsALoopsAndABlocksResultCountsAsTheInstructionsDo() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32), List.of(I32));
        pair(b, type, "count", counter(false), counter(true));
        CompiledModule compiled = WasmCompiler.compile(b.build());
        Instance instance = compiled.instantiate(new Imports());
        for (int x : new int[] {0, 5, 999, 1000, 1001, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            Object expected = instance.function("count!").call(x)[0];
            assertEquals(expected, instance.function("count").call(x)[0], "from " + x);
        }
        assertEquals(1, bytecodeCounts(compiled).get("count")[Opcodes.IINC]);
    }

    /**
     * {@code block (result i32) (loop (result i32) (local.get 0; i32.const 3; i32.add; local.tee 0;
     * local.get 0; i32.const 1000; i32.lt_u; br_if 0)) end}, with a {@code nop} inside each sequence
     * if {@code apart}.
     */
    private static Code counter(boolean apart) {
        Code code = new Code().block(BLOCK, I32).block(LOOP, I32).localGet(0).i32Const(3);
        if (apart) code.op(NOP);
        code.op(I32_ADD).localTee(0).localGet(0).i32Const(1000);
        if (apart) code.op(NOP);
        return code.op(I32_LT_U).brIf(0).end().end();
    }

    /**
     * An increment of a local held in a value array, past the function's first 2,048 slots, adds as
     * the instructions do, with no {@code iinc}, which only a slot takes.
     */
    @Test
    void anIncrementOfALocalInAValueArrayAddsAsTheInstructionsDo() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32), List.of(I32));
        List<ValType> locals = new ArrayList<>(Collections.nCopies(1100, I64));
        locals.add(I32);
        int far = 1101;
        b.exportFunction("far", b.function(type, locals, new Code().localGet(0).localSet(far)
                .localGet(far).i32Const(-7).op(I32_SUB).localSet(far)
                .localGet(far).i32Const(40000).op(I32_ADD).localTee(far)
                .localGet(far).op(I32_ADD)));
        CompiledModule compiled = WasmCompiler.compile(b.build());
        assertEquals(0, bytecodeCounts(compiled).get("far")[Opcodes.IINC]);
        Instance instance = compiled.instantiate(new Imports());
        for (int x : INTS) {
            int sum = x + 7 + 40000;
            assertEquals(sum + sum, instance.function("far").call(x)[0], "of " + x);
        }
    }

    /**
     * Unsigned comparisons with a constant top operand, shifts and rotates by constant counts
     * (0 and counts of 32, 64 and more among them, which wrap): the same results as with the
     * constant pushed; and no {@code l2i} of an {@code i64} constant count.
     */
    @Test
    void constantOperandsFoldedGiveTheResultsOfTheConstantPushed() {
        ModuleBuilder b = new ModuleBuilder();
        int i32 = b.type(List.of(I32), List.of(I32));
        int i64 = b.type(List.of(I64), List.of(I64));
        int i64Test = b.type(List.of(I64), List.of(I32));
        List<String> ints = new ArrayList<>();
        List<String> longs = new ArrayList<>();
        List<String> longTests = new ArrayList<>();
        for (int c : new int[] {0, 1, -1, 5, 31, 32, 33, 127, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            for (int op : new int[] {I32_LT_U, I32_GT_U, I32_LE_U, I32_GE_U, I32_ROTL, I32_ROTR}) {
                String name = "i32op" + op + "c" + Integer.toUnsignedString(c);
                pair(b, i32, name, new Code().localGet(0).i32Const(c).op(op), new Code().localGet(0).i32Const(c).op(NOP).op(op));
                ints.add(name);
            }
        }
        for (long c : new long[] {0, 1, -1, 5, 63, 64, 65, 127, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFFL}) {
            for (int op : new int[] {I64_SHL, I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR}) {
                String name = "i64op" + op + "c" + Long.toUnsignedString(c);
                pair(b, i64, name, new Code().localGet(0).i64Const(c).op(op), new Code().localGet(0).i64Const(c).op(NOP).op(op));
                longs.add(name);
            }
            for (int op : new int[] {I64_LT_U, I64_GT_U, I64_LE_U, I64_GE_U}) {
                String name = "i64test" + op + "c" + Long.toUnsignedString(c);
                pair(b, i64Test, name, new Code().localGet(0).i64Const(c).op(op), new Code().localGet(0).i64Const(c).op(NOP).op(op));
                longTests.add(name);
            }
        }
        CompiledModule compiled = WasmCompiler.compile(b.build());
        Instance instance = compiled.instantiate(new Imports());
        for (String name : ints) {
            for (int x : INTS) {
                assertEquals(instance.function(name + "!").call(x)[0], instance.function(name).call(x)[0], name + " of " + x);
            }
        }
        for (String name : concat(longs, longTests)) {
            for (long x : LONGS) {
                assertEquals(instance.function(name + "!").call(x)[0], instance.function(name).call(x)[0], name + " of " + x);
            }
        }
        Map<String, int[]> counts = bytecodeCounts(compiled);
        for (String name : longs) {
            assertEquals(0, counts.get(name)[Opcodes.L2I], name);
            assertTrue(counts.get(name + "!")[Opcodes.L2I] > 0, name + "!");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Exports {@code code} as {@code name} and {@code apart}, the same with a {@code nop} inside, as {@code name!}. */
    private static void pair(ModuleBuilder b, int type, String name, Code code, Code apart) {
        b.exportFunction(name, b.function(type, List.of(), code));
        b.exportFunction(name + "!", b.function(type, List.of(), apart));
    }

    /** For each method of {@code compiled}'s classes, by name, how many of each bytecode it has, by opcode. */
    private static Map<String, int[]> bytecodeCounts(CompiledModule compiled) {
        Map<String, int[]> methods = new HashMap<>();
        for (byte[] classFile : compiled.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    // A function's method and its entry's in the module class share its name: their counts add up.
                    int[] counts = methods.computeIfAbsent(name, n -> new int[256]);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int opcode) {
                            counts[opcode]++;
                        }

                        @Override
                        public void visitIincInsn(int var, int increment) {
                            counts[Opcodes.IINC]++;
                        }
                    };
                }
            }, 0);
        }
        return methods;
    }
}
