package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class CompileThroughputMainTest {
    private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    private static final byte[] TYPE_AND_FUNCTION = {0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00};
    /** One function, {@code (func)}: the count, the body's size, no locals, {@code end}. */
    private static final byte[] CODE = {0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B};

    @Test
    void codeSectionBytesIsTheCodeSectionsSize() {
        assertEquals(4, CompileThroughputMain.codeSectionBytes(module(HEADER, TYPE_AND_FUNCTION, CODE)));
    }

    @Test
    void codeSectionBytesSkipsASectionWhoseSizeTakesTwoBytes() {
        byte[] custom = new byte[3 + 200];
        custom[0] = 0x00;
        custom[1] = (byte) 0xC8; // 200 as unsigned LEB128: 0xC8 0x01
        custom[2] = 0x01;
        custom[3] = 0x01; // the custom section's name, one byte long
        assertEquals(4, CompileThroughputMain.codeSectionBytes(module(HEADER, custom, TYPE_AND_FUNCTION, CODE)));
    }

    @Test
    void aModuleWithoutCodeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CompileThroughputMain.codeSectionBytes(module(HEADER, TYPE_AND_FUNCTION)));
    }

    private static byte[] module(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }
}
