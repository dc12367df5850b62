package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SightglassSuiteTest {
    @Test
    void readsModulesNamesAndExpectations(@TempDir Path corpus) throws IOException {
        Files.writeString(corpus.resolve("BENCHMARKS.tsv"), """
                wasm\tsize\tstdout_expected\tstderr_expected
                noop/benchmark.wasm\t1\tbenchmark.stdout.expected\tbenchmark.stderr.expected
                shootout/shootout-fib2.wasm\t1\tshootout-fib2.stdout.expected\t-
                """);
        List<Workload> workloads = SightglassSuite.load(corpus);

        Path noop = corpus.resolve("benchmarks/noop");
        assertEquals(List.of("noop", "shootout-fib2"), workloads.stream().map(Workload::name).toList());
        assertEquals(noop.resolve("benchmark.wasm"), workloads.get(0).wasm());
        assertEquals(noop, workloads.get(0).directory());
        assertEquals(noop.resolve("benchmark.stderr.expected"), workloads.get(0).expectedStderr());
        assertNull(workloads.get(1).expectedStderr());
        assertNull(workloads.get(1).nativeExecutable());
    }
}
