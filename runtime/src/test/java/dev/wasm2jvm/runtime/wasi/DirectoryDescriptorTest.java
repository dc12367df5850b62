package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fd_readdir's listing: cookies that resume where a buffer ended, from any of them, however the
 * directory changed meanwhile; cookies no listing gave; no copy of the directory held.
 */
class DirectoryDescriptorTest {
    private static final int PREOPEN = 3;
    private static final int DIRENT_SIZE = 24;

    @TempDir
    Path dir;

    Guest g;

    @BeforeEach
    void setUp() throws IOException {
        g = new Guest(WasiOptions.builder().preopenDirectory(dir, "sandbox").build(), 4);
    }

    /** One complete dirent as the guest reads it. */
    record Dirent(long next, long ino, String name, byte type) {}

    /** The complete dirents fd_readdir puts in a buffer of {@code size} bytes from {@code cookie}. */
    private List<Dirent> readdir(int fd, long cookie, int size) {
        int buf = g.alloc(size);
        int used = g.alloc(4);
        g.ok("fd_readdir", fd, buf, size, cookie, used);
        return complete(buf, g.i32(used));
    }

    /** The complete dirents in the {@code used} bytes at {@code buf}: the last may be cut short. */
    private List<Dirent> complete(int buf, int used) {
        List<Dirent> entries = new ArrayList<>();
        for (int at = buf; at + DIRENT_SIZE <= buf + used; ) {
            int namlen = g.i32(at + 16);
            if (at + DIRENT_SIZE + namlen > buf + used) break;
            entries.add(new Dirent(g.i64(at), g.i64(at + 8), g.text(at + DIRENT_SIZE, namlen), g.read(at + 20, 1)[0]));
            at += DIRENT_SIZE + namlen;
        }
        return entries;
    }

    /**
     * The whole listing, paged as wasi-libc's {@code readdir} does: with buffers of {@code size}
     * bytes, each call from the cookie of the last complete entry of the one before, until a call
     * fills less than its buffer.
     */
    private List<Dirent> listAll(int fd, int size) {
        List<Dirent> all = new ArrayList<>();
        int buf = g.alloc(size);
        int used = g.alloc(4);
        long cookie = 0;
        while (true) {
            g.ok("fd_readdir", fd, buf, size, cookie, used);
            List<Dirent> page = complete(buf, g.i32(used));
            all.addAll(page);
            if (g.i32(used) < size) return all;
            cookie = page.getLast().next();
        }
    }

    private static List<String> names(List<Dirent> entries) {
        return entries.stream().map(Dirent::name).toList();
    }

    private void createFiles(int count, String prefix) throws IOException {
        for (int i = 0; i < count; i++) Files.createFile(dir.resolve(prefix + i));
    }

    /**
     * From every cookie of a pass, and from 0, a buffer exactly one entry long holds the entry
     * that followed that cookie in the pass, with the same cookie of its own: a listing resumes
     * exactly where any buffer ended.
     */
    @Test
    void aListingResumesFromEveryCookieOfAPass() throws IOException {
        for (int i = 0; i < 60; i++) Files.createFile(dir.resolve("n".repeat(1 + i % 17) + i));
        Files.createDirectory(dir.resolve("sub"));
        List<Dirent> pass = readdir(PREOPEN, 0, 8192);
        assertEquals(63, pass.size(), "60 files, sub, . and ..");
        long previous = 0;
        for (Dirent expected : pass) {
            assertEquals(List.of(expected), readdir(PREOPEN, previous, DIRENT_SIZE + Guest.length(expected.name())));
            previous = expected.next();
        }
        assertEquals(List.of(), readdir(PREOPEN, previous, 4096), "nothing after the last cookie");

        int longest = DIRENT_SIZE + pass.stream().mapToInt(d -> Guest.length(d.name())).max().orElseThrow();
        assertEquals(pass, listAll(PREOPEN, longest), "paged by buffers one entry long");
    }

