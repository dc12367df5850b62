package dev.wasm2jvm.spectest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports the run: one console line per script, the table {@code conformance.tsv} (rewritten after
 * every script, so that an interrupted run still leaves one), every failure and message mismatch in
 * {@code conformance-failures.txt}, and totals at the end.
 */
final class ConformanceLog {
    /** Failures shown on the console per script; the file has them all. */
    private static final int SHOWN = 5;

    private final Path table;
    private final Path details;
    private final PrintStream out;
    private final List<ScriptResult> results = new ArrayList<>();

    ConformanceLog(Path directory, PrintStream out) throws IOException {
        Files.createDirectories(directory);
        this.table = directory.resolve("conformance.tsv");
        this.details = directory.resolve("conformance-failures.txt");
        this.out = out;
        Files.writeString(details, "");
    }

    synchronized void record(ScriptResult result, int unexcluded) throws IOException {
        results.add(result);
        String id = result.script().id();
        StringBuilder line = new StringBuilder(counts(id, result.passed(), result.failed(), result.skipped()));
        int excluded = result.failures().size() - unexcluded;
        if (excluded > 0 && unexcluded == 0) line.append("  (failures excluded)");
        else if (excluded > 0) line.append("  (").append(excluded).append(" of the failures excluded)");
        if (!result.notes().isEmpty()) line.append("  (").append(result.notes().size()).append(" message mismatches)");
        out.println(line);
        result.failures().stream().limit(SHOWN).forEach(f -> out.println("    " + f.format(result.script())));
        if (result.failures().size() > SHOWN) {
            out.println("    ... " + (result.failures().size() - SHOWN) + " more in " + details);
        }
        appendDetails(result);
        writeTable();
    }

    /** Prints per-suite totals, the overall total and stale exclusions. */
    synchronized void summarise(List<Exclusion> stale) {
        Map<String, int[]> suites = new LinkedHashMap<>();
        int[] total = new int[3];
        for (ScriptResult r : results) {
            int[] suite = suites.computeIfAbsent(r.script().suite(), s -> new int[3]);
            for (int[] sum : List.of(suite, total)) {
                sum[0] += r.passed();
                sum[1] += r.failed();
                sum[2] += r.skipped();
            }
        }
        suites.forEach((suite, sum) -> out.println(counts("suite " + suite, sum[0], sum[1], sum[2])));
        out.println(counts("total", total[0], total[1], total[2]));
        for (Exclusion e : stale) out.println("stale exclusion, no failure matches it any more: " + e);
        out.println("table: " + table + "; failures: " + details);
    }

    static String counts(String what, int passed, int failed, int skipped) {
        return what + "  passed " + passed + "  failed " + failed + "  skipped " + skipped;
    }

    private void appendDetails(ScriptResult result) throws IOException {
        if (result.failures().isEmpty() && result.notes().isEmpty()) return;
        StringBuilder text = new StringBuilder();
        String id = result.script().id();
        for (Failure f : result.failures()) text.append(f.format(result.script())).append('\n');
        for (Failure n : result.notes()) text.append("message mismatch: ").append(n.format(result.script())).append('\n');
        Files.writeString(details, text, StandardOpenOption.APPEND);
    }

    private void writeTable() throws IOException {
        StringBuilder tsv = new StringBuilder("suite\tfile\tpassed\tfailed\tskipped\n");
        for (ScriptResult r : results) {
            tsv.append(r.script().suite()).append('\t').append(r.script().name()).append('\t')
                    .append(r.passed()).append('\t').append(r.failed()).append('\t').append(r.skipped()).append('\n');
        }
        Files.writeString(table, tsv);
    }
}
