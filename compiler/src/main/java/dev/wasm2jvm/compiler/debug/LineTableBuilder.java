package dev.wasm2jvm.compiler.debug;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the rows of line number programs, sequence by sequence, into the address ranges of a
 * {@link LineTable}: a row covers the addresses from its own up to the next row's, or the end of
 * its sequence.
 */
final class LineTableBuilder {
    /** A sequence's rows until its end: addresses, and the source line each starts (null for none). */
    private final List<Long> rowAddresses = new ArrayList<>();
    private final List<SourceLine> rowLines = new ArrayList<>();
    private final List<LineTable.Range> ranges = new ArrayList<>();

    void row(long address, String file, long line) {
        boolean known = file != null && line > 0 && line <= Integer.MAX_VALUE;
        rowAddresses.add(address);
        rowLines.add(known ? new SourceLine(file, (int) line) : null);
    }

    void endSequence(long address) {
        // wasm-ld moves the sequences of functions it discarded to address -1 (older versions to 0,
        // the code section's function count): neither is the address of an instruction.
        if (!rowAddresses.isEmpty() && rowAddresses.getFirst() > 0) {
            for (int i = 0; i < rowAddresses.size(); i++) {
                long start = rowAddresses.get(i);
                long end = i + 1 < rowAddresses.size() ? rowAddresses.get(i + 1) : address;
                SourceLine line = rowLines.get(i);
                if (line != null && 0 <= start && start < end && end <= Integer.MAX_VALUE) {
                    ranges.add(new LineTable.Range((int) start, (int) end, line));
                }
            }
        }
        rowAddresses.clear();
        rowLines.clear();
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The table of the ranges so far, rows of a sequence not yet ended left out.
     *
     * @param codeSectionOffset the module offset that code address 0 stands for
     */
    LineTable build(int codeSectionOffset, String primaryFile) {
        List<LineTable.Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(LineTable.Range::start));
        return new LineTable(codeSectionOffset, sorted, primaryFile);
    }
}
