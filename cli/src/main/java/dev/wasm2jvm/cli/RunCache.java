package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.runtime.Instance;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The classes {@code wasm2jvm run} compiled, kept between runs: one file per module and compiler,
 * named by the SHA-256 of the module's bytes and a CRC of the compiler's identity, so that a module
 * is compiled again only when it or the compiler changed. The module's digest of a file that did
 * not change since the last run comes from {@link ModuleDigests}, beside the entries.
 *
 * <p>An entry is written to a temporary file in the same folder and renamed into place, so a run
 * never sees half an entry, and runs that compile the same module at once each write a whole entry
 * (the last rename wins; both are equal). An entry ends with the CRC-32C of everything before it:
 * one that does not match (a disk error, a truncated copy, an edit) is ignored and replaced. A CRC
 * rather than a cryptographic digest, since it guards against damage, not against someone who may
 * write the user's cache (the entry's name, a SHA-256 of the module, is what no other module can
 * take): the JDK computes it with the processor's instruction even before any method is compiled,
 * where a SHA-256 of a large entry in the interpreter takes longer than the program's start.
 *
 * <p>A cache that cannot be read or written is passed over: the run compiles as without a cache.
 */
final class RunCache {
    private static final int MAGIC = 0x5732_4A43; // "W2JC"
    private static final int FORMAT = 3;
    private static final int CHECKSUM_BYTES = Integer.BYTES;
    /** The size from which an entry is mapped rather than read. */
    private static final long MAPPED_BYTES = 1 << 20;

    private final Path directory;
    private final String compilerId;

    RunCache(Path directory, String compilerId) {
        this.directory = directory;
        this.compilerId = compilerId;
    }

    /**
     * The cache folder when none is given: {@code $XDG_CACHE_HOME/wasm2jvm} when that variable is an
     * absolute path (as the XDG base directory specification requires), else
     * {@code ~/.cache/wasm2jvm}.
     */
    static Path defaultDirectory(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("wasm2jvm");
    }

    /**
     * What identifies this compiler: where the classes of the CLI, the compiler and the runtime come
     * from and when those last changed: a jar's size and time, or for a folder of classes (a build
     * in progress, where the folder's own time does not change with its files) its newest file's.
     * That tells apart any two builds, even of one version; only where a part's file is unknown
     * is the version added, the one thing then left to tell builds apart. The compiler's part is
     * found by a class file's resource, not its {@code Class}: a run of cached classes loads no
     * class of the compiler. Parts from one file (the CLI's jar holds all three) are stamped once.
     */
    static String compilerId() {
        String cli = codeLocation(RunCache.class);
        String compiler = resourceLocation("dev/wasm2jvm/compiler/WasmCompiler.class");
        String runtime = codeLocation(Instance.class);
        Map<String, String> stamps = new HashMap<>();
        StringBuilder id = new StringBuilder();
        boolean located = true;
        for (String location : new String[] {cli, compiler, runtime}) {
            String stamp = location == null ? null : stamps.containsKey(location) ? stamps.get(location) : stamp(location);
            stamps.put(location, stamp);
            located &= stamp != null;
            id.append(stamp != null ? stamp : "-").append(' ');
        }
        return located ? id.toString() : id.append(Version.text()).toString();
    }

    /** The URL of the jar or folder {@code part} was loaded from, or null if that is unknown. */
    private static String codeLocation(Class<?> part) {
        CodeSource source = part.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : source.getLocation().toString();
    }

    /** The URL of the jar or folder the class file {@code resource} is loaded from, or null if that is unknown. */
    private static String resourceLocation(String resource) {
        URL url = RunCache.class.getClassLoader().getResource(resource);
        if (url == null) return null;
        String location = url.toString();
        if (location.startsWith("jar:") && location.contains("!/")) {
            return location.substring("jar:".length(), location.indexOf("!/"));
        }
        return location.endsWith(resource) ? location.substring(0, location.length() - resource.length()) : null;
    }

