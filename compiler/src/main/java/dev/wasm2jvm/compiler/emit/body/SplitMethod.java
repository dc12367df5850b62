package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.BitSet;
import java.util.List;

/**
 * One method of a function split over several ({@code emit.split} plans them): the seam between
 * the split side and the body emitters. {@link FunctionEmitter} lowers the method's own
 * instructions as it lowers any body, and where the plan has something to do it, or
 * {@link ControlEmitter} for a label that another method holds, asks the split side's {@link Ops},
 * which emit the pseudo-operations of splitting: call an outlined part, leave it with an exit
 * code, go to a block whose end is in another method. The body emitters know nothing else of the
 * plan, and this package does not depend on {@code emit.split}.
 */
public interface SplitMethod {
    /** The module offset of the function's body, from which positions are counted. */
    int bodyOffset();

    /** Where this method's values start on the function's operand stack: 0 for the function's own method. */
    int stackBase();

    /**
     * Whether this method is an outlined part's: its code is enclosed in the function's body, and
     * the labels around it are left through {@link Ops#exitBranch}; {@code false} for the function's own method.
     */
    boolean outlinedPart();

    /** The split side's pseudo-operations in the method that {@code mv} emits with these emitters. */
    Ops lower(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, ControlEmitter control, MemoryEmitter memory);

    /**
     * The pseudo-operations of splitting, which the split side emits where {@link FunctionEmitter}
     * or {@link ControlEmitter} asks it to. Positions are offsets in the body's code.
     */
    interface Ops {
        /** The function's prologue: creates its frame object. */
        void enterFunction(int params);

        /**
         * The prologue of an outlined part's method: its locals and operands come from the frame and
         * its arguments; a group of states of a nest opens the nest's blocks that its code closes and
         * goes to the state it is called with.
         */
        void enterPart();

        /**
         * Where reading goes on if the code at {@code position} is the code of a state of a nest
         * running in this method, which the nest's groups hold and which is unreachable here: at
         * the {@code end} of the nest's block after it; else -1.
         */
        int passStates(int position);

        /**
         * Calls the outlined sequence of this method starting at {@code position}, if any: returns the
         * position where reading goes on, after it, or -1 if none starts there.
         */
        int callSequence(int position);

        /** As {@link #callSequence}, for an outlined construct. */
        int callConstruct(int position);

        /**
         * Opens the {@code block}, {@code loop}, {@code if} or {@code try} at {@code position}, as
         * {@link ControlEmitter#visitBlock} does, but that a block of a nest run as a state machine
         * opens {@linkplain ControlEmitter#openRemoteBlock remote} if its end is in a group of states,
         * and that the header of the method's own loop returns to its caller every so many iterations.
         */
        void openBlock(int position, int opcode, BlockType blocktype);

        /**
         * A try construct opened at {@code position}: stores in the frame the locals of this method
         * that its body writes, and returns them, for its handler to reload ({@link #reloadLocals}).
         */
        BitSet enterTry(int position);

        /** In a handler: reloads {@code locals} from the frame. */
        void reloadLocals(BitSet locals);

        /** Whether this method is an outlined part inside a try construct, whose handler is in a method above. */
        boolean catching();

        /** Writes local {@code index}, just set, through to the frame. */
        void writeThrough(int index);

        /**
         * Goes to the end of remote block {@code block}, which another method holds: control goes on
         * after it there. The values above the block are dropped already.
         */
        void branchRemote(int block);

        /**
         * At the end of remote block {@code block}, past which this method's code is unreachable:
         * goes to the code after it, in another method, if {@code reachable}, and places what this
         * method runs instead (after a nest's entry, the dispatcher of its states).
         */
        void endRemote(int block, boolean reachable);

        /**
         * Lowers the {@code br_table} at module offset {@code offset}, its index popped (on top of the
         * JVM stack), if many of its targets are remote blocks of one nest, and says whether it did;
         * else the control emitter lowers it as any other.
         */
        boolean branchTable(int[] labels, int defaultLabel, int offset);

        /** The types a branch carries to the label {@code depth} frames out of this outlined part. */
        List<ValType> outerLabelTypes(int depth);

        /** Leaves this outlined part to the label {@code depth} frames out of it, its values on top of the stack. */
        void exitBranch(int depth);

        /** Returns from the function, from this outlined part: the results are on top of the stack. */
        void exitReturn();

        /** Falls through the end of this outlined part's code, its results on top of the stack. */
        void exitEnd();

        /** After this outlined part's code: the code its exits other than return share. */
        void endPart();
    }
}
