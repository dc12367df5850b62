package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.body.ControlEmitter;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.MemoryEmitter;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.body.Push;
import dev.wasm2jvm.compiler.emit.body.SplitMethod;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFGT;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IF_ICMPEQ;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INEG;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.POP;

/**
 * The pseudo-operations of one method of a split function, which the body emitters ask for
 * ({@link SplitMethod.Ops}): the calls of outlined constructs and sequences (locals through the
 * frame, the call, then wherever the exit code says), the prologue of the method's own outlined
 * part and its exits with an exit code, and the state machines of the nests of blocks it holds
 * ({@link StateMachines}), whose dispatchers call the nests' groups of states.
 */
final class OutlinedCalls implements SplitMethod.Ops {
    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;
    private final OperandStack stack;
    private final ControlEmitter control;
    private final MemoryEmitter memory;
    private final Outlining outlining;
    /** The outlined part whose method this is, or {@code null} for the function's. */
    private final Region region;
    /** The nests of blocks running as state machines in this method. */
    private final StateMachines states;
    /** The slot counting down the iterations left before a resumable loop returns to its caller. */
    private int iterationsLeft = -1;
    /**
     * Where the exits of an outlined part's method other than its return meet, with the exit's
     * code on an otherwise empty stack, to store the written locals once; {@code null} until used.
     */
    private Label exitStub;

