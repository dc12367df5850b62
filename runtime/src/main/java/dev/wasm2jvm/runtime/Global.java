package dev.wasm2jvm.runtime;

/**
 * A global that is imported or exported. Numeric values are kept as raw bits in {@link #bits}
 * (i32 in the low 32 bits, floats by their IEEE bits); references in {@link #ref}, and so is a v128,
 * as an immutable {@link V128} ({@link #ofRef ofRef('v', value, mutable)} makes one). Globals a module
 * neither imports nor exports are plain fields of its generated class.
 */
public final class Global {
    /** The type letter: {@code i l f d v r e}, as in {@link FuncRef}'s signatures. */
    public final char type;
    public final boolean mutable;
    /** The value of a numeric global, as raw bits. Generated code reads and writes it directly. */
    public long bits;
    /** The value of a reference global. Generated code reads and writes it directly. */
    public Object ref;

    public Global(char type, boolean mutable) {
        this.type = type;
        this.mutable = mutable;
    }

    public static Global ofI32(int value, boolean mutable) {
        Global g = new Global('i', mutable);
        g.bits = value;
        return g;
    }

    public static Global ofI64(long value, boolean mutable) {
        Global g = new Global('l', mutable);
        g.bits = value;
        return g;
    }

    public static Global ofF32(float value, boolean mutable) {
        Global g = new Global('f', mutable);
        g.bits = Float.floatToRawIntBits(value);
        return g;
    }

    public static Global ofF64(double value, boolean mutable) {
        Global g = new Global('d', mutable);
        g.bits = Double.doubleToRawLongBits(value);
        return g;
    }

    public static Global ofRef(char type, Object value, boolean mutable) {
        Global g = new Global(type, mutable);
        g.ref = value;
        return g;
    }

    /** The value, boxed as {@link HostFunction} describes (a v128 as its {@link V128}). */
    public Object get() {
        return switch (type) {
            case 'i' -> (int) bits;
            case 'l' -> bits;
            case 'f' -> Float.intBitsToFloat((int) bits);
            case 'd' -> Double.longBitsToDouble(bits);
            default -> ref;
        };
    }

    @Override
    public String toString() {
        return (mutable ? "mut " : "") + type + " = " + get();
    }
}
