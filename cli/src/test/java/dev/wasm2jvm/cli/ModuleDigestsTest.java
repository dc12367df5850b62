package dev.wasm2jvm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.cli.ModuleDigests.FileState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleDigestsTest {
    /** The moment to observe a file as if it had been left alone since it was written. */
    private static final long LATER_MILLIS = 10_000;

    /** {@code state} as observed {@code millis} later. */
    private static FileState later(FileState state, long millis) {
        return new FileState(state.path(), state.device(), state.inode(), state.size(), state.modifiedNanos(),
                state.changedNanos(), state.observedMillis() + millis);
    }

    private static List<Path> records(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    @Test
    void theDigestIsTheJdksSha256() throws Exception {
        byte[] bytes = "module".getBytes();
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes), ModuleDigests.sha256(bytes));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(ModuleDigests.sha256(new byte[0])));
    }

    @Test
    void aSettledFilesDigestIsTakenWhileTheFileIsUnchanged(@TempDir Path dir) throws IOException {
        Path module = dir.resolve("m.wasm");
        Files.write(module, new byte[] {1, 2, 3});
        ModuleDigests digests = new ModuleDigests(dir.resolve("cache"));
        FileState state = later(ModuleDigests.state(module), LATER_MILLIS);
        byte[] digest = ModuleDigests.sha256(new byte[] {1, 2, 3});

        assertTrue(state.settled());
        assertNull(digests.recorded(state));
        digests.record(state, digest);
        assertEquals(1, records(dir.resolve("cache")).size());
        assertArrayEquals(digest, digests.recorded(ModuleDigests.state(module)));
        // The same file by another spelling of its path.
        assertArrayEquals(digest, digests.recorded(ModuleDigests.state(dir.resolve("x/../m.wasm"))));
    }

    /**
     * A file rewritten with bytes of the same length and its modification time set back is still
     * told apart: its change time moved, which nothing can set back.
     */
    @Test
    void aRewrittenFileIsHashedAgainEvenWithItsOldSizeAndModificationTime(@TempDir Path dir) throws Exception {
        Path module = dir.resolve("m.wasm");
        Files.write(module, new byte[] {1, 2, 3});
        FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(module, modified);
        ModuleDigests digests = new ModuleDigests(dir.resolve("cache"));
        digests.record(later(ModuleDigests.state(module), LATER_MILLIS), ModuleDigests.sha256(new byte[] {1, 2, 3}));
        assertNotNull(digests.recorded(ModuleDigests.state(module)));

        // Past the file system's clock tick, so that the change is a later time.
        Thread.sleep(50);
        Files.write(module, new byte[] {4, 5, 6});
        Files.setLastModifiedTime(module, modified);

        FileState rewritten = ModuleDigests.state(module);
        assertEquals(3, rewritten.size());
        assertEquals(modified.to(java.util.concurrent.TimeUnit.NANOSECONDS), rewritten.modifiedNanos());
        assertNull(digests.recorded(rewritten));
    }

    @Test
    void aFileChangedJustBeforeItIsReadIsNotRecorded(@TempDir Path dir) throws IOException {
        Path module = dir.resolve("m.wasm");
        Files.write(module, new byte[] {1, 2, 3});
        Path cache = dir.resolve("cache");
        ModuleDigests digests = new ModuleDigests(cache);
        FileState state = ModuleDigests.state(module);

        assertFalse(state.settled());
        assertFalse(later(state, 1000).settled());
        digests.record(state, ModuleDigests.sha256(new byte[] {1, 2, 3}));
        assertFalse(Files.exists(cache));
    }

    @Test
    void aDamagedOrForeignRecordIsIgnored(@TempDir Path dir) throws IOException {
        Path module = dir.resolve("m.wasm");
        Files.write(module, new byte[] {1, 2, 3});
        Path cache = dir.resolve("cache");
        ModuleDigests digests = new ModuleDigests(cache);
        FileState state = later(ModuleDigests.state(module), LATER_MILLIS);
        digests.record(state, ModuleDigests.sha256(new byte[] {1, 2, 3}));
        Path record = records(cache).get(0);
        byte[] bytes = Files.readAllBytes(record);

        bytes[bytes.length - 10] ^= 1;
        Files.write(record, bytes);
        assertNull(digests.recorded(state));

        Files.write(record, new byte[] {1});
        assertNull(digests.recorded(state));

        // Another file's state under this path's name, as when two paths' CRCs are equal.
        Path other = dir.resolve("other.wasm");
        Files.write(other, new byte[] {1, 2, 3});
        digests.record(state, ModuleDigests.sha256(new byte[] {1, 2, 3}));
        FileState otherState = ModuleDigests.state(other);
        assertNull(digests.recorded(new FileState(state.path(), otherState.device(), otherState.inode(),
                otherState.size(), otherState.modifiedNanos(), otherState.changedNanos(), 0)));
    }

    @Test
    void aMissingFileHasNoState(@TempDir Path dir) {
        assertNull(ModuleDigests.state(dir.resolve("missing.wasm")));
    }
}
