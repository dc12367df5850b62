package dev.wasm2jvm.runtime.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data segments of a module, read from the resource beside its class or from a string constant of the class. */
class ConstantsTest {
    private static final byte[][] SEGMENTS = {{1, 2, 3}, {}, {(byte) 0xFF}};

    private static byte[] resource(byte[][] segments) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(segments.length);
        for (byte[] s : segments) out.writeInt(s.length);
        for (byte[] s : segments) out.write(s);
        return bytes.toByteArray();
    }

    /** The segments that {@link Constants#segments} reads from {@code bytes}, the resource {@code /m/M.data} beside a class. */
    private static byte[][] read(byte[] bytes) throws IOException {
        byte[] holder;
        try (InputStream in = ConstantsTest.class.getResourceAsStream("ConstantsTest$Holder.class")) {
            holder = in.readAllBytes();
        }
        Class<?> owner = new ResourceLoader(bytes).define(Holder.class.getName(), holder);
        return Constants.segments(owner, "/m/M.data", owner.getResourceAsStream("/m/M.data"));
    }

    /** A class for {@link ResourceLoader} to define. */
    static final class Holder {}

    /** Defines one class and serves one resource, {@code m/M.data}, as a module's class loader does. */
    private static final class ResourceLoader extends ClassLoader {
        private final byte[] resource;

        ResourceLoader(byte[] resource) {
            super(null);
            this.resource = resource;
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return name.equals("m/M.data") ? new ByteArrayInputStream(resource) : null;
        }
    }

    @Test
    void readsTheSegmentsInOrder() throws IOException {
        byte[][] read = read(resource(SEGMENTS));
        assertEquals(SEGMENTS.length, read.length);
        for (int i = 0; i < SEGMENTS.length; i++) assertArrayEquals(SEGMENTS[i], read[i], "segment " + i);
    }

    @Test
    void aMissingResourceIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Constants.segments(ConstantsTest.class, "/no/Such.data",
                ConstantsTest.class.getResourceAsStream("/no/Such.data")));
        assertTrue(e.getMessage().contains("/no/Such.data") && e.getMessage().contains(ConstantsTest.class.getName()), e.getMessage());
    }

    @Test
    void aTruncatedOrLongerResourceIsDamaged() throws IOException {
        byte[] whole = resource(SEGMENTS);
        for (byte[] bytes : new byte[][] {Arrays.copyOf(whole, whole.length - 1), Arrays.copyOf(whole, whole.length + 1)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> read(bytes));
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    @Test
    void aNegativeCountOrLengthIsDamaged() {
        byte[] minusOne = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        for (byte[] bytes : new byte[][] {minusOne, {0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> read(bytes));
            assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("4294967295"), e.getMessage());
        }
    }

    @Test
    void readsTheSegmentsAClassKeepsAsAString() throws IOException {
        byte[][] read = Constants.segmentsInClass(new String(resource(SEGMENTS), StandardCharsets.ISO_8859_1));
        assertEquals(SEGMENTS.length, read.length);
        for (int i = 0; i < SEGMENTS.length; i++) assertArrayEquals(SEGMENTS[i], read[i], "segment " + i);
    }

    @Test
    void aTruncatedOrLongerStringIsDamaged() throws IOException {
        String whole = new String(resource(SEGMENTS), StandardCharsets.ISO_8859_1);
        for (String encoded : new String[] {whole.substring(0, whole.length() - 1), whole + "\0", "", "\0\0\0"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Constants.segmentsInClass(encoded));
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    @Test
    void aCountOrLengthPastTheStringIsDamaged() {
        for (String encoded : new String[] {"\u007f\u00ff\u00ff\u00ff", "\0\0\0\1\u00ff\u00ff\u00ff\u00ff"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Constants.segmentsInClass(encoded));
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        }
    }
}
