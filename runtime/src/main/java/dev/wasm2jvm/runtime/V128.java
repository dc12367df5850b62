package dev.wasm2jvm.runtime;

/** A 128-bit vector value as two little-endian halves, for v128 values crossing the host boundary. */
public record V128(long low, long high) {}
