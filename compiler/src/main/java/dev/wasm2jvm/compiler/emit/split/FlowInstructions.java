package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instructions of a function body that read or write locals or steer control flow, in order:
 * what {@link MethodLocals} and {@link LiveLocals} follow. They are recorded as the region scan
 * reads the body ({@link RegionScanner#scan}), which spares {@link MethodLocals} a reading of its
 * own: that reading was 1.3% of the SQLite shell's compiling thread (async-profiler, 30 rounds with
 * {@code --library}).
 */
final class FlowInstructions extends InstructionScanner {
    static final int GET = 0;
    static final int SET = 1;
    static final int OPEN = 2;
    static final int OPEN_LOOP = 3;
    static final int OPEN_IF = 4;
    static final int ELSE = 5;
    static final int END = 6;
    static final int BR = 7;
    static final int BR_IF = 8;
    static final int BR_TABLE = 9;
    static final int STOP = 10;
    /** A legacy {@code catch} or {@code catch_all}: the code before reaches the try's end, the clause starts as the try did. */
    static final int CATCH = 11;

    /** The instructions recorded, in order: position in the body, kind, and local or label or table. */
    int[] positions = new int[256];
    int[] kinds = new int[256];
    int[] args = new int[256];
    int count;
    final List<int[]> tables = new ArrayList<>();
    /** Whether the body has exception handlers, whose paths {@link LiveLocals} does not follow. */
    boolean handlers;

    private final int base;
    private int position;

    /** @param base the module offset of the body's code, from which positions count */
    FlowInstructions(int base) {
        this.base = base;
    }

    private void add(int kind, int arg) {
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
            args = Arrays.copyOf(args, count * 2);
        }
        positions[count] = position;
        kinds[count] = kind;
        args[count] = arg;
        count++;
    }

    @Override
    public void visitOffset(int offset) {
        position = offset - base;
    }

    @Override
    public void visitVariable(int opcode, int index) {
        if (opcode == Opcodes.LOCAL_GET) add(GET, index);
        if (opcode == Opcodes.LOCAL_SET || opcode == Opcodes.LOCAL_TEE) add(SET, index);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode == Opcodes.RETURN || opcode == Opcodes.UNREACHABLE || opcode == Opcodes.THROW_REF) add(STOP, 0);
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        if (opcode == Opcodes.TRY) handlers = true;
        add(opcode == Opcodes.LOOP ? OPEN_LOOP : opcode == Opcodes.IF ? OPEN_IF : OPEN, 0);
    }

    /**
     * A {@code try_table}: a block whose clauses branch from anywhere in its body, so with no
     * more locals written than at its start.
     */
    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        handlers = true;
        add(OPEN, 0);
        for (Catch c : catches) add(BR_IF, c.labelidx() + 1);
    }

    @Override
    public void visitCatch(int tagidx) {
        add(CATCH, 0);
    }

    @Override
    public void visitDelegate(int labelidx) {
        add(END, 0);
    }

    @Override
    public void visitThrow(int tagidx) {
        add(STOP, 0);
    }

    @Override
    public void visitRethrow(int labelidx) {
        add(STOP, 0);
    }

    @Override
    public void visitElse() {
        add(ELSE, 0);
    }

    @Override
    public void visitEnd() {
        add(END, 0);
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        add(opcode == Opcodes.BR ? BR : BR_IF, labelidx);
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        int[] all = Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = defaultLabel;
        add(BR_TABLE, tables.size());
        tables.add(all);
    }
}
