package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs.RuntimeMethod;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IF_ACMPEQ;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.SWAP;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.NOP;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * Structured control flow ({@code block}, {@code loop}, {@code if}/{@code else}, {@code end},
 * {@code br}, {@code br_if}, {@code br_table}, {@code return}, {@code unreachable}) as JVM labels and
 * jumps. Block parameters and results simply stay on the JVM operand stack; a branch that leaves
 * extra operands under its label's values first drops them, since the JVM requires the same stack
 * shape at every jump to a label. Code after an unconditional branch is unreachable and is not
 * emitted at all: {@link #skipping()} tells the function emitter to ignore it.
 *
 * <p>A frame goes deep when the method's JVM operand stack grows past
 * {@link OperandStack#SPILL_THRESHOLD}: from then on, between instructions, its values are spilled
 * ({@link #settle}). Only a frame's own values are spilled, which the frames inside it cannot
 * touch, so every label still sees one stack shape: a label's values are loaded onto the JVM stack
 * before a branch, a block starts with its parameters there, and a deep frame's spilled values need
 * no dropping.
 *
 * <p>Exception handling is a JVM exception handler per {@code try_table} (and legacy {@code try})
 * that catches the runtime's {@code WasmException}, never a trap. The JVM clears the operand stack
 * when it enters a handler, so a construct that catches first saves the values under its
 * parameters that are on the JVM stack into locals (code without exception handling pays nothing);
 * its handler puts them back, pushes the exception's values and branches as a {@code br} would.
 * A legacy {@code delegate} cuts its body out of the ranges of the handlers it skips.
 *
 * <p>In a function split over several methods, some labels of a method's code are held by another
 * method: those around the code of an outlined part, and the ends of blocks that the split side
 * opens as {@linkplain #openRemoteBlock remote}. A branch to such a label, a {@code return} from
 * an outlined part, and the end of a remote block are pseudo-operations of the split side
 * ({@link SplitMethod.Ops}); this class knows nothing else of splitting.
 */
public final class ControlEmitter {
    /**
     * {@code OUTSIDE}: the outermost frame of a method whose code is enclosed in a function's body
     * held by other methods (an outlined part's), which stands for every label around that code;
     * {@code REMOTE}: a block whose end, and the code after it, are in another method.
     */
    private enum Kind { FUNCTION, OUTSIDE, BLOCK, LOOP, IF, REMOTE, TRY_TABLE, TRY, CATCH }

    private static final class Frame {
        /** Final but for a legacy {@code try}, which turns into its {@code CATCH} clauses. */
        Kind kind;
        final FuncType type;
        /** The operand stack height under the block's parameters. */
        final int height;
        /** The JVM stack slots that the values under the block's parameters take. */
        final int jvmBase;
        /** Where branches to this frame go: the start of a loop, else the end. */
        final Label label;
        /** The start of the else branch of an {@code if}, until {@code else} or {@code end} places it. */
        Label elseLabel;
        boolean unreachable;
        boolean branchedTo;
        /** A remote block's number, which the split side gave it. */
        int remote;
        /** Whether the frame's values are spilled between instructions. */
        boolean deep;
        /** A {@code try_table}'s or {@code try}'s handler, else {@code null}. */
        Handler handler;

        Frame(Kind kind, FuncType type, int height, int jvmBase, Label label) {
            this.kind = kind;
            this.type = type;
            this.height = height;
            this.jvmBase = jvmBase;
            this.label = label;
        }

        List<ValType> labelTypes() {
            return kind == Kind.LOOP ? type.params() : type.results();
        }
    }

    /**
     * The handler of a {@code try_table} or legacy {@code try}: the range of code it covers, save for
     * the cuts of delegates that skip it, and the values under the construct that it puts back.
     */
    private static final class Handler {
        final Label start = new StackMapFrames.RangeStart();
        final int startOrder;
        Label end;
        int endOrder;
        final List<Cut> cuts = new ArrayList<>();
        /** The stack under the construct's parameters. */
        final OperandStack.Value below;
        /** By position, the slot saving each value of {@link #below} that is on the JVM stack, else -1. */
        final int[] saved;
        final ValType[] types;
        /** The scratch mark from before the saved slots, given back at the construct's end. */
        final int mark;
        /** A {@code try_table}'s clauses. */
        Catch[] catches;
        /** A legacy {@code try}'s clauses: the tag of each, -1 for {@code catch_all}, and its code. */
        final List<Integer> clauseTags = new ArrayList<>();
        final List<Label> clauses = new ArrayList<>();
        /** The slot of the exception its legacy clauses caught, for {@code rethrow}; -1 until the first. */
        int exnSlot = -1;
        /**
         * In a split function, the locals of this method that the body writes, which the handler
         * reloads from the frame (written through there, see {@link #inHandlerRange}); else {@code null}.
         */
        BitSet reload;

        Handler(OperandStack.Value below, int[] saved, ValType[] types, int mark, int startOrder) {
            this.below = below;
            this.saved = saved;
            this.types = types;
            this.mark = mark;
            this.startOrder = startOrder;
        }
    }

    /** Code of a handler's range that a delegate sends past it, as labels and their emission order. */
    private record Cut(Label from, int fromOrder, Label to, int toOrder) {}

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;
    private final OperandStack stack;
    private final List<Frame> frames = new ArrayList<>();
    /**
     * The last of {@link #frames}, or {@code null} when none is open: asked before every instruction
     * ({@link #skipping}), where the list's lookup was 1.4% of the SQLite shell's compiling thread
     * (async-profiler, 40 rounds).
     */
    private Frame current;
    private final boolean expression;
    private final List<ValType> results;
    /** Whether this method's code is enclosed in a function's body held by other methods: its outermost frame is {@code OUTSIDE}. */
    private final boolean enclosed;
    /**
     * The pseudo-operations of the split function this method is part of, which lower the branches
     * to labels other methods hold and reload a handler's locals; {@code null} if the function is not split.
     */
    private SplitMethod.Ops split;
    /** How many blocks were opened inside unreachable code and not yet closed. */
    private int skippedBlocks;
    /** The emission order of the labels that bound handler ranges, which labels themselves do not know before the method is done. */
    private int rangeOrder;
    /** How many handler ranges of this method are open. */
    private int openRanges;
    /** The heap that the function's entry charged, which its returns give back, or {@code null}. */
    private HeapCharge charge;

    /**
     * @param type the function's type, or for a constant expression {@code [] -> [t]}
     * @param expression whether the code is a constant expression, whose value stays on the stack
     */
    ControlEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, FuncType type, boolean expression) {
        this(mv, layout, locals, stack, type, expression, false);
    }

    /**
     * The control flow of a method whose code is enclosed in a function's body held by other
     * methods (an outlined part's): its outermost frame stands for every label around that code,
     * and leaving the code, by a branch to such a label, a {@code return} or its end, is a
     * pseudo-operation of the split side ({@link #splitBy}).
     */
    static ControlEmitter enclosed(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack) {
        return new ControlEmitter(mv, layout, locals, stack, FuncType.EMPTY, false, true);
    }

    private ControlEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack, FuncType type,
                           boolean expression, boolean enclosed) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
        this.stack = stack;
        this.expression = expression;
        this.enclosed = enclosed;
        this.results = type.results();
        open(new Frame(enclosed ? Kind.OUTSIDE : Kind.FUNCTION, type, 0, 0, new Label()));
    }

    /** The pseudo-operations of the split function this method is part of. */
    void splitBy(SplitMethod.Ops split) {
        this.split = split;
    }

    /** Whether the current instruction is unreachable and must not be emitted. */
    boolean skipping() {
        return current != null && current.unreachable;
    }

    /** How many labels of this method are in scope: those around enclosed code are not. */
    public int labelsInMethod() {
        return enclosed ? frames.size() - 1 : frames.size();
    }

    /** How many frames are open: 1 in a function's body, 2 inside a construct there, and so on. */
    int depth() {
        return frames.size();
    }

    /** How many values lie on the stack above the current frame's base. */
    int frameHeight() {
        return stack.size() - current.height;
    }

    /** How many values lie on the JVM stack above the current frame's base, once {@linkplain #settle settled}. */
    int jvmFrameHeight() {
        return current.deep ? 0 : frameHeight();
    }

    /**
     * Between two instructions, before the one at {@code offset}: the current frame goes deep if the
     * JVM stack is past the spill threshold, and a deep frame spills what the last instruction pushed.
     *
     * @throws CompileException for a constant expression past the threshold: its code, in the
     *     instance's constructor, has no value arrays to spill to ({@link Locals#expression}), and
     *     no toolchain writes one that deep
     */
    void settle(int offset) {
        Frame frame = current;
        if (stack.jvmSlots() > OperandStack.SPILL_THRESHOLD) {
            if (expression) {
                throw CompileException.unsupported("a constant expression whose operand stack takes more than "
                        + OperandStack.SPILL_THRESHOLD + " JVM slots", offset, -1);
            }
            frame.deep = true;
        }
        if (frame.deep) spillFrame();
    }

    /** Spills the current frame's values, as an outlined sequence expects to find them. */
    public void spillFrame() {
        stack.spill(current.height, current.jvmBase);
    }

    /** Makes the current frame deep, its values spilled: an outlined sequence's, which came spilled. */
    public void deepen() {
        current.deep = true;
        spillFrame();
    }

    private void open(Frame frame) {
        frames.add(frame);
        current = frame;
    }

    private void markUnreachable() {
        current.unreachable = true;
    }

    public void visitBlock(int opcode, BlockType blocktype) {
        if (skipping()) {
            skippedBlocks++;
            return;
        }
        FuncType type = blocktype.resolve(layout.module);
        stack.need(type.params().size() + (opcode == Opcodes.IF ? 1 : 0));
        switch (opcode) {
            case Opcodes.BLOCK -> open(frame(Kind.BLOCK, type));
            case Opcodes.LOOP -> {
                Frame frame = frame(Kind.LOOP, type);
                open(frame);
                mv.visitLabel(frame.label);
                if (layout.callEffects().pollsAtLoopHeaders()) pollTermination();
            }
            case Opcodes.IF -> {
                stack.pop();
                Frame frame = frame(Kind.IF, type);
                frame.elseLabel = new Label();
                mv.visitJumpInsn(IFEQ, frame.elseLabel);
                open(frame);
            }
            case Opcodes.TRY -> {
                Frame frame = frame(Kind.TRY, type);
                frame.handler = openHandler(type);
                open(frame);
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    void visitTryTable(BlockType blocktype, Catch[] catches) {
        if (skipping()) {
            skippedBlocks++;
            return;
        }
        FuncType type = blocktype.resolve(layout.module);
        stack.need(type.params().size());
        Frame frame = frame(Kind.TRY_TABLE, type);
        frame.handler = openHandler(type);
        frame.handler.catches = catches;
        open(frame);
    }

    /**
     * Starts the handler range of a construct of type {@code type} whose parameters are on top of
     * the JVM stack: the values under them there are saved, for the handler to put back.
     */
    private Handler openHandler(FuncType type) {
        List<ValType> params = type.params();
        OperandStack.Value below = stack.snapshot();
        for (int i = 0; i < params.size(); i++) below = below.below();
        int mark = locals.mark();
        int height = below == null ? 0 : below.height();
        int[] saved = new int[height];
        ValType[] types = new ValType[height];
        List<OperandStack.Value> kept = new ArrayList<>();
        for (OperandStack.Value v = below; v != null; v = v.below()) {
            types[v.height() - 1] = v.type();
            saved[v.height() - 1] = v.spilled() ? -1 : locals.borrow(v.type());
            if (!v.spilled()) kept.add(v);
        }
        if (!kept.isEmpty()) {
            int scratch = locals.mark();
            int[] paramSlots = new int[params.size()];
            for (int i = params.size() - 1; i >= 0; i--) {
                paramSlots[i] = locals.borrow(params.get(i));
                JvmType.store(mv, params.get(i), paramSlots[i]);
            }
            for (OperandStack.Value v : kept) JvmType.store(mv, v.type(), saved[v.height() - 1]);
            for (int i = kept.size() - 1; i >= 0; i--) JvmType.load(mv, kept.get(i).type(), saved[kept.get(i).height() - 1]);
            for (int i = 0; i < params.size(); i++) JvmType.load(mv, params.get(i), paramSlots[i]);
            locals.release(scratch);
        }
        Handler handler = new Handler(below, saved, types, mark, rangeOrder++);
        openRanges++;
        mv.visitLabel(handler.start);
        // A handler's range must not be empty, and a body may be.
        mv.visitInsn(NOP);
        return handler;
    }

    /**
     * Makes the handler of the construct just opened reload {@code locals} from the frame of the
     * split function: outlined parts of the body write them there, and an exception leaves those
     * parts without their exits, which would hand them back.
     */
    void reloadOnCatch(BitSet locals) {
        current.handler.reload = locals;
    }

    /** Whether the code being emitted is in the range of a handler of this method. */
    boolean inHandlerRange() {
        return openRanges > 0;
    }

    private void reloadLocals(Handler handler) {
        if (handler.reload != null) split.reloadLocals(handler.reload);
    }

    /** Ends the range of the current frame's handler: what comes next is not its body. */
    private void closeRange(Handler handler) {
        handler.end = new Label();
        handler.endOrder = rangeOrder++;
        openRanges--;
        mv.visitLabel(handler.end);
    }

    /** Puts back on the JVM stack the values under a handler's construct, as they were when it began. */
    private void restoreBelow(Handler handler) {
        for (int p = 0; p < handler.saved.length; p++) {
            if (handler.saved[p] >= 0) JvmType.load(mv, handler.types[p], handler.saved[p]);
        }
        stack.reset(handler.below);
    }

    /** Pushes the values of the exception in {@code exnSlot}, of tag {@code tagidx}. */
    private void pushPayload(int exnSlot, int tagidx) {
        List<ValType> params = layout.module.tagType(tagidx).params();
        for (int i = 0; i < params.size(); i++) {
            mv.visitVarInsn(ALOAD, exnSlot);
            Push.intConst(mv, i);
            RuntimeRefs.WASM_EXCEPTION_VALUE.invoke(mv);
            JvmType.unbox(mv, params.get(i));
            stack.push(params.get(i));
        }
    }

    /** Jumps to {@code otherTag} unless the exception in {@code exnSlot} is of tag {@code tagidx}. */
    private void matchTag(int exnSlot, int tagidx, Label otherTag) {
        mv.visitVarInsn(ALOAD, exnSlot);
        RuntimeRefs.WASM_EXCEPTION_TAG.invoke(mv);
        locals.loadInstance(mv);
        layout.getTag(mv, tagidx);
        mv.visitJumpInsn(IF_ACMPNE, otherTag);
    }

    /** Makes {@code handlerLabel} the handler of {@code handler}'s range, but for its cuts. */
    private void register(Handler handler, Label handlerLabel) {
        Label from = handler.start;
        for (Cut cut : handler.cuts) {
            mv.visitTryCatchBlock(from, cut.from(), handlerLabel, RuntimeRefs.WASM_EXCEPTION);
            from = cut.to();
        }
        mv.visitTryCatchBlock(from, handler.end, handlerLabel, RuntimeRefs.WASM_EXCEPTION);
    }

    /**
     * The legacy {@code catch} of {@code tagidx}, or {@code catch_all} for -1: ends the body or the
     * clause before it, and starts a clause, which finds the exception's values on the stack.
     */
    void visitCatch(int tagidx) {
        if (skipping() && skippedBlocks > 0) return;
        Frame frame = current;
        Handler handler = frame.handler;
        if (frame.kind == Kind.TRY) {
            closeRange(handler);
            frame.kind = Kind.CATCH;
            handler.exnSlot = locals.borrow(ValType.EXNREF);
        }
        if (!frame.unreachable) {
            stack.need(frame.type.results().size());
            mv.visitJumpInsn(GOTO, frame.label);
            frame.branchedTo = true;
        }
        Label clause = new Label();
        handler.clauseTags.add(tagidx);
        handler.clauses.add(clause);
        mv.visitLabel(clause);
        frame.unreachable = false;
        frame.deep = false;
        stack.truncate(frame.height);
        if (tagidx >= 0) stack.pushAll(layout.module.tagType(tagidx).params());
    }

    /**
     * The legacy {@code delegate}: ends a {@code try} whose body's exceptions go to the handler of
     * label {@code labelidx}, so the handlers of the constructs inside that label do not cover it.
     */
    void visitDelegate(int labelidx) {
        if (skipping() && skippedBlocks > 0) {
            skippedBlocks--;
            return;
        }
        Frame frame = current;
        Handler handler = frame.handler;
        closeRange(handler);
        // The range after the cut must not be empty either.
        mv.visitInsn(NOP);
        Cut cut = new Cut(handler.start, handler.startOrder, handler.end, handler.endOrder);
        for (int k = 1; k <= labelidx && k < frames.size(); k++) {
            Frame skipped = target(k);
            if (skipped.kind != Kind.TRY && skipped.kind != Kind.TRY_TABLE) continue;
            // A cut of a delegate further in is inside this one.
            skipped.handler.cuts.removeIf(c -> c.fromOrder() >= cut.fromOrder() && c.toOrder() <= cut.toOrder());
            skipped.handler.cuts.add(cut);
        }
        frame.handler = null;
        endBlock();
        locals.release(handler.mark);
    }

    /** The legacy {@code rethrow} of the exception that the clause of label {@code labelidx} caught. */
    void visitRethrow(int labelidx) {
        mv.visitVarInsn(ALOAD, target(labelidx).handler.exnSlot);
        mv.visitInsn(ATHROW);
        markUnreachable();
    }

    /** {@code throw}: the operands, boxed, become the exception's values. */
    void visitThrow(int tagidx) {
        List<ValType> params = layout.module.tagType(tagidx).params();
        stack.need(params.size());
        stack.box(params);
        stack.pop(params.size());
        locals.loadInstance(mv);
        layout.getTag(mv, tagidx);
        RuntimeRefs.EXCEPTIONS_CREATE.invoke(mv);
        mv.visitInsn(ATHROW);
        markUnreachable();
    }

    void visitThrowRef() {
        stack.need(1);
        stack.pop();
        RuntimeRefs.EXCEPTIONS_RETHROW.invoke(mv);
        mv.visitInsn(ATHROW);
        markUnreachable();
    }

    /**
     * Ends a construct that catches: a {@code try_table}, or a legacy {@code try} with or without
     * clauses. Its handler code follows, out of the way of the code after it.
     */
    private void endCatching(Frame frame) {
        Handler handler = frame.handler;
        boolean catches = frame.kind == Kind.CATCH || frame.kind == Kind.TRY_TABLE && handler.catches.length > 0;
        if (frame.kind != Kind.CATCH) closeRange(handler);
        endBlock();
        if (catches) {
            Label handlerLabel = new Label();
            register(handler, handlerLabel);
            boolean reachable = !current.unreachable;
            OperandStack.Value after = stack.snapshot();
            Label join = new Label();
            if (reachable) mv.visitJumpInsn(GOTO, join);
            mv.visitLabel(handlerLabel);
            if (frame.kind == Kind.TRY_TABLE) catchClauses(handler);
            else dispatchClauses(handler);
            if (reachable) mv.visitLabel(join);
            stack.reset(after);
            current.unreachable = !reachable;
        }
        locals.release(handler.mark);
    }

    /** A {@code try_table}'s handler: the first clause that catches the exception branches, else it goes on up. */
    private void catchClauses(Handler handler) {
        int exn = locals.borrow(ValType.EXNREF);
        mv.visitVarInsn(ASTORE, exn);
        reloadLocals(handler);
        for (Catch c : handler.catches) {
            Label otherTag = new Label();
            if (!c.all()) matchTag(exn, c.tagidx(), otherTag);
            restoreBelow(handler);
            if (!c.all()) pushPayload(exn, c.tagidx());
            if (c.ref()) {
                mv.visitVarInsn(ALOAD, exn);
                stack.push(ValType.EXNREF);
            }
            branch(c.labelidx());
            if (c.all()) return;
            mv.visitLabel(otherTag);
        }
        mv.visitVarInsn(ALOAD, exn);
        mv.visitInsn(ATHROW);
    }

    /** A legacy {@code try}'s handler: to the first clause for the exception's tag, else it goes on up. */
    private void dispatchClauses(Handler handler) {
        mv.visitVarInsn(ASTORE, handler.exnSlot);
        reloadLocals(handler);
        for (int i = 0; i < handler.clauses.size(); i++) {
            int tagidx = handler.clauseTags.get(i);
            Label otherTag = new Label();
            if (tagidx >= 0) matchTag(handler.exnSlot, tagidx, otherTag);
            restoreBelow(handler);
            if (tagidx >= 0) pushPayload(handler.exnSlot, tagidx);
            mv.visitJumpInsn(GOTO, handler.clauses.get(i));
            if (tagidx < 0) return;
            mv.visitLabel(otherTag);
        }
        mv.visitVarInsn(ALOAD, handler.exnSlot);
        mv.visitInsn(ATHROW);
    }

    /** A frame of a construct of type {@code type} whose parameters are on top of the JVM stack. */
    private Frame frame(Kind kind, FuncType type) {
        int paramSlots = 0;
        for (ValType p : type.params()) paramSlots += JvmType.size(p);
        return new Frame(kind, type, stack.size() - type.params().size(), stack.jvmSlots() - paramSlots,
                kind == Kind.LOOP ? locals.loopStart() : new Label());
    }

    /**
     * Opens a block of type {@code [] -> []} whose end, and the code after it, are in another method:
     * a branch to it, or reaching its end, is the split side's {@link SplitMethod.Ops#branchRemote}
     * and {@link SplitMethod.Ops#endRemote} of {@code remote}.
     */
    public void openRemoteBlock(int remote) {
        Frame frame = frame(Kind.REMOTE, FuncType.EMPTY);
        frame.remote = remote;
        open(frame);
    }

    /** The number of the remote block that label {@code labelidx} names, or -1 if it names no remote block. */
    public int remoteBlock(int labelidx) {
        if (outside(labelidx)) return -1;
        Frame target = target(labelidx);
        return target.kind == Kind.REMOTE ? target.remote : -1;
    }

    /**
     * Drops the values that a branch to label {@code labelidx} leaves behind, between the base of
     * its frame and the label's values on top, as a jump to the label from here must.
     */
    public void dropFor(int labelidx) {
        Frame target = target(labelidx);
        stack.dropUnder(target.labelTypes().size(), extraOperands(target));
    }

    /** The label of the block {@code labelidx} out, for a jump from outside the wasm code. */
    public Label blockLabel(int labelidx) {
        Frame frame = target(labelidx);
        frame.branchedTo = true;
        return frame.label;
    }

    void visitElse() {
        if (skipping() && skippedBlocks > 0) return;
        Frame frame = current;
        if (!frame.unreachable) {
            stack.need(frame.type.results().size());
            mv.visitJumpInsn(GOTO, frame.label);
            frame.branchedTo = true;
        }
        mv.visitLabel(frame.elseLabel);
        frame.elseLabel = null;
        frame.unreachable = false;
        frame.deep = false;
        stack.truncate(frame.height);
        stack.pushAll(frame.type.params());
    }

    void visitEnd() {
        if (skipping() && skippedBlocks > 0) {
            skippedBlocks--;
            return;
        }
        if (current.handler != null) {
            endCatching(current);
            return;
        }
        endBlock();
    }

    /** Closes the current frame at its {@code end}. */
    private void endBlock() {
        Frame frame = frames.remove(frames.size() - 1);
        current = frames.isEmpty() ? null : frames.getLast();
        if (frame.kind == Kind.FUNCTION) {
            if (!frame.unreachable && !expression) emitReturn();
            return;
        }
        if (frame.kind == Kind.REMOTE) {
            // The code after the end is the other method's: here it is unreachable.
            stack.truncate(frame.height);
            markUnreachable();
            split.endRemote(frame.remote, !frame.unreachable);
            return;
        }
        if (!frame.unreachable) stack.need(frame.type.results().size());
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
        stack.need(labelTypes(labelidx).size() + 1);
        stack.pop();
        Frame target = outside(labelidx) ? null : target(labelidx);
        if (target != null && extraOperands(target) == 0 && target.kind != Kind.FUNCTION && target.kind != Kind.REMOTE) {
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
        stack.need(labelTypes(defaultLabel).size() + 1);
        stack.pop();
        if (split != null && split.branchTable(labels, defaultLabel, offset)) {
            markUnreachable();
            return;
        }
        // One trampoline per distinct target, so targets that need operands dropped get their own
        // code; a target that needs nothing but the jump is the switch's case itself, which saves the
        // interpreter a jump per branch. The targets are kept by label index in arrays, in the order
        // first met, rather than in a map of boxed indices: the VDBE's br_table has hundreds of entries.
        int deepest = defaultLabel;
        for (int labelidx : labels) deepest = Math.max(deepest, labelidx);
        Label[] byLabel = new Label[deepest + 1];
        boolean[] direct = new boolean[deepest + 1];
        int[] targets = new int[labels.length + 1];
        int distinct = 0;
        Label[] cases = new Label[labels.length];
        for (int i = 0; i <= labels.length; i++) {
            int labelidx = i < labels.length ? labels[i] : defaultLabel;
            if (byLabel[labelidx] == null) {
                byLabel[labelidx] = caseLabel(labelidx, direct);
                targets[distinct++] = labelidx;
            }
            if (i < labels.length) cases[i] = byLabel[labelidx];
        }
        Label dflt = byLabel[defaultLabel];
        if (labels.length == 0) {
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, dflt);
        } else if (labels.length <= JvmLimits.MAX_INLINE_TABLE) {
            mv.visitTableSwitchInsn(0, labels.length - 1, dflt, cases);
        } else {
            mappedSwitch(labels, Arrays.copyOf(targets, distinct), byLabel, dflt, offset);
        }
        for (int k = 0; k < distinct; k++) {
            int labelidx = targets[k];
            if (direct[labelidx]) continue;
            mv.visitLabel(byLabel[labelidx]);
            branch(labelidx);
        }
        markUnreachable();
    }

    /**
     * The label a {@code br_table} case jumps to for label {@code labelidx}: the target's own when the
     * branch is a plain jump (a block or loop of this method, with no operand to drop under the
     * label's values), marked in {@code direct}; else a new label for a trampoline.
     */
    private Label caseLabel(int labelidx, boolean[] direct) {
        if (outside(labelidx)) return new Label();
        Frame target = target(labelidx);
        if (target.kind == Kind.FUNCTION || target.kind == Kind.REMOTE || extraOperands(target) != 0) return new Label();
        target.branchedTo = true;
        direct[labelidx] = true;
        return target.label;
    }

    /**
     * A {@code br_table} with more entries than fit a method: a static {@code int[]} maps each index
     * to the ordinal of its distinct target among {@code targets}, and a small tableswitch jumps on
     * that to the target's case label in {@code byLabel}.
     */
    private void mappedSwitch(int[] labels, int[] targets, Label[] byLabel, Label dflt, int offset) {
        int[] ordinals = new int[byLabel.length];
        Label[] targetCases = new Label[targets.length];
        for (int k = 0; k < targets.length; k++) {
            ordinals[targets[k]] = k;
            targetCases[k] = byLabel[targets[k]];
        }
        int[] map = new int[labels.length];
        for (int i = 0; i < labels.length; i++) map[i] = ordinals[labels[i]];
        String field = layout.brTableMap(offset, map);
        Label outOfRange = new Label();
        mv.visitInsn(DUP);
        Push.intConst(mv, labels.length);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFGE, outOfRange);
        mv.visitFieldInsn(GETSTATIC, layout.owner, field, "[I");
        mv.visitInsn(SWAP);
        mv.visitInsn(IALOAD);
        mv.visitTableSwitchInsn(0, targets.length - 1, dflt, targetCases);
        mv.visitLabel(outOfRange);
        mv.visitInsn(POP);
        mv.visitJumpInsn(GOTO, dflt);
    }

    /**
     * Stops this thread if its program has ended (another thread exited or trapped, or the embedder
     * ended it), at every loop header and at the entry of every function that a cycle of calls can
     * run again before it returns, in every module but a single-threaded WASI command
     * ({@link dev.wasm2jvm.compiler.emit.layout.CallEffects}), so no thread can run on unbounded:
     * nothing in C2's code and a load and a compare in C1's until some program requests termination
     * (see the runtime's {@code Termination}). The call site's target is compared here rather than in
     * {@code Termination.poll}, so the interpreter, which runs a short program's loops until their
     * methods are compiled, makes one call per poll instead of two.
     */
    void pollTermination() {
        Label running = new Label();
        RuntimeRefs.POLLS_SITE.get(mv);
        RuntimeRefs.CALL_SITE_TARGET.invoke(mv);
        RuntimeRefs.POLLS_DISARMED.get(mv);
        mv.visitJumpInsn(IF_ACMPEQ, running);
        locals.loadInstance(mv);
        RuntimeRefs.INSTANCE_TERMINATION.get(mv);
        RuntimeRefs.TERMINATION_POLL.invoke(mv);
        mv.visitLabel(running);
    }

    /** Makes every return of the function give back {@code charge}. */
    void releaseOnReturn(HeapCharge charge) {
        this.charge = charge;
    }

    void visitReturn() {
        emitReturn();
        markUnreachable();
    }

    /** A self tail call of a function that is one method: a jump back to {@code entry}, its parameters already reassigned. */
    void jumpToEntry(Label entry) {
        mv.visitJumpInsn(GOTO, entry);
        markUnreachable();
    }

    void visitUnreachable() {
        throwTrap(mv, RuntimeRefs.TRAPS_UNREACHABLE);
        markUnreachable();
    }

    private Frame target(int labelidx) {
        return frames.get(frames.size() - 1 - labelidx);
    }

    private int extraOperands(Frame target) {
        return stack.size() - target.height - target.labelTypes().size();
    }

    /** Whether label {@code labelidx} lies around this method's enclosed code, in another method. */
    public boolean outside(int labelidx) {
        return enclosed && labelidx >= frames.size() - 1;
    }

    /** The types a branch to label {@code labelidx} carries. */
    public List<ValType> labelTypes(int labelidx) {
        if (outside(labelidx)) return split.outerLabelTypes(labelidx - (frames.size() - 1));
        return target(labelidx).labelTypes();
    }

    /** Jumps to label {@code labelidx} with its values on top, dropping what lies between them and the label's height. */
    public void branch(int labelidx) {
        if (outside(labelidx)) {
            split.exitBranch(labelidx - (frames.size() - 1));
            return;
        }
        Frame target = target(labelidx);
        if (target.kind == Kind.FUNCTION) {
            emitReturn();
            return;
        }
        if (target.kind == Kind.REMOTE) {
            dropFor(labelidx);
            split.branchRemote(target.remote);
            return;
        }
        stack.need(target.labelTypes().size());
        stack.dropUnder(target.labelTypes().size(), extraOperands(target));
        mv.visitJumpInsn(GOTO, target.label);
        target.branchedTo = true;
    }

    public void emitReturn() {
        if (enclosed) {
            split.exitReturn();
            return;
        }
        stack.need(results.size());
        if (results.size() > 1) stack.box(results);
        if (charge != null) charge.release(mv);
        switch (results.size()) {
            case 0 -> mv.visitInsn(RETURN);
            case 1 -> JvmType.returnValue(mv, results.get(0));
            default -> mv.visitInsn(ARETURN);
        }
    }

    /**
     * Throws the {@code WasmTrap} a factory of {@code Traps} makes: 4 bytes where constructing it in
     * place took 10, which keeps methods holding a trap under the JIT's inlining limits more often
     * (see {@code Traps}).
     */
    public static void throwTrap(MethodVisitor mv, RuntimeMethod factory) {
        factory.invoke(mv);
        mv.visitInsn(ATHROW);
    }
}
