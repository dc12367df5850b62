package dev.wasm2jvm.spectest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasm2jvm.runtime.V128;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ValuesTest {
    private static Object argument(String json) throws Exception {
        return Values.argument(new ObjectMapper().readTree(json));
    }

    @Test
    void scalarArgumentsAreBoxedFromTheirBitPatterns() throws Exception {
        assertEquals(-1, argument("{\"type\": \"i32\", \"value\": \"4294967295\"}"));
        assertEquals(Long.MIN_VALUE, argument("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}"));
        Object nan = argument("{\"type\": \"f32\", \"value\": \"2143289345\"}");
        assertEquals(0x7fc0_0001, Float.floatToRawIntBits((Float) nan), "the NaN payload survives");
        assertEquals(-0.0, argument("{\"type\": \"f64\", \"value\": \"9223372036854775808\"}"));
    }

    @Test
    void referenceArguments() throws Exception {
        assertNull(argument("{\"type\": \"funcref\", \"value\": \"null\"}"));
        assertNull(argument("{\"type\": \"externref\", \"value\": \"null\"}"));
        assertSame(HostRef.of(7), argument("{\"type\": \"externref\", \"value\": \"7\"}"));
    }

    @Test
    void vectorArgumentsAreLittleEndianLanes() throws Exception {
        Object v = argument("{\"type\": \"v128\", \"lane_type\": \"i16\", "
                + "\"value\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"65535\"]}");
        assertEquals(new V128(0x0004_0003_0002_0001L, 0xffff_0007_0006_0005L), v);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 65535), Lanes.unpack("i16", (V128) v));
    }

    @Test
    void descriptionsNameTypeAndBits() {
        assertEquals("i32:-1", Values.describe(-1));
        assertEquals("f32:NaN (0x7fc00001)", Values.describe(Float.intBitsToFloat(0x7fc0_0001)));
        assertEquals("[i64:1, ref.null]", Values.describe(java.util.Arrays.asList(1L, null)));
        assertEquals("VerifyError: Bad type", Values.describe(new VerifyError("Bad type")));
    }
}
