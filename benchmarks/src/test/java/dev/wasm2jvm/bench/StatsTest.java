package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfAnOddCountIsTheMiddleSample() {
        assertEquals(2.0, Stats.medianMillis(List.of(9_000_000L, 1_000_000L, 2_000_000L)));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Stats.medianMillis(List.of(4_000_000L, 1_000_000L, 3_000_000L, 2_000_000L)));
    }

    @Test
    void geomeanOfReciprocalsIsOne() {
        assertEquals(1.0, Stats.geomean(List.of(4.0, 0.25)), 1e-12);
    }
}
