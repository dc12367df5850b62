package dev.wasm2jvm.fuzz;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Hostile module bytes against the compiler: modules of the spec suites with a few random byte
 * edits (bits flipped, bytes replaced by LEB128 edge values, inserted, deleted or repeated, the
 * module cut short), each compiled through the library API. A mutant must be rejected with a
 * {@link CompileException} or compile to classes the JVM's verifier accepts; any other exception,
 * a class that does not verify, or a compilation longer than {@link #COMPILE_SECONDS} is a
 * violation. The spec suites hold the modules that must be rejected with a given message; this
 * reaches the byte sequences no one wrote down (a section whose size lies, a count that claims
 * billions of entries, an opcode cut in half).
 */
final class MutatedModuleFuzzer {
    /** Far longer than any mutant of a spec module takes to compile (milliseconds). */
    static final int COMPILE_SECONDS = 30;
    /** The magic and version, left alone so that mutants reach the sections. */
    private static final int PREAMBLE = 8;
    /** Byte values that LEB128 and section decoding treat specially. */
    private static final int[] EDGE_BYTES = {0x00, 0x01, 0x40, 0x41, 0x7f, 0x80, 0xff};

    /** What a run found: a violation per line, and how many mutants ended each way. */
    static final class Report {
        final List<String> violations = new ArrayList<>();
        final Map<String, Integer> outcomes = new TreeMap<>();

        @Override
        public String toString() {
            return "mutants by outcome: " + outcomes + ", violations: " + violations.size();
        }
    }

    private MutatedModuleFuzzer() {}

    /** The modules of the spec suites under {@code testsuite}, in a fixed order. */
    static List<Path> corpus(Path testsuite) throws IOException {
        List<Path> modules = new ArrayList<>();
        for (String suite : List.of("core/json", "core-2.0-updates", "threads")) {
            Path dir = testsuite.resolve(suite);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".wasm")).sorted().forEach(modules::add);
            }
        }
        return modules;
    }

    /** Compiles {@code mutants} mutants of modules drawn from {@code corpus} with {@code seed}. */
    static Report run(List<Path> corpus, long seed, int mutants) throws IOException, InterruptedException {
        Report report = new Report();
        Random random = new Random(seed);
        ExecutorService compiler = daemonExecutor();
        try {
            for (int i = 0; i < mutants; i++) {
                Path source = corpus.get(random.nextInt(corpus.size()));
                byte[] mutant = mutate(Files.readAllBytes(source), random);
                String where = "seed " + seed + " mutant " + i + " of " + source;
                Future<String> outcome = compiler.submit(() -> compileAndVerify(mutant));
                String kind;
                try {
                    kind = outcome.get(COMPILE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    outcome.cancel(true);
                    compiler.shutdownNow();
                    compiler = daemonExecutor();
                    kind = "timeout";
                    report.violations.add(where + ": still compiling after " + COMPILE_SECONDS + " s");
                } catch (ExecutionException e) {
                    kind = "violation";
                    report.violations.add(where + ": " + describe(e.getCause()));
                }
                report.outcomes.merge(kind, 1, Integer::sum);
            }
        } finally {
            compiler.shutdownNow();
        }
        return report;
    }

    /**
     * The outcome of compiling {@code wasm}: the kind of its {@link CompileException}, or
     * {@code "compiled"} once every class it made has been verified; throws anything else.
     */
    private static String compileAndVerify(byte[] wasm) {
        CompiledModule compiled;
        try {
            compiled = WasmCompiler.compile(wasm, "fuzz.Mutant", null, FramesGiven.CHECK);
        } catch (CompileException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("a CompileException without a message", e);
            return "rejected " + e.kind().name().toLowerCase();
        }
        ClassFiles loader = new ClassFiles(compiled.classFiles());
        for (String name : compiled.classFiles().keySet()) {
            try {
                // Linking verifies; reflecting on the methods links without running the initialiser.
                Class.forName(name, false, loader).getDeclaredMethods();
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
        return "compiled";
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.toString());
        StackTraceElement[] trace = t.getStackTrace();
        for (int k = 0; k < Math.min(8, trace.length); k++) s.append("\n    at ").append(trace[k]);
        return s.toString();
    }

    /** A copy of {@code module} with one to four random edits past its preamble. */
    static byte[] mutate(byte[] module, Random random) {
        byte[] m = module.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && m.length > PREAMBLE; e++) {
            int at = PREAMBLE + random.nextInt(m.length - PREAMBLE);
            switch (random.nextInt(6)) {
                case 0 -> m[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> m[at] = (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
                case 2 -> m = splice(m, at, 0, new byte[] {(byte) random.nextInt(256)});
                case 3 -> m = splice(m, at, 1, new byte[0]);
                case 4 -> m = Arrays.copyOf(m, at);
                default -> {
                    int length = Math.min(1 + random.nextInt(16), m.length - at);
                    m = splice(m, at, 0, Arrays.copyOfRange(m, at, at + length));
                }
            }
        }
        return m;
    }

    /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }

    private static ExecutorService daemonExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "mutant-compiler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Defines a compiled module's classes, and nothing else, so that each is verified as the JVM loads it. */
    private static final class ClassFiles extends ClassLoader {
        private final Map<String, byte[]> classFiles;

        ClassFiles(Map<String, byte[]> classFiles) {
            super(MutatedModuleFuzzer.class.getClassLoader());
            this.classFiles = classFiles;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classFiles.get(name);
            if (bytes == null) throw new ClassNotFoundException(name);
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** {@code run.sh mutants [--mutants N] [--seed S]}: the long run; exits with 1 on any violation. */
    public static void main(String[] args) throws Exception {
        long seed = 1;
        int mutants = 20_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mutants" -> mutants = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: run.sh mutants [--mutants N] [--seed S]");
                    System.exit(2);
                }
            }
        }
        Path testsuite = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "wasm-testsuite");
        Report report = run(corpus(testsuite), seed, mutants);
        report.violations.forEach(System.out::println);
        System.out.println(report);
        System.exit(report.violations.isEmpty() ? 0 : 1);
    }
}
