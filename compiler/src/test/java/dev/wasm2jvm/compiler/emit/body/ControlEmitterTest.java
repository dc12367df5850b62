package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.Traps;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;

import static dev.wasm2jvm.compiler.code.Opcodes.BLOCK;
import static dev.wasm2jvm.compiler.code.Opcodes.I32_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.I64_ADD;
import static dev.wasm2jvm.compiler.code.Opcodes.IF;
import static dev.wasm2jvm.compiler.code.Opcodes.RETURN;
import static dev.wasm2jvm.compiler.code.Opcodes.UNREACHABLE;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code br_table}s as {@link ControlEmitter} lowers them: a case that is a plain jump goes to its
 * block's own label, one that drops an operand to a trampoline, each distinct target once, in a
 * {@code tableswitch} or, past {@link JvmLimits#MAX_INLINE_TABLE} entries, through a map to the
 * targets' ordinals. And the traps it throws: made by a factory of {@link Traps} and thrown in the
 * function's own method, with the spec's message.
 */
class ControlEmitterTest {
    private static final String TRAPS = Type.getInternalName(Traps.class);

    /**
     * {@code unreachable}, in a function a caller calls: the spec's message, and a stack trace whose
     * first generated frame is the function's, under the factory's, then its caller's; the function's
     * method makes no trap of its own ({@code new}), it calls the factory and throws.
     */
    @Test
    void unreachableThrowsTheFactorysTrapFromTheFunctionsMethod() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32), List.of(I32));
        int inner = b.function(type, List.of(), new Code().localGet(0).block(IF, null).op(UNREACHABLE).end().localGet(0));
        b.exportFunction("inner", inner);
        b.exportFunction("outer", b.function(type, List.of(), new Code().localGet(0).call(inner)));
        CompiledModule compiled = WasmCompiler.compile(b.build());
        Instance instance = compiled.instantiate(new Imports());

        assertEquals(0, (int) instance.function("outer").call(0)[0]);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("outer").call(1));
        assertEquals("unreachable", trap.getMessage());
        StackTraceElement[] stack = trap.getStackTrace();
        assertEquals(Traps.class.getName(), stack[0].getClassName());
        assertEquals("unreachable", stack[0].getMethodName());
        assertEquals(List.of("inner", "outer"), generatedFrames(stack, compiled.className()).subList(0, 2));
        List<String> calls = calls(compiled, "inner");
        assertEquals(List.of(TRAPS + ".unreachable()L" + Type.getInternalName(WasmTrap.class) + ";", "athrow"), calls);
    }

    /**
     * A {@code call_indirect} of a table element of another type: the spec's message, from the
     * factory, and no trap made in place by the dispatcher that checks the type.
     */
    @Test
    void aCallIndirectOfAnotherTypeThrowsTheFactorysTrap() {
        ModuleBuilder b = new ModuleBuilder();
        int unary = b.type(List.of(I32), List.of(I32));
        int nullary = b.type(List.of(), List.of(I32));
        int target = b.function(nullary, List.of(), new Code().i32Const(7));
        b.table(target);
        b.exportFunction("right", b.function(unary, List.of(), new Code().localGet(0).callIndirect(nullary)));
        b.exportFunction("wrong", b.function(unary, List.of(), new Code().localGet(0).localGet(0).callIndirect(unary)));
        CompiledModule compiled = WasmCompiler.compile(b.build());
        Instance instance = compiled.instantiate(new Imports());

        assertEquals(7, (int) instance.function("right").call(0)[0]);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("wrong").call(0));
        assertEquals("indirect call type mismatch", trap.getMessage());
        assertEquals("indirectCallTypeMismatch", trap.getStackTrace()[0].getMethodName());
        compiled.classFiles().values().forEach(classFile -> new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        assertFalse(opcode == Opcodes.NEW && type.equals(Type.getInternalName(WasmTrap.class)), name + " makes a trap in place");
                    }
                };
            }
        }, 0));
    }

    /** The methods of the generated classes on {@code stack}, innermost first. */
    private static List<String> generatedFrames(StackTraceElement[] stack, String className) {
        List<String> methods = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith(className)) methods.add(frame.getMethodName());
        }
        return methods;
    }

    /**
     * The method invocations and {@code athrow}s of static method {@code method} of the generated classes,
     * in order, as {@code owner.nameDescriptor} and {@code athrow}.
     */
    private static List<String> calls(CompiledModule compiled, String method) {
        List<String> calls = new ArrayList<>();
        compiled.classFiles().values().forEach(classFile -> new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                // The function's export is an instance method of the same name that calls it.
                if (!name.equals(method) || (access & Opcodes.ACC_STATIC) == 0) return null;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        calls.add(owner + "." + name + descriptor);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.ATHROW) calls.add("athrow");
                    }
                };
            }
        }, 0));
        return calls;
    }

    /** Label {@code labelidx} of {@link #tableModule}'s br_table, whose case {@code i} it is. */
    private static int label(int i) {
        return (7 * i + i / 3) % 4;
    }

    /** What {@link #tableModule}'s function returns when its br_table goes to label {@code labelidx}. */
    private static int result(int labelidx) {
        return labelidx == 3 ? 13 : 1010 + labelidx;
    }

    @Test
    void tableSwitchOfRepeatedTargetsAndATrampoline() {
        check(5, 2);
        check(12, 3);
    }

    @Test
    void mappedSwitchOfRepeatedTargetsAndATrampoline() {
        check(JvmLimits.MAX_INLINE_TABLE + 476, 1);
        check(JvmLimits.MAX_INLINE_TABLE + 1, 3);
    }

    @Test
    void tableOfTheDefaultAlone() {
        check(0, 3);
        check(0, 0);
    }

    /** Calls {@link #tableModule}'s function at every index of its table and past its ends. */
    private static void check(int entries, int defaultLabel) {
        FuncRef f = WasmCompiler.compile(tableModule(entries, defaultLabel)).instantiate(new Imports()).function("f");
        for (int index = -2; index < entries + 3; index++) {
            int expected = result(index >= 0 && index < entries ? label(index) : defaultLabel);
            assertEquals(expected, (int) f.call(index)[0], "f(" + index + ") of " + entries + " entries");
        }
    }

    /**
     * {@code f(index)}: a br_table on {@code index} of {@code entries} cases to labels 0 to 3, each
     * block returning its own value after its end. Label 3's block holds an i32 (1000) under the
     * others, which a branch to it drops: the one target of the table that needs a trampoline.
     */
    private static byte[] tableModule(int entries, int defaultLabel) {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(I32), List.of(I32));
        int[] labels = new int[entries];
        for (int i = 0; i < entries; i++) labels[i] = label(i);
        Code c = new Code();
        c.block(BLOCK, null);
        c.i32Const(1000);
        c.block(BLOCK, null).block(BLOCK, null).block(BLOCK, null);
        c.localGet(0).brTable(labels, defaultLabel);
        c.end().i32Const(1010).op(RETURN);
        c.end().i32Const(1011).op(RETURN);
        c.end().i32Const(12).op(I32_ADD).op(RETURN);
        c.end().i32Const(13);
        b.exportFunction("f", b.function(type, List.of(), c));
        return b.build();
    }

    /**
     * A constant expression (extended-const) as deep as the JVM stack of the instance's constructor
     * takes is evaluated there; one value deeper, it would have to spill, and constant expressions have
     * no value arrays to spill to: a compile error naming the instruction, where it was an
     * {@code ArrayIndexOutOfBoundsException} from ASM.
     */
    @Test
    void aConstantExpressionPastTheSpillThresholdIsUnsupported() {
        int fits = OperandStack.SPILL_THRESHOLD / 2;
        Instance instance = WasmCompiler.compile(moduleWithSum(fits)).instantiate(new Imports());
        assertEquals((long) fits, instance.global("sum").get());

        byte[] deeper = moduleWithSum(fits + 1);
        CompileException e = assertThrows(CompileException.class, () -> WasmCompiler.compile(deeper));
        assertEquals(CompileException.Kind.UNSUPPORTED, e.kind());
        assertEquals("unsupported feature: a constant expression whose operand stack takes more than "
                + OperandStack.SPILL_THRESHOLD + " JVM slots", e.specMessage());
        assertTrue(e.offset() > 0, "offset " + e.offset());
    }

    /** A module whose global {@code sum} is {@code count} i64 ones pushed, then added up. */
    private static byte[] moduleWithSum(int count) {
        Code init = new Code();
        for (int i = 0; i < count; i++) init.i64Const(1);
        for (int i = 1; i < count; i++) init.op(I64_ADD);
        ModuleBuilder b = new ModuleBuilder();
        b.global(I64, init, "sum");
        return b.build();
    }
}
