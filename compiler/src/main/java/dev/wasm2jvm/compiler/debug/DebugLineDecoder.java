package dev.wasm2jvm.compiler.debug;

import dev.wasm2jvm.compiler.module.CustomSection;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.Optional;

/**
 * Decodes a module's {@code .debug_line} section: a sequence of line number programs, one per
 * compilation unit, each a unit length, a version, a header and opcodes. Only 32-bit DWARF versions
 * 2 to 5 are read; programs in other formats are skipped.
 */
final class DebugLineDecoder {
    /** A unit length of this value announces the 64-bit DWARF format. */
    private static final long DWARF64 = 0xFFFF_FFFFL;
    /** Unit lengths from here up are reserved. */
    private static final long RESERVED_LENGTHS = 0xFFFF_FFF0L;

    private DebugLineDecoder() {}

    static Optional<LineTable> decode(WasmModule module) {
        byte[] debugLine = section(module, ".debug_line");
        if (debugLine == null) return Optional.empty();
        StringSections strings = new StringSections(section(module, ".debug_str"), section(module, ".debug_line_str"));
        try {
            return decode(new DwarfReader(debugLine), strings, module.codeSectionOffset());
        } catch (DwarfFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<LineTable> decode(DwarfReader section, StringSections strings, int codeSectionOffset) {
        LineTableBuilder rows = new LineTableBuilder();
        String primaryFile = null;
        boolean first = true;
        while (!section.atEnd()) {
            long unitLength = section.u32();
            if (unitLength == DWARF64) {
                section.skip(section.fixed(8));
                continue;
            }
            if (unitLength >= RESERVED_LENGTHS) throw new DwarfFormatException("reserved unit length");
            DwarfReader unit = section.slice(unitLength);
            int version = unit.u16();
            if (version < 2 || version > 5) continue;
            LineProgramHeader header = LineProgramHeader.read(unit, version, strings);
            if (first && !header.fileNames().isEmpty()) primaryFile = baseName(header.fileNames().getFirst());
            first = false;
            LineProgram.run(header, unit, rows);
        }
        if (rows.isEmpty()) return Optional.empty();
        return Optional.of(rows.build(codeSectionOffset, primaryFile));
    }

    /** The content of the first custom section called {@code name}, or {@code null}. */
    private static byte[] section(WasmModule module, String name) {
        for (CustomSection c : module.customs()) {
            if (c.name().equals(name)) return c.content();
        }
        return null;
    }

    /**
     * What follows the last separator, Unix or Windows since either may appear in a path, or
     * {@code null} if nothing does.
     */
    private static String baseName(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        return name.isEmpty() ? null : name;
    }
}
