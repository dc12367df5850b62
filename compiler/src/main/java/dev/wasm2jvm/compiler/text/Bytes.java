package dev.wasm2jvm.compiler.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growing byte buffer with the binary format's integer and name encodings. */
final class Bytes {
    private byte[] buffer = new byte[64];
    private int size;

    Bytes u8(int b) {
        if (size == buffer.length) buffer = Arrays.copyOf(buffer, size * 2);
        buffer[size++] = (byte) b;
        return this;
    }

    /** An unsigned LEB128 integer of up to 64 bits. */
    Bytes u64(long value) {
        do {
            int b = (int) (value & 0x7f);
            value >>>= 7;
            u8(value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return this;
    }

    Bytes u32(long value) {
        return u64(value & 0xffff_ffffL);
    }

    /** A signed LEB128 integer (s32, s33 and s64 alike). */
    Bytes s64(long value) {
        while (true) {
            int b = (int) (value & 0x7f);
            value >>= 7;
            boolean done = value == 0 && (b & 0x40) == 0 || value == -1 && (b & 0x40) != 0;
            u8(done ? b : b | 0x80);
            if (done) return this;
        }
    }

    Bytes bytes(byte[] bytes) {
        for (byte b : bytes) u8(b);
        return this;
    }

    Bytes bytes(Bytes other) {
        return bytes(other.toArray());
    }

    Bytes name(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return u32(utf8.length).bytes(utf8);
    }

    Bytes name(byte[] utf8) {
        return u32(utf8.length).bytes(utf8);
    }

    Bytes f32(int bits) {
        for (int i = 0; i < 4; i++) u8(bits >>> (8 * i));
        return this;
    }

    Bytes f64(long bits) {
        for (int i = 0; i < 8; i++) u8((int) (bits >>> (8 * i)));
        return this;
    }

    /** An opcode as {@link Instructions} numbers them: one byte, or a prefix byte and a u32 subopcode. */
    Bytes opcode(int opcode) {
        return opcode < 0x100 ? u8(opcode) : u8(opcode >>> 12).u32(opcode & 0xfff);
    }

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(buffer, size);
    }
}
