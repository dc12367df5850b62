package dev.wasm2jvm.compiler.binary;

import dev.wasm2jvm.compiler.CompileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LEB128 and length rules of the binary format's primitive values. */
class ByteReaderTest {

    private static ByteReader reader(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        return new ByteReader(b, 0, 100);
    }

    private static void assertMalformed(String message, int offset, Executable read) {
        CompileException e = assertThrows(CompileException.class, read);
        assertEquals(CompileException.Kind.MALFORMED, e.kind());
        assertEquals(message, e.specMessage());
        assertEquals(offset, e.offset());
    }

    @Test
    void u32TakesAtMostFiveBytesAndFourBitsInTheLast() {
        assertEquals(0xFFFF_FFFF, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).u32());
        assertEquals(3, reader(0x83, 0x80, 0x80, 0x80, 0x00).u32());
        assertMalformed("integer too large", 104, () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0x1F).u32());
        assertMalformed("integer representation too long", 105,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32());
    }

    @Test
    void s32LastByteMustRepeatTheSignBit() {
        assertEquals(Integer.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x78).s32());
        assertEquals(-1, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x7F).s32());
        assertEquals(-64, reader(0x40).s32());
        assertMalformed("integer too large", 104, () -> reader(0x80, 0x80, 0x80, 0x80, 0x70).s32());
        assertMalformed("integer too large", 104, () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).s32());
    }

    @Test
    void s33CoversEveryU32TypeIndex() {
        assertEquals(0xFFFF_FFFFL, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).s33());
        assertEquals(-1L, reader(0x7F).s33());
        assertMalformed("integer too large", 104, () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0x3F).s33());
    }

    @Test
    void s64AndU64TakeAtMostTenBytes() {
        assertEquals(Long.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F).s64());
        assertEquals(-1L, reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01).u64());
        assertMalformed("integer too large", 109,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).s64());
        assertMalformed("integer too large", 109,
                () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02).u64());
        assertMalformed("integer representation too long", 110,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00).s64());
    }

    @Test
    void oneByteNumbersReadAsTheirPaddedEncodings() {
        for (int b = 0; b < 0x80; b++) {
            // The same value in two bytes: a continuation bit, then the sign's (signed) or zero bits.
            int signPad = (b & 0x40) != 0 ? 0x7F : 0x00;
            ByteReader one = reader(b, b);
            assertEquals(reader(b | 0x80, 0x00).u32(), one.u32());
            assertEquals(1, one.pos());
            assertEquals(reader(b | 0x80, 0x00).index(), one.index());
            assertEquals(2, one.pos());
            assertEquals(reader(b | 0x80, signPad).s32(), reader(b).s32());
            assertEquals(reader(b | 0x80, 0x00).u64(), reader(b).u64());
            assertEquals(reader(b | 0x80, signPad).s64(), reader(b).s64());
        }
        assertEquals(63, reader(0x3F).s32());
        assertEquals(-1, reader(0x7F).s32());
    }

    @Test
    void twoByteNumbersReadAsTheirPaddedEncodings() {
        for (int n = 0x80; n < 0x4000; n++) {
            int first = n & 0x7F | 0x80;
            int second = n >> 7;
            // The same value in three bytes: the second byte continued, then the sign's (signed) or zero bits.
            int signPad = (n & 0x2000) != 0 ? 0x7F : 0x00;
            ByteReader two = reader(first, second, first, second);
            assertEquals(n, two.u32());
            assertEquals(2, two.pos());
            assertEquals(n, two.index());
            assertEquals(4, two.pos());
            assertEquals(reader(first, second | 0x80, signPad).s32(), reader(first, second).s32());
            assertEquals(n, reader(first, second).u64());
            assertEquals(reader(first, second | 0x80, signPad).s64(), reader(first, second).s64());
        }
        assertEquals(-1000, reader(0x98, 0x78).s32());
        assertEquals(8191, reader(0xFF, 0x3F).s64());
    }

    @Test
    void endOfInputInsideANumber() {
        assertMalformed("unexpected end of section or function", 102, () -> reader(0x80, 0x80).u32());
        assertMalformed("unexpected end of section or function", 100, () -> reader().index());
        assertMalformed("unexpected end of section or function", 101, () -> reader(0x80).index());
        assertMalformed("unexpected end of section or function", 101, () -> reader(0xC0).s32());
        assertMalformed("unexpected end of section or function", 102, () -> reader(0x80, 0x80).u64());
    }

    @Test
    void lengthMayNotExceedTheRestOfTheInput() {
        assertEquals(2, reader(0x02, 0x00).length());
        assertMalformed("length out of bounds", 100, () -> reader(0x03, 0x00).length());
    }

    @Test
    void indicesBeyondSignedRangeStayOutOfRange() {
        assertEquals(Integer.MAX_VALUE, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).index());
    }

    @Test
    void namesMustBeWellFormedUtf8() {
        assertEquals("é", reader(0x02, 0xC3, 0xA9).name());
        assertMalformed("malformed UTF-8 encoding", 100, () -> reader(0x02, 0xC0, 0x80).name());
        assertMalformed("malformed UTF-8 encoding", 100, () -> reader(0x03, 0xED, 0xA0, 0x80).name());
    }

    @Test
    void typeBytesAreSevenBitNumbers() {
        assertEquals(0x7F, reader(0x7F).typeByte());
        assertMalformed("integer representation too long", 101, () -> reader(0xFF, 0x7F).typeByte());
    }
}
