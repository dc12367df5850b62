package dev.wasm2jvm.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results as a table: per workload the median timed region of every engine, wasm2jvm's median
 * whole-program time, and wasm2jvm's time divided by each other engine's (below 1: wasm2jvm is
 * faster), and the {@code aot} engine's (wasm2jvm's jars with the JDK's AOT cache) divided by
 * node's where both ran; after each group, the geometric mean of each ratio column. Cells that hold
 * no number say why in a note.
 */
final class ResultTable {
    static final String SUBJECT = "wasm2jvm";
    /** The engine whose ratio to node's has a column of its own. */
    static final String AOT = "aot";

    private final List<String> engines;
    private final List<String> others;
    /** The ratio columns, each a numerator engine and a denominator engine. */
    private final List<List<String>> quotients = new ArrayList<>();
    private final List<String> header = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private final boolean wholeColumn;
    private final Map<String, List<Double>> allRatios = new LinkedHashMap<>();

    /** Builds the table from {@code results}, each workload's measurements by engine name, in row order. */
    ResultTable(List<String> engines, Map<Workload, Map<String, Measurement>> results) {
        this(engines, results, true);
    }

    /**
     * As above; without {@code wholeColumn} there is no column of wasm2jvm's whole-program time (when
     * the times are whole processes already), and with more than one group a last row gives the
     * geometric mean over all of them.
     */
    ResultTable(List<String> engines, Map<Workload, Map<String, Measurement>> results, boolean wholeColumn) {
        this.engines = engines;
        this.wholeColumn = wholeColumn;
        this.others = engines.stream().filter(e -> !e.equals(SUBJECT)).toList();
        if (engines.contains(SUBJECT)) others.forEach(e -> quotients.add(List.of(SUBJECT, e)));
        if (engines.contains(AOT) && engines.contains("node")) quotients.add(List.of(AOT, "node"));
        header.add("Group");
        header.add("Benchmark");
        engines.forEach(e -> header.add(e + " ms"));
        if (engines.contains(SUBJECT) && wholeColumn) {
            header.add(SUBJECT + " whole ms");
        }
        quotients.forEach(q -> header.add(label(q)));
        quotients.forEach(q -> allRatios.put(label(q), new ArrayList<>()));
        Map<String, List<Map.Entry<Workload, Map<String, Measurement>>>> groups = new LinkedHashMap<>();
        results.entrySet().forEach(e -> groups.computeIfAbsent(e.getKey().group(), g -> new ArrayList<>()).add(e));
        groups.forEach(this::addGroup);
        if (!wholeColumn && groups.size() > 1 && !quotients.isEmpty()) {
            addGeomeanRow("all", "geomean", allRatios);
        }
    }

    private void addGroup(String group, List<Map.Entry<Workload, Map<String, Measurement>>> members) {
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        quotients.forEach(q -> ratios.put(label(q), new ArrayList<>()));
        for (Map.Entry<Workload, Map<String, Measurement>> member : members) {
            Workload workload = member.getKey();
            Map<String, Measurement> byEngine = member.getValue();
            List<String> row = new ArrayList<>(List.of(group, workload.name()));
            for (String engine : engines) {
                row.add(timeCell(workload, engine, byEngine.get(engine)));
            }
            if (engines.contains(SUBJECT) && wholeColumn) {
                Measurement subject = byEngine.get(SUBJECT);
                row.add(subject.ok() ? millis(Stats.medianMillis(subject.totalNanos())) : "");
            }
            for (List<String> quotient : quotients) {
                Measurement numerator = byEngine.get(quotient.get(0));
                Measurement denominator = byEngine.get(quotient.get(1));
                if (numerator.ok() && denominator.ok()) {
                    double ratio = Stats.medianMillis(numerator.timedNanos()) / Stats.medianMillis(denominator.timedNanos());
                    ratios.get(label(quotient)).add(ratio);
                    allRatios.get(label(quotient)).add(ratio);
                    row.add(ratio(ratio));
                } else {
                    row.add("");
                }
            }
            rows.add(row);
        }
        if (!quotients.isEmpty()) {
            addGeomeanRow(group, "geomean", ratios);
        }
    }

    private void addGeomeanRow(String group, String name, Map<String, List<Double>> ratios) {
        List<String> row = new ArrayList<>(List.of(group, name));
        engines.forEach(e -> row.add(""));
        if (engines.contains(SUBJECT) && wholeColumn) {
            row.add("");
        }
        ratios.values().forEach(r -> row.add(r.isEmpty() ? "" : ratio(Stats.geomean(r)) + " (n=" + r.size() + ")"));
        rows.add(row);
    }

    private String timeCell(Workload workload, String engine, Measurement m) {
        return switch (m.status()) {
            case OK -> m.ok() ? millis(Stats.medianMillis(m.timedNanos())) : "";
            case NOT_APPLICABLE -> "n/a";
            case NOT_SUPPORTED -> {
                notes.add(workload.name() + ", " + engine + ": not supported: " + m.message());
                yield "unsupported";
            }
            case FAILED -> {
                notes.add(workload.name() + ", " + engine + ": failed: " + m.message());
                yield "failed";
            }
        };
    }

    private static String label(List<String> quotient) {
        return quotient.get(0) + " / " + quotient.get(1);
    }

    /** Three significant digits, which is about what run-to-run noise allows. */
    private static String millis(double ms) {
        return new BigDecimal(ms).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    List<String> notes() {
        return notes;
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append(markdownRow(header));
        out.append(markdownRow(header.stream().map(h -> h.equals("Group") || h.equals("Benchmark") ? "---" : "---:").toList()));
        rows.forEach(r -> out.append(markdownRow(r)));
        return out.toString();
    }

    private static String markdownRow(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    String toTsv() {
        StringBuilder out = new StringBuilder();
        out.append(String.join("\t", header)).append('\n');
        rows.forEach(r -> out.append(String.join("\t", r)).append('\n'));
        return out.toString();
    }
}
