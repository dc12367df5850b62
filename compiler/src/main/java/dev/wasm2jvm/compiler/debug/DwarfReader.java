package dev.wasm2jvm.compiler.debug;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over part of a DWARF section: little-endian fixed-size values, LEB128 values and
 * NUL-terminated strings. Every read is checked against the end of the part, so truncated or
 * corrupt debug information surfaces as a {@link DwarfFormatException}.
 */
final class DwarfReader {
    /** A LEB128 encoding of a 64-bit value needs at most ten bytes. */
    private static final int MAX_LEB_BYTES = 10;

    private final byte[] bytes;
    private final int limit;
    private int pos;

    DwarfReader(byte[] bytes, int pos, int limit) {
        if (pos < 0 || pos > limit || limit > bytes.length) throw new DwarfFormatException("range outside its section");
        this.bytes = bytes;
        this.pos = pos;
        this.limit = limit;
    }

    DwarfReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    int remaining() {
        return limit - pos;
    }

    boolean atEnd() {
        return pos >= limit;
    }

    /** A reader of the next {@code length} bytes, which this reader skips. */
    DwarfReader slice(long length) {
        int start = pos;
        skip(length);
        return new DwarfReader(bytes, start, pos);
    }

    void skip(long n) {
        if (n < 0 || n > limit - pos) throw new DwarfFormatException("skip past the end");
        pos += (int) n;
    }

    int u8() {
        need(1);
        return bytes[pos++] & 0xFF;
    }

    int s8() {
        need(1);
        return bytes[pos++];
    }

    int u16() {
        return (int) fixed(2);
    }

    long u32() {
        return fixed(4);
    }

    /** An unsigned little-endian value of {@code size} bytes, at most eight. */
    long fixed(int size) {
        if (size < 1 || size > 8) throw new DwarfFormatException("unsupported value size " + size);
        need(size);
        long value = 0;
        for (int i = 0; i < size; i++) value |= (bytes[pos + i] & 0xFFL) << (8 * i);
        pos += size;
        return value;
    }

    long uleb() {
        long value = 0;
        for (int i = 0; i < MAX_LEB_BYTES; i++) {
            int b = u8();
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw new DwarfFormatException("LEB128 value longer than 64 bits");
    }

    long sleb() {
        long value = 0;
        for (int i = 0; i < MAX_LEB_BYTES; i++) {
            int b = u8();
            int shift = 7 * i;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift + 7 < 64 && (b & 0x40) != 0) value |= -1L << (shift + 7);
                return value;
            }
        }
        throw new DwarfFormatException("LEB128 value longer than 64 bits");
    }

    /** A ULEB128 value used as a count or an index, which must fit an {@code int}. */
    int ulebInt() {
        long value = uleb();
        if (value < 0 || value > Integer.MAX_VALUE) throw new DwarfFormatException("value too large: " + value);
        return (int) value;
    }

    String cstring() {
        int start = pos;
        while (pos < limit && bytes[pos] != 0) pos++;
        if (pos == limit) throw new DwarfFormatException("unterminated string");
        return new String(bytes, start, pos++ - start, StandardCharsets.UTF_8);
    }

    /** The NUL-terminated string at {@code offset} in {@code section}, e.g. {@code .debug_line_str}. */
    static String stringAt(byte[] section, long offset) {
        if (section == null) throw new DwarfFormatException("string section missing");
        if (offset < 0 || offset >= section.length) throw new DwarfFormatException("string offset out of range");
        return new DwarfReader(section, (int) offset, section.length).cstring();
    }

    private void need(int n) {
        if (limit - pos < n) throw new DwarfFormatException("unexpected end of section");
    }
}
