package dev.wasm2jvm.compiler.emit.split;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.HashMap;
import java.util.Map;

import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.RET;
import static org.objectweb.asm.Opcodes.SIPUSH;

/**
 * An upper bound of the bytecode of each method visited, taking the visits that a class writer
 * would encode: for a trial that only needs to know that a method fits, at the cost of no constant
 * pool and no class file ({@link CodeSizes} reads the exact size from one). Each instruction counts
 * as ASM's {@code MethodWriter} encodes it, save what depends on where constants and the
 * instruction fall: an {@code ldc} counts its wide form, a switch its longest padding, and a jump
 * its wide form once the code may be past the reach of a short offset (32 KiB, far above any
 * method limit this is compared with).
 *
 * <p>Its {@link Counter} also bounded the methods of a plan taken without a trial as the final
 * emission wrote them, between {@code LineEntries} and {@code StackMapFrames}: a third receiver at
 * {@code LineEntries}' call sites, which C2 then calls through a vtable stub rather than inlining.
 * {@link FunctionMethods} reads those sizes from the offset of a label at each method's end instead.
 */
final class CodeBound extends ClassVisitor {
    /** How far a branch's signed 16-bit offset reaches; past it ASM widens jumps to {@code goto_w}. */
    private static final int SHORT_JUMP = Short.MAX_VALUE;

    private final Map<String, Integer> bounds = new HashMap<>();

    CodeBound() {
        super(ASM9);
    }

    /** The bound of each method's bytecode by method name (the last one wins for overloads, which generated code has not). */
    Map<String, Integer> bounds() {
        return bounds;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new Counter(name, bounds);
    }

    /**
     * Counts the bytecode of one method as {@link CodeBound} bounds it, and puts the bound into
     * {@code sizes} under the method's name at its end.
     */
    private static final class Counter extends MethodVisitor {
        private final String name;
        private final Map<String, Integer> sizes;
        private int size;

        Counter(String name, Map<String, Integer> sizes) {
            super(ASM9);
            this.name = name;
            this.sizes = sizes;
        }

        @Override
        public void visitInsn(int opcode) {
            size += 1;
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            size += opcode == SIPUSH ? 3 : 2;
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            // xload_<n> and xstore_<n> for the first four slots; wide past 255.
            size += varIndex < 4 && opcode != RET ? 1 : varIndex < 256 ? 2 : 4;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            size += 3;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
            size += 3;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String methodName, String methodDescriptor, boolean isInterface) {
            size += opcode == INVOKEINTERFACE ? 5 : 3;
        }

        @Override
        public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
                                           Object... arguments) {
            size += 5;
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            // A conditional jump that cannot reach becomes its opposite over a goto_w: 3 + 5 bytes.
            size += size < SHORT_JUMP ? 3 : 8;
        }

        @Override
        public void visitLdcInsn(Object value) {
            size += 3;
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            size += varIndex > 255 || increment > Byte.MAX_VALUE || increment < Byte.MIN_VALUE ? 6 : 3;
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            size += 1 + 3 + 12 + 4 * labels.length;
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            size += 1 + 3 + 8 + 8 * keys.length;
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            size += 4;
        }

        @Override
        public void visitEnd() {
            sizes.put(name, size);
            super.visitEnd();
        }
    }
}
