package dev.wasm2jvm.runtime.internal;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Resources of generated classes read straight from the jar file their class was loaded from.
 *
 * <p>{@code Class.getResourceAsStream} asks every module of the JDK first and then opens a
 * {@code JarURLConnection}: some 15 classes outside the JDK's CDS archive, read and initialised at
 * the start of every program whose data segments are a resource (more than 64 KiB of them). The
 * launcher has opened the jar through {@code JarFile} already, so opening it again here loads
 * nothing new, and the JDK shares the open file between the two. Where the class did not come from
 * a jar file (a class path folder, classes defined in memory, a jar inside another) this finds
 * nothing and the caller opens the resource as before.
 */
public final class JarResources {
    private JarResources() {}

    /**
     * The largest recorded size {@link #read} takes as the size of its array: the central directory
     * of a damaged jar may claim any size up to 2 GiB, which as an array would end a start in a
     * small heap with an {@code OutOfMemoryError}. A start's resources are far smaller; a larger
     * entry is read as its bytes come, into memory in proportion to them.
     */
    private static final long MAX_PREALLOCATED = 16 << 20;

    /**
     * The resource {@code name} (absolute, as {@code Class.getResourceAsStream} takes it, with or
     * without its leading {@code /}) of the jar file that {@code owner} was loaded from; closing the
     * stream closes that file. Null where {@code owner} did not come from a jar file, or the jar
     * cannot be read or has no such entry: then the caller's own lookup gives the answer (and its
     * error), as it did before.
     */
    public static InputStream open(Class<?> owner, String name) {
        File jar = jarOf(owner);
        if (jar == null) return null;
        JarFile file = null;
        try {
            file = new JarFile(jar);
            JarEntry entry = file.getJarEntry(name.startsWith("/") ? name.substring(1) : name);
            if (entry != null && !entry.isDirectory()) return EntryStream.of(file, file.getInputStream(entry));
        } catch (IOException | RuntimeException e) {
            // Falls through: the caller's lookup reports what is wrong.
        }
        closeQuietly(file);
        return null;
    }

    /**
     * The whole resource {@code name} of the jar file that {@code owner} was loaded from, as
     * {@link #open} finds it, read at once into an array of the entry's size; null where
     * {@link #open} would give null or the entry cannot be read (an entry shorter than its
     * recorded size gives the bytes it has, and a recorded size past {@link #MAX_PREALLOCATED} is
     * not allocated). Every compiled command's start reads
     * its classes this way ({@code StartClasses}): no stream class of this one to load first, and
     * no array grown and copied as {@code readAllBytes} does for a stream of unknown length.
     */
    public static byte[] read(Class<?> owner, String name) {
        File jar = jarOf(owner);
        if (jar == null) return null;
        try (JarFile file = new JarFile(jar)) {
            JarEntry entry = file.getJarEntry(name.startsWith("/") ? name.substring(1) : name);
            if (entry == null || entry.isDirectory()) return null;
            long size = entry.getSize();
            try (InputStream in = file.getInputStream(entry)) {
                if (size < 0 || size > MAX_PREALLOCATED) return in.readAllBytes();
                byte[] bytes = new byte[(int) size];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The jar file {@code owner} was loaded from, or null if it was not loaded from a local file. */
    public static File jarOf(Class<?> owner) {
        CodeSource source = owner.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) return null;
        File file;
        try {
            // URI.create rather than URL.toURI, whose checked URISyntaxException, named by a catch
            // here, is a class the verifier would load from the runtime image at every start.
            file = new File(URI.create(location.toString()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return file.isFile() ? file : null;
    }

    private static void closeQuietly(JarFile file) {
        if (file == null) return;
        try {
            file.close();
        } catch (IOException e) {
            // Nothing was read from it; the caller's lookup opens the resource anew.
        }
    }

    /** An entry's stream that closes its jar file with it. */
    private static final class EntryStream extends FilterInputStream {
        private final JarFile file;

        private EntryStream(JarFile file, InputStream entry) {
            super(entry);
            this.file = file;
        }

        /**
         * Typed as its supertype, so that verifying {@link #open}, a method of every start's class,
         * does not load this class to check that it is an {@code InputStream}: only a start that
         * opens a resource as a stream loads it.
         */
        static InputStream of(JarFile file, InputStream entry) {
            return new EntryStream(file, entry);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                file.close();
            }
        }
    }
}
