package dev.wasm2jvm.bench;

import java.util.List;

/** The Markdown document written to {@code target/results.md}: settings, the table, its notes, compile profiles. */
final class Report {
    private Report() {}

    static String markdown(Options options, ResultTable table, List<CompileProfile> profiles) {
        StringBuilder out = new StringBuilder("# wasm2jvm benchmark results\n\n");
        out.append("Java ").append(System.getProperty("java.vm.version"))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(options.warmup()).append(" warmup and ").append(options.iterations())
                .append(" measured rounds per workload. Times are medians of the timed region (bench.start to bench.end); ")
                .append("ratios are wasm2jvm's time over the other engine's (below 1: wasm2jvm is faster).\n\n");
        out.append(table.toMarkdown());
        if (!table.notes().isEmpty()) {
            out.append("\nNotes:\n\n");
            table.notes().forEach(n -> out.append("- ").append(n).append('\n'));
        }
        if (!profiles.isEmpty()) {
            out.append("\nCompile profile of the largest module that wasm2jvm compiles (the first compilations in a fresh JVM):\n\n");
            profiles.forEach(p -> out.append("- ").append(p.describe()).append('\n'));
        }
        return out.toString();
    }
}
