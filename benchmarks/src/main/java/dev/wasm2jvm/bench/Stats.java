package dev.wasm2jvm.bench;

import java.util.Collection;
import java.util.List;

/** The summaries the table shows. */
final class Stats {
    private Stats() {}

    /** The median, in milliseconds, of nanosecond samples (the mean of the middle two for an even count). */
    static double medianMillis(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int n = sorted.size();
        double middle = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return middle / 1e6;
    }

    /** The geometric mean of positive ratios. */
    static double geomean(Collection<Double> ratios) {
        return Math.exp(ratios.stream().mapToDouble(Math::log).average().orElseThrow());
    }
}
