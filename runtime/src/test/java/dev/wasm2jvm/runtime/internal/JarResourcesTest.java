package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resources read from the jar file a class came from, and nothing found where it came from elsewhere. */
class JarResourcesTest {
    @TempDir
    Path dir;

    /** A class of its own in a jar of its own, with a resource beside it. */
    public static final class Owner {}

    private static final String CLASS_ENTRY = Owner.class.getName().replace('.', '/') + ".class";
    private static final String RESOURCE = "dev/wasm2jvm/runtime/internal/JarResourcesTest$Owner.data";

    private Class<?> ownerFromJar(byte[] resource) throws IOException, ClassNotFoundException {
        Path jar = dir.resolve("owner.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                InputStream classFile = Owner.class.getClassLoader().getResourceAsStream(CLASS_ENTRY)) {
            out.putNextEntry(new JarEntry(CLASS_ENTRY));
            out.write(classFile.readAllBytes());
            if (resource != null) {
                out.putNextEntry(new JarEntry(RESOURCE));
                out.write(resource);
            }
        }
        // No parent but the platform's: the class must be defined from the jar, not found on the class path.
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> owner = loader.loadClass(Owner.class.getName());
        assertEquals(jar.toFile(), JarResources.jarOf(owner));
        return owner;
    }

    @Test
    void readsTheEntryOfTheJarTheClassCameFrom() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 13);
        Class<?> owner = ownerFromJar(bytes);
        try (InputStream in = JarResources.open(owner, "/" + RESOURCE)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        try (InputStream in = JarResources.open(owner, RESOURCE)) {
            assertArrayEquals(bytes, in.readAllBytes(), "the leading / is optional");
        }
    }

    @Test
    void readsTheWholeEntryAtOnce() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 7);
        Class<?> owner = ownerFromJar(bytes);
        assertArrayEquals(bytes, JarResources.read(owner, "/" + RESOURCE));
        assertArrayEquals(bytes, JarResources.read(owner, RESOURCE), "the leading / is optional");
    }

    @Test
    void readsAnEmptyEntry() throws Exception {
        assertArrayEquals(new byte[0], JarResources.read(ownerFromJar(new byte[0]), RESOURCE));
    }

    @Test
    void aMissingEntryIsLeftToTheCallersLookup() throws Exception {
        Class<?> owner = ownerFromJar(null);
        assertNull(JarResources.open(owner, "/" + RESOURCE));
        assertNull(JarResources.open(owner, "/dev/wasm2jvm/runtime/internal/"), "a directory is no resource");
        assertNull(JarResources.read(owner, "/" + RESOURCE));
        assertNull(JarResources.read(owner, "/dev/wasm2jvm/runtime/internal/"), "a directory is no resource");
    }

    /**
     * A damaged jar whose central directory claims a size of 1.5 GB for a resource of 100 KB: the
     * resource is read as it is (its bytes, as many as there are), and the claim is not taken as
     * the size of an array, which in a small heap would end the start with an {@code OutOfMemoryError}.
     */
    @Test
    void aClaimedSizeFarBeyondTheEntrysIsNotAllocated() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 11);
        Class<?> owner = ownerFromJar(bytes);
        claimSize(dir.resolve("owner.jar"), RESOURCE, 1_500_000_000);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        byte[] read = JarResources.read(owner, RESOURCE);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertArrayEquals(bytes, read);
        assertTrue(allocated < 64 << 20, allocated + " bytes allocated");
    }

    /** Rewrites the uncompressed size that the central directory of {@code jar} records for {@code name}. */
    private static void claimSize(Path jar, String name, int size) throws IOException {
        byte[] zip = Files.readAllBytes(jar);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= zip.length; at++) {
            // A central directory header: its signature, then its name at 46, of the length at 28.
            if (b.getInt(at) != 0x02014b50 || b.getShort(at + 28) != wanted.length) continue;
            if (!Arrays.equals(zip, at + 46, at + 46 + wanted.length, wanted, 0, wanted.length)) continue;
            b.putInt(at + 24, size);
            Files.write(jar, zip);
            return;
        }
        throw new IOException(name + " is not in the central directory of " + jar);
    }

    /** A jar whose path needs escaping in a URL (a space, a non-ASCII letter) is found all the same. */
    @Test
    void findsAJarWhosePathIsEscapedInItsUrl() throws Exception {
        dir = Files.createDirectories(dir.resolve("a dir é"));
        Class<?> owner = ownerFromJar(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, JarResources.read(owner, RESOURCE));
    }

    /** This test's own classes come from a folder (Maven's test-classes): nothing is read there. */
    @Test
    void aClassFromAFolderFindsNothing() {
        assertNull(JarResources.jarOf(JarResourcesTest.class));
        assertNull(JarResources.open(JarResourcesTest.class, "/" + CLASS_ENTRY));
        assertNull(JarResources.read(JarResourcesTest.class, "/" + CLASS_ENTRY));
        assertNull(JarResources.jarOf(String.class), "the JDK's own classes have no code source");
    }
}