    /** The stamp of the jar or folder at the URL {@code location}, or null if that is no file. */
    private static String stamp(String location) {
        try {
            Path code = Path.of(URI.create(location));
            if (!Files.isDirectory(code)) {
                return code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis();
            }
            try (Stream<Path> files = Files.walk(code)) {
                return code + " " + files.mapToLong(RunCache::modified).max().orElse(0);
            }
        } catch (IOException | RuntimeException e) {
            // A location that is no file (a URI of another file system, a malformed one) has no stamp.
            return null;
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entry of the module whose SHA-256 is {@code digest}, or null when there is none or it is
     * damaged. A large entry is mapped, not read: its class files are defined from the mapping when
     * first used, as {@code java -jar} reads a class from its jar when it is first used, and a large
     * module's tens of megabytes are neither copied into the heap nor decoded before it starts.
     * Entries are replaced by renaming, never rewritten, so a mapped entry does not change. A small
     * one is read: the first mapping costs a start some 20 ms, for the method handles the JDK spins
     * to make its map mode.
     */
    CachedModule load(byte[] digest) {
        Path entry = entry(digest);
        ByteBuffer bytes;
        try (FileChannel channel = FileChannel.open(entry)) {
            long size = channel.size();
            if (size > MAPPED_BYTES) {
                bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            } else {
                bytes = ByteBuffer.allocate((int) size);
                while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                    // Until the buffer is full, or the file ends early (then its checksum is wrong).
                }
                bytes.flip();
            }
        } catch (IOException | RuntimeException e) {
            // Most often there is no entry yet; an unreadable one, or one too large to map, is as good as none.
            return null;
        }
        CachedModule module = decode(bytes);
        if (module == null) {
            try {
                Files.deleteIfExists(entry);
            } catch (IOException e) {
                // Replaced by the store that follows, or left for a later run.
            }
        }
        return module;
    }

    /**
     * Keeps {@code module}, compiled from the module whose SHA-256 is {@code digest}; does nothing
     * when the folder cannot be written.
     */
    void store(byte[] digest, CompiledModule module) {
        byte[] bytes;
        try {
            bytes = encode(module);
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to be written", e);
        }
        replace(directory, entry(digest), bytes);
    }

    /**
     * Writes {@code bytes} to {@code file} in {@code directory} through a temporary file renamed
     * into place, so that a reader finds the old file or the new one, never a part; does nothing
     * when the folder cannot be written.
     */
    static void replace(Path directory, Path file, byte[] bytes) {
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Without a usable cache the run goes on; the next one compiles again.
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // A stray temporary file is harmless: files are only ever read by their own name.
                }
            }
        }
    }

    /**
     * The file of the entry of the module whose SHA-256 is {@code digest}: named by the digest and
     * a CRC of the compiler's identity. A CRC suffices there, as the entry holds the identity
     * itself and is taken only by the compiler it names.
     */
    Path entry(byte[] digest) {
        CRC32C compiler = new CRC32C();
        compiler.update(compilerId.getBytes(StandardCharsets.UTF_8));
        HexFormat hex = HexFormat.of();
        return directory.resolve(hex.formatHex(digest) + "-" + hex.toHexDigits((int) compiler.getValue()) + ".classes");
    }

    /**
     * The entry's bytes: magic number, format, compiler identity, the module's class name, its class
     * files and its resources, then the CRC-32C of all that. Strings are a length and UTF-8 bytes.
     */
    private byte[] encode(CompiledModule module) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        writeString(out, compilerId);
        writeString(out, module.className());
        writeFiles(out, module.classFiles());
        writeFiles(out, module.resources());
        out.flush();
        CRC32C checksum = new CRC32C();
        checksum.update(buffer.toByteArray());
        out.writeInt((int) checksum.getValue());
        out.flush();
        return buffer.toByteArray();
    }

    /** The module an entry holds, its files slices of {@code bytes}, or null if the entry is damaged or from another compiler. */
    private CachedModule decode(ByteBuffer bytes) {
        if (bytes.limit() < CHECKSUM_BYTES) return null;
        int contentLength = bytes.limit() - CHECKSUM_BYTES;
        CRC32C checksum = new CRC32C();
        checksum.update(bytes.slice(0, contentLength));
        if ((int) checksum.getValue() != bytes.getInt(contentLength)) return null;
        ByteBuffer in = bytes.slice(0, contentLength);
        try {
            if (in.getInt() != MAGIC || in.getInt() != FORMAT || !readString(in).equals(compilerId)) return null;
            String className = readString(in);
            Map<String, ByteBuffer> classes = readFiles(in);
            Map<String, ByteBuffer> resources = readFiles(in);
            if (in.hasRemaining() || !classes.containsKey(className)) return null;
            return new CachedModule(className, classes, resources);
        } catch (RuntimeException e) {
            // A length past the end (BufferUnderflowException, IndexOutOfBoundsException) or a negative one.
            return null;
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        byte[] utf8 = new byte[in.getInt()];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Files by name: their count, then each one's name, length and bytes. */
    private static void writeFiles(DataOutputStream out, Map<String, byte[]> files) throws IOException {
        out.writeInt(files.size());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            writeString(out, e.getKey());
            out.writeInt(e.getValue().length);
            out.write(e.getValue());
        }
    }

    /** Files written by {@link #writeFiles}, each a slice of {@code in}. */
    private static Map<String, ByteBuffer> readFiles(ByteBuffer in) {
        int count = in.getInt();
        Map<String, ByteBuffer> files = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            int length = in.getInt();
            files.put(name, in.slice(in.position(), length));
            in.position(in.position() + length);
        }
        return files;
    }
}
