package dev.wasm2jvm.cli;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A jar whose bytes depend on nothing but what is put in it, so that compiling the same module
 * twice gives the same jar (reproducible builds, caches and signatures keyed by a jar's digest):
 * every entry carries one fixed time, and entries given as a map are written in name order, not in
 * the order of a map whose iteration order changes from one JVM to the next.
 */
final class ReproducibleJar implements Closeable {
    /** 1980-02-01, the first date a zip's DOS time field holds in every time zone. */
    static final LocalDateTime DOS_EPOCH = LocalDateTime.of(1980, 2, 1, 0, 0);

    private final JarOutputStream out;
    private final LocalDateTime entryTime;

    private ReproducibleJar(JarOutputStream out, LocalDateTime entryTime) {
        this.out = out;
        this.entryTime = entryTime;
    }

    /** Creates {@code jar} (and its folder) with {@code manifest} as its first entry. */
    static ReproducibleJar create(Path jar, Manifest manifest) throws IOException {
        LocalDateTime entryTime = entryTime(System.getenv("SOURCE_DATE_EPOCH"));
        Path parent = jar.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
        manifest.write(manifestBytes);
        ReproducibleJar created = new ReproducibleJar(new JarOutputStream(Files.newOutputStream(jar)), entryTime);
        try {
            created.put(JarFile.MANIFEST_NAME, manifestBytes.toByteArray());
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
        return created;
    }

    /** Adds the entry {@code name}. */
    void put(String name, byte[] bytes) throws IOException {
        JarEntry entry = new JarEntry(name);
        // A local time with no extended timestamp: the bytes do not depend on the compiling machine's time zone.
        entry.setTimeLocal(entryTime);
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    /** Adds every entry of {@code entries}, in name order, each named by {@code path} of its key. */
    void putAll(Map<String, byte[]> entries, UnaryOperator<String> path) throws IOException {
        for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) put(path.apply(e.getKey()), e.getValue());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * The time of every entry: {@code sourceDateEpoch} (seconds since 1970 in UTC, the Reproducible
     * Builds convention's {@code SOURCE_DATE_EPOCH}, which a build sets to its sources' date) when
     * given, else {@link #DOS_EPOCH}; a date before that is {@link #DOS_EPOCH}.
     *
     * @throws UserError if {@code sourceDateEpoch} is not a whole number of seconds, as the
     *                   convention asks a tool to refuse it
     */
    static LocalDateTime entryTime(String sourceDateEpoch) {
        if (sourceDateEpoch == null || sourceDateEpoch.isEmpty()) return DOS_EPOCH;
        try {
            LocalDateTime t = LocalDateTime.ofEpochSecond(Long.parseLong(sourceDateEpoch), 0, ZoneOffset.UTC);
            return t.isBefore(DOS_EPOCH) ? DOS_EPOCH : t;
        } catch (NumberFormatException | DateTimeException e) {
            throw new UserError("SOURCE_DATE_EPOCH is not a number of seconds since 1970: " + sourceDateEpoch);
        }
    }
}
