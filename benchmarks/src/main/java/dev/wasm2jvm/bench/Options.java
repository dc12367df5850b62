package dev.wasm2jvm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command line.
 *
 * @param home       the benchmarks module folder (kernels/, node/, target/)
 * @param corpus     the Sightglass corpus
 * @param engines    the engines to run, in column order
 * @param groups     which suites to run: "kernels", "sightglass"
 * @param only       run workloads whose name matches this
 * @param exclude    skip workloads whose name matches this
 * @param warmup     unrecorded rounds before the measured ones
 * @param iterations measured rounds
 * @param timeout    the limit for one run of an external program (node, native)
 */
record Options(Path home, Path corpus, List<String> engines, List<String> groups, Pattern only, Pattern exclude,
        int warmup, int iterations, Duration timeout) {

    static final String USAGE = """
            usage: Main [options]
              --home DIR          the benchmarks module folder (default: .)
              --corpus DIR        the Sightglass corpus (default: <wasm2jvm.shared>/bench)
              --engines LIST      comma-separated, from wasm2jvm,chicory,node,native (default: all)
              --groups LIST       kernels,sightglass (default: both)
              --only REGEX        run only workloads whose name matches
              --exclude REGEX     skip workloads whose name matches
              --warmup N          unrecorded rounds per workload (default: 2)
              --iterations N      measured rounds per workload (default: 5)
              --timeout SECONDS   limit for one node or native run (default: 300)
            """;

    static Options parse(String[] args) {
        Path home = Path.of(".");
        Path corpus = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "bench");
        List<String> engines = List.of("wasm2jvm", "chicory", "node", "native");
        List<String> groups = List.of("kernels", "sightglass");
        Pattern only = Pattern.compile("");
        Pattern exclude = null;
        int warmup = 2;
        int iterations = 5;
        Duration timeout = Duration.ofSeconds(300);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--home" -> home = Path.of(value);
                case "--corpus" -> corpus = Path.of(value);
                case "--engines" -> engines = List.of(value.split(","));
                case "--groups" -> groups = List.of(value.split(","));
                case "--only" -> only = Pattern.compile(value);
                case "--exclude" -> exclude = Pattern.compile(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new Options(home.toAbsolutePath().normalize(), corpus.toAbsolutePath().normalize(), engines, groups,
                only, exclude, warmup, iterations, timeout);
    }

    boolean selects(Workload workload) {
        return only.matcher(workload.name()).find() && (exclude == null || !exclude.matcher(workload.name()).find());
    }
}
