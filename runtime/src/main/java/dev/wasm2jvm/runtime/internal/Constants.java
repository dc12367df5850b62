package dev.wasm2jvm.runtime.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decoders for the large constants of generated classes: the lookup tables of very large
 * {@code br_table}s, kept as strings because a class file has no array constants, and the data
 * segments, kept in a resource file beside the module's class or, when they are few bytes, in the
 * class itself.
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
            // Counts checked here rather than a NegativeArraySizeException caught: a catch clause's
            // class is loaded, from the runtime image, by the verifier of every module class that reads
            // its segments at a start.
            byte[][] segments = new byte[nonNegative(in.readInt())][];
            int[] lengths = new int[segments.length];
            for (int i = 0; i < lengths.length; i++) lengths[i] = nonNegative(in.readInt());
            for (int i = 0; i < segments.length; i++) {
                segments[i] = new byte[lengths[i]];
                in.readFully(segments[i]);
            }
            if (in.read() != -1) throw new IOException("bytes after the last segment");
            return segments;
        } catch (IOException e) {
            throw new IllegalStateException("the data segments of " + owner.getName() + " in resource " + path
                    + " are damaged: " + e.getMessage(), e);
        }
    }

    /** {@code count}, a count or length read from a data resource, if it is not negative. */
    private static int nonNegative(int count) throws IOException {
        if (count < 0) throw new IOException("a count of " + Integer.toUnsignedString(count));
        return count;
    }

    /**
     * The data segments of a module class that keeps them in itself, as the resource's bytes
     * ({@link #segments(Class, String, InputStream)}), a char each. Finding a resource looks in
     * every module of the JDK before the class path (the boot loader's image reader and its
     * reflective set-up, then a jar URL connection): 13% more CPU for a plain Java hello world that
     * reads a resource of 142 bytes, which a string constant of the class spares.
     *
     * @throws IllegalStateException if {@code encoded} is not in that format: the class was altered
     */
    public static byte[][] segmentsInClass(String encoded) {
        byte[] bytes = encoded.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length < 4) throw damaged(bytes.length);
        int count = u32(bytes, 0);
        if (count < 0 || count > (bytes.length - 4) / 4) throw damaged(bytes.length);
        byte[][] segments = new byte[count][];
        int at = 4 + 4 * count;
        for (int i = 0; i < count; i++) {
            int length = u32(bytes, 4 + 4 * i);
            if (length < 0 || length > bytes.length - at) throw damaged(bytes.length);
            segments[i] = Arrays.copyOfRange(bytes, at, at + length);
            at += length;
        }
        if (at != bytes.length) throw damaged(bytes.length);
        return segments;
    }

    private static int u32(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | bytes[at + 3] & 0xFF;
    }

    private static IllegalStateException damaged(int length) {
        return new IllegalStateException("the data segments kept in a module class are damaged (" + length + " bytes)");
    }
}
