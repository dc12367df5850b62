package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.H_INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.SWAP;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * Structured control flow ({@code block}, {@code loop}, {@code if}/{@code else}, {@code end},
 * {@code br}, {@code br_if}, {@code br_table}, {@code return}, {@code unreachable}) as JVM labels and
 * jumps. Block parameters and results simply stay on the JVM operand stack; a branch that leaves
 * extra operands under its label's values first drops them, since the JVM requires the same stack
 * shape at every jump to a label. Code after an unconditional branch is unreachable and is not
 * emitted at all: {@link #skipping()} tells the function emitter to ignore it.
 */
final class ControlEmitter {
    private enum Kind { FUNCTION, REGION, BLOCK, LOOP, IF }

    private static final class Frame {
        final Kind kind;
        final FuncType type;
        /** The operand stack height under the block's parameters. */
        final int height;
        /** Where branches to this frame go: the start of a loop, else the end. */
        final Label label = new Label();
        /** The start of the else branch of an {@code if}, until {@code else} or {@code end} places it. */
        Label elseLabel;
        boolean unreachable;
        boolean branchedTo;

        Frame(Kind kind, FuncType type, int height) {
            this.kind = kind;
            this.type = type;
            this.height = height;
        }

        List<ValType> labelTypes() {
            return kind == Kind.LOOP ? type.params() : type.results();
        }
    }

    /** Entries of the largest {@code br_table} emitted as one tableswitch (4 bytes of bytecode each). */
    static final int MAX_INLINE_TABLE = 1024;

    private static final String TERMINATION = "dev/wasm2jvm/runtime/Termination";
    private static final Handle POLL = new Handle(H_INVOKESTATIC, TERMINATION, "poll",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
            false);

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;
    private final OperandStack stack;
    private final List<Frame> frames = new ArrayList<>();
    private final boolean expression;
    private final List<ValType> results;
    /** The outlined construct this method emits, or {@code null} for a function or an expression. */
    private final Region region;
    private final Outlining outlining;
    /** How many blocks were opened inside unreachable code and not yet closed. */
    private int skippedBlocks;

    /**
     * @param type the function's type, or for a constant expression {@code [] -> [t]}
     * @param expression whether the code is a constant expression, whose value stays on the stack
     */
    ControlEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, FuncType type, boolean expression) {
        this(mv, layout, locals, stack, type, expression, null, null);
    }

    /**
     * The control flow of an outlined construct's method: its outermost frame stands for every label
     * outside the construct, and leaving it stores the exit's values in the frame and returns the
     * exit's code.
     */
    ControlEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, Outlining outlining, Region region) {
        this(mv, layout, locals, stack, new FuncType(List.of(), region.type.results()), false, outlining, region);
    }

    private ControlEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, FuncType type,
                           boolean expression, Outlining outlining, Region region) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.stack = stack;
        this.expression = expression;
        this.outlining = outlining;
        this.region = region;
        this.results = outlining != null && region != null ? outlining.functionResults : type.results();
        frames.add(new Frame(region != null ? Kind.REGION : Kind.FUNCTION, type, 0));
    }

    /** Whether the current instruction is unreachable and must not be emitted. */
    boolean skipping() {
        return !frames.isEmpty() && current().unreachable;
    }

    /** How many labels of this method are in scope: in an outlined construct's, the outer ones are not. */
    int labelsInMethod() {
        return region != null ? frames.size() - 1 : frames.size();
    }

    /** How many frames are open: 1 in a function's body, 2 inside a construct there, and so on. */
    int depth() {
        return frames.size();
    }

    /** How many values lie on the stack above the current frame's base. */
    int frameHeight() {
        return stack.size() - current().height;
    }

    private Frame current() {
        return frames.get(frames.size() - 1);
    }

    private void markUnreachable() {
        current().unreachable = true;
    }

    void visitBlock(int opcode, BlockType blocktype) {
        if (skipping()) {
            skippedBlocks++;
            return;
        }
        FuncType type = blocktype.resolve(layout.module);
        switch (opcode) {
            case Opcodes.BLOCK -> frames.add(new Frame(Kind.BLOCK, type, stack.size() - type.params().size()));
            case Opcodes.LOOP -> {
                Frame frame = new Frame(Kind.LOOP, type, stack.size() - type.params().size());
                frames.add(frame);
                mv.visitLabel(frame.label);
                pollTermination();
            }
            case Opcodes.IF -> {
                stack.pop();
                Frame frame = new Frame(Kind.IF, type, stack.size() - type.params().size());
                frame.elseLabel = new Label();
                mv.visitJumpInsn(IFEQ, frame.elseLabel);
                frames.add(frame);
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    void visitElse() {
        if (skipping() && skippedBlocks > 0) return;
        Frame frame = current();
        if (!frame.unreachable) {
            mv.visitJumpInsn(GOTO, frame.label);
            frame.branchedTo = true;
        }
        mv.visitLabel(frame.elseLabel);
        frame.elseLabel = null;
        frame.unreachable = false;
        stack.truncate(frame.height);
        stack.pushAll(frame.type.params());
    }

    void visitEnd() {
        if (skipping() && skippedBlocks > 0) {
            skippedBlocks--;
            return;
        }
        Frame frame = frames.remove(frames.size() - 1);
        if (frame.kind == Kind.FUNCTION) {
            if (!frame.unreachable && !expression) emitReturn();
            return;
        }
        if (frame.kind == Kind.REGION) {
            if (!frame.unreachable) exitRegion(RegionFrame.FALLTHROUGH, frame.type.results());
            return;
        }
        boolean reachable = !frame.unreachable;
        if (frame.elseLabel != null) {
            // An if without else: its false branch goes straight to the end with the parameters, which equal the results.
            mv.visitLabel(frame.elseLabel);
            reachable = true;
        }
        if (frame.kind != Kind.LOOP) {
            reachable |= frame.branchedTo;
            mv.visitLabel(frame.label);
        }
        stack.truncate(frame.height);
        stack.pushAll(frame.type.results());
        if (!reachable) markUnreachable();
    }

    void visitBranch(int opcode, int labelidx) {
        if (opcode == Opcodes.BR) {
            branch(labelidx);
            markUnreachable();
            return;
        }
        stack.pop();
        Frame target = leavesRegion(labelidx) ? null : target(labelidx);
        if (target != null && extraOperands(target) == 0 && target.kind != Kind.FUNCTION) {
            mv.visitJumpInsn(IFNE, target.label);
            target.branchedTo = true;
        } else {
            Label skip = new Label();
            mv.visitJumpInsn(IFEQ, skip);
            branch(labelidx);
            mv.visitLabel(skip);
        }
    }

    void visitBrTable(int[] labels, int defaultLabel, int offset) {
        stack.pop();
        // One trampoline per distinct target, so targets that need operands dropped get their own code.
        Map<Integer, Label> trampolines = new LinkedHashMap<>();
        Label[] cases = new Label[labels.length];
        for (int i = 0; i < labels.length; i++) cases[i] = trampolines.computeIfAbsent(labels[i], l -> new Label());
        Label dflt = trampolines.computeIfAbsent(defaultLabel, l -> new Label());
        if (labels.length == 0) {
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, dflt);
        } else if (labels.length <= MAX_INLINE_TABLE) {
            mv.visitTableSwitchInsn(0, labels.length - 1, dflt, cases);
        } else {
            mappedSwitch(labels, trampolines, dflt, offset);
        }
        for (Map.Entry<Integer, Label> e : trampolines.entrySet()) {
            mv.visitLabel(e.getValue());
            branch(e.getKey());
        }
        markUnreachable();
    }

    /**
     * A {@code br_table} with more entries than fit a method: a static {@code int[]} maps each index
     * to the ordinal of its distinct target, and a small tableswitch jumps on that.
     */
    private void mappedSwitch(int[] labels, Map<Integer, Label> trampolines, Label dflt, int offset) {
        List<Integer> targets = new ArrayList<>(trampolines.keySet());
        int[] map = new int[labels.length];
        for (int i = 0; i < labels.length; i++) map[i] = targets.indexOf(labels[i]);
        String field = layout.brTableMap(offset, map);
        Label outOfRange = new Label();
        mv.visitInsn(DUP);
        Push.intConst(mv, labels.length);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFGE, outOfRange);
        mv.visitFieldInsn(GETSTATIC, layout.owner, field, "[I");
        mv.visitInsn(SWAP);
        mv.visitInsn(IALOAD);
        mv.visitTableSwitchInsn(0, targets.size() - 1, dflt, trampolines.values().toArray(new Label[0]));
        mv.visitLabel(outOfRange);
        mv.visitInsn(POP);
        mv.visitJumpInsn(GOTO, dflt);
    }

    /**
     * Stops this thread if its program has ended (another thread exited or trapped), at every function
     * entry and loop header, so no thread can run on unbounded: an {@code invokedynamic} that costs
     * nothing in compiled code until some program requests termination (see the runtime's
     * {@code Termination}).
     */
    void pollTermination() {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, ModuleEmitter.SUPER, "termination", "L" + TERMINATION + ";");
        mv.visitInvokeDynamicInsn("poll", "(L" + TERMINATION + ";)V", POLL);
    }

    void visitReturn() {
        emitReturn();
        markUnreachable();
    }

    void visitUnreachable() {
        mv.visitTypeInsn(NEW, "dev/wasm2jvm/runtime/WasmTrap");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("unreachable");
        mv.visitMethodInsn(INVOKESPECIAL, "dev/wasm2jvm/runtime/WasmTrap", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
        markUnreachable();
    }

    private Frame target(int labelidx) {
        return frames.get(frames.size() - 1 - labelidx);
    }

    private int extraOperands(Frame target) {
        return stack.size() - target.height - target.labelTypes().size();
    }

    /** Whether label {@code labelidx} lies outside the outlined construct this method emits. */
    boolean leavesRegion(int labelidx) {
        return region != null && labelidx >= frames.size() - 1;
    }

    /** The types a branch to label {@code labelidx} carries. */
    List<ValType> labelTypes(int labelidx) {
        if (leavesRegion(labelidx)) return outlining.outerLabelTypes(region, labelidx - (frames.size() - 1));
        return target(labelidx).labelTypes();
    }

    /**
     * Leaves an outlined construct's method: the exit's values (on top of the stack) and the locals
     * the construct writes go to the frame, and the exit's code is returned.
     */
    private void exitRegion(int code, List<ValType> values) {
        outlining.frame.storeValues(mv, locals, values);
        if (code != RegionFrame.RETURN) outlining.frame.storeLocals(mv, locals, region.writes);
        Push.intConst(mv, code);
        mv.visitInsn(IRETURN);
    }

    /**
     * Passes on an exit, whose code is in {@code codeSlot}, that a construct called from this method
     * took to a label outside this method too: its values are in the frame already, so only this
     * method's written locals are added and the code is shifted past this method's own frames.
     */
    void passThrough(int codeSlot) {
        Label branch = new Label();
        mv.visitVarInsn(ILOAD, codeSlot);
        Push.intConst(mv, RegionFrame.RETURN);
        mv.visitJumpInsn(IF_ICMPNE, branch);
        Push.intConst(mv, RegionFrame.RETURN);
        mv.visitInsn(IRETURN);
        mv.visitLabel(branch);
        outlining.frame.storeLocals(mv, locals, region.writes);
        mv.visitVarInsn(ILOAD, codeSlot);
        Push.intConst(mv, frames.size() - 1);
        mv.visitInsn(ISUB);
        mv.visitInsn(IRETURN);
    }

    /** Jumps to label {@code labelidx} with its values on top, dropping what lies between them and the label's height. */
    void branch(int labelidx) {
        if (leavesRegion(labelidx)) {
            int depth = labelidx - (frames.size() - 1);
            exitRegion(1 + depth, outlining.outerLabelTypes(region, depth));
            return;
        }
        Frame target = target(labelidx);
        if (target.kind == Kind.FUNCTION) {
            emitReturn();
            return;
        }
        stack.dropUnder(target.labelTypes().size(), extraOperands(target));
        mv.visitJumpInsn(GOTO, target.label);
        target.branchedTo = true;
    }

    void emitReturn() {
        if (region != null) {
            exitRegion(RegionFrame.RETURN, results);
            return;
        }
        switch (results.size()) {
            case 0 -> mv.visitInsn(RETURN);
            case 1 -> mv.visitInsn(JvmType.of(results.get(0)).getOpcode(IRETURN));
            default -> {
                stack.box(results);
                mv.visitInsn(ARETURN);
            }
        }
    }
}
