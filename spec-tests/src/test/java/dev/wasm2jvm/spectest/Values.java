package dev.wasm2jvm.spectest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.V128;

import java.util.List;
import java.util.stream.Collectors;

/** Reads wast2json argument values into the boxed form {@link FuncRef#call} takes, and prints results. */
final class Values {
    private Values() {}

    /** One argument: {@code {"type": "i32", "value": "4294967295"}} becomes {@code Integer -1}. */
    static Object argument(JsonNode value) {
        String type = value.path("type").asText();
        JsonNode v = value.path("value");
        return switch (type) {
            case "i32" -> Integer.parseUnsignedInt(v.asText());
            case "i64" -> Long.parseUnsignedLong(v.asText());
            case "f32" -> Float.intBitsToFloat(Integer.parseUnsignedInt(v.asText()));
            case "f64" -> Double.longBitsToDouble(Long.parseUnsignedLong(v.asText()));
            case "externref" -> v.asText().equals("null") ? null : HostRef.of(Long.parseLong(v.asText()));
            case "funcref" -> {
                // A script cannot name a function of its own, so the only funcref argument is null.
                if (!v.asText().equals("null")) throw new IllegalArgumentException("non-null funcref argument " + v);
                yield null;
            }
            case "v128" -> vector(value.path("lane_type").asText(), v);
            default -> throw new IllegalArgumentException("unknown argument type " + type);
        };
    }

    private static V128 vector(String laneType, JsonNode lanes) {
        long[] bits = new long[lanes.size()];
        for (int i = 0; i < bits.length; i++) bits[i] = Long.parseUnsignedLong(lanes.get(i).asText());
        return Lanes.pack(laneType, bits);
    }

    /** A result or argument as a person reads it: type, value, and the bits of floats. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "ref.null";
            case Integer i -> "i32:" + i;
            case Long l -> "i64:" + l;
            case Float f -> "f32:" + f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
            case Double d -> "f64:" + d + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
            case V128 v -> String.format("v128:0x%016x%016x", v.high(), v.low());
            case FuncRef f -> f.toString();
            default -> value.getClass().getSimpleName() + ":" + value;
        };
    }

    static String describe(List<?> values) {
        return values.stream().map(Values::describe).collect(Collectors.joining(", ", "[", "]"));
    }

    /** An unexpected throwable, by class and message, so failures name a VerifyError as such. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
