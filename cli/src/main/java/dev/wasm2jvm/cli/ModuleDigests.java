package dev.wasm2jvm.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The SHA-256 of each module file as a run last computed it, kept in the {@link RunCache}'s folder
 * with what the file was then: its path, device, inode, size, modification and change times. A run
 * of a file that has not changed since takes the digest from here instead of reading and hashing
 * the module: the JDK's SHA-256 costs a small program's start some 60 ms of CPU to set up its
 * providers, and a large module's bytes far more in the interpreter.
 *
 * <p>A digest is recorded only for a file whose last change is two seconds older than the moment
 * its state was read, before its bytes were: any later write to it (or replacement, or
 * {@code touch}) then sets a change time that the file system cannot make equal to the recorded
 * one, even where it counts time in steps of two seconds, and the change time is not one a user
 * can set. A file changed too recently is hashed at each run until it has settled. Where the file
 * system has no Unix attributes, every run hashes its module.
 *
 * <p>Each record is a small file named by a CRC of the path, written to a temporary file and
 * renamed into place, holding the path itself: two paths with the same CRC take turns, which costs
 * only a digest.
 */
final class ModuleDigests {
    private static final int MAGIC = 0x5732_4A44; // "W2JD"
    private static final int FORMAT = 1;
    private static final long SETTLED_MILLIS = 2000;
    private static final int DIGEST_BYTES = 32;

    private final Path directory;

    ModuleDigests(Path directory) {
        this.directory = directory;
    }

    /**
     * What a module file is at one moment.
     *
     * @param observedMillis when the state was read, by the system clock
     */
    record FileState(Path path, long device, long inode, long size, long modifiedNanos, long changedNanos,
                     long observedMillis) {
        /** Whether nothing but the moment of observation differs. */
        boolean sameFile(FileState other) {
            return path.equals(other.path) && device == other.device && inode == other.inode && size == other.size
                    && modifiedNanos == other.modifiedNanos && changedNanos == other.changedNanos;
        }

        /** Whether the file had been left alone long enough before it was observed for its digest to be kept. */
        boolean settled() {
            long settledBefore = TimeUnit.MILLISECONDS.toNanos(observedMillis - SETTLED_MILLIS);
            return modifiedNanos < settledBefore && changedNanos < settledBefore;
        }
    }

    /**
     * The state of the file at {@code module} now, or null when it cannot be read, has no Unix
     * attributes or is no regular file (a pipe's or a device's bytes are not the same at each run).
     */
    static FileState state(Path module) {
        try {
            long now = System.currentTimeMillis();
            Path path = module.toAbsolutePath().normalize();
            Map<String, Object> a = Files.readAttributes(path, "unix:isRegularFile,dev,ino,size,lastModifiedTime,ctime");
            if (!Boolean.TRUE.equals(a.get("isRegularFile"))) return null;
            return new FileState(path, (Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                    nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")), now);
        } catch (IOException | RuntimeException e) {
            // No such file, or a file system without the "unix" view: the module is read and hashed.
            return null;
        }
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    /** The SHA-256 of {@code bytes}. */
    static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    /** A SHA-256 digest to update piece by piece. */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The digest recorded for the file in {@code state}, or null if there is none for it as it is now. */
    byte[] recorded(FileState state) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(record(state.path()));
        } catch (IOException e) {
            return null;
        }
        if (bytes.length < Integer.BYTES) return null;
        int contentLength = bytes.length - Integer.BYTES;
        CRC32C checksum = new CRC32C();
        checksum.update(bytes, 0, contentLength);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) return null;
            FileState recorded = new FileState(Path.of(in.readUTF()), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), 0);
            byte[] digest = new byte[DIGEST_BYTES];
            in.readFully(digest);
            if (in.available() != Integer.BYTES || in.readInt() != (int) checksum.getValue()) return null;
            return recorded.sameFile(state) ? digest : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Records {@code digest} for the file in {@code state}, its state before its bytes were read,
     * if it had settled then; does nothing when the folder cannot be written.
     */
    void record(FileState state, byte[] digest) {
        if (!state.settled()) return;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(state.path().toString());
            out.writeLong(state.device());
            out.writeLong(state.inode());
            out.writeLong(state.size());
            out.writeLong(state.modifiedNanos());
            out.writeLong(state.changedNanos());
            out.write(digest);
            out.flush();
            CRC32C checksum = new CRC32C();
            checksum.update(buffer.toByteArray());
            out.writeInt((int) checksum.getValue());
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to be written", e);
        }
        RunCache.replace(directory, record(state.path()), buffer.toByteArray());
    }

    /** The file of {@code path}'s record. */
    private Path record(Path path) {
        CRC32C crc = new CRC32C();
        crc.update(path.toString().getBytes(StandardCharsets.UTF_8));
        return directory.resolve(HexFormat.of().toHexDigits((int) crc.getValue()) + ".digest");
    }
}
