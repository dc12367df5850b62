package dev.wasm2jvm.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compile throughput on one core (issue 14 point 3): megabytes of a module's code section that the
 * compiler turns into classes per second of the compiling thread's CPU, round after round in one
 * JVM, so that the first round shows a cold compiler and the later ones a compiled one. Run with
 * {@code -XX:ActiveProcessorCount=1} ({@code benchmarks/run.sh throughput} does), which makes the
 * compiler plan every function on the calling thread: its CPU time is then all of the compiler's
 * work, and none of the JIT's or the collector's.
 *
 * <pre>
 * benchmarks/run.sh throughput [--rounds N] [--library] [--against CLASSPATH] MODULE.wasm...
 * </pre>
 *
 * {@code --library} also renders the two Java sources {@code compile --library} writes, from the
 * same validated module. {@code --against CLASSPATH} measures another build of the compiler beside
 * this one ({@link ThroughputCompiler#loaded}, e.g. a baseline's {@code benchmarks/target/lib/*}
 * copied aside), the two taking turns at going first each round; it prints that compiler's rows,
 * the median over the later rounds of each round's ratio of CPU time (this one over the other),
 * and how many of the classes and sources of the first round differ: none, for a change of
 * throughput alone. Two compilers in one JVM are JIT-compiled apart, so a round's ratio varies by
 * a fifth or more; only the median of many rounds says a few percent.
 */
public final class CompileThroughputMain {
    private static final int CODE_SECTION = 10;

    private CompileThroughputMain() {}

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        int rounds = 5;
        boolean library = false;
        String against = null;
        List<Path> modules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--library" -> library = true;
                case "--against" -> against = args[++i];
                default -> modules.add(Path.of(args[i]));
            }
        }
        List<Path> missing = modules.stream().filter(m -> !Files.isRegularFile(m)).toList();
        missing.forEach(m -> System.err.println("not an option nor a module file: " + m));
        if (modules.isEmpty() || rounds < 1 || !missing.isEmpty()) {
            System.err.println("usage: CompileThroughputMain [--rounds N] [--library] [--against CLASSPATH] MODULE.wasm...");
            System.exit(2);
        }
        List<ThroughputCompiler> compilers = new ArrayList<>(List.of(ThroughputCompiler.own()));
        if (against != null) compilers.add(ThroughputCompiler.loaded(against));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "Java %s, %d processor(s) as the JVM sees them, %d rounds%s%s%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), rounds,
                library ? ", with the --library sources" : "", against != null ? ", against " + against : "");
        System.out.println("| module | code MB | first round s | MB/s | later rounds s (median) | MB/s |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        List<String> comparisons = new ArrayList<>();
        for (Path module : modules) {
            byte[] wasm = Files.readAllBytes(module);
            double codeMegabytes = codeSectionBytes(wasm) / 1e6;
            List<List<Long>> nanos = new ArrayList<>();
            for (int c = 0; c < compilers.size(); c++) nanos.add(new ArrayList<>(rounds));
            List<Map<String, byte[]>> firstOutputs = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < compilers.size(); turn++) {
                    int c = round % 2 == 0 ? turn : compilers.size() - 1 - turn;
                    long begin = threads.getCurrentThreadCpuTime();
                    Object compiled = compilers.get(c).compile(wasm, library);
                    nanos.get(c).add(threads.getCurrentThreadCpuTime() - begin);
                    // The first round takes the compilers in order, so outputs are by compiler.
                    if (round == 0) firstOutputs.add(compilers.get(c).output(compiled));
                }
            }
            for (int c = 0; c < compilers.size(); c++) {
                List<Long> times = nanos.get(c);
                double first = times.getFirst() / 1e9;
                double later = Stats.medianMillis(rounds == 1 ? times : times.subList(1, rounds)) / 1e3;
                System.out.printf(Locale.ROOT, "| %s%s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", module.getFileName(),
                        c == 0 ? "" : " (against)", codeMegabytes, first, codeMegabytes / first, later, codeMegabytes / later);
            }
            if (compilers.size() == 2) {
                comparisons.add(String.format(Locale.ROOT, "| %s | %.3f | %s |", module.getFileName(),
                        medianRatio(nanos.get(0), nanos.get(1)), differences(firstOutputs.get(0), firstOutputs.get(1))));
            }
        }
        if (!comparisons.isEmpty()) {
            System.out.println();
            System.out.println("| module | CPU this / against (median of the later rounds' ratios) | outputs |");
            System.out.println("|---|---:|---|");
            comparisons.forEach(System.out::println);
        }
    }

    /** The median of {@code mine[r] / theirs[r]} over the rounds after the first (over the one round if there is only one). */
    static double medianRatio(List<Long> mine, List<Long> theirs) {
        List<Double> ratios = new ArrayList<>();
        for (int r = mine.size() == 1 ? 0 : 1; r < mine.size(); r++) ratios.add((double) mine.get(r) / theirs.get(r));
        Collections.sort(ratios);
        int n = ratios.size();
        return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
    }

    /** "identical", or how many of the files of either output are missing from the other or differ. */
    static String differences(Map<String, byte[]> mine, Map<String, byte[]> theirs) {
        Set<String> names = new TreeSet<>(mine.keySet());
        names.addAll(theirs.keySet());
        long differing = names.stream().filter(n -> !Arrays.equals(mine.get(n), theirs.get(n))).count();
        return differing == 0 ? "identical (" + names.size() + " files)" : differing + " of " + names.size() + " files differ";
    }

    /** The size of the code section's contents, read from the section headers of a binary module. */
    static long codeSectionBytes(byte[] wasm) {
        int[] at = {8};
        while (at[0] < wasm.length) {
            int id = wasm[at[0]++] & 0xFF;
            long size = unsignedLeb128(wasm, at);
            if (id == CODE_SECTION) return size;
            at[0] += (int) size;
        }
        throw new IllegalArgumentException("the module has no code section");
    }

    private static long unsignedLeb128(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = bytes[at[0]++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
