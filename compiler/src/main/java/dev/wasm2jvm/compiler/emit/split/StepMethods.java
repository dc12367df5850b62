package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.emit.layout.JvmLimits;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;

import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SYNTHETIC;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * A long run of independent steps, such as a constructor's one per import, global, segment and
 * export, spread over private static helper methods {@code <prefix><k>} that one method calls in
 * order. A helper takes the first arguments of the method that calls it, in the same slots, so a
 * step reads them where it would have in the caller. Each helper ends once it holds {@link JvmLimits#STEP_METHOD}
 * bytes of bytecode, so no method comes near HotSpot's 8000-byte limit for JIT compilation
 * ({@code DontCompileHugeMethods}) however many steps a module has.
 */
public final class StepMethods {

    private final ClassVisitor cv;
    private final String owner;
    private final String prefix;
    private final String descriptor;
    private final List<String> names = new ArrayList<>();
    private MethodVisitor current;

    /**
     * @param cv the class of the helpers, whose methods must be written by a {@code ClassWriter} (the
     *     size of a helper is read from the offset of a label visited at its end)
     * @param descriptor the helpers' descriptor: the leading arguments of the calling method, returning void
     */
    public StepMethods(ClassVisitor cv, String owner, String prefix, String descriptor) {
        this.cv = cv;
        this.owner = owner;
        this.prefix = prefix;
        this.descriptor = descriptor;
    }

    /** The method to emit the next step into: the current helper, or a new one once it holds {@link JvmLimits#STEP_METHOD} bytes. */
    public MethodVisitor next() {
        if (current != null && size(current) >= JvmLimits.STEP_METHOD) end();
        if (current == null) {
            String name = prefix + names.size();
            names.add(name);
            current = cv.visitMethod(ACC_PRIVATE | ACC_STATIC | ACC_SYNTHETIC, name, descriptor, null, null);
            current.visitCode();
        }
        return current;
    }

    /** Ends the last helper and emits into {@code caller} the calls to every helper, in order. */
    public void callAll(MethodVisitor caller) {
        end();
        for (String name : names) {
            int slot = 0;
            for (Type t : Type.getArgumentTypes(descriptor)) {
                caller.visitVarInsn(t.getOpcode(ILOAD), slot);
                slot += t.getSize();
            }
            caller.visitMethodInsn(INVOKESTATIC, owner, name, descriptor, false);
        }
    }

    private void end() {
        if (current == null) return;
        current.visitInsn(RETURN);
        current.visitMaxs(0, 0);
        current.visitEnd();
        current = null;
    }

    /** The bytecode emitted so far into {@code mv}: a label's offset, resolved as it is visited. */
    private static int size(MethodVisitor mv) {
        Label here = new Label();
        mv.visitLabel(here);
        return here.getOffset();
    }
}
