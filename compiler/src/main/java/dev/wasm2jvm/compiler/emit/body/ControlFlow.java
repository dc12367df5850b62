package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where control goes from each structured instruction of a function body, for {@link LookAhead}
 * to follow a proof past the straight-line code: a {@code block}'s, {@code loop}'s or {@code if}'s
 * start, an {@code else}, an {@code end}, and the branches {@code br}, {@code br_if} and
 * {@code br_table}, each to the instruction after its target's {@code end} or to the first of its
 * loop. Found by one reading of the body, made only where an idiom's proof reaches such an
 * instruction. A body with exception handlers has no entries (a {@code try}'s {@code catch} and
 * {@code delegate} divide and end blocks in ways a proof would have to follow too), and neither has
 * any other instruction: a proof stops there.
 */
final class ControlFlow {
    /** A successor that leaves the function: its locals are never read again. */
    static final int EXIT = -1;

    /** By module offset, the module offsets control may go to next, {@link #EXIT} for the function's end. */
    private final Map<Integer, int[]> successors = new HashMap<>();

    ControlFlow(FunctionBody body) {
        Reader reader = new Reader();
        CodeReader.read(body.code(), body.offset(), reader);
        if (!reader.handlers) link(reader);
    }

    /** Where control may go after the instruction at module offset {@code offset}, or {@code null} if a proof does not follow it. */
    int[] successors(int offset) {
        return successors.get(offset);
    }

    private void link(Reader r) {
        int count = r.offsets.size();
        for (int i = 0; i < count; i++) {
            int[] next = switch (r.kinds.get(i)) {
                case Opcodes.BLOCK, Opcodes.LOOP, Opcodes.END -> new int[] {next(r, i)};
                case Opcodes.IF -> {
                    Construct c = r.opened.get(i);
                    yield new int[] {next(r, i), c.otherwise >= 0 ? next(r, c.otherwise) : next(r, c.end)};
                }
                case Opcodes.ELSE -> new int[] {next(r, r.divided.get(i).end)};
                case Opcodes.BR -> new int[] {target(r, r.targets.get(i)[0])};
                case Opcodes.BR_IF -> new int[] {next(r, i), target(r, r.targets.get(i)[0])};
                case Opcodes.BR_TABLE -> {
                    Construct[] labels = r.targets.get(i);
                    int[] all = new int[labels.length];
                    for (int k = 0; k < labels.length; k++) all[k] = target(r, labels[k]);
                    yield all;
                }
                default -> null;
            };
            if (next != null) successors.put(r.offsets.get(i), next);
        }
    }

    /** The module offset of the instruction after instruction {@code i}, or {@link #EXIT} after the body's final {@code end}. */
    private static int next(Reader r, int i) {
        return i + 1 < r.offsets.size() ? r.offsets.get(i + 1) : EXIT;
    }

    /** Where a branch to construct {@code c}'s label goes: a loop's first instruction, else after its {@code end}. */
    private static int target(Reader r, Construct c) {
        return c.kind == Opcodes.LOOP ? next(r, c.open) : next(r, c.end);
    }

    /** A block, loop, if or the body itself: the indices of its start, {@code else} and {@code end} among the instructions. */
    private static final class Construct {
        final int kind;
        final int open;
        int otherwise = -1;
        int end = -1;

        Construct(int kind, int open) {
            this.kind = kind;
            this.open = open;
        }
    }

    /** Records every instruction's offset, and the constructs the structured ones open, divide, end or branch to. */
    private static final class Reader extends InstructionScanner {
        final List<Integer> offsets = new ArrayList<>();
        final List<Integer> kinds = new ArrayList<>();
        final Map<Integer, Construct> opened = new HashMap<>();
        final Map<Integer, Construct> divided = new HashMap<>();
        final Map<Integer, Construct[]> targets = new HashMap<>();
        private final Deque<Construct> open = new ArrayDeque<>();
        boolean handlers;

        Reader() {
            open.push(new Construct(Opcodes.BLOCK, -1));
        }

        private int index() {
            return offsets.size() - 1;
        }

        @Override
        public void visitOffset(int offset) {
            offsets.add(offset);
            kinds.add(-1);
        }

        private void kind(int opcode) {
            kinds.set(index(), opcode);
        }

        @Override
        public void visitBlock(int opcode, BlockType blocktype) {
            if (opcode == Opcodes.TRY) handlers = true;
            kind(opcode);
            Construct c = new Construct(opcode, index());
            opened.put(index(), c);
            open.push(c);
        }

        @Override
        public void visitTryTable(BlockType blocktype, Catch[] catches) {
            handlers = true;
            open.push(new Construct(Opcodes.TRY_TABLE, index()));
        }

        @Override
        public void visitCatch(int tagidx) {
            handlers = true;
        }

        @Override
        public void visitDelegate(int labelidx) {
            handlers = true;
            open.pop();
        }

        @Override
        public void visitElse() {
            kind(Opcodes.ELSE);
            open.peek().otherwise = index();
            divided.put(index(), open.peek());
        }

        @Override
        public void visitEnd() {
            kind(Opcodes.END);
            open.pop().end = index();
        }

        @Override
        public void visitBranch(int opcode, int labelidx) {
            kind(opcode);
            targets.put(index(), new Construct[] {label(labelidx)});
        }

        @Override
        public void visitBrTable(int[] labels, int defaultLabel) {
            kind(Opcodes.BR_TABLE);
            Construct[] all = new Construct[labels.length + 1];
            for (int k = 0; k < labels.length; k++) all[k] = label(labels[k]);
            all[labels.length] = label(defaultLabel);
            targets.put(index(), all);
        }

        /** The construct {@code depth} levels out from the innermost one open. */
        private Construct label(int depth) {
            int k = 0;
            for (Construct c : open) {
                if (k++ == depth) return c;
            }
            throw new IllegalStateException("label " + depth + " past the body's");
        }
    }
}
