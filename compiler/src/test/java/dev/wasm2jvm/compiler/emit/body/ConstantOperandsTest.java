package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code i32.const} or {@code i64.const} that {@link FunctionEmitter} holds back for the
 * instruction after it, which takes it as an immediate ({@link NumericEmitter#takesConstant}),
 * gives what the same code with a {@code nop} between them gives, where each is emitted alone:
 * as a value and as the condition of a branch, in fewer bytecodes.
 */
class ConstantOperandsTest {
    private static final int[] I32_OPS = {Opcodes.I32_LT_U, Opcodes.I32_GT_U, Opcodes.I32_LE_U, Opcodes.I32_GE_U};
    private static final int[] I64_OPS = {Opcodes.I64_ROTL, Opcodes.I64_ROTR, Opcodes.I64_SHL, Opcodes.I64_SHR_S,
            Opcodes.I64_SHR_U, Opcodes.I64_LT_U, Opcodes.I64_GT_U, Opcodes.I64_LE_U, Opcodes.I64_GE_U};
    private static final long[] CONSTANTS = {0, 1, 7, 16, 31, 32, 33, 63, 64, -1, 0x7FFF_FFFFL, 0x8000_0000L,
            Long.MIN_VALUE, Long.MAX_VALUE};
    private static final long[] VALUES = {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x0123_4567_89AB_CDEFL,
            Long.MIN_VALUE, -1};

    @Test
    void immediatesGiveWhatTheInstructionsAloneGive() {
        for (int op : I32_OPS) assertSame(op, ValType.I32);
        for (int op : I64_OPS) assertSame(op, ValType.I64);
    }

    private static void assertSame(int op, ValType type) {
        boolean test = op <= Opcodes.I64_GE_U;
        for (long k : CONSTANTS) {
            for (boolean branch : test ? new boolean[] {false, true} : new boolean[] {false}) {
                CompiledModule subject = module(op, type, k, branch, false);
                CompiledModule reference = module(op, type, k, branch, true);
                assertTrue(instructions(subject) < instructions(reference), Opcodes.name(op) + " by " + k);
                Instance actual = subject.instantiate(new Imports());
                Instance expected = reference.instantiate(new Imports());
                for (long x : VALUES) {
                    Object arg = type == ValType.I32 ? (Object) (int) x : (Object) x;
                    assertEquals(expected.function("f").call(arg)[0], actual.function("f").call(arg)[0],
                            () -> Opcodes.name(op) + " of 0x" + Long.toHexString(x) + " by " + k + (branch ? ", branched on" : ""));
                }
            }
        }
    }

    /**
     * {@code (x) -> op(x, k)}; for a test with {@code branch}, {@code if (op(x, k)) 7 else 3} through
     * {@code br_if}; with {@code nop} between the constant and {@code op} for the reference.
     */
    private static CompiledModule module(int op, ValType type, long k, boolean branch, boolean nop) {
        boolean test = op <= Opcodes.I64_GE_U;
        ModuleBuilder b = new ModuleBuilder();
        ValType result = test ? ValType.I32 : type;
        int typeidx = b.type(List.of(type), List.of(result));
        Code c = new Code();
        if (branch) c.block(Opcodes.BLOCK, ValType.I32).i32Const(7);
        c.localGet(0);
        if (type == ValType.I32) c.i32Const((int) k);
        else c.i64Const(k);
        if (nop) c.op(Opcodes.NOP);
        c.op(op);
        if (branch) c.brIf(0).op(Opcodes.DROP).i32Const(3).end();
        b.exportFunction("f", b.function(typeidx, List.of(), c));
        return WasmCompiler.compile(b.build());
    }

    /** The bytecodes of the module's methods. */
    static int instructions(CompiledModule compiled) {
        int[] count = {0};
        for (byte[] bytes : compiled.classFiles().values()) {
            new ClassReader(bytes).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int opcode) {
                            count[0]++;
                        }

                        @Override
                        public void visitIntInsn(int opcode, int operand) {
                            count[0]++;
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            count[0]++;
                        }

                        @Override
                        public void visitVarInsn(int opcode, int varIndex) {
                            count[0]++;
                        }

                        @Override
                        public void visitIincInsn(int varIndex, int increment) {
                            count[0]++;
                        }
                    };
                }
            }, 0);
        }
        return count[0];
    }
}
