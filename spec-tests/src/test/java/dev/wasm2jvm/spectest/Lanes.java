package dev.wasm2jvm.spectest;

import dev.wasm2jvm.runtime.V128;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between {@link V128} and the lane lists of wast2json, whose {@code lane_type} is one of
 * {@code i8 i16 i32 i64 f32 f64}. Integer lanes are read unsigned, as wast2json writes them, and
 * float lanes keep their raw bits.
 */
final class Lanes {
    private Lanes() {}

    static int count(String laneType) {
        return 128 / width(laneType);
    }

    /** Builds a vector from lane bit patterns (the low {@code width} bits of each are used). */
    static V128 pack(String laneType, long[] lanes) {
        if (lanes.length != count(laneType)) {
            throw new IllegalArgumentException(lanes.length + " lanes given for " + shape(laneType));
        }
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (long lane : lanes) {
            switch (width(laneType)) {
                case 8 -> bytes.put((byte) lane);
                case 16 -> bytes.putShort((short) lane);
                case 32 -> bytes.putInt((int) lane);
                default -> bytes.putLong(lane);
            }
        }
        return new V128(bytes.getLong(0), bytes.getLong(8));
    }

    /** The lanes boxed as results are: Integer for i8/i16/i32 (unsigned for the narrow ones), Long, Float, Double. */
    static List<Object> unpack(String laneType, V128 v) {
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(v.low()).putLong(v.high()).flip();
        List<Object> lanes = new ArrayList<>(count(laneType));
        for (int i = 0; i < count(laneType); i++) {
            lanes.add(switch (laneType) {
                case "i8" -> Byte.toUnsignedInt(bytes.get());
                case "i16" -> Short.toUnsignedInt(bytes.getShort());
                case "i32" -> bytes.getInt();
                case "i64" -> bytes.getLong();
                case "f32" -> Float.intBitsToFloat(bytes.getInt());
                case "f64" -> Double.longBitsToDouble(bytes.getLong());
                default -> throw new IllegalArgumentException("unknown lane type " + laneType);
            });
        }
        return lanes;
    }

    static String shape(String laneType) {
        return laneType + "x" + count(laneType);
    }

    private static int width(String laneType) {
        return switch (laneType) {
            case "i8" -> 8;
            case "i16" -> 16;
            case "i32", "f32" -> 32;
            case "i64", "f64" -> 64;
            default -> throw new IllegalArgumentException("unknown lane type " + laneType);
        };
    }
}
