package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.emit.body.Push;
import dev.wasm2jvm.compiler.emit.body.RangeDispatch;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.SWAP;

/**
 * The dispatch of a nest's state machine ({@link BlockNest}) to the group whose code holds a state:
 * a switch on the group, through the nest's map of states to groups ({@link #groupMap}), that calls
 * the group's method with the state and turns its exit code into the next state. The nest's own
 * method holds that switch if the nest has up to {@link #MAX_GROUPS_IN_NEST} groups
 * ({@link #inNestMethod}, lowered by {@code OutlinedCalls}); past that, this class emits it as a
 * method of its own, which returns the next state or {@link #RETURNED} when the group returned
 * from the function, and which the nest's method calls for every outlined state.
 *
 * <p>Either way the nest's method calls every group from one switch, with no code of a state in
 * it, which keeps groups small at no cost in the nest's method. HotSpot's C2 compiles a group's
 * method with the states that had run when it compiled it, the others pruned into uncommon traps at
 * the group's entry switch; the first other state to run there throws that code away, and C2 then
 * compiles every state of the group, most of them never run, and again at each later trap. In
 * SQLite's shell, with groups of up to {@link JvmLimits#SPLIT_METHOD} bytes, C2's recompilations
 * of groups made 800 KB of code in 6.7 s of compile time (39 of them, one run on 2 loaded cores);
 * with groups of up to {@link JvmLimits#STATE_GROUP_METHOD} bytes reached through this method,
 * 292 KB in 2.4 s (33), and the whole process took 0.89x the CPU time and 0.85x the wall time
 * (medians of 5 interleaved pairs against groups of up to {@link JvmLimits#SPLIT_METHOD}).
 *
 * <p>The switch in the nest's method saves a call per state run: an interpreter's loop (SQLite's
 * VDBE) runs one state per instruction it interprets. In the SQLite shell, whose VDBE
 * {@code func475} has 100 groups, its loop's method grew from 272 to 2,108 bytes, and the loop and
 * this method, 13.1% of the program thread's samples (async-profiler, 1 ms, one run each), became
 * the loop alone at 11.6%. The traps that pruned groups' cases take now throw away the loop's
 * method instead of this one: C2 compiled the loop 3 times in a run, as before, where this method
 * was compiled twice more; C2's compilations of the whole run 324 against 330, at 1,016 against
 * 977 KB of bytecode ({@code -XX:+CITime}, one run each). Whole processes with
 * {@code LiveLocals} as well, on 2 cores loaded by other work (medians of interleaved pairs, new
 * over old): the shell's program thread 0.975 of the CPU time (20 pairs, wall 1.00), Sightglass
 * {@code sqlite3}'s 0.98 (10 pairs, wall 0.94); the benchmarks README has the rest.
 */
public final class GroupDispatch {
    /** The result when the group returned from the function: no state is this low. */
    static final int RETURNED = Integer.MIN_VALUE;
    /** Bytecode per group: the call and the turn of its exit code into a state. */
    private static final int PER_GROUP = 24;
    /**
     * Bytecode per group of the dispatch in the nest's own method ({@link #inNestMethod}): its
     * {@code tableswitch} entry, the call and the turn of its exit code into a state.
     */
    static final int PER_GROUP_IN_NEST = 21;
    /** The most groups whose dispatch the nest's own method holds ({@link #inNestMethod}). */
    static final int MAX_GROUPS_IN_NEST = 160;

    private GroupDispatch() {}

    /** The descriptor of the method: the state, the function's frame and the instance. */
    static String descriptor(Outlining outlining, ModuleLayout layout) {
        return "(I" + outlining.frame.descriptor() + layout.ownerDescriptor() + ")I";
    }

    /** The method's name: an outlined part of the function, at the nest's offset. */
    static String name(Outlining outlining, ModuleLayout layout, BlockNest nest) {
        return GeneratedNames.outlinedPart(layout.functionName(outlining.funcidx), "groups",
                outlining.body.offset() + nest.block(1).start);
    }

    /** The class holding the method: the first group's. */
    static String owner(Outlining outlining, ModuleLayout layout, BlockNest nest) {
        return outlining.owner(layout, nest.groups.get(0).region());
    }

    /**
     * The locals the nest's method hands over in the frame before the call: those some group takes,
     * and those some group hands back, so that the ones the called group leaves alone come back as
     * they were.
     */
    static BitSet entering(Outlining outlining, Region method, BlockNest nest) {
        BitSet set = leaving(outlining, method, nest);
        for (BlockNest.Group g : nest.groups) set.or(outlining.inSlots(method, outlining.entering(g.region())));
        return set;
    }

    /** The locals the nest's method takes back from the frame after the call: those some group hands back. */
    static BitSet leaving(Outlining outlining, Region method, BlockNest nest) {
        BitSet set = new BitSet();
        for (BlockNest.Group g : nest.groups) set.or(outlining.inSlots(method, outlining.leaving(g.region())));
        return set;
    }

