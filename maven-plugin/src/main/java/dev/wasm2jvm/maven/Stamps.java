package dev.wasm2jvm.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Remembers what each module was last compiled from, so that an unchanged module is not compiled
 * again. A stamp is the SHA-256 of the module's bytes, with the class name and the compiler's
 * version: a hash, not a timestamp, because checkouts and copies change timestamps but not content.
 */
final class Stamps {
    private final Path directory;
    private final String compilerVersion;

    /** Stamps kept in {@code directory}, for modules compiled by compiler version {@code compilerVersion}. */
    Stamps(Path directory, String compilerVersion) {
        this.directory = directory;
        this.compilerVersion = compilerVersion;
    }

    /** The stamp of {@code wasm} compiled to class {@code className}. */
    String stamp(byte[] wasm, String className) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(wasm);
            return HexFormat.of().formatHex(hash) + " " + className + " " + compilerVersion;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether the module at {@code relative} was last compiled with stamp {@code stamp}. */
    boolean matches(Path relative, String stamp) throws IOException {
        Path file = file(relative);
        return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(stamp);
    }

    void record(Path relative, String stamp) throws IOException {
        Path file = file(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, stamp, StandardCharsets.UTF_8);
    }

    private Path file(Path relative) {
        return directory.resolve(relative.toString() + ".stamp");
    }
}
