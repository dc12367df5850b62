package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
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

    @Test
    void theRatioIsTheMedianOfTheLaterRounds() {
        // The first round (cold) is left out; of 2/1, 3/2, 9/10 the median is 1.5.
        assertEquals(1.5, CompileThroughputMain.medianRatio(List.of(100L, 2L, 3L, 9L), List.of(1L, 1L, 2L, 10L)), 1e-9);
        assertEquals(0.5, CompileThroughputMain.medianRatio(List.of(1L), List.of(2L)), 1e-9);
    }

    @Test
    void outputsDifferByTheFilesEitherLacksOrHasOtherwise() {
        Map<String, byte[]> mine = Map.of("A", new byte[] {1}, "B", new byte[] {2});
        assertEquals("identical (2 files)", CompileThroughputMain.differences(mine, Map.of("A", new byte[] {1}, "B", new byte[] {2})));
        assertEquals("2 of 3 files differ", CompileThroughputMain.differences(mine,
                Map.of("A", new byte[] {1}, "B", new byte[] {3}, "C", new byte[0])));
    }

    private static byte[] module(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }
}
