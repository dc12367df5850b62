package dev.wasm2jvm.runtime;

/**
 * A 128-bit vector value as two little-endian halves: {@code low} holds bytes 0 to 7 (lane 0 in its
 * least significant bits), {@code high} bytes 8 to 15. This is how a v128 crosses the host
 * boundary: arguments and results of {@link FuncRef#call} and of host functions, the values of
 * {@link Global}s, the typed facade's parameters and results. Generated code keeps a v128 as two
 * {@code long}s instead and makes one of these only where a single object must hold it.
 *
 * @param low bytes 0 to 7
 * @param high bytes 8 to 15
 */
public record V128(long low, long high) {}
