package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The programs group: what users run, timed as whole processes.
 * <ul>
 *   <li>{@code programs/kernels/*.c}: C kernels whose hot loops live in {@code main}, entered
 *       once, each with its committed {@code .wasm} and {@code .stdout.expected}; run in an
 *       empty folder;
 *   <li>the SQLite shell ({@code programs/sqlite}) running {@code workload.sql} from its standard
 *       input in a folder holding the workload's files, where it writes its database;
 *   <li>the Sightglass programs of the shared corpus, in their own folders, their bench imports
 *       defined inside the module ({@link BenchImports}) at preparation.
 * </ul>
 * The native builds are {@code <native>/<name>}, made by run.sh.
 */
final class ProgramSuite {
    static final String KERNELS = "C kernels, loops in main";
    static final String SQLITE = "SQLite shell";

    private ProgramSuite() {}

    /**
     * @param programs the {@code programs/} folder
     * @param work     where the programs that write files run
     */
    static List<Workload> load(List<String> groups, Path programs, Path corpus, Path nativeBuilds, Path work)
            throws IOException {
        List<Workload> all = new ArrayList<>();
        if (groups.contains("kernels")) {
            Path kernels = programs.resolve("kernels");
            Path dir = Files.createDirectories(work.resolve("kernels"));
            try (Stream<Path> files = Files.list(kernels)) {
                files.filter(f -> f.getFileName().toString().endsWith(".wasm")).sorted().forEach(wasm -> {
                    String name = wasm.getFileName().toString().replaceFirst("\\.wasm$", "");
                    all.add(new Workload(KERNELS, name, wasm, dir, kernels.resolve(name + ".stdout.expected"), null,
                            nativeBuilds.resolve(name)));
                });
            }
        }
        if (groups.contains("sqlite")) {
            Path sqlite = programs.resolve("sqlite");
            Path dir = Files.createDirectories(work.resolve("sqlite"));
            for (String input : List.of("workload.sql", "insert-batch.sql")) {
                Files.copy(sqlite.resolve(input), dir.resolve(input), StandardCopyOption.REPLACE_EXISTING);
            }
            // stderr is not compared: the shell warns there that it has no home directory under WASI only.
            // -batch: wasm2jvm's WASI reports a redirected stdin as a character device, which the shell
            // would take for a terminal and answer with prompts and tables drawn for one.
            all.add(new Workload(SQLITE, "sqlite3-shell", sqlite.resolve("sqlite3.wasm"), dir,
                    sqlite.resolve("workload.stdout.expected"), null, nativeBuilds.resolve("sqlite3"), List.of("-batch"),
                    dir.resolve("workload.sql"), List.of("bench.db", "bench.db-journal", "bench.db.lock")));
        }
        if (groups.contains("sightglass")) {
            all.addAll(SightglassSuite.load(corpus));
        }
        return all;
    }

    /** The workload ready to run as a plain WASI command: Sightglass modules get their bench imports defined. */
    static Workload asCommand(Workload workload, Path commands) throws IOException, InterruptedException {
        if (!workload.group().equals(SightglassSuite.GROUP)) {
            return workload;
        }
        return workload.withWasm(BenchImports.define(workload.wasm(), commands.resolve(workload.name() + ".wasm")));
    }
}
