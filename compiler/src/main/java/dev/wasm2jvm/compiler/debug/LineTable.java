package dev.wasm2jvm.compiler.debug;

import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The source line of each instruction of a module, from the DWARF line number programs in its
 * {@code .debug_line} section. DWARF code addresses in WebAssembly are offsets from the start of the
 * code section's content; lookups here take module offsets, as instructions are known by.
 */
public final class LineTable {
    /** Code addresses {@code [start, end)} that come from {@code line}. */
    record Range(int start, int end, SourceLine line) {}

    private final int codeSectionOffset;
    private final int[] starts;
    private final List<Range> ranges;
    private final String primaryFile;

    /** @param ranges sorted by start */
    LineTable(int codeSectionOffset, List<Range> ranges, String primaryFile) {
        this.codeSectionOffset = codeSectionOffset;
        this.ranges = List.copyOf(ranges);
        this.starts = ranges.stream().mapToInt(Range::start).toArray();
        this.primaryFile = primaryFile;
    }

    /**
     * The line table of {@code module}: empty when it has no {@code .debug_line} section, no rows for
     * any code, or debug information this decoder cannot read, which is then ignored as a whole.
     */
    public static Optional<LineTable> of(WasmModule module) {
        if (module.codeSectionOffset() < 0) return Optional.empty();
        return DebugLineDecoder.decode(module);
    }

    /** The source line of the instruction at module offset {@code offset}, or {@code null} if none is recorded. */
    public SourceLine lookup(int offset) {
        long address = (long) offset - codeSectionOffset;
        if (address < 0) return null;
        int found = lastStartingAtOrBefore(address);
        if (found < 0 || address >= ranges.get(found).end()) return null;
        return ranges.get(found).line();
    }

    /** The index of the last range starting at or before {@code address}, or -1 if none does. */
    private int lastStartingAtOrBefore(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * The source lines of the instructions at module offsets {@code [start, end)}, in address order:
     * those of one function's body, for instance.
     */
    public List<SourceLine> linesIn(int start, int end) {
        long from = (long) start - codeSectionOffset;
        long to = (long) end - codeSectionOffset;
        List<SourceLine> lines = new ArrayList<>();
        // Ranges do not overlap, so from the last one starting at or before the first address on,
        // a scan meets exactly those in the span; one function's scan stays short in a large module.
        int i = Math.max(0, lastStartingAtOrBefore(from));
        for (; i < ranges.size() && ranges.get(i).start() < to; i++) {
            if (ranges.get(i).end() > from && ranges.get(i).line() != null) lines.add(ranges.get(i).line());
        }
        return lines;
    }

    /**
     * The base name of the primary source file: that of the first line number program, which is the
     * first compilation unit's. {@code null} if the program names no files.
     */
    public String primaryFile() {
        return primaryFile;
    }
}
