package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;

import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IRETURN;

/**
 * A static method that passes its arguments on to one of several static methods of the same
 * descriptor, chosen by the range its int key argument falls in, by binary search. Past the
 * targets that fit a method of bounded size, the targets are grouped under further such methods.
 */
public final class RangeDispatch {

    /** A static method that takes the keys up to {@code last}, above those of the target before it. */
    public record Target(int last, String owner, String name) {}

    private RangeDispatch() {}

    /**
     * Emits method {@code name} of class {@code owner} into {@code cv}.
     *
     * @param descriptor the descriptor of the method and of every target
     * @param keySlot the slot of the int argument that selects the target
     * @param targets in increasing order of their ranges; a key above the last target's range goes to it
     */
    public static void emit(ClassVisitor cv, String owner, String name, String descriptor, int keySlot, List<Target> targets) {
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        emitSearch(cv, owner, name, mv, descriptor, keySlot, targets);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * Emits into {@code mv} the search that calls the target of the key in {@code keySlot} and
     * returns its result: {@code mv}'s method holds the arguments of {@code descriptor} in their
     * slots. Targets past those that fit a method of bounded size are grouped under methods
     * {@code <name>$<k>} of class {@code owner}, emitted into {@code cv}.
     */
    public static void emitSearch(ClassVisitor cv, String owner, String name, MethodVisitor mv, String descriptor, int keySlot,
                           List<Target> targets) {
        Type[] arguments = Type.getArgumentTypes(descriptor);
        // Per target: the key comparison, the arguments (up to 4 bytes each with wide slots), the call.
        int perTarget = 16 + 4 * arguments.length;
        int fit = Math.max(2, JvmLimits.DISPATCH_METHOD / perTarget);
        List<Target> level = targets;
        if (level.size() > fit) {
            List<Target> groups = new ArrayList<>();
            int groupSize = (level.size() + fit - 1) / fit;
            for (int from = 0; from < level.size(); from += groupSize) {
                List<Target> group = level.subList(from, Math.min(level.size(), from + groupSize));
                String groupName = GeneratedNames.part(name, groups.size());
                emit(cv, owner, groupName, descriptor, keySlot, group);
                groups.add(new Target(group.get(group.size() - 1).last(), owner, groupName));
            }
            level = groups;
        }
        search(mv, descriptor, arguments, keySlot, level, 0, level.size() - 1);
    }

    private static void search(MethodVisitor mv, String descriptor, Type[] arguments, int keySlot, List<Target> targets,
                               int lo, int hi) {
        if (lo == hi) {
            Target t = targets.get(lo);
            int slot = 0;
            for (Type a : arguments) {
                mv.visitVarInsn(a.getOpcode(ILOAD), slot);
                slot += a.getSize();
            }
            mv.visitMethodInsn(INVOKESTATIC, t.owner(), t.name(), descriptor, false);
            mv.visitInsn(Type.getReturnType(descriptor).getOpcode(IRETURN));
            return;
        }
        int mid = (lo + hi) >>> 1;
        Label upper = new Label();
        mv.visitVarInsn(ILOAD, keySlot);
        Push.intConst(mv, targets.get(mid).last());
        mv.visitJumpInsn(IF_ICMPGT, upper);
        search(mv, descriptor, arguments, keySlot, targets, lo, mid);
        mv.visitLabel(upper);
        search(mv, descriptor, arguments, keySlot, targets, mid + 1, hi);
    }
}
