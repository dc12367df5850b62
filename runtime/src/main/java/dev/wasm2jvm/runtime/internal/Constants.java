package dev.wasm2jvm.runtime.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decoders for the large constants of generated classes: the lookup tables of very large
 * {@code br_table}s, kept as strings because a class file has no array constants, and the data
 * segments, kept in a resource file beside the module's class.
 */
public final class Constants {
    private Constants() {}

    /** Ints kept as two chars each, the high half first. */
    public static int[] ints(String encoded) {
        int[] out = new int[encoded.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = encoded.charAt(2 * i) << 16 | encoded.charAt(2 * i + 1);
        return out;
    }

    /**
     * The data segments of module class {@code owner}, read from {@code resource}, its resource
     * {@code path} or null if there is none: the number of segments, each one's length (big-endian
     * {@code u32}s), then their bytes. The module class opens the resource itself: in a named module
     * only its own module's code may read its resources.
     *
     * @throws IllegalStateException if the resource is missing or damaged: the classes were
     *     separated from their resources, or altered
     */
    public static byte[][] segments(Class<?> owner, String path, InputStream data) {
        try (InputStream resource = data) {
            if (resource == null) {
                throw new IllegalStateException("the data segments of " + owner.getName() + " are missing: no resource "
                        + path + " beside its class");
            }
            DataInputStream in = new DataInputStream(resource);
            byte[][] segments = new byte[in.readInt()][];
            int[] lengths = new int[segments.length];
            for (int i = 0; i < lengths.length; i++) lengths[i] = in.readInt();
            for (int i = 0; i < segments.length; i++) {
                segments[i] = new byte[lengths[i]];
                in.readFully(segments[i]);
            }
            if (in.read() != -1) throw new IOException("bytes after the last segment");
            return segments;
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalStateException("the data segments of " + owner.getName() + " in resource " + path
                    + " are damaged: " + e.getMessage(), e);
        }
    }
}
