package dev.wasm2jvm.spectest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.V128;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One expected result of an {@code assert_return}, read from wast2json, that a boxed result matches or not. */
sealed interface Expectation {
    boolean matches(Object actual);

    /** The actual value as it is best compared with this expectation. */
    default String describeActual(Object actual) {
        return Values.describe(actual);
    }

    record I32(int value) implements Expectation {
        public boolean matches(Object actual) {
            return actual instanceof Integer i && i == value;
        }

        public String toString() {
            return "i32:" + value;
        }
    }

    record I64(long value) implements Expectation {
        public boolean matches(Object actual) {
            return actual instanceof Long l && l == value;
        }

        public String toString() {
            return "i64:" + value;
        }
    }

    /** An exact f32, compared by bits so that -0.0 and NaN payloads count. */
    record F32(int bits) implements Expectation {
        public boolean matches(Object actual) {
            return actual instanceof Float f && Float.floatToRawIntBits(f) == bits;
        }

        public String toString() {
            return Values.describe(Float.intBitsToFloat(bits));
        }
    }

    record F64(long bits) implements Expectation {
        public boolean matches(Object actual) {
            return actual instanceof Double d && Double.doubleToRawLongBits(d) == bits;
        }

        public String toString() {
            return Values.describe(Double.longBitsToDouble(bits));
        }
    }

    /**
     * {@code nan:canonical} (only the quiet bit set, either sign) or {@code nan:arithmetic} (quiet bit
     * set, any payload), for f32 ({@code width} 32) or f64.
     */
    record NaN(int width, boolean canonical) implements Expectation {
        public boolean matches(Object actual) {
            if (width == 32 && actual instanceof Float f) {
                int bits = Float.floatToRawIntBits(f) & 0x7fff_ffff;
                return canonical ? bits == 0x7fc0_0000 : (bits & 0x7fc0_0000) == 0x7fc0_0000;
            }
            if (width == 64 && actual instanceof Double d) {
                long bits = Double.doubleToRawLongBits(d) & 0x7fff_ffff_ffff_ffffL;
                long quiet = 0x7ff8_0000_0000_0000L;
                return canonical ? bits == quiet : (bits & quiet) == quiet;
            }
            return false;
        }

        public String toString() {
            return "f" + width + ":nan:" + (canonical ? "canonical" : "arithmetic");
        }
    }

    record NullRef(String type) implements Expectation {
        public boolean matches(Object actual) {
            return actual == null;
        }

        public String toString() {
            return "ref.null " + type;
        }
    }

    /** wast2json writes a non-null funcref result without saying which function it is. */
    record SomeFunc() implements Expectation {
        public boolean matches(Object actual) {
            return actual instanceof FuncRef;
        }

        public String toString() {
            return "ref.func";
        }
    }

    /**
     * Any non-null reference of a kind ({@code ref.func}, {@code ref.extern}, {@code ref.struct},
     * ...): funcrefs and host references have a JVM form; the GC kinds have none yet, so nothing matches them.
     */
    record SomeRef(String kind) implements Expectation {
        public boolean matches(Object actual) {
            return switch (kind) {
                case "func" -> actual instanceof FuncRef;
                case "extern" -> actual instanceof HostRef;
                default -> false;
            };
        }

        public String toString() {
            return "ref." + kind;
        }
    }

    record Extern(long n) implements Expectation {
        public boolean matches(Object actual) {
            return actual == HostRef.of(n);
        }

        public String toString() {
            return HostRef.of(n).toString();
        }
    }

    /** A v128 compared lane by lane, each lane by its own expectation (so NaN lanes match by kind). */
    record Vector(String laneType, List<Expectation> lanes) implements Expectation {
        public boolean matches(Object actual) {
            if (!(actual instanceof V128 v)) return false;
            List<Object> actualLanes = Lanes.unpack(laneType, v);
            for (int i = 0; i < lanes.size(); i++) {
                if (!lanes.get(i).matches(actualLanes.get(i))) return false;
            }
            return true;
        }

        public String describeActual(Object actual) {
            if (!(actual instanceof V128 v)) return Values.describe(actual);
            return "v128 " + Lanes.shape(laneType) + ":" + Lanes.unpack(laneType, v).stream()
                    .map(Vector::laneText).collect(Collectors.joining(" "));
        }

        public String toString() {
            return "v128 " + Lanes.shape(laneType) + ":" + lanes.stream()
                    .map(Vector::laneText).collect(Collectors.joining(" "));
        }

        private static String laneText(Expectation lane) {
            return switch (lane) {
                case I32 i -> laneText(i.value());
                case I64 l -> laneText(l.value());
                case F32 f -> laneText(Float.intBitsToFloat(f.bits()));
                case F64 d -> laneText(Double.longBitsToDouble(d.bits()));
                case NaN n -> "nan:" + (n.canonical() ? "canonical" : "arithmetic");
                default -> lane.toString();
            };
        }

        private static String laneText(Object lane) {
            return switch (lane) {
                case Float f -> f + "(0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
                case Double d -> d + "(0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
                default -> lane.toString();
            };
        }
    }

    /** Reads {@code {"type": ..., "value": ...}} as wast2json writes expected results. */
    static Expectation parse(JsonNode expected) {
        String type = expected.path("type").asText();
        JsonNode value = expected.path("value");
        return switch (type) {
            case "v128" -> vector(expected.path("lane_type").asText(), value);
            case "funcref" -> value.asText().equals("null") ? new NullRef(type) : new SomeFunc();
            case "externref" -> value.asText().equals("null") ? new NullRef(type) : new Extern(Long.parseLong(value.asText()));
            default -> scalar(type, value.asText());
        };
    }

    private static Expectation vector(String laneType, JsonNode lanes) {
        if (lanes.size() != Lanes.count(laneType)) {
            throw new IllegalArgumentException(lanes.size() + " lanes given for " + Lanes.shape(laneType));
        }
        String scalarType = laneType.equals("i8") || laneType.equals("i16") ? "i32" : laneType;
        List<Expectation> expected = new ArrayList<>();
        for (JsonNode lane : lanes) expected.add(scalar(scalarType, lane.asText()));
        return new Vector(laneType, List.copyOf(expected));
    }

    private static Expectation scalar(String type, String text) {
        if (text.startsWith("nan:")) {
            boolean canonical = switch (text) {
                case "nan:canonical" -> true;
                case "nan:arithmetic" -> false;
                default -> throw new IllegalArgumentException("unknown NaN kind " + text);
            };
            return switch (type) {
                case "f32" -> new NaN(32, canonical);
                case "f64" -> new NaN(64, canonical);
                default -> throw new IllegalArgumentException(text + " expected of type " + type);
            };
        }
        return switch (type) {
            case "i32" -> new I32(Integer.parseUnsignedInt(text));
            case "i64" -> new I64(Long.parseUnsignedLong(text));
            case "f32" -> new F32(Integer.parseUnsignedInt(text));
            case "f64" -> new F64(Long.parseUnsignedLong(text));
            default -> throw new IllegalArgumentException("unknown result type " + type);
        };
    }
}
