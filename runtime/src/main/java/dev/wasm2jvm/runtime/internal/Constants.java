package dev.wasm2jvm.runtime.internal;

/**
 * Decoders for the large constants of generated classes, which keep them as strings because a class
 * file has no array constants: data segments and the lookup tables of very large {@code br_table}s.
 */
public final class Constants {
    private Constants() {}

    /** Copies the bytes kept in {@code chunk} as Latin-1, one char per byte, into {@code into} from {@code at}. */
    public static void latin1(String chunk, byte[] into, int at) {
        for (int i = 0; i < chunk.length(); i++) into[at + i] = (byte) chunk.charAt(i);
    }

    /** Ints kept as two chars each, the high half first. */
    public static int[] ints(String encoded) {
        int[] out = new int[encoded.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = encoded.charAt(2 * i) << 16 | encoded.charAt(2 * i + 1);
        return out;
    }
}
