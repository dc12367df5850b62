package dev.wasm2jvm.bench;

import java.util.Collection;
import java.util.List;

/** The summaries the table shows. */
final class Stats {
    private Stats() {}

    /** The median, in milliseconds, of nanosecond samples (the mean of the middle two for an even count). */
    static double medianMillis(List<Long> nanos) {
        return median(nanos.stream().map(n -> n / 1e6).toList());
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The geometric mean of positive ratios. */
    static double geomean(Collection<Double> ratios) {
        return Math.exp(ratios.stream().mapToDouble(Math::log).average().orElseThrow());
    }
}
