package dev.wasm2jvm.compiler.debug;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one line number program (DWARF 5 section 6.2.5) on the state machine's {@code address},
 * {@code op_index}, {@code file} and {@code line} registers, and hands each row and the end of each
 * sequence to a {@link LineTableBuilder}. The other registers (column, statement and block flags,
 * ISA, discriminator) do not bear on a source line, so their operands are only read past.
 */
final class LineProgram {
    static final int DW_LNS_copy = 1;
    static final int DW_LNS_advance_pc = 2;
    static final int DW_LNS_advance_line = 3;
    static final int DW_LNS_set_file = 4;
    static final int DW_LNS_const_add_pc = 8;
    static final int DW_LNS_fixed_advance_pc = 9;

    static final int DW_LNE_end_sequence = 1;
    static final int DW_LNE_set_address = 2;
    static final int DW_LNE_define_file = 3;

    private final LineProgramHeader header;
    private final DwarfReader in;
    private final LineTableBuilder rows;
    private final List<String> fileNames;

    private long address;
    private long opIndex;
    private long file;
    private long line;

    private LineProgram(LineProgramHeader header, DwarfReader in, LineTableBuilder rows) {
        this.header = header;
        this.in = in;
        this.rows = rows;
        this.fileNames = new ArrayList<>(header.fileNames());
        reset();
    }

    /** Runs the opcodes from {@code in}'s position to its end. */
    static void run(LineProgramHeader header, DwarfReader in, LineTableBuilder rows) {
        new LineProgram(header, in, rows).run();
    }

    private void run() {
        while (!in.atEnd()) {
            int opcode = in.u8();
            if (opcode >= header.opcodeBase()) {
                special(opcode - header.opcodeBase());
            } else if (opcode == 0) {
                extended();
            } else {
                standard(opcode);
            }
        }
    }

    /** The registers at the start of a sequence; {@code is_stmt}'s initial value is not needed. */
    private void reset() {
        address = 0;
        opIndex = 0;
        file = 1;
        line = 1;
    }

    private void special(int adjustedOpcode) {
        advance(adjustedOpcode / header.lineRange());
        line += header.lineBase() + adjustedOpcode % header.lineRange();
        emitRow();
    }

    private void standard(int opcode) {
        switch (opcode) {
            case DW_LNS_copy -> emitRow();
            case DW_LNS_advance_pc -> advance(in.uleb());
            case DW_LNS_advance_line -> line += in.sleb();
            case DW_LNS_set_file -> file = in.uleb();
            case DW_LNS_const_add_pc -> advance((255 - header.opcodeBase()) / header.lineRange());
            case DW_LNS_fixed_advance_pc -> {
                address += in.u16();
                opIndex = 0;
            }
            default -> {
                // Opcodes whose registers do not matter here, and any unknown to this decoder: the
                // header says how many ULEB128 operands each takes.
                for (int i = 0; i < header.standardOpcodeLengths()[opcode - 1]; i++) in.uleb();
            }
        }
    }

    private void extended() {
        DwarfReader op = in.slice(in.uleb());
        if (op.atEnd()) throw new DwarfFormatException("empty extended opcode");
        switch (op.u8()) {
            case DW_LNE_end_sequence -> {
                rows.endSequence(address);
                reset();
            }
            case DW_LNE_set_address -> {
                address = op.fixed(op.remaining());
                opIndex = 0;
            }
            case DW_LNE_define_file -> {
                // Version 5 withdrew this opcode and left its number reserved.
                if (header.version() < 5) fileNames.add(op.cstring());
            }
            default -> {
                // DW_LNE_set_discriminator and vendor opcodes: their length is known, their meaning unneeded.
            }
        }
    }

    /** Advances by {@code operationAdvance} operations, as special opcodes and DW_LNS_advance_pc do. */
    private void advance(long operationAdvance) {
        long ops = opIndex + operationAdvance;
        int max = header.maximumOperationsPerInstruction();
        address += header.minimumInstructionLength() * (ops / max);
        opIndex = ops % max;
    }

    /** Hands over a row; one whose {@code file} is not in the table still ends the row before it. */
    private void emitRow() {
        long index = file - header.firstFileIndex();
        rows.row(address, index >= 0 && index < fileNames.size() ? fileNames.get((int) index) : null, line);
    }
}
