package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static final List<String> ENGINES = List.of("wasm2jvm", "chicory", "native");

    private static Workload workload(String name) {
        return new Workload("Kernels", name, Path.of(name + ".wasm"), Path.of("."), null, null, null);
    }

    private static Measurement measured(long timedMillis, long totalMillis) {
        Measurement m = new Measurement();
        m.record(new Run(timedMillis * 1_000_000, totalMillis * 1_000_000, 0, new byte[0], new byte[0]));
        return m;
    }

    private static ResultTable table() {
        Map<Workload, Map<String, Measurement>> results = new LinkedHashMap<>();
        results.put(workload("a"), Map.of(
                "wasm2jvm", measured(200, 250), "chicory", measured(100, 0), "native", measured(50, 0)));
        results.put(workload("b"), Map.of(
                "wasm2jvm", measured(100, 120), "chicory", measured(200, 0),
                "native", Measurement.notSupported("no compiler")));
        return new ResultTable(ENGINES, results);
    }

    @Test
    void rowsHoldMediansRatiosAndAGeomeanPerGroup() {
        assertEquals("""
                Group\tBenchmark\twasm2jvm ms\tchicory ms\tnative ms\twasm2jvm whole ms\twasm2jvm / chicory\twasm2jvm / native
                Kernels\ta\t200\t100\t50\t250\t2.00\t4.00
                Kernels\tb\t100\t200\tunsupported\t120\t0.50\t
                Kernels\tgeomean\t\t\t\t\t1.00 (n=2)\t4.00 (n=1)
                """, table().toTsv());
    }

    @Test
    void cellsWithoutANumberAreExplainedInNotes() {
        assertEquals(List.of("b, native: not supported: no compiler"), table().notes());
    }

    @Test
    void wholeProcessTablesHaveNoWholeColumnAndAGeomeanOverAllGroups() {
        Map<Workload, Map<String, Measurement>> results = new LinkedHashMap<>();
        results.put(new Workload("A", "a", Path.of("a.wasm"), Path.of("."), null, null, null),
                Map.of("wasm2jvm", measured(400, 400), "chicory", measured(100, 100), "native", measured(100, 100)));
        results.put(new Workload("B", "b", Path.of("b.wasm"), Path.of("."), null, null, null),
                Map.of("wasm2jvm", measured(100, 100), "chicory", measured(100, 100), "native", Measurement.notApplicable()));
        assertEquals("""
                Group\tBenchmark\twasm2jvm ms\tchicory ms\tnative ms\twasm2jvm / chicory\twasm2jvm / native
                A\ta\t400\t100\t100\t4.00\t4.00
                A\tgeomean\t\t\t\t4.00 (n=1)\t4.00 (n=1)
                B\tb\t100\t100\tn/a\t1.00\t
                B\tgeomean\t\t\t\t1.00 (n=1)\t
                all\tgeomean\t\t\t\t2.00 (n=2)\t4.00 (n=1)
                """, new ResultTable(ENGINES, results, false).toTsv());
    }

    @Test
    void theAotEnginesTimeOverNodesHasAColumnOfItsOwn() {
        Map<Workload, Map<String, Measurement>> results = new LinkedHashMap<>();
        results.put(workload("a"), Map.of("wasm2jvm", measured(300, 300), "aot", measured(200, 200), "node", measured(100, 100)));
        results.put(workload("b"), Map.of("wasm2jvm", measured(100, 100), "aot", measured(50, 50), "node", measured(200, 200)));
        assertEquals("""
                Group\tBenchmark\twasm2jvm ms\taot ms\tnode ms\twasm2jvm / aot\twasm2jvm / node\taot / node
                Kernels\ta\t300\t200\t100\t1.50\t3.00\t2.00
                Kernels\tb\t100\t50\t200\t2.00\t0.50\t0.25
                Kernels\tgeomean\t\t\t\t1.73 (n=2)\t1.22 (n=2)\t0.71 (n=2)
                """, new ResultTable(List.of("wasm2jvm", "aot", "node"), results, false).toTsv());
    }
}
