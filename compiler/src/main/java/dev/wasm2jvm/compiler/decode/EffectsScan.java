package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.CodeEffects;

import java.util.Arrays;

/**
 * Reads one function body at decode time: for the module's {@link DataIndexUse}, which it tells of
 * the offsets and memory instructions, and for the body's {@link CodeEffects}, so that no later
 * stage decodes every body again to find them.
 */
final class EffectsScan extends InstructionScanner {
    private final DataIndexUse dataIndexUse;
    private int[] callees = new int[8];
    private int calls;
    private boolean callsIndirect;
    private boolean growsMemory;
    private boolean accessesMemory;
    private boolean tailCalls;
    private int simdWork;
    private boolean catchClauses;

    EffectsScan(DataIndexUse dataIndexUse) {
        this.dataIndexUse = dataIndexUse;
    }

    /** The effects of the body read. */
    CodeEffects effects() {
        return new CodeEffects(Arrays.copyOf(callees, calls), callsIndirect, growsMemory, accessesMemory, tailCalls,
                simdWork, catchClauses);
    }

    private void call(int funcidx) {
        if (calls == callees.length) callees = Arrays.copyOf(callees, 2 * calls);
        callees[calls++] = funcidx;
    }

    @Override
    public void visitOffset(int offset) {
        dataIndexUse.visitOffset(offset);
    }

    @Override
    public void visitCall(int funcidx) {
        call(funcidx);
    }

    @Override
    public void visitReturnCall(int funcidx) {
        tailCalls = true;
        call(funcidx);
    }

    @Override
    public void visitCallIndirect(int typeidx, int tableidx) {
        callsIndirect = true;
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        tailCalls = true;
        callsIndirect = true;
    }

    @Override
    public void visitMemoryInsn(int opcode, int index, int index2) {
        dataIndexUse.visitMemoryInsn(opcode, index, index2);
        if (opcode == Opcodes.MEMORY_GROW) growsMemory = true;
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        accessesMemory = true;
    }

    @Override
    public void visitMemoryLane(int opcode, int memidx, int align, long offset, int lane) {
        accessesMemory = true;
    }

    @Override
    public void visitInsn(int opcode) {
        if (Opcodes.prefix(opcode) == Opcodes.PREFIX_SIMD) simdWork++;
    }

    @Override
    public void visitCatch(int tagidx) {
        catchClauses = true;
    }

    @Override
    public void visitShuffle(byte[] lanes) {
        simdWork++;
    }

    @Override
    public void visitLane(int opcode, int lane) {
        simdWork++;
    }
}