    /** Every entry, once, with its type; {@code ..} is the directory itself, whatever is above it. */
    @Test
    void aListingHoldsEachEntryOnceAndDotDotIsTheDirectoryItself() throws IOException {
        createFiles(500, "file.");
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("file.0"));
        List<Dirent> all = listAll(PREOPEN, 300);
        Set<String> expected = new TreeSet<>(List.of(".", "..", "sub", "link"));
        for (int i = 0; i < 500; i++) expected.add("file." + i);
        assertEquals(expected, new TreeSet<>(names(all)));
        assertEquals(expected.size(), all.size(), "no entry twice");
        long self = SandboxEscapeTest.inode(dir);
        for (Dirent d : all) {
            switch (d.name()) {
                case ".", ".." -> {
                    assertEquals(self, d.ino(), d.name());
                    assertEquals(Abi.FILETYPE_DIRECTORY, d.type(), d.name());
                }
                case "sub" -> assertEquals(Abi.FILETYPE_DIRECTORY, d.type());
                case "link" -> assertEquals(Abi.FILETYPE_SYMBOLIC_LINK, d.type());
                default -> {
                    assertEquals(Abi.FILETYPE_REGULAR_FILE, d.type(), d.name());
                    assertEquals(SandboxEscapeTest.inode(dir.resolve(d.name())), d.ino(), d.name());
                }
            }
        }
    }

    /**
     * Entries added and removed between the calls of a listing: every entry that existed
     * throughout is listed exactly once, no entry twice, nothing that never existed.
     */
    @Test
    void aDirectoryChangedBetweenCallsListsWhatStayedExactlyOnce() throws IOException {
        createFiles(400, "old.");
        Set<String> listed = new HashSet<>();
        List<String> order = new ArrayList<>();
        long cookie = 0;
        int round = 0;
        while (true) {
            List<Dirent> page = readdir(PREOPEN, cookie, 512);
            if (page.isEmpty()) break;
            for (Dirent d : page) {
                order.add(d.name());
                listed.add(d.name());
                cookie = d.next();
            }
            // Each round adds ten files and removes ten old ones, listed or not.
            for (int i = 0; i < 10; i++) Files.createFile(dir.resolve("new." + round + "." + i));
            for (int i = 0; i < 10; i++) Files.deleteIfExists(dir.resolve("old." + (round * 10 + i) * 7 % 400));
            round++;
        }
        assertTrue(round > 10, "many rounds: " + round);
        assertEquals(order.size(), listed.size(), "no entry twice");
        Set<String> stayed = new TreeSet<>(List.of(".", ".."));
        for (int i = 0; i < 400; i++) {
            if (Files.exists(dir.resolve("old." + i))) stayed.add("old." + i);
        }
        assertFalse(stayed.size() == 402, "some were removed");
        for (String name : stayed) assertTrue(listed.contains(name), name + " existed throughout");
        for (String name : listed) {
            boolean existed = name.equals(".") || name.equals("..") || name.startsWith("old.") || name.startsWith("new.");
            assertTrue(existed, name);
        }
    }

    /**
     * Cookies no listing gave: one of 2<sup>63</sup> or more (negative as an i64) lists nothing;
     * any other lists only the directory's own entries, each at most once, {@code ..} as the
     * directory itself.
     */
    @Test
    void cookiesNoListingGaveListOnlyTheDirectorysEntries() throws IOException {
        createFiles(50, "f");
        Set<String> own = new HashSet<>(List.of(".", ".."));
        for (int i = 0; i < 50; i++) own.add("f" + i);
        for (long cookie : new long[] {-1L, Long.MIN_VALUE, -4096L}) {
            assertEquals(List.of(), readdir(PREOPEN, cookie, 4096), "cookie " + cookie);
        }
        long self = SandboxEscapeTest.inode(dir);
        for (long cookie : new long[] {1, 2, 3, 77, 1L << 31, 1L << 40, 0x1234_5678_9abc_defL, Long.MAX_VALUE - 1,
                Long.MAX_VALUE}) {
            List<Dirent> entries = readdir(PREOPEN, cookie, 8192);
            assertEquals(entries.size(), new HashSet<>(names(entries)).size(),
                    "cookie " + cookie + ": no entry twice");
            for (Dirent d : entries) {
                assertTrue(own.contains(d.name()), "cookie " + cookie + ": " + d.name());
                if (d.name().equals("..")) assertEquals(self, d.ino());
            }
        }
    }

    /**
     * A directory of 20,000 entries: a call allocates a bounded amount of heap whatever the
     * directory's size, from its start or from its middle, and the descriptor keeps nothing that
     * grows with it.
     */
    @Test
    void aListingHoldsNoCopyOfTheDirectory() throws IOException {
        createFiles(20_000, "entry-");
        List<Dirent> first = readdir(PREOPEN, 0, 4096);
        long middle = listAll(PREOPEN, 65536).get(10_000).next();
        for (long cookie : new long[] {0, middle}) {
            long before = allocated();
            List<Dirent> page = readdir(PREOPEN, cookie, 4096);
            long allocated = allocated() - before;
            assertFalse(page.isEmpty());
            // The old listing copied the directory: 20,000 entries of some 100 bytes each.
            assertTrue(allocated < 256 << 10, "cookie " + cookie + ": " + allocated + " bytes allocated");
        }
        assertEquals(first, readdir(PREOPEN, 0, 4096));
        for (Class<?> c = DirectoryDescriptor.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Class<?> type = f.getType();
                boolean grows = type.isArray() || Collection.class.isAssignableFrom(type)
                        || Map.class.isAssignableFrom(type);
                assertFalse(grows, "a directory descriptor holds no " + f);
            }
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
