package dev.wasm2jvm.fuzz;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.wasi.WasiExit;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Random sequences of WASI preview1 calls, with random and hostile arguments (huge lengths, pointers
 * out of bounds, bad descriptors, odd flags, paths that climb out, symbolic links placed by the
 * host that lead out), against {@link WasiPreview1} as a guest reaches it: its imported functions,
 * called with a guest memory of one page.
 *
 * <p>The guest's preopen is {@code sandbox/} of a temporary directory; beside it, {@code sentinel/}
 * holds files the guest must never reach, and {@code sandbox/} starts with links into it. Each
 * sequence is checked for: no exception but a wasm trap escaping a call ({@code proc_exit}'s
 * {@link WasiExit} ends a sequence), every result an errno of preview1 (0 to 76), no call taking
 * longer than {@link #CALL_SECONDS}, nothing read from outside reaching guest memory
 * ({@link #leaked}), and the tree outside {@code sandbox/} (names, types, sizes, modification times
 * and contents) unchanged.
 */
final class WasiSequenceFuzzer {
    /** The largest errno of preview1 ({@code notcapable}). */
    static final int MAX_ERRNO = 76;
    /** Longer than any call may take: every poll_oneoff made here has a clock of at most 10 ms. */
    static final int CALL_SECONDS = 10;

    /** The contents of every file outside the sandbox, and the name of one; see {@link #leaked}. */
    private static final String OUTSIDE_CONTENT = "SENTINEL-CONTENT-7f3a\n";
    private static final String OUTSIDE_NAME = "zz-listed-only-outside";
    private static final int PAGE = Memory.PAGE_SIZE;
    private static final int SCRATCH = 0;
    private static final int PATHS = 4096;
    private static final int IOVECS = 8192;
    private static final int SUBSCRIPTIONS = 12288;
    private static final int BUFFERS = 16384;

    /** Paths a guest might try: ordinary ones, ones that climb out, odd encodings, the host's links. */
    private static final List<byte[]> PATH_POOL = Stream.of(
                    "a", "b", "a/b", "d", "d/e", "d/e/f", "f.txt", ".", "..", "../", "./a", "a//b", "d/", "d/..",
                    "d/../..", "../sentinel", "../sentinel/secret", "a/../../sentinel/secret", "/", "/etc/passwd",
                    "escape", "escape/secret", "escape/dir/inner", "absolute", "absolute/secret", "loop", "d/up",
                    "d/up/sentinel/secret", "x".repeat(300), "a\0b", "\u00e9t\u00e9", "")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    private static final byte[] INVALID_UTF8 = {(byte) 0xff, (byte) 0xfe, 'a'};

    private static final List<String> FUNCTIONS = List.of("args_get", "args_sizes_get", "environ_get",
            "environ_sizes_get", "clock_res_get", "clock_time_get", "fd_advise", "fd_allocate", "fd_close",
            "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get",
            "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name",
            "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
            "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link", "path_open",
            "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file",
            "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept", "sock_recv",
            "sock_send", "sock_shutdown");

    /** The figures of a run, and every violation found (empty when the host held). */
    static final class Report {
        int sequences;
        int calls;
        final Map<String, Integer> errnos = new TreeMap<>();
        final Map<String, Integer> traps = new TreeMap<>();
        final List<String> violations = new ArrayList<>();

        @Override
        public String toString() {
            return "sequences: " + sequences + ", calls: " + calls + ", violations: " + violations.size()
                    + ", traps: " + traps + ", results: " + errnos;
        }
    }

    private final SplittableRandom random;
    private final Memory memory = new Memory(1, 1, false);
    private final Map<String, FuncRef> functions = new TreeMap<>();
    private final List<Integer> fds = new ArrayList<>(List.of(0, 1, 2, 3));
    private final StringBuilder trail = new StringBuilder();
    /** The path {@link #path} wrote last, for the length argument after it. */
    private byte[] lastPath;
    /** The entries {@link #iovecs} wrote last, for the count argument after it. */
    private int iovecCount;
    /** Set when proc_exit ended the sequence. */
    private boolean exited;

    private WasiSequenceFuzzer(long seed, WasiPreview1 wasi) {
        this.random = new SplittableRandom(seed);
        Imports imports = new Imports();
        wasi.addTo(imports);
        for (String name : FUNCTIONS) functions.put(name, (FuncRef) imports.get(WasiPreview1.MODULE, name));
        wasi.bind(memory);
    }

    /** Runs {@code sequences} sequences of {@code calls} calls each, the first seeded with {@code seed}. */
    static Report run(long seed, int sequences, int calls, Path scratch) throws IOException {
        Report report = new Report();
        for (int s = 0; s < sequences; s++) {
            // A thread per sequence: a call that never returns leaves its thread behind, not the run.
            ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "wasi-fuzz");
                t.setDaemon(true);
                return t;
            });
            try {
                runSequence(seed + s, calls, scratch, caller, report);
            } finally {
                caller.shutdownNow();
            }
        }
        return report;
    }

    private static void runSequence(long seed, int calls, Path scratch, ExecutorService caller, Report report)
            throws IOException {
        Path root = Files.createTempDirectory(scratch, "wasi-fuzz-");
        try {
            Path sandbox = Files.createDirectories(root.resolve("sandbox"));
            Path sentinel = Files.createDirectories(root.resolve("sentinel"));
            Files.writeString(sentinel.resolve("secret"), OUTSIDE_CONTENT);
            Files.createDirectories(sentinel.resolve("dir"));
            Files.writeString(sentinel.resolve("dir/inner"), OUTSIDE_CONTENT);
            Files.writeString(sentinel.resolve(OUTSIDE_NAME), OUTSIDE_CONTENT);
            Files.writeString(root.resolve("outside.txt"), OUTSIDE_CONTENT);
            Files.createDirectories(sandbox.resolve("d"));
            Files.writeString(sandbox.resolve("a"), "hello\n");
            Files.createSymbolicLink(sandbox.resolve("escape"), Path.of("../sentinel"));
            Files.createSymbolicLink(sandbox.resolve("absolute"), sentinel.toAbsolutePath());
            Files.createSymbolicLink(sandbox.resolve("loop"), Path.of("loop"));
            Files.createSymbolicLink(sandbox.resolve("d/up"), Path.of("../.."));
            Map<String, String> before = snapshot(root, sandbox);

            WasiOptions options = WasiOptions.builder().args("fuzz", "arg").env("NAME", "value")
                    .preopenDirectory(sandbox, "/sandbox").stdin(new ByteArrayInputStream(new byte[] {'i', 'n'}))
                    .stdout(OutputStream.nullOutputStream()).stderr(OutputStream.nullOutputStream()).build();
            String trail;
            try (WasiPreview1 wasi = new WasiPreview1(options)) {
                WasiSequenceFuzzer fuzzer = new WasiSequenceFuzzer(seed, wasi);
                trail = "";
                report.sequences++;
                for (int i = 0; i < calls; i++) {
                    report.calls++;
                    String outcome = fuzzer.callOne(caller, report);
                    if (outcome != null) {
                        report.violations.add("seed " + seed + ", call " + (i + 1) + ": " + outcome + "\n  sequence: " + fuzzer.trail);
                        break;
                    }
                    if (fuzzer.exited) break;
                }
                trail = fuzzer.trail.toString();
            }
            Map<String, String> after = snapshot(root, sandbox);
            if (!after.equals(before)) {
                report.violations.add("seed " + seed + ": outside the sandbox changed: before " + before + ", after " + after
                        + "\n  sequence: " + trail);
            }
        } finally {
            deleteTree(root);
        }
    }

    /** Makes one random call; returns a violation, or null. */
    private String callOne(ExecutorService caller, Report report) {
        String name = FUNCTIONS.get(random.nextInt(FUNCTIONS.size()));
        // proc_exit ends the sequence: made a fifth as often as the others, sequences run longer.
        if (name.equals("proc_exit") && random.nextInt(5) != 0) name = "sched_yield";
        FuncRef f = functions.get(name);
        Object[] args = arguments(name, f.type);
        trail.append(name).append(Arrays.toString(args)).append(' ');
        Future<Object[]> call = caller.submit(() -> f.call(args));
        Object[] result;
        try {
            result = call.get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return name + " did not return within " + CALL_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof WasiExit) {
                exited = true;
                return null;
            }
            if (t instanceof WasmTrap trap) {
                report.traps.merge(name + ": " + trap.getMessage(), 1, Integer::sum);
                return null;
            }
            return name + " threw " + t;
        }
        String leaked = leaked();
        if (leaked != null) return name + " brought " + leaked + " into guest memory";
        int errno = (Integer) result[0];
        if (errno < 0 || errno > MAX_ERRNO) return name + " returned " + errno + ", not a preview1 errno";
        report.errnos.merge(errno == 0 ? "success" : "errno " + errno, 1, Integer::sum);
        if (errno == 0) track(name, args);
        return null;
    }

    /**
     * Which bytes from outside the sandbox are in guest memory, if any: the sentinel's file contents,
     * the name only a listing of the sentinel shows, or the host's password file. Reading or listing
     * outside leaves one of them in memory; no path or data the fuzzer writes contains them.
     */
    private String leaked() {
        byte[] bytes = new byte[PAGE];
        memory.readBytes(0, bytes, 0, PAGE);
        for (String marker : List.of(OUTSIDE_CONTENT, OUTSIDE_NAME, "root:x:0:0")) {
            byte[] m = marker.getBytes(StandardCharsets.UTF_8);
            search:
            for (int i = 0; i + m.length <= bytes.length; i++) {
                for (int j = 0; j < m.length; j++) if (bytes[i + j] != m[j]) continue search;
                return "\"" + marker + "\"";
            }
        }
        return null;
    }

    /** Follows the descriptors that path_open opened and fd_close closed, so that later calls use them. */
    private void track(String name, Object[] args) {
        if (name.equals("path_open")) {
            int at = (Integer) args[8];
            if (at >= 0 && at + 4 <= PAGE) fds.add(memory.readI32(at));
        } else if (name.equals("fd_close") && fds.size() > 4) {
            fds.remove((Integer) args[0]);
        }
    }

    private Object[] arguments(String name, String type) {
        return switch (name) {
            case "path_open" -> new Object[] {fd(), lookupFlags(), path(), lenOf(lastPath), flags(4), rights(), rights(),
                    flags(5), out()};
            case "path_create_directory", "path_remove_directory", "path_unlink_file" ->
                    new Object[] {fd(), path(), lenOf(lastPath)};
            case "path_filestat_get" -> new Object[] {fd(), lookupFlags(), path(), lenOf(lastPath), out()};
            case "path_filestat_set_times" -> new Object[] {fd(), lookupFlags(), path(), lenOf(lastPath), i64(), i64(),
                    flags(4)};
            case "path_link" -> new Object[] {fd(), lookupFlags(), path(), lenOf(lastPath), fd(), path(), lenOf(lastPath)};
            case "path_rename" -> new Object[] {fd(), path(), lenOf(lastPath), fd(), path(), lenOf(lastPath)};
            case "path_symlink" -> new Object[] {path(), lenOf(lastPath), fd(), path(), lenOf(lastPath)};
            case "path_readlink" -> new Object[] {fd(), path(), lenOf(lastPath), buffer(), length(), out()};
            case "fd_read", "fd_write" -> new Object[] {fd(), iovecs(), iovecCount, out()};
            case "fd_pread", "fd_pwrite" -> new Object[] {fd(), iovecs(), iovecCount, offset(), out()};
            case "sock_recv" -> new Object[] {fd(), iovecs(), iovecCount, flags(2), out(), out()};
            case "sock_send" -> new Object[] {fd(), iovecs(), iovecCount, flags(2), out()};
            case "fd_readdir" -> new Object[] {fd(), buffer(), length(), i64(), out()};
            case "fd_prestat_dir_name", "random_get" -> name.equals("random_get")
                    ? new Object[] {buffer(), length()} : new Object[] {fd(), buffer(), length()};
            case "poll_oneoff" -> poll();
            case "proc_exit" -> new Object[] {random.nextInt(256)};
            default -> generic(type);
        };
    }

    /** Arguments by type alone: descriptors first, then pointers, lengths and 64-bit values. */
    private Object[] generic(String type) {
        int colon = type.indexOf(':');
        Object[] args = new Object[colon];
        for (int i = 0; i < colon; i++) {
            // Boxed one by one: in one conditional expression the ints would be widened to long.
            if (type.charAt(i) == 'l') {
                args[i] = i64();
            } else {
                args[i] = i == 0 ? fd() : i == colon - 1 ? out() : smallOrHostile();
            }
        }
        return args;
    }

    private int fd() {
        int pick = random.nextInt(10);
        if (pick < 8) return fds.get(random.nextInt(fds.size()));
        return new int[] {-1, 4, 5, 64, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE}[random.nextInt(7)];
    }

    /** A path written into guest memory; its pointer. {@link #lastPath} is set for {@link #lenOf}. */
    private int path() {
        byte[] p = random.nextInt(20) == 0 ? INVALID_UTF8 : PATH_POOL.get(random.nextInt(PATH_POOL.size()));
        int at = PATHS + random.nextInt(IOVECS - PATHS - p.length);
        memory.writeBytes(at, p, 0, p.length);
        lastPath = p;
        if (random.nextInt(12) == 0) {
            lastPath = null;
            return new int[] {PAGE - 1, PAGE, -1, Integer.MAX_VALUE}[random.nextInt(4)];
        }
        return at;
    }

    /** The length of the path just written; now and then a hostile one. */
    private int lenOf(byte[] path) {
        if (path == null || random.nextInt(12) == 0) return smallOrHostile();
        return path.length;
    }

    private int lookupFlags() {
        return random.nextBoolean() ? random.nextInt(2) : random.nextInt();
    }

    /** Flags of {@code bits} meaningful bits, or any 32 bits. */
    private int flags(int bits) {
        return random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(1 << bits);
    }

    private long rights() {
        return random.nextBoolean() ? -1L : random.nextLong();
    }

    /** An out pointer: mostly in the scratch area, sometimes at or past the end of memory. */
    private int out() {
        int pick = random.nextInt(10);
        if (pick < 7) return SCRATCH + 8 * random.nextInt(512);
        if (pick < 9) return random.nextInt(PAGE);
        return new int[] {PAGE - 1, PAGE - 3, PAGE, -1, Integer.MIN_VALUE}[random.nextInt(5)];
    }

    private int buffer() {
        return random.nextInt(10) < 9 ? BUFFERS + random.nextInt(PAGE - BUFFERS) : new int[] {PAGE, -1, PAGE - 1}[random.nextInt(3)];
    }

    /** A length: mostly small, sometimes the whole of memory or far more. */
    private int length() {
        int pick = random.nextInt(10);
        if (pick < 6) return random.nextInt(256);
        if (pick < 8) return random.nextInt(PAGE);
        return new int[] {PAGE, Integer.MAX_VALUE, -1, 1 << 30}[random.nextInt(4)];
    }

    private int smallOrHostile() {
        return random.nextInt(4) == 0 ? new int[] {-1, PAGE, Integer.MAX_VALUE, 1 << 30}[random.nextInt(4)] : random.nextInt(64);
    }

    /**
     * An offset for pread and pwrite: small, or past what any file system takes. The range between is
     * left out: a write there would make a sparse file of terabytes in the temporary directory.
     */
    private long offset() {
        return random.nextInt(4) == 0 ? new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62}[random.nextInt(4)]
                : random.nextInt(1 << 16);
    }

    private long i64() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Long.MAX_VALUE;
            case 3 -> Long.MIN_VALUE;
            case 4 -> 1L << 62;
            default -> random.nextInt(1 << 20);
        };
    }

    /** An iovec array of 0 to 4 entries, or a hostile one; sets {@link #iovecCount}. */
    private int iovecs() {
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            memory.writeI32(IOVECS + 8 * i, buffer());
            memory.writeI32(IOVECS + 8 * i + 4, length());
        }
        iovecCount = random.nextInt(10) == 0 ? new int[] {-1, 1 << 20, Integer.MAX_VALUE}[random.nextInt(3)] : n;
        return random.nextInt(15) == 0 ? PAGE - 4 : IOVECS;
    }

    /**
     * poll_oneoff's arguments: the first subscription always a relative clock of at most 10 ms, so
     * that no sequence can block for long; the others of any type, on any descriptor, with any flags.
     */
    private Object[] poll() {
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            int at = SUBSCRIPTIONS + 48 * i;
            byte[] junk = new byte[48];
            random.nextBytes(junk);
            memory.writeBytes(at, junk, 0, 48);
            if (i == 0) {
                memory.writeBytes(at + 8, new byte[] {0}, 0, 1);
                memory.writeI32(at + 16, random.nextInt(4));
                memory.writeI64(at + 24, random.nextInt(10_000_000));
                memory.writeI64(at + 32, 0);
                memory.writeBytes(at + 40, new byte[] {0, 0}, 0, 2);
            } else if (random.nextBoolean()) {
                memory.writeBytes(at + 8, new byte[] {(byte) (1 + random.nextInt(2))}, 0, 1);
                memory.writeI32(at + 16, fd());
            }
        }
        int count = random.nextInt(10) == 0 ? new int[] {0, 1 << 20, -1}[random.nextInt(3)] : n;
        return new Object[] {SUBSCRIPTIONS, BUFFERS, count, out()};
    }

    /**
     * Every entry below {@code root} except inside {@code sandbox}, links not followed: its type,
     * size, modification time and, for files, contents.
     */
    static Map<String, String> snapshot(Path root, Path sandbox) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                if (p.startsWith(sandbox) && !p.equals(sandbox)) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String content = a.isRegularFile() ? Arrays.toString(Files.readAllBytes(p)) : "";
                String times = p.equals(sandbox) ? "" : a.lastModifiedTime().toString();
                entries.put(root.relativize(p).toString(), (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f")
                        + " " + (a.isDirectory() ? "" : a.size()) + " " + times + " " + content);
            }
        }
        return entries;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // A directory a guest made unwritable: let the owner back in, then delete.
                    p.toFile().setWritable(true);
                    Files.deleteIfExists(p);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * {@code fuzz/run.sh wasi [--sequences N] [--calls N] [--seed S]}: prints the figures and each
     * violation; exits with status 1 when there is one.
     */
    public static void main(String[] args) throws IOException {
        long seed = 1;
        int sequences = 1000;
        int calls = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sequences" -> sequences = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: run.sh wasi [--sequences N] [--calls N] [--seed S]");
                    System.exit(2);
                }
            }
        }
        Path scratch = Files.createDirectories(Path.of(System.getProperty("wasm2jvm.fuzz.dir", ""), "target", "wasi-fuzz")
                .toAbsolutePath());
        Report report = run(seed, sequences, calls, scratch);
        report.violations.forEach(System.out::println);
        System.out.println(report);
        System.exit(report.violations.isEmpty() ? 0 : 1);
    }
}
