package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Instance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The classes {@code wasm2jvm run} compiled, kept between runs: one file per module and compiler,
 * named by the SHA-256 of the module's bytes and of the compiler's identity, so that a module is
 * compiled again only when it or the compiler changed.
 *
 * <p>An entry is written to a temporary file in the same folder and renamed into place, so a run
 * never sees half an entry, and runs that compile the same module at once each write a whole entry
 * (the last rename wins; both are equal). An entry ends with the SHA-256 of everything before it:
 * one that does not match (a disk error, a truncated copy, an edit) is ignored and replaced. A cache
 * that cannot be read or written is passed over: the run compiles as without a cache.
 */
final class RunCache {
    private static final int MAGIC = 0x5732_4A43; // "W2JC"
    private static final int FORMAT = 2;
    private static final int CHECKSUM_BYTES = 32;

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
     * What identifies this compiler: its version and, since a development build keeps its version
     * from one change to the next, where the classes of the CLI, the compiler and the runtime come
     * from and when those last changed: a jar's size and time, or for a folder of classes (a build
     * in progress, where the folder's own time does not change with its files) its newest file's.
     */
    static String compilerId() {
        StringBuilder id = new StringBuilder(new Version().getVersion()[0]);
        for (Class<?> part : List.of(RunCache.class, WasmCompiler.class, Instance.class)) {
            id.append(' ').append(stamp(part));
        }
        return id.toString();
    }

    private static String stamp(Class<?> part) {
        CodeSource source = part.getProtectionDomain().getCodeSource();
        if (source == null) return "-";
        try {
            Path code = Path.of(source.getLocation().toURI());
            if (!Files.isDirectory(code)) {
                return code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis();
            }
            try (Stream<Path> files = Files.walk(code)) {
                return code + " " + files.mapToLong(RunCache::modified).max().orElse(0);
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException | UncheckedIOException e) {
            return "-";
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry of {@code wasm}'s compilation, or null when there is none or it is damaged. */
    CompiledModule load(byte[] wasm) {
        Path entry = entry(wasm);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry);
        } catch (IOException e) {
            // Most often there is no entry yet; an unreadable one is as good as none.
            return null;
        }
        CompiledModule module = decode(bytes);
        if (module == null) {
            try {
                Files.deleteIfExists(entry);
            } catch (IOException e) {
                // Replaced by the store that follows, or left for a later run.
            }
        }
        return module;
    }

    /** Keeps {@code module}, compiled from {@code wasm}; does nothing when the folder cannot be written. */
    void store(byte[] wasm, CompiledModule module) {
        Path entry = entry(wasm);
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, entry.getFileName().toString(), ".tmp");
            Files.write(temporary, encode(module));
            try {
                Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Without a usable cache the run goes on; the next one compiles again.
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // A stray temporary file is harmless: entries are only ever read by their own name.
                }
            }
        }
    }

    /** The file of {@code wasm}'s entry. */
    Path entry(byte[] wasm) {
        MessageDigest module = sha256();
        module.update(wasm);
        MessageDigest compiler = sha256();
        compiler.update(compilerId.getBytes(StandardCharsets.UTF_8));
        HexFormat hex = HexFormat.of();
        return directory.resolve(hex.formatHex(module.digest()) + "-" + hex.formatHex(compiler.digest(), 0, 8) + ".classes");
    }

    private byte[] encode(CompiledModule module) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(compilerId);
        out.writeUTF(module.className());
        writeFiles(out, module.classFiles());
        writeFiles(out, module.resources());
        out.flush();
        MessageDigest checksum = sha256();
        checksum.update(buffer.toByteArray());
        out.write(checksum.digest());
        out.flush();
        return buffer.toByteArray();
    }

    /** The module an entry holds, or null if the entry is damaged or from another compiler. */
    private CompiledModule decode(byte[] bytes) {
        if (bytes.length < CHECKSUM_BYTES) return null;
        int contentLength = bytes.length - CHECKSUM_BYTES;
        MessageDigest checksum = sha256();
        checksum.update(bytes, 0, contentLength);
        if (!Arrays.equals(checksum.digest(), Arrays.copyOfRange(bytes, contentLength, bytes.length))) return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, contentLength))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !in.readUTF().equals(compilerId)) return null;
            String className = in.readUTF();
            Map<String, byte[]> classes = readFiles(in);
            Map<String, byte[]> resources = readFiles(in);
            if (in.available() != 0 || !classes.containsKey(className)) return null;
            return CompiledModule.of(className, classes, resources);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Files by name: their count, then each one's name, length and bytes. */
    private static void writeFiles(DataOutputStream out, Map<String, byte[]> files) throws IOException {
        out.writeInt(files.size());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            out.write(e.getValue());
        }
    }

    private static Map<String, byte[]> readFiles(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, byte[]> files = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            files.put(name, bytes);
        }
        return files;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
