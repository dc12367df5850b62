package dev.wasm2jvm.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The programs group: each program timed as a whole process, the way a user runs it, under
 * wasm2jvm ({@code java -jar} of the jar {@code wasm2jvm compile} makes), node and native code;
 * or, with {@code --check-compilation}, each jar run once with the JIT's logs and judged by
 * {@link CompilationCheck}; or, with {@code --threads}, each jar's CPU by thread and its program
 * thread's wait for a core ({@link ThreadTimes}). Run through {@code benchmarks/run.sh programs};
 * see the README.
 */
public final class ProgramsMain {
    static final String USAGE = """
            usage: run.sh programs [options]
              --groups LIST              kernels,sqlite,sightglass (default: all three)
              --engines LIST             from wasm2jvm,node,native,baseline,aot, in column order (default:
                                         wasm2jvm,node,native); aot: wasm2jvm's jars run with the JDK's
                                         AOT cache that wasm2jvm train made from one untimed run
              --baseline CLI             the compiler of the baseline engine: another checkout's wasm2jvm
                                         script or a wasm2jvm-cli.jar; its jars go to target/programs/baseline
              --only REGEX               run only programs whose name matches
              --exclude REGEX            skip programs whose name matches
              --warmup N                 unrecorded rounds per program (default: 0)
              --iterations N             measured rounds per program (default: 3)
              --timeout SECONDS          limit for one run of one engine (default: 180)
              --check-compilation        run the compilation check instead of timing; exits with 1 when
                                         any program fails it
              --warmup-ms N              check: the start of a run that is not judged (default: 1000)
              --below-c2-ms N            check: how long a generated method may run interpreted or in
                                         C1 code after that (default: 500)
              --max-c2-invalidations N   check: how often one method's (or loop's) C2 code may be made
                                         not entrant (default: 2)
            """;