    OutlinedCalls(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, ControlEmitter control,
                  MemoryEmitter memory, Outlining outlining, Region region) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.stack = stack;
        this.control = control;
        this.memory = memory;
        this.outlining = outlining;
        this.region = region;
        this.states = new StateMachines(mv, layout, locals, control, outlining);
    }

    /** Creates the frame object, which takes the function's parameters that its own code never names. */
    @Override
    public void enterFunction(int params) {
        outlining.frame.create(mv);
        mv.visitVarInsn(ASTORE, locals.frameSlot());
        outlining.frame.storeArrays(mv, locals);
        BitSet frameOnly = new BitSet();
        frameOnly.set(0, params);
        frameOnly.andNot(outlining.inSlots(null, frameOnly));
        outlining.frame.storeLocals(mv, locals, frameOnly);
    }

    /**
     * The prologue of an outlined part's method: the locals it needs come from the frame, and its
     * operands go back on the stack for its first instruction; a group of states keeps its state in
     * its slot until its blocks are open.
     */
    @Override
    public void enterPart() {
        memory.cacheMemory();
        outlining.frame.loadArrays(mv, locals);
        BitSet taken = outlining.inSlots(region, outlining.entering(region));
        outlining.frame.loadLocals(mv, locals, taken);
        // The others are written before they are read, but the verifier may see paths that wasm has not.
        BitSet others = outlining.inSlots(region, region.touched());
        others.andNot(taken);
        for (int l = others.nextSetBit(0); l >= 0; l = others.nextSetBit(l + 1)) {
            if (locals.slot(l) < 0) continue;
            JvmType.pushDefault(mv, locals.type(l));
            JvmType.store(mv, locals.type(l), locals.slot(l));
        }
        Outlining.StackShape shape = outlining.shape(region);
        stack.pushSpilled(shape.entry(), shape.entryValues());
        if (shape.entryValues() > 0) control.deepen();
        if (resumable(region)) {
            iterationsLeft = locals.borrow(ValType.I32);
            Push.intConst(mv, JvmLimits.RESUME_ITERATIONS);
            mv.visitVarInsn(ISTORE, iterationsLeft);
        }
        if (region.opcode == Region.STATES) {
            StateMachines.enter(mv, control, locals.operandSlot(0), outlining.group(region).group());
            return;
        }
        List<ValType> operands = region.operands();
        for (int i = 0; i < operands.size(); i++) {
            JvmType.load(mv, operands.get(i), locals.operandSlot(i));
            stack.push(operands.get(i));
        }
    }

    /**
     * Whether the method of outlined part {@code r} returns {@link RegionFrame#RESUME} every
     * {@link JvmLimits#RESUME_ITERATIONS} iterations, for its caller to call it again: a loop
     * without operands, whose method is the loop. A loop in a function entered once otherwise runs
     * in one long call, which HotSpot compiles only on stack replacement, and defers that, as every
     * compilation, in proportion to how many wait: in a big module, SQLite's bytecode interpreter
     * loop ran interpreted for half of a 30-second run. Calls are what a method's ordinary
     * compilation waits for, and its compiled code is used at the next call.
     */
    boolean resumable(Region r) {
        return r.opcode == Opcodes.LOOP && r.type.params().isEmpty() && outlining.shape(r).entryValues() == 0;
    }

    @Override
    public void openBlock(int position, int opcode, BlockType blocktype) {
        if (states.open(position, blocktype)) return;
        control.visitBlock(opcode, blocktype);
        if (iterationsLeft >= 0 && outlining.at(position) == region) countIteration();
    }

    /**
     * At the header of this method's own loop, counts an iteration: once the loop has run
     * {@link JvmLimits#RESUME_ITERATIONS} times, hands the locals that the header reads to the frame,
     * as its caller would, and returns {@link RegionFrame#RESUME}. The operand stack is empty there,
     * the loop having no operands.
     */
    private void countIteration() {
        Label stay = new Label();
        mv.visitIincInsn(iterationsLeft, -1);
        mv.visitVarInsn(ILOAD, iterationsLeft);
        mv.visitJumpInsn(IFGE, stay);
        outlining.frame.storeLocals(mv, locals, outlining.inSlots(region, outlining.entering(region)));
        Push.intConst(mv, RegionFrame.RESUME);
        mv.visitInsn(IRETURN);
        mv.visitLabel(stay);
    }

    @Override
    public int passStates(int position) {
        return states.passStates(position);
    }

    @Override
    public int callSequence(int position) {
        // Only sequences strictly inside an outlined construct's own range are its: one that starts
        // with the construct encloses it, and its closing end sits where the next one may start. A
        // group of states starts inside a block, with its first instruction.
        boolean inside = region == null || position > region.start && position < region.end
                || region.opcode == Region.STATES && position == region.start;
        Region sequence = inside ? outlining.sequenceAt(position) : null;
        if (sequence == null || sequence == region) return -1;
        call(sequence);
        return sequence.end;
    }

    @Override
    public int callConstruct(int position) {
        // The end of an outlined part's own range is the final end of its method's code.
        Region construct = region != null && position >= region.end ? null : outlining.at(position);
        if (construct == null || construct == region) return -1;
        call(construct);
        return construct.end;
    }

    /**
     * Calls the method of outlined part {@code r}: its operands are on the stack, the locals it needs
     * and changes go through the frame, and its exit code says where control continues.
     */
    private void call(Region r) {
        Outlining.StackShape shape = outlining.shape(r);
        // A sequence in a deep frame finds the frame's values in their spill elements, one elsewhere
        // takes them as operands.
        if (shape.entryValues() > 0) control.spillFrame();
        else stack.need(r.operands().size());
        invoke(r);
        stack.pop(r.operands().size());
        List<Integer> codes = new ArrayList<>();
        boolean passesThrough = r.manyEscapes && region != null;
        for (int code : Outlining.exitCodes(r, control.labelsInMethod())) {
            if (reaches(code)) codes.add(code);
            else passesThrough = true;
        }
        dispatchExits(codes, passesThrough);
        stack.pop(shape.entryValues());
        stack.pushSpilled(shape.exit(), shape.exitValues());
        if (shape.exitValues() > 0) control.deepen();
        outlining.frame.loadValues(mv, locals, r.type.results());
        stack.pushAll(r.type.results());
    }

    private void invoke(Region r) {
        RegionFrame frame = outlining.frame;
        frame.storeLocals(mv, locals, outlining.inSlots(region, outlining.entering(r)));
        // A part that returns to be resumed is called again from after the call.
        Label call = resumable(r) ? locals.loopStart() : new Label();
        mv.visitLabel(call);
        mv.visitVarInsn(ALOAD, locals.frameSlot());
        locals.loadInstance(mv);
        mv.visitMethodInsn(INVOKESTATIC, outlining.owner(layout, r), outlining.methodName(r), outlining.methodDescriptor(r), false);
        if (resumable(r)) {
            // Its locals are in the frame already: the loop put them there before it returned.
            Label done = new Label();
            mv.visitInsn(DUP);
            Push.intConst(mv, RegionFrame.RESUME);
            mv.visitJumpInsn(IF_ICMPNE, done);
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, call);
            mv.visitLabel(done);
        }
        frame.loadLocals(mv, locals, outlining.inSlots(region, outlining.leaving(r)));
    }

    /** Whether exit {@code code} of a callee goes to a label of this method rather than out of it. */
    private boolean reaches(int code) {
        return code == RegionFrame.RETURN ? region == null : !control.outside(code - 1);
    }

    /**
     * Takes the exit code on top of the stack where it says: to its label if {@code codes} has it,
     * else out of this method if {@code passesThrough}; {@link RegionFrame#FALLTHROUGH} goes on.
     */
    private void dispatchExits(List<Integer> codes, boolean passesThrough) {
        if (codes.isEmpty() && !passesThrough) {
            mv.visitInsn(POP);
            return;
        }
        int mark = locals.mark();
        int code = locals.borrow(ValType.I32);
        mv.visitVarInsn(ISTORE, code);
        Label fallthrough = new Label();
        Label other = passesThrough ? new Label() : fallthrough;
        Label[] exits = new Label[codes.size()];
        int[] keys = new int[codes.size()];
        for (int i = 0; i < exits.length; i++) {
            exits[i] = new Label();
            keys[i] = codes.get(i);
        }
        mv.visitVarInsn(ILOAD, code);
        mv.visitLookupSwitchInsn(other, keys, exits);
        for (int i = 0; i < exits.length; i++) {
            mv.visitLabel(exits[i]);
            List<ValType> values = keys[i] == RegionFrame.RETURN ? outlining.functionResults : control.labelTypes(keys[i] - 1);
            outlining.frame.loadValues(mv, locals, values);
            stack.pushAll(values);
            if (keys[i] == RegionFrame.RETURN) control.emitReturn();
            else control.branch(keys[i] - 1);
            stack.pop(values.size());
        }
        if (passesThrough) {
            mv.visitLabel(other);
            mv.visitVarInsn(ILOAD, code);
            mv.visitJumpInsn(IFEQ, fallthrough);
            passThrough(code);
        }
        mv.visitLabel(fallthrough);
        locals.release(mark);
    }

    @Override
    public BitSet enterTry(int position) {
        BitSet written = outlining.inSlots(region, outlining.catcher(position).writes);
        outlining.frame.storeLocals(mv, locals, written);
        return written;
    }

    @Override
    public void reloadLocals(BitSet written) {
        outlining.frame.loadLocals(mv, locals, written);
    }

    @Override
    public boolean catching() {
        return region != null && region.catching;
    }

    @Override
    public void writeThrough(int index) {
        BitSet local = new BitSet();
        local.set(index);
        outlining.frame.storeLocals(mv, locals, outlining.inSlots(region, local));
    }

    @Override
    public List<ValType> outerLabelTypes(int depth) {
        return outlining.outerLabelTypes(region, depth);
    }

    @Override
    public void exitBranch(int depth) {
        exitWith(1 + depth, outlining.outerLabelTypes(region, depth));
    }

    @Override
    public void exitReturn() {
        exitWith(RegionFrame.RETURN, outlining.functionResults);
    }

    @Override
    public void exitEnd() {
        // A sequence that ends in a deep frame leaves its values spilled, as its caller then expects them.
        if (outlining.shape(region).exitValues() > 0) control.spillFrame();
        exitWith(RegionFrame.FALLTHROUGH, region.type.results());
    }

    @Override
    public void endPart() {
        if (exitStub == null) return;
        mv.visitLabel(exitStub);
        outlining.frame.storeLocals(mv, locals, outlining.inSlots(region, outlining.leaving(region)));
        mv.visitInsn(IRETURN);
    }

    /**
     * Leaves an outlined part's method: the exit's values (on top of the stack) and the locals
     * the part writes go to the frame, and the exit's code is returned.
     */
    private void exitWith(int code, List<ValType> values) {
        stack.need(values.size());
        outlining.frame.storeValues(mv, locals, values);
        if (code == RegionFrame.RETURN) {
            Push.intConst(mv, code);
            mv.visitInsn(IRETURN);
            return;
        }
        stack.discardUnder(values.size());
        Push.intConst(mv, code);
        goToExitStub();
    }

    private void goToExitStub() {
        if (exitStub == null) exitStub = new Label();
        mv.visitJumpInsn(GOTO, exitStub);
    }

    /**
     * Passes on an exit, whose code is in {@code codeSlot}, that a part called from this method
     * took to a label outside this method too: its values are in the frame already, so only this
     * method's written locals are added, by the exit stub, and the code is shifted past this method's
     * own frames.
     */
    private void passThrough(int codeSlot) {
        Label branch = new Label();
        mv.visitVarInsn(ILOAD, codeSlot);
        Push.intConst(mv, RegionFrame.RETURN);
        mv.visitJumpInsn(IF_ICMPNE, branch);
        Push.intConst(mv, RegionFrame.RETURN);
        mv.visitInsn(IRETURN);
        mv.visitLabel(branch);
        stack.discardUnder(0);
        mv.visitVarInsn(ILOAD, codeSlot);
        Push.intConst(mv, control.labelsInMethod());
        mv.visitInsn(ISUB);
        goToExitStub();
    }

    @Override
    public void branchRemote(int block) {
        states.toState(block);
    }

    @Override
    public void endRemote(int block, boolean reachable) {
        if (reachable) states.toState(block);
        StateMachines.Machine done = states.entryDone(block);
        if (done != null) dispatchNest(done);
    }

    @Override
    public boolean branchTable(int[] labels, int defaultLabel, int offset) {
        return states.branchTable(labels, defaultLabel, offset);
    }

    /**
     * The dispatcher of {@code machine}'s nest, once its entry is done: state 1 goes to the end
     * of the nest's outermost block, any other to the method of its group, whose exit code gives the
     * next state or leaves the nest.
     */
    private void dispatchNest(StateMachines.Machine machine) {
        BlockNest nest = machine.nest();
        mv.visitLabel(machine.dispatcher());
        Label outlined = new Label();
        mv.visitVarInsn(ILOAD, machine.slot());
        mv.visitTableSwitchInsn(1, 1, outlined, control.blockLabel(0));
        mv.visitLabel(outlined);
        if (nest.groups.size() == 1) callGroup(nest.groups.get(0), machine);
        else if (GroupDispatch.inNestMethod(nest)) switchGroups(nest, machine);
        else callGroups(nest, machine);
        locals.release(machine.mark());
    }

    /**
     * Runs the state through the nest's {@link GroupDispatch}, which calls the method of its group
     * and gives the next state, and goes on there as {@link #callGroup} does.
     */
    private void callGroups(BlockNest nest, StateMachines.Machine machine) {
        mv.visitVarInsn(ILOAD, machine.slot());
        outlining.frame.storeLocals(mv, locals, GroupDispatch.entering(outlining, region, nest));
        mv.visitVarInsn(ALOAD, locals.frameSlot());
        locals.loadInstance(mv);
        mv.visitMethodInsn(INVOKESTATIC, GroupDispatch.owner(outlining, layout, nest), GroupDispatch.name(outlining, layout, nest),
                GroupDispatch.descriptor(outlining, layout), false);
        outlining.frame.loadLocals(mv, locals, GroupDispatch.leaving(outlining, region, nest));
        mv.visitVarInsn(ISTORE, machine.slot());
        if (GroupDispatch.returns(nest)) returnOn(machine.slot(), GroupDispatch.RETURNED);
        continueAfterAnyGroup(nest, machine);
    }

    /** With the next state in the machine's slot, after any group of the nest: as {@link #continueAt}. */
    private void continueAfterAnyGroup(BlockNest nest, StateMachines.Machine machine) {
        List<Integer> codes = new ArrayList<>();
        boolean passesThrough = false;
        for (BlockNest.Group group : nest.groups) {
            passesThrough |= exitsPastNest(group, codes);
        }
        codes.sort(null);
        continueAt(machine, codes, passesThrough);
    }

    /**
     * Calls the method of the state's group from a switch on its index in the nest's map of states
     * to groups, and goes on at the next state as {@link #callGroups} does: one call per state run,
     * where {@link GroupDispatch}'s method makes two.
     */
    private void switchGroups(BlockNest nest, StateMachines.Machine machine) {
        List<BlockNest.Group> groups = nest.groups;
        outlining.frame.storeLocals(mv, locals, GroupDispatch.entering(outlining, region, nest));
        mv.visitFieldInsn(GETSTATIC, layout.owner, GroupDispatch.groupMap(layout, outlining, nest), "[I");
        mv.visitVarInsn(ILOAD, machine.slot());
        mv.visitInsn(IALOAD);
        Label[] cases = new Label[groups.size()];
        for (int i = 0; i < cases.length; i++) cases[i] = new Label();
        mv.visitTableSwitchInsn(0, cases.length - 1, cases[cases.length - 1], cases);
        Label next = new Label();
        Label returned = new Label();
        for (int i = 0; i < cases.length; i++) {
            BlockNest.Group group = groups.get(i);
            mv.visitLabel(cases[i]);
            mv.visitVarInsn(ILOAD, machine.slot());
            mv.visitVarInsn(ALOAD, locals.frameSlot());
            locals.loadInstance(mv);
            GroupDispatch.invokeGroup(mv, layout, outlining, group);
            if (group.region().returns) {
                mv.visitInsn(DUP);
                Push.intConst(mv, RegionFrame.RETURN);
                mv.visitJumpInsn(IF_ICMPEQ, returned);
            }
            GroupDispatch.nextState(mv, group);
            if (i < cases.length - 1) mv.visitJumpInsn(GOTO, next);
        }
        mv.visitLabel(next);
        mv.visitVarInsn(ISTORE, machine.slot());
        outlining.frame.loadLocals(mv, locals, GroupDispatch.leaving(outlining, region, nest));
        continueAfterAnyGroup(nest, machine);
        if (!GroupDispatch.returns(nest)) return;
        mv.visitLabel(returned);
        mv.visitInsn(POP);
        returnResults();
    }

    /**
     * Returns from the function, with the results the outlined code left in the frame, when the int
     * in {@code slot} is {@code returned}: the code of outlined code that ran the function's
     * {@code return}.
     */
    private void returnOn(int slot, int returned) {
        Label goesOn = new Label();
        mv.visitVarInsn(ILOAD, slot);
        Push.intConst(mv, returned);
        mv.visitJumpInsn(IF_ICMPNE, goesOn);
        returnResults();
        mv.visitLabel(goesOn);
    }

    /** Returns from the function with the results the outlined code left in the frame. */
    private void returnResults() {
        outlining.frame.loadValues(mv, locals, outlining.functionResults);
        stack.pushAll(outlining.functionResults);
        control.emitReturn();
        stack.pop(outlining.functionResults.size());
    }

    /**
     * Calls the method of {@code group} with the state and turns its exit code into the next state:
     * exit code {@code c} of the group, counted from its outermost block {@code first - 1}, is state
     * {@code first - 1 - c}; at 0 or below the exit leaves the nest.
     */
    private void callGroup(BlockNest.Group group, StateMachines.Machine machine) {
        Region r = group.region();
        mv.visitVarInsn(ILOAD, machine.slot());
        invoke(r);
        int mark = locals.mark();
        int code = locals.borrow(ValType.I32);
        mv.visitVarInsn(ISTORE, code);
        if (r.returns) returnOn(code, RegionFrame.RETURN);
        Push.intConst(mv, group.first() - 1);
        mv.visitVarInsn(ILOAD, code);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, machine.slot());
        List<Integer> codes = new ArrayList<>();
        boolean passesThrough = exitsPastNest(group, codes);
        continueAt(machine, codes, passesThrough);
        locals.release(mark);
    }

    /**
     * Adds to {@code codes} the exits of {@code group} past the nest, as exit codes of the blocks open
     * here around the nest (label 1 on: label 0 is its outermost block, state 1), each once; returns
     * whether some exit passes through this method.
     */
    private boolean exitsPastNest(BlockNest.Group group, List<Integer> codes) {
        Region r = group.region();
        boolean passesThrough = r.manyEscapes && region != null;
        int past = group.first() - 2;
        if (r.manyEscapes) {
            for (int labelidx = 1; labelidx < control.labelsInMethod(); labelidx++) addOnce(codes, 1 + labelidx);
        } else {
            for (int depth = r.escapes.nextSetBit(past); depth >= 0; depth = r.escapes.nextSetBit(depth + 1)) {
                int exit = 2 + depth - past;
                if (reaches(exit)) addOnce(codes, exit);
                else passesThrough = true;
            }
        }
        return passesThrough;
    }

    private static void addOnce(List<Integer> codes, int code) {
        if (!codes.contains(code)) codes.add(code);
    }

    /**
     * With the next state in the machine's slot: back to the dispatcher, or out of the nest by
     * {@code codes}, where state {@code s <= 0} is exit code {@code 2 - s}.
     */
    private void continueAt(StateMachines.Machine machine, List<Integer> codes, boolean passesThrough) {
        if (codes.isEmpty() && !passesThrough) {
            mv.visitJumpInsn(GOTO, machine.dispatcher());
        } else {
            mv.visitVarInsn(ILOAD, machine.slot());
            mv.visitJumpInsn(IFGT, machine.dispatcher());
            mv.visitVarInsn(ILOAD, machine.slot());
            mv.visitInsn(INEG);
            Push.intConst(mv, 2);
            mv.visitInsn(IADD);
            dispatchExits(codes, passesThrough);
            mv.visitJumpInsn(GOTO, machine.dispatcher());
        }
    }
}
