package dev.wasm2jvm.cli;

import static dev.wasm2jvm.cli.ModuleDigests.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.cli.Cli.Outcome;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.text.Wat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCacheTest {
    private static final Path CAT = Cli.sample().resolve("cat.wasm");
    private static final Outcome GREETING = new Outcome(0, "hey from cat.wasm, with 0 file(s)\n0 line(s)\n", "");

    private static Outcome run(Path cache, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--env", "GREETING=hey", "--cache-dir", cache.toString()));
        args.addAll(List.of(extra));
        args.add(CAT.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    /** The files of the cache but the records of module digests: entries, and any temporary file left. */
    private static List<Path> entries(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) return List.of();
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".digest")).sorted().toList();
        }
    }

    @Test
    void aMissCompilesAndKeepsTheClassesAHitUsesThem(@TempDir Path cache) throws IOException {
        assertEquals(GREETING, run(cache));
        List<Path> entries = entries(cache);
        assertEquals(1, entries.size(), entries.toString());
        Path entry = entries.get(0);
        assertTrue(entry.getFileName().toString().endsWith(".classes"), entry.toString());
        // A hit reads the entry and writes nothing: an entry dated in the past stays so.
        FileTime past = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(entry, past);
        assertEquals(GREETING, run(cache));
        assertEquals(List.of(entry), entries(cache));
        assertEquals(past, Files.getLastModifiedTime(entry));
    }

    @Test
    void theCachedClassesAreTheCompiledOnes(@TempDir Path cache) throws IOException {
        assertCachedAsCompiled(cache, Files.readAllBytes(CAT));
    }

    @Test
    void theDataResourceIsCachedWithTheClasses(@TempDir Path cache) {
        // More data than a module class keeps itself: they are a resource beside the classes.
        byte[] wasm = Wat.toBinary("(module (memory 2) (data (i32.const 0) \"" + "wasm".repeat(20_000) + "\"))");
        Map<String, byte[]> resources = assertCachedAsCompiled(cache, wasm);
        assertFalse(resources.isEmpty());
    }

    /** Stores the module compiled from {@code wasm}, checks that it loads back the same, and returns its resources. */
    private static Map<String, byte[]> assertCachedAsCompiled(Path cache, byte[] wasm) {
        RunCache runCache = new RunCache(cache, "compiler 1");
        assertNull(runCache.load(sha256(wasm)));
        CompiledModule compiled = WasmCompiler.compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME);
        runCache.store(sha256(wasm), compiled);
        CachedModule loaded = runCache.load(sha256(wasm));
        assertNotNull(loaded);
        assertEquals(compiled.className(), loaded.className());
        Map<String, byte[]> expected = compiled.classFiles();
        Map<String, byte[]> actual = loaded.classFiles();
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) assertArrayEquals(expected.get(name), actual.get(name), name);
        Map<String, byte[]> resources = compiled.resources();
        assertEquals(resources.keySet(), loaded.resources().keySet());
        for (String name : resources.keySet()) assertArrayEquals(resources.get(name), loaded.resources().get(name), name);
        return resources;
    }

    @Test
    void anotherCompilerOrAnotherModuleMisses(@TempDir Path cache) throws IOException {
        byte[] wasm = Files.readAllBytes(CAT);
        new RunCache(cache, "compiler 1").store(sha256(wasm), WasmCompiler.compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME));
        assertNotNull(new RunCache(cache, "compiler 1").load(sha256(wasm)));
        assertNull(new RunCache(cache, "compiler 2").load(sha256(wasm)));
        byte[] other = wasm.clone();
        other[other.length - 1] ^= 1;
        assertNull(new RunCache(cache, "compiler 1").load(sha256(other)));
        assertNotEquals(new RunCache(cache, "compiler 1").entry(sha256(wasm)), new RunCache(cache, "compiler 2").entry(sha256(wasm)));
    }

    @Test
    void aCorruptedEntryIsDetectedAndRebuilt(@TempDir Path cache) throws IOException {
        assertEquals(GREETING, run(cache));
        Path entry = entries(cache).get(0);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(entry, bytes);
        byte[] wasm = Files.readAllBytes(CAT);
        assertNull(new RunCache(cache, RunCache.compilerId()).load(sha256(wasm)));

        Files.write(entry, bytes);
        assertEquals(GREETING, run(cache));
        assertNotNull(new RunCache(cache, RunCache.compilerId()).load(sha256(wasm)), "the entry was written again");

        // A truncated entry too.
        Files.write(entry, Arrays.copyOf(Files.readAllBytes(entry), 100));
        assertEquals(GREETING, run(cache));
        assertNotNull(new RunCache(cache, RunCache.compilerId()).load(sha256(wasm)));
    }

    @Test
    void runsAtOnceOnAnEmptyCacheAllSucceedAndLeaveOneWholeEntry(@TempDir Path cache) throws Exception {
        int runs = 4;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                outcomes.add(pool.submit((Callable<Outcome>) () -> {
                    start.await();
                    return run(cache);
                }));
            }
            start.countDown();
            for (Future<Outcome> outcome : outcomes) assertEquals(GREETING, outcome.get(120, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        List<Path> entries = entries(cache);
        assertEquals(1, entries.size(), "no temporary file is left: " + entries);
        assertNotNull(new RunCache(cache, RunCache.compilerId()).load(sha256(Files.readAllBytes(CAT))));
    }

    @Test
    void runsThatFindTheEntryWhileOthersRewriteItSeeItWhole(@TempDir Path cache) throws Exception {
        byte[] wasm = Files.readAllBytes(CAT);
        CompiledModule compiled = WasmCompiler.compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME);
        RunCache runCache = new RunCache(cache, "compiler 1");
        runCache.store(sha256(wasm), compiled);
        int rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> readers = new ArrayList<>();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) runCache.store(sha256(wasm), compiled);
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    int hits = 0;
                    for (int i = 0; i < rounds; i++) {
                        CachedModule loaded = runCache.load(sha256(wasm));
                        if (loaded == null) continue;
                        assertEquals(compiled.classFiles().keySet(), loaded.classFiles().keySet());
                        hits++;
                    }
                    return hits;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) writer.get(120, TimeUnit.SECONDS);
            // An entry is renamed into place whole: a reader finds the old one or the new one, never
            // a part that it would take for damaged and delete.
            for (Future<Integer> reader : readers) assertEquals(rounds, reader.get(120, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, entries(cache).size(), "no temporary file is left: " + entries(cache));
    }

    @Test
    void noCacheKeepsNothing(@TempDir Path cache) throws IOException {
        assertEquals(GREETING, run(cache, "--no-cache"));
        assertEquals(List.of(), entries(cache));
    }

    @Test
    void theDefaultFolderFollowsXdg() {
        assertEquals(Path.of("/var/cache/me/wasm2jvm"), RunCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "/home/me"));
        assertEquals(Path.of("/home/me/.cache/wasm2jvm"), RunCache.defaultDirectory(Map.of(), "/home/me"));
        // The specification has relative values ignored.
        assertEquals(Path.of("/home/me/.cache/wasm2jvm"), RunCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "cache"), "/home/me"));
    }

    @Test
    void anUnwritableCacheFolderDoesNotStopTheRun(@TempDir Path dir) throws IOException {
        Path notAFolder = dir.resolve("file");
        Files.writeString(notAFolder, "x");
        assertEquals(GREETING, run(notAFolder.resolve("cache")));
        assertFalse(Files.exists(notAFolder.resolve("cache")));
    }
}
