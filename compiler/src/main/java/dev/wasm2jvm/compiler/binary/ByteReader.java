package dev.wasm2jvm.compiler.binary;

import dev.wasm2jvm.compiler.CompileException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the binary format's primitive values (bytes, LEB128 integers, lengths, names) from a byte
 * array, reporting malformed input with the spec's messages. Shared by the module decoder and
 * {@code CodeReader}.
 *
 * <p>Like the spec's reference decoder, a reader is not bounded by the section or function being
 * read: it stops only at the end of the array, and the caller checks afterwards that a section or a
 * body ended where its size said. That order decides which of several messages a broken module gets.
 */
public final class ByteReader {
    private static final String UNEXPECTED_END = "unexpected end of section or function";

    private final byte[] bytes;
    private final int delta;
    private int pos;

    /**
     * @param bytes the input
     * @param start the index of the first byte to read
     * @param delta added to an index to give the byte offset reported in errors
     */
    public ByteReader(byte[] bytes, int start, int delta) {
        this.bytes = bytes;
        this.pos = start;
        this.delta = delta;
    }

    /** The index of the next byte. */
    public int pos() {
        return pos;
    }

    /** The byte offset in the module of index {@code index}. */
    public int offsetOf(int index) {
        return index + delta;
    }

    public boolean atEnd() {
        return pos >= bytes.length;
    }

    /** The next byte without consuming it, or {@code -1} at the end. */
    public int peek() {
        return atEnd() ? -1 : bytes[pos] & 0xFF;
    }

    public int u8() {
        if (atEnd()) throw unexpectedEnd();
        return bytes[pos++] & 0xFF;
    }

    /** A byte that must be {@code 0x00}: the reserved memory index of the memory instructions. */
    public void zeroByte() {
        if (u8() != 0) throw error("zero byte expected", pos - 1);
    }

    /**
     * A type constructor byte (value type, reference type, function type tag). The spec reads these as
     * 7-bit signed LEB128 numbers, so a continuation bit makes the encoding too long.
     */
    public int typeByte() {
        int b = u8();
        if ((b & 0x80) != 0) throw error("integer representation too long", pos);
        return b;
    }

    /** An unsigned 32-bit LEB128 number, as its 32 bits. */
    public int u32() {
        int b = oneByte();
        return b >= 0 ? b : (int) leb(32, false);
    }

    /**
     * The next byte, consumed, if it is a whole LEB128 number on its own (no continuation bit), else
     * {@code -1} with nothing consumed. Most indices and immediates of a body are below 128, and each
     * body is read several times (validation, planning, emission), so this spares them the general loop.
     */
    private int oneByte() {
        if (pos >= bytes.length) return -1;
        int b = bytes[pos];
        if (b < 0) return -1;
        pos++;
        return b;
    }

    /**
     * An unsigned 32-bit index. Indices of 2^31 and above cannot be valid (no index space is that
     * large), so they are reported as {@link Integer#MAX_VALUE} to keep them out of range of every
     * signed comparison.
     */
    public int index() {
        int b = oneByte();
        if (b >= 0) return b;
        long x = leb(32, false);
        return (int) Math.min(x, Integer.MAX_VALUE);
    }

    public int s32() {
        int b = oneByte();
        // A one-byte signed number's sign is its bit 6.
        return b >= 0 ? b << 25 >> 25 : (int) leb(32, true);
    }

    /** A signed 33-bit LEB128 number (block types). */
    public long s33() {
        return leb(33, true);
    }

    public long s64() {
        int b = oneByte();
        return b >= 0 ? b << 25 >> 25 : leb(64, true);
    }

    /** An unsigned 64-bit LEB128 number: a memarg's offset, most of which are below 128 too. */
    public long u64() {
        int b = oneByte();
        return b >= 0 ? b : leb(64, false);
    }

    /** A little-endian 32-bit value (the bits of an {@code f32}). */
    public int fixed32() {
        int v = 0;
        for (int i = 0; i < 4; i++) v |= u8() << (8 * i);
        return v;
    }

    /** A little-endian 64-bit value (the bits of an {@code f64}). */
    public long fixed64() {
        long lo = fixed32() & 0xFFFF_FFFFL;
        long hi = fixed32() & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    /**
     * A length (of a vector, name, section or body). As in the reference decoder, it is out of bounds
     * when it exceeds what is left of the input counted from the length's own first byte.
     */
    public int length() {
        int at = pos;
        long n = leb(32, false);
        if (n > bytes.length - at) throw error("length out of bounds", at);
        return (int) n;
    }

    public byte[] bytes(int n) {
        if (n > bytes.length - pos) throw unexpectedEnd();
        byte[] b = new byte[n];
        System.arraycopy(bytes, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** Moves past {@code n} bytes. */
    public void skip(int n) {
        if (n < 0 || n > bytes.length - pos) throw unexpectedEnd();
        pos += n;
    }

    /** A name: a length and that many bytes of well-formed UTF-8. */
    public String name() {
        int at = pos;
        byte[] utf8 = bytes(length());
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw error("malformed UTF-8 encoding", at);
        }
    }

    public CompileException error(String message, int index) {
        return CompileException.malformed(message, offsetOf(index));
    }

    public CompileException unexpectedEnd() {
        return error(UNEXPECTED_END, bytes.length);
    }

    /**
     * A LEB128 number of at most {@code bits} bits. Each byte carries 7 bits; the last byte's unused
     * bits must be zero (unsigned) or copies of the sign bit (signed), else the integer is too large,
     * and a byte beyond the last one the width allows makes the representation too long.
     */
    private long leb(int bits, boolean signed) {
        long result = 0;
        int shift = 0;
        for (int remaining = bits; ; remaining -= 7) {
            if (remaining <= 0) throw error("integer representation too long", pos);
            int b = u8();
            if (remaining < 7) {
                boolean fits;
                if (signed) {
                    int mask = (-1 << (remaining - 1)) & 0x7F;
                    fits = (b & mask) == 0 || (b & mask) == mask;
                } else {
                    fits = (b & 0x7F) < 1 << remaining;
                }
                if (!fits) throw error("integer too large", pos - 1);
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (signed && shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
        }
    }
}
