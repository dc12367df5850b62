package dev.wasm2jvm.compiler.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Integer and float literals, their ranges and the bits they stand for. */
class LiteralsTest {
    private static SExpr.Atom atom(String text) {
        return (SExpr.Atom) SExpr.read(text).getFirst();
    }

    private static String rejection(Runnable parse) {
        return assertThrows(TextFormatException.class, parse::run).specMessage();
    }

    @Test
    void integersAreSignedOrUnsignedInTheirRange() {
        assertEquals(-1, (int) Literals.integer(atom("0xffff_ffff"), 32));
        assertEquals(Integer.MIN_VALUE, (int) Literals.integer(atom("-2147483648"), 32));
        assertEquals(-1L, Literals.integer(atom("18446744073709551615"), 64));
        assertEquals(255, Literals.integer(atom("+255"), 8));
        assertEquals("constant out of range", rejection(() -> Literals.integer(atom("0x1_0000_0000"), 32)));
        assertEquals("constant out of range", rejection(() -> Literals.integer(atom("-2147483649"), 32)));
        assertEquals("constant out of range", rejection(() -> Literals.integer(atom("256"), 8)));
        assertEquals("unexpected token", rejection(() -> Literals.integer(atom("1.5"), 32)));
    }

    @Test
    void laneIndicesAreBytes() {
        assertEquals(255, Literals.lane(atom("0xff"), false));
        assertEquals("i8 constant out of range", rejection(() -> Literals.lane(atom("256"), false)));
        assertEquals("unexpected token", rejection(() -> Literals.lane(atom("-1"), false)));
        assertEquals("unexpected token", rejection(() -> Literals.lane(atom("1.0"), false)));
        // A shuffle's lanes are any numbers, checked for range.
        assertEquals("i8 constant out of range", rejection(() -> Literals.lane(atom("-1"), true)));
        assertEquals("i8 constant out of range", rejection(() -> Literals.lane(atom("15.0"), true)));
    }

    @Test
    void floatsRoundToNearestAndKeepNaNPayloads() {
        assertEquals(Float.floatToRawIntBits(0.1f), Literals.f32(atom("0.1")));
        assertEquals(0x3f800001, Literals.f32(atom("0x1.000002p0")));
        // Halfway between 1 and the next f32 rounds to even (1); just above rounds up.
        assertEquals(0x3f800000, Literals.f32(atom("0x1.000001p0")));
        assertEquals(0x3f800001, Literals.f32(atom("0x1.00000100000000001p0")));
        assertEquals(0x7f7fffff, Literals.f32(atom("0x1.fffffep127")));
        assertEquals(0xffc00000, Literals.f32(atom("-nan")));
        assertEquals(0x7f800001, Literals.f32(atom("nan:0x1")));
        assertEquals(0xff800000, Literals.f32(atom("-inf")));
        assertEquals(Double.doubleToRawLongBits(1e300), Literals.f64(atom("1e3_00")));
        assertEquals(0x4010000000000000L, Literals.f64(atom("0x1p2")));
        assertEquals(0x4010000000000000L, Literals.f64(atom("0x4")));
        assertEquals(0x7ff0000000000123L, Literals.f64(atom("nan:0x123")));
        assertEquals("constant out of range", rejection(() -> Literals.f32(atom("0x1p128"))));
        assertEquals("constant out of range", rejection(() -> Literals.f32(atom("nan:0x80_0000"))));
        assertEquals("constant out of range", rejection(() -> Literals.f64(atom("1e309"))));
    }
}
