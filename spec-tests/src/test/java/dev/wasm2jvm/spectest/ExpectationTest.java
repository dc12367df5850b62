package dev.wasm2jvm.spectest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.V128;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectationTest {
    private static Expectation parse(String json) throws Exception {
        JsonNode node = new ObjectMapper().readTree(json);
        return Expectation.parse(node);
    }

    @Test
    void integersAreUnsignedDecimalBitPatterns() throws Exception {
        Expectation minusOne = parse("{\"type\": \"i32\", \"value\": \"4294967295\"}");
        assertTrue(minusOne.matches(-1));
        assertFalse(minusOne.matches(-1L), "an i64 result is not an i32");
        assertTrue(parse("{\"type\": \"i64\", \"value\": \"18446744073709551615\"}").matches(-1L));
    }

    @Test
    void floatsCompareByBits() throws Exception {
        Expectation negativeZero = parse("{\"type\": \"f32\", \"value\": \"2147483648\"}");
        assertTrue(negativeZero.matches(-0.0f));
        assertFalse(negativeZero.matches(0.0f));
        Expectation one = parse("{\"type\": \"f64\", \"value\": \"4607182418800017408\"}");
        assertTrue(one.matches(1.0));
        assertFalse(one.matches(1.0f));
    }

    @Test
    void canonicalNanIsOnlyTheQuietBitEitherSign() throws Exception {
        Expectation canonical = parse("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
        assertTrue(canonical.matches(Float.intBitsToFloat(0x7fc0_0000)));
        assertTrue(canonical.matches(Float.intBitsToFloat(0xffc0_0000)));
        assertFalse(canonical.matches(Float.intBitsToFloat(0x7fc0_0001)));
        assertFalse(canonical.matches(1.0f));
    }

    @Test
    void arithmeticNanNeedsTheQuietBitAndAllowsAnyPayload() throws Exception {
        Expectation arithmetic = parse("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}");
        assertTrue(arithmetic.matches(Double.longBitsToDouble(0x7ff8_0000_0000_0001L)));
        assertTrue(arithmetic.matches(Double.longBitsToDouble(0xfff8_0000_0000_0000L)));
        assertFalse(arithmetic.matches(Double.longBitsToDouble(0x7ff4_0000_0000_0000L)), "a signalling NaN");
        assertFalse(arithmetic.matches(Double.POSITIVE_INFINITY));
    }

    @Test
    void externrefsMatchTheSameHostObjectOnly() throws Exception {
        Expectation one = parse("{\"type\": \"externref\", \"value\": \"1\"}");
        assertTrue(one.matches(HostRef.of(1)));
        assertFalse(one.matches(HostRef.of(2)));
        assertFalse(one.matches(null));
        assertTrue(parse("{\"type\": \"externref\", \"value\": \"null\"}").matches(null));
    }

    @Test
    void funcrefsAreNullOrSomeFunction() throws Exception {
        FuncRef f = FuncRef.host(":", args -> null);
        assertTrue(parse("{\"type\": \"funcref\", \"value\": \"null\"}").matches(null));
        assertFalse(parse("{\"type\": \"funcref\", \"value\": \"null\"}").matches(f));
        assertTrue(parse("{\"type\": \"funcref\", \"value\": \"0\"}").matches(f));
        assertFalse(parse("{\"type\": \"funcref\", \"value\": \"0\"}").matches(null));
    }

    @Test
    void vectorsCompareLaneByLaneWithNanKinds() throws Exception {
        Expectation e = parse("{\"type\": \"v128\", \"lane_type\": \"f32\", "
                + "\"value\": [\"nan:canonical\", \"nan:arithmetic\", \"0\", \"1065353216\"]}");
        long low = 0x7fc0_0001L << 32 | 0xffc0_0000L;
        long high = 0x3f80_0000L << 32;
        assertTrue(e.matches(new V128(low, high)));
        assertFalse(e.matches(new V128(low, high | 1)), "lane 2 is +0.0 exactly");
        assertFalse(e.matches(new V128(0x7fc0_0000L << 32 | 0x7fc0_0001L, high)), "lane 0 must be canonical");
        assertFalse(e.matches(1));
    }

    @Test
    void narrowIntegerLanesAreUnsigned() throws Exception {
        Expectation e = parse("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": "
                + "[\"255\", \"1\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"128\"]}");
        assertTrue(e.matches(new V128(0x01ffL, 0x80L << 56)));
        assertEquals("v128 i8x16:255 1 0 0 0 0 0 0 0 0 0 0 0 0 0 128", e.toString());
    }

    @Test
    void vectorFailuresShowTheActualLanesInTheExpectedShape() throws Exception {
        Expectation e = parse("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"3\", \"4\"]}");
        assertEquals("v128 i32x4:4 3 2 1", e.describeActual(new V128(3L << 32 | 4, 1L << 32 | 2)));
    }
}