    /**
     * Whether the nest's own method calls its groups, from a switch on the state's group (or
     * directly, for a nest of one group), rather than through a method of this class: a nest of up
     * to {@link #MAX_GROUPS_IN_NEST} groups, whose switch, at {@link #PER_GROUP_IN_NEST} bytes a
     * group, adds at most 3.4 KB to the nest's method, which {@code SplitPlan} counts.
     */
    static boolean inNestMethod(BlockNest nest) {
        return nest.groups.size() <= MAX_GROUPS_IN_NEST;
    }

    /** The map of the nest's states to the indexes of their groups, named in {@code layout}. */
    static String groupMap(ModuleLayout layout, Outlining outlining, BlockNest nest) {
        List<BlockNest.Group> groups = nest.groups;
        int[] groupOf = new int[nest.size() + 1];
        for (int i = 0; i < groups.size(); i++) {
            for (int k = groups.get(i).first(); k <= groups.get(i).last(); k++) groupOf[k] = i;
        }
        return layout.brTableMap(outlining.body.offset() + nest.block(1).start, groupOf);
    }

    /** Whether some group returns from the function. */
    static boolean returns(BlockNest nest) {
        return nest.groups.stream().anyMatch(g -> g.region().returns);
    }

    /**
     * Emits the method of a nest whose own method does not hold the dispatch ({@link #inNestMethod})
     * into {@code classOf}'s class of its owner: a switch on the state's group through the nest's map
     * of states to groups; past the groups that fit a method of bounded size, methods of consecutive
     * groups that a {@link RangeDispatch} on the state finds.
     */
    public static void emit(Function<String, ClassVisitor> classOf, ModuleLayout layout,
                     Outlining outlining, BlockNest nest) {
        List<BlockNest.Group> groups = nest.groups;
        String map = groupMap(layout, outlining, nest);
        String owner = owner(outlining, layout, nest);
        String name = name(outlining, layout, nest);
        String descriptor = descriptor(outlining, layout);
        int fit = JvmLimits.DISPATCH_METHOD / PER_GROUP;
        if (groups.size() <= fit) {
            method(classOf.apply(owner), name, descriptor, layout, outlining, map, groups, 0);
            return;
        }
        List<RangeDispatch.Target> parts = new ArrayList<>();
        for (int from = 0; from < groups.size(); from += fit) {
            List<BlockNest.Group> part = groups.subList(from, Math.min(groups.size(), from + fit));
            String partName = GeneratedNames.part(name, parts.size());
            method(classOf.apply(owner), partName, descriptor, layout, outlining, map, part, from);
            parts.add(new RangeDispatch.Target(part.get(part.size() - 1).last(), owner, partName));
        }
        RangeDispatch.emit(classOf.apply(owner), owner, name, descriptor, 0, parts);
    }

    /** A method over {@code groups}, the groups of the nest from index {@code first} on. */
    private static void method(ClassVisitor cv, String name, String descriptor, ModuleLayout layout, Outlining outlining,
                               String map, List<BlockNest.Group> groups, int first) {
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        Label[] cases = new Label[groups.size()];
        for (int i = 0; i < cases.length; i++) cases[i] = new Label();
        if (cases.length > 1) {
            mv.visitFieldInsn(GETSTATIC, layout.owner, map, "[I");
            mv.visitVarInsn(ILOAD, 0);
            mv.visitInsn(IALOAD);
            mv.visitTableSwitchInsn(first, first + cases.length - 1, cases[0], cases);
        }
        for (int i = 0; i < cases.length; i++) {
            mv.visitLabel(cases[i]);
            BlockNest.Group group = groups.get(i);
            Region r = group.region();
            mv.visitVarInsn(ILOAD, 0);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitVarInsn(ALOAD, 2);
            invokeGroup(mv, layout, outlining, group);
            if (r.returns) {
                Label goesOn = new Label();
                mv.visitInsn(DUP);
                Push.intConst(mv, RegionFrame.RETURN);
                mv.visitJumpInsn(IF_ICMPNE, goesOn);
                mv.visitInsn(POP);
                Push.intConst(mv, RETURNED);
                mv.visitInsn(IRETURN);
                mv.visitLabel(goesOn);
            }
            nextState(mv, group);
            mv.visitInsn(IRETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Calls the method of {@code group}, its state, the frame and the instance on the operand stack. */
    static void invokeGroup(MethodVisitor mv, ModuleLayout layout, Outlining outlining, BlockNest.Group group) {
        Region r = group.region();
        mv.visitMethodInsn(INVOKESTATIC, outlining.owner(layout, r), outlining.methodName(r), outlining.methodDescriptor(r), false);
    }

    /**
     * Turns the exit code of {@code group} on top of the operand stack, not {@link RegionFrame#RETURN},
     * into the state it goes to: exit code c, counted from the group's outermost block, state
     * {@code first - 1}, is state {@code first - 1 - c}.
     */
    static void nextState(MethodVisitor mv, BlockNest.Group group) {
        Push.intConst(mv, group.first() - 1);
        mv.visitInsn(SWAP);
        mv.visitInsn(ISUB);
    }
}
