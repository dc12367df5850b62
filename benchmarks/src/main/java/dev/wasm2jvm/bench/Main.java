package dev.wasm2jvm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times wasm2jvm against Chicory, node and native code on the C kernels and the Sightglass programs,
 * prints the table and writes it to {@code target/results.md} and {@code target/results.tsv}.
 * Run through {@code benchmarks/run.sh}, which builds everything first; see the README.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(Options.USAGE);
            return;
        }
        Options options = Options.parse(args);
        Path target = options.home().resolve("target");
        // Where node and native runs leave their output for checking; overwritten run after run.
        Path scratch = Files.createDirectories(target.resolve("scratch"));
        List<Workload> workloads = workloads(options, target);
        List<Engine> engines = options.engines().stream().map(name -> engine(name, options, scratch)).toList();

        List<CompileProfile> profiles = compileProfiles(engines, workloads);
        profiles.forEach(p -> System.err.println("compile profile: " + p.describe()));

        Runner runner = new Runner(engines, options.warmup(), options.iterations(), System.err);
        Map<Workload, Map<String, Measurement>> results = new LinkedHashMap<>();
        for (int i = 0; i < workloads.size(); i++) {
            Workload workload = workloads.get(i);
            System.err.printf("[%d/%d] %s: %s%n", i + 1, workloads.size(), workload.group(), workload.name());
            results.put(workload, runner.run(workload));
        }

        ResultTable table = new ResultTable(options.engines(), results);
        String report = Report.markdown(options, table, profiles);
        Files.writeString(target.resolve("results.md"), report);
        Files.writeString(target.resolve("results.tsv"), table.toTsv());
        System.out.print(report);
    }

    private static List<Workload> workloads(Options options, Path target) throws IOException {
        List<Workload> all = new ArrayList<>();
        if (options.groups().contains("kernels")) {
            all.addAll(KernelSuite.load(options.home().resolve("kernels"), target.resolve("native")));
        }
        if (options.groups().contains("sightglass")) {
            all.addAll(SightglassSuite.load(options.corpus()));
        }
        return all.stream().filter(options::selects).toList();
    }

    private static Engine engine(String name, Options options, Path scratch) {
        return switch (name) {
            case "wasm2jvm" -> new Wasm2JvmEngine();
            case "chicory" -> new ChicoryEngine();
            case "node" -> new NodeEngine(options.home().resolve("node/wasi-runner.mjs"), options.timeout(), scratch);
            case "native" -> new NativeEngine(options.timeout(), scratch);
            default -> throw new IllegalArgumentException("unknown engine " + name + "\n" + Options.USAGE);
        };
    }

    /**
     * Compile time and heap of every in-process engine on the largest module of this run that the
     * first of them (wasm2jvm, unless deselected) compiles: a module nobody can run says little.
     */
    private static List<CompileProfile> compileProfiles(List<Engine> engines, List<Workload> workloads) {
        List<Engine> inProcess = engines.stream().filter(Engine::inProcess).toList();
        if (inProcess.isEmpty()) {
            return List.of();
        }
        List<Workload> largestFirst = workloads.stream()
                .sorted(Comparator.comparingLong(Main::size).reversed())
                .toList();
        for (Workload workload : largestFirst) {
            CompileProfile first = CompileProfile.measure(inProcess.getFirst(), workload, size(workload));
            if (first.failure() == null) {
                List<CompileProfile> profiles = new ArrayList<>(List.of(first));
                inProcess.subList(1, inProcess.size())
                        .forEach(engine -> profiles.add(CompileProfile.measure(engine, workload, size(workload))));
                return profiles;
            }
            System.err.println("compile profile skips " + first.describe());
        }
        return List.of();
    }

    private static long size(Workload workload) {
        try {
            return Files.size(workload.wasm());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