    private ProgramsMain() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        List<String> groups = List.of("kernels", "sqlite", "sightglass");
        List<String> engines = List.of("wasm2jvm", "node", "native");
        Pattern only = Pattern.compile("");
        Pattern exclude = null;
        // A whole-process run starts cold whatever ran before it; the compilation warms the file cache.
        int warmup = 0;
        int iterations = 3;
        Duration timeout = Duration.ofSeconds(180);
        Path baseline = null;
        boolean check = false;
        boolean threads = false;
        CompilationCheck.Limits d = CompilationCheck.Limits.DEFAULT;
        long warmupMillis = d.warmupMillis();
        long belowC2Millis = d.belowC2Millis();
        int maxInvalidations = d.maxC2Invalidations();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--check-compilation")) {
                check = true;
                continue;
            }
            if (option.equals("--threads")) {
                threads = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--groups" -> groups = List.of(value.split(","));
                case "--engines" -> engines = List.of(value.split(","));
                case "--baseline" -> baseline = Path.of(value).toAbsolutePath();
                case "--only" -> only = Pattern.compile(value);
                case "--exclude" -> exclude = Pattern.compile(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                case "--warmup-ms" -> warmupMillis = Long.parseLong(value);
                case "--below-c2-ms" -> belowC2Millis = Long.parseLong(value);
                case "--max-c2-invalidations" -> maxInvalidations = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }

        Path home = Path.of(".").toAbsolutePath().normalize();
        Path target = home.resolve("target/programs");
        Path scratch = Files.createDirectories(target.resolve("scratch"));
        Path corpus = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "bench").toAbsolutePath().normalize();
        // Another checkout's compiler can be timed with this harness: -Dwasm2jvm.cli=OTHER/wasm2jvm.
        Path cli = Path.of(System.getProperty("wasm2jvm.cli", home.resolveSibling("wasm2jvm").toString()));
        ProcessRun processes = new ProcessRun(timeout, scratch);
        JarEngine jar = new JarEngine("wasm2jvm", cli, target.resolve("jars"), processes);

        List<Workload> selected = new ArrayList<>();
        for (Workload w : ProgramSuite.load(groups, home.resolve("programs"), corpus, target.resolve("native"),
                target.resolve("work"))) {
            if (only.matcher(w.name()).find() && (exclude == null || !exclude.matcher(w.name()).find())) {
                selected.add(w);
            }
        }
        Map<Workload, Path> jars = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Workload w : selected) {
            System.err.println("compiling " + w.name());
            try {
                Workload command = ProgramSuite.asCommand(w, target.resolve("commands"));
                jars.put(command, jar.compile(command));
            } catch (IOException e) {
                skipped.add(w.name() + ": " + e.getMessage());
            }
        }
        skipped.forEach(s -> System.err.println("skipped " + s));

        if (check) {
            CompilationCheck.Limits limits = new CompilationCheck.Limits(warmupMillis, belowC2Millis, maxInvalidations,
                    d.samplePeriodMillis());
            System.exit(checkCompilation(jars, limits, timeout, target, skipped) ? 0 : 1);
        }

        if (threads) {
            if (!ThreadTimes.available()) throw new IOException("--threads needs Linux's /proc/PID/task/TID/schedstat");
            threadTimes(jars, iterations, processes, target, skipped);
            return;
        }

        List<Engine> columns = new ArrayList<>();
        for (String name : engines) {
            columns.add(switch (name) {
                case "wasm2jvm" -> jar;
                case "node" -> new NodeCommandEngine(onPath("node"), home.resolve("node/wasi-command.mjs"), processes);
                case "native" -> new NativeCommandEngine(processes);
                case "baseline" -> {
                    if (baseline == null) throw new IllegalArgumentException("the baseline engine needs --baseline CLI\n" + USAGE);
                    yield new JarEngine("baseline", baseline, target.resolve("baseline"), processes);
                }
                case "aot" -> new JarEngine("aot", cli, target.resolve("aot"), processes, true);
                default -> throw new IllegalArgumentException("unknown engine " + name + "\n" + USAGE);
            });
        }
        Runner runner = new Runner(columns, warmup, iterations, System.err);
        Map<Workload, Map<String, Measurement>> results = new LinkedHashMap<>();
        int i = 0;
        for (Workload w : jars.keySet()) {
            System.err.printf("[%d/%d] %s: %s%n", ++i, jars.size(), w.group(), w.name());
            results.put(w, runner.run(w));
        }
        ResultTable table = new ResultTable(engines, results, false);
        String report = report(table, warmup, iterations, skipped);
        Files.writeString(target.resolve("results.md"), report);
        Files.writeString(target.resolve("results.tsv"), table.toTsv());
        System.out.print(report);
    }

    private static boolean checkCompilation(Map<Workload, Path> jars, CompilationCheck.Limits limits, Duration timeout,
            Path target, List<String> skipped) throws IOException, InterruptedException {
        CompilationRun runs = new CompilationRun(target.resolve("compilation"), limits, timeout);
        StringBuilder report = new StringBuilder("# Compilation check\n\n").append(String.format(
                "Java %s. Criteria (see CompilationCheck): no COMPILE SKIPPED but for transient reasons; C2 code of one entry made not entrant"
                        + " at most %d times; after the first %d ms, at most %d ms sampled interpreted or in C1 code"
                        + " per generated method.%n%n",
                System.getProperty("java.vm.version"), limits.maxC2Invalidations(), limits.warmupMillis(),
                limits.belowC2Millis()));
        boolean passed = true;
        for (Map.Entry<Workload, Path> e : jars.entrySet()) {
            System.err.println("checking " + e.getKey().name());
            CompilationCheck.Verdict verdict;
            try {
                verdict = runs.check(e.getKey(), e.getValue());
            } catch (IOException ex) {
                verdict = new CompilationCheck.Verdict(List.of("the run failed: " + ex.getMessage()), List.of());
            }
            passed &= verdict.passed();
            report.append("## ").append(e.getKey().name()).append(": ").append(verdict.passed() ? "passed" : "FAILED")
                    .append("\n\n");
            verdict.failures().forEach(f -> report.append("- FAIL ").append(f).append('\n'));
            verdict.notes().forEach(n -> report.append("- ").append(n).append('\n'));
            report.append('\n');
            System.err.print(report.substring(report.lastIndexOf("## ")));
        }
        appendSkipped(report, skipped);
        Files.writeString(target.resolve("compilation-check.md"), report);
        System.out.print(report);
        return passed;
    }

    /**
     * Runs each jar {@code iterations} times observed by {@link ThreadTimes} and as often not,
     * interleaved, and reports medians of each figure.
     */
    private static void threadTimes(Map<Workload, Path> jars, int iterations, ProcessRun processes, Path target,
            List<String> skipped) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        StringBuilder report = new StringBuilder("# wasm2jvm programs: CPU by thread\n\n").append(String.format(
                "Java %s, %d cores, %d runs of each jar read every %d ms (and %d not, interleaved: the first"
                        + " column); medians, ms. A thread's CPU and its wait for a core come from"
                        + " /proc/PID/task/TID/schedstat (see ThreadTimes).%n%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), iterations,
                ThreadTimes.PERIOD_MILLIS, iterations));
        report.append("| Program | wall, not read | wall | program thread | its wait for a core | launcher | C1 | C2 | the four |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<Workload, Path> e : jars.entrySet()) {
            Workload w = e.getKey();
            System.err.println("threads of " + w.name());
            List<String> command = List.of(java.toString(), "-jar", e.getValue().toString());
            // One row of the table's figures a run, in its columns' order, in ms.
            List<double[]> runs = new ArrayList<>();
            for (int i = 0; i < iterations; i++) {
                Run plain = processes.run("threads-plain", command, w);
                ThreadTimes.Sampler sampler = new ThreadTimes.Sampler();
                Run read = processes.run("threads", command, w, sampler::watch);
                Map<ThreadTimes.Role, ThreadTimes.Times> times = sampler.stop();
                for (Run run : List.of(plain, read)) {
                    String failure = Expectation.failure(w, run);
                    if (failure != null) throw new IOException(w.name() + ": " + failure);
                }
                ThreadTimes.Times program = times.get(ThreadTimes.Role.PROGRAM);
                runs.add(new double[] {plain.totalNanos() / 1e6, read.totalNanos() / 1e6, program.cpuNanos() / 1e6,
                        program.waitNanos() / 1e6, times.get(ThreadTimes.Role.LAUNCHER).cpuNanos() / 1e6,
                        times.get(ThreadTimes.Role.C1).cpuNanos() / 1e6, times.get(ThreadTimes.Role.C2).cpuNanos() / 1e6,
                        times.values().stream().mapToLong(ThreadTimes.Times::cpuNanos).sum() / 1e6});
            }
            report.append("| ").append(w.name());
            for (int column = 0; column < (runs.isEmpty() ? 0 : runs.getFirst().length); column++) {
                int c = column;
                report.append(" | ").append(String.format("%.1f", Stats.median(runs.stream().map(r -> r[c]).toList())));
            }
            report.append(" |\n");
        }
        appendSkipped(report, skipped);
        Files.writeString(target.resolve("threads.md"), report);
        System.out.print(report);
    }

    private static String report(ResultTable table, int warmup, int iterations, List<String> skipped) {
        StringBuilder out = new StringBuilder("# wasm2jvm programs, whole processes\n\n");
        out.append("Java ").append(System.getProperty("java.vm.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(warmup)
                .append(" warmup and ").append(iterations).append(" measured rounds, interleaved. Times are medians of")
                .append(" the wall time from starting the process to its exit (java -jar with the jar's own options,")
                .append(" node wasi-command.mjs, the native executable); ratios are wasm2jvm's time over the other")
                .append(" engine's.\n\n");
        out.append(table.toMarkdown());
        if (!table.notes().isEmpty()) {
            out.append("\nNotes:\n\n");
            table.notes().forEach(n -> out.append("- ").append(n).append('\n'));
        }
        appendSkipped(out, skipped);
        return out.toString();
    }

    private static void appendSkipped(StringBuilder out, List<String> skipped) {
        if (!skipped.isEmpty()) {
            out.append("\nNot run (wasm2jvm cannot compile them yet):\n\n");
            skipped.forEach(s -> out.append("- ").append(s).append('\n'));
        }
    }

    /** The runs get an empty environment, so the executable is looked up here. */
    private static Path onPath(String command) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException(command + " is not on the PATH");
    }
}
