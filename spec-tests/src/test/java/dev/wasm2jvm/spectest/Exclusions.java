package dev.wasm2jvm.spectest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The exclusion list, {@code exclusions.tsv}: columns {@code suite}, {@code file}, {@code line}
 * (blank for the whole script) and {@code reason}, after a header row; {@code #} starts a comment
 * line. Suite and file may hold {@code *} patterns, matched as one {@link ScriptPattern}. No entry
 * covers a failure of {@link Failure#invalidBytecode invalid bytecode}. The list
 * remembers which entries matched a failure, so that entries the compiler has outgrown can be
 * reported as stale.
 */
final class Exclusions {
    private final List<Exclusion> entries;
    private final Set<Exclusion> used = new HashSet<>();

    Exclusions(List<Exclusion> entries) {
        this.entries = List.copyOf(entries);
    }

    static Exclusions load(InputStream tsv) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(tsv, StandardCharsets.UTF_8))) {
            return parse(reader.lines().toList());
        }
    }

    static Exclusions parse(List<String> lines) {
        List<Exclusion> entries = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] columns = line.split("\t", -1);
            if (columns.length != 4) {
                throw new IllegalArgumentException("exclusions.tsv row " + (i + 1) + " has " + columns.length
                        + " columns, not 4: " + line);
            }
            int lineNumber = columns[2].isBlank() ? 0 : Integer.parseInt(columns[2].strip());
            ScriptPattern scripts = new ScriptPattern(columns[0].strip() + "/" + columns[1].strip());
            entries.add(new Exclusion(scripts, lineNumber, columns[3].strip()));
        }
        return new Exclusions(entries);
    }

    /** The failures of {@code result} that no entry covers; entries that cover one are marked used. */
    synchronized List<Failure> unexcluded(ScriptResult result) {
        List<Failure> left = new ArrayList<>();
        for (Failure failure : result.failures()) {
            Exclusion match = entries.stream().filter(e -> e.covers(result.script(), failure)).findFirst().orElse(null);
            if (match == null) left.add(failure);
            else used.add(match);
        }
        return left;
    }

    /** Entries that apply to some script of {@code ran} but covered none of its failures. */
    synchronized List<Exclusion> stale(Collection<Script> ran) {
        return entries.stream()
                .filter(e -> !used.contains(e) && ran.stream().anyMatch(e::coversScript))
                .toList();
    }
}
