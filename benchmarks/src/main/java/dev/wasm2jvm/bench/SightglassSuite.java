package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Sightglass programs of the shared corpus, read from its {@code BENCHMARKS.tsv}: the module
 * path relative to the corpus's {@code benchmarks/} folder, and the expected stdout / stderr file
 * names ({@code -} for none), relative to the module's folder.
 */
final class SightglassSuite {
    static final String GROUP = "Sightglass";

    private SightglassSuite() {}

    static List<Workload> load(Path corpus) throws IOException {
        List<String> lines = Files.readAllLines(corpus.resolve("BENCHMARKS.tsv"));
        List<String> header = List.of(lines.getFirst().split("\t"));
        int wasmColumn = column(header, "wasm");
        int stdoutColumn = column(header, "stdout_expected");
        int stderrColumn = column(header, "stderr_expected");
        List<Workload> workloads = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            Path wasm = corpus.resolve("benchmarks").resolve(cells[wasmColumn]);
            Path directory = wasm.getParent();
            workloads.add(new Workload(GROUP, name(wasm), wasm, directory,
                    expected(directory, cells[stdoutColumn]), expected(directory, cells[stderrColumn]), null));
        }
        return workloads;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("BENCHMARKS.tsv has no column " + name);
        }
        return i;
    }

    /** Most programs are {@code <name>/benchmark.wasm}; the suites of several are {@code <suite>/<name>.wasm}. */
    private static String name(Path wasm) {
        String stem = wasm.getFileName().toString().replaceFirst("\\.wasm$", "");
        return stem.equals("benchmark") ? wasm.getParent().getFileName().toString() : stem;
    }

    private static Path expected(Path directory, String cell) {
        return cell.equals("-") ? null : directory.resolve(cell);
    }
}
