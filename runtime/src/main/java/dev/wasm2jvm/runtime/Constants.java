package dev.wasm2jvm.runtime;

/**
 * Decoders for the large constants of generated classes, which keep them as strings because a class
 * file has no array constants: data segments and the lookup tables of very large {@code br_table}s.
 */
public final class Constants {
    private Constants() {}

    /** Bytes kept as Latin-1 strings, one char per byte, concatenated. */
    public static byte[] bytes(String... chunks) {
        int length = 0;
        for (String c : chunks) length += c.length();
        byte[] out = new byte[length];
        int at = 0;
        for (String c : chunks) {
            for (int i = 0; i < c.length(); i++) out[at++] = (byte) c.charAt(i);
        }
        return out;
    }

    /** Ints kept as two chars each, the high half first. */
    public static int[] ints(String encoded) {
        int[] out = new int[encoded.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = encoded.charAt(2 * i) << 16 | encoded.charAt(2 * i + 1);
        return out;
    }
}
