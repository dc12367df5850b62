package dev.wasm2jvm.compiler.debug;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes DWARF's little-endian and LEB128 values, for hand-made debug sections. */
final class DwarfBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    DwarfBytes u8(int... values) {
        for (int v : values) out.write(v);
        return this;
    }

    DwarfBytes u16(int value) {
        return u8(value & 0xFF, value >>> 8 & 0xFF);
    }

    DwarfBytes u32(long value) {
        for (int i = 0; i < 4; i++) out.write((int) (value >>> (8 * i)));
        return this;
    }

    DwarfBytes uleb(long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return this;
    }

    DwarfBytes sleb(long value) {
        while (true) {
            int b = (int) (value & 0x7F);
            value >>= 7;
            boolean done = value == 0 && (b & 0x40) == 0 || value == -1 && (b & 0x40) != 0;
            out.write(done ? b : b | 0x80);
            if (done) return this;
        }
    }

    DwarfBytes cstring(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        return this;
    }

    DwarfBytes bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** An extended opcode: 0, its length, then the sub-opcode and operands. */
    DwarfBytes extended(int subOpcode, byte[] operands) {
        return u8(0).uleb(operands.length + 1).u8(subOpcode).bytes(operands);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
