package dev.wasm2jvm.runtime.internal;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
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
            if (entry != null && !entry.isDirectory()) return new EntryStream(file, file.getInputStream(entry));
        } catch (IOException | RuntimeException e) {
            // Falls through: the caller's lookup reports what is wrong.
        }
        closeQuietly(file);
        return null;
    }

    /** The jar file {@code owner} was loaded from, or null if it was not loaded from a local file. */
    public static File jarOf(Class<?> owner) {
        CodeSource source = owner.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) return null;
        File file;
        try {
            file = new File(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
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

        EntryStream(JarFile file, InputStream entry) {
            super(entry);
            this.file = file;
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
