package dev.wasm2jvm.compiler.text;

import java.math.BigInteger;

/**
 * The numeric literals of the text format: integers in decimal or hex with {@code _} separators, and
 * floats in decimal or hex, {@code inf}, {@code nan} and {@code nan:0x...}, each checked against the
 * range of its type.
 */
public final class Literals {
    private Literals() {}

    /**
     * An integer of {@code bits} bits (8, 16, 32 or 64), signed or unsigned as written: it must lie in
     * [-2^(bits-1), 2^bits - 1]. The result is the two's complement bit pattern.
     *
     * @throws TextFormatException if {@code atom} is not an integer or is out of range
     */
    public static long integer(SExpr.Atom atom, int bits) {
        BigInteger value = bigInteger(atom);
        BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger min = BigInteger.ONE.shiftLeft(bits - 1).negate();
        if (value.compareTo(max) > 0 || value.compareTo(min) < 0) {
            throw error(atom, "constant out of range");
        }
        return value.longValue();
    }

    /** An unsigned integer without sign that fits in {@code bits} bits: an index, offset, limit or lane. */
    static long unsigned(SExpr.Atom atom, int bits) {
        if (atom.kind() != SExpr.Kind.NUMBER || atom.text().startsWith("+") || atom.text().startsWith("-")) {
            throw Syntax.unexpected(atom);
        }
        BigInteger value = bigInteger(atom);
        if (value.bitLength() > bits) throw error(atom, "constant out of range");
        return value.longValue();
    }

    /**
     * A lane index: an unsigned integer below 256. With {@code anyNumber} (a shuffle's lanes) any other
     * number is an {@code i8 constant out of range}; otherwise only one past 255 is.
     */
    static int lane(SExpr.Atom atom, boolean anyNumber) {
        if (atom.kind() != SExpr.Kind.NUMBER || !anyNumber && !isNat(atom)) throw Syntax.unexpected(atom);
        if (!isInteger(atom.text())) throw error(atom, "i8 constant out of range");
        BigInteger value = bigInteger(atom);
        if (value.signum() < 0 || value.bitLength() > 8) throw error(atom, "i8 constant out of range");
        return value.intValue();
    }

    /** Whether {@code atom} is an unsigned integer literal (no sign, no fraction). */
    static boolean isNat(SExpr atom) {
        return atom instanceof SExpr.Atom a && a.kind() == SExpr.Kind.NUMBER && !a.text().startsWith("+")
                && !a.text().startsWith("-") && isInteger(a.text());
    }

    private static boolean isInteger(String text) {
        String digits = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        if (digits.startsWith("0x")) return !digits.contains(".") && !digits.contains("p") && !digits.contains("P");
        return !digits.contains(".") && !digits.contains("e") && !digits.contains("E") && !digits.startsWith("inf")
                && !digits.startsWith("nan");
    }

    private static BigInteger bigInteger(SExpr.Atom atom) {
        String text = atom.text();
        if (atom.kind() != SExpr.Kind.NUMBER || !isInteger(text)) throw Syntax.unexpected(atom);
        boolean negative = text.startsWith("-");
        String digits = (text.startsWith("+") || negative ? text.substring(1) : text).replace("_", "");
        BigInteger value = digits.startsWith("0x") ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
        return negative ? value.negate() : value;
    }

    /** The bits of an f32 literal. */
    public static int f32(SExpr.Atom atom) {
        String text = atom.text();
        if (atom.kind() != SExpr.Kind.NUMBER) throw Syntax.unexpected(atom);
        boolean negative = text.startsWith("-");
        String body = text.startsWith("+") || negative ? text.substring(1) : text;
        int sign = negative ? 0x8000_0000 : 0;
        if (body.equals("inf")) return sign | 0x7f80_0000;
        if (body.equals("nan")) return sign | 0x7fc0_0000;
        if (body.startsWith("nan:0x")) {
            BigInteger payload = new BigInteger(body.substring(6).replace("_", ""), 16);
            if (payload.signum() == 0 || payload.bitLength() > 23) throw error(atom, "constant out of range");
            return sign | 0x7f80_0000 | payload.intValue();
        }
        float value = Float.parseFloat(javaFloat(text));
        if (Float.isInfinite(value)) throw error(atom, "constant out of range");
        return Float.floatToRawIntBits(value);
    }

    /** The bits of an f64 literal. */
    public static long f64(SExpr.Atom atom) {
        String text = atom.text();
        if (atom.kind() != SExpr.Kind.NUMBER) throw Syntax.unexpected(atom);
        boolean negative = text.startsWith("-");
        String body = text.startsWith("+") || negative ? text.substring(1) : text;
        long sign = negative ? 0x8000_0000_0000_0000L : 0;
        if (body.equals("inf")) return sign | 0x7ff0_0000_0000_0000L;
        if (body.equals("nan")) return sign | 0x7ff8_0000_0000_0000L;
        if (body.startsWith("nan:0x")) {
            BigInteger payload = new BigInteger(body.substring(6).replace("_", ""), 16);
            if (payload.signum() == 0 || payload.bitLength() > 52) throw error(atom, "constant out of range");
            return sign | 0x7ff0_0000_0000_0000L | payload.longValue();
        }
        double value = Double.parseDouble(javaFloat(text));
        if (Double.isInfinite(value)) throw error(atom, "constant out of range");
        return Double.doubleToRawLongBits(value);
    }

    /** The literal as Java's parsers take it: no separators, and a hex float always with a binary exponent. */
    private static String javaFloat(String text) {
        String s = text.replace("_", "");
        boolean hex = s.startsWith("0x") || s.startsWith("+0x") || s.startsWith("-0x");
        if (hex && !s.contains("p") && !s.contains("P")) s += "p0";
        if (hex && s.contains(".p") || hex && s.contains(".P")) s = s.replace(".p", ".0p").replace(".P", ".0P");
        return s;
    }

    private static TextFormatException error(SExpr.Atom atom, String message) {
        return new TextFormatException(message, atom.line(), atom.column());
    }
}
