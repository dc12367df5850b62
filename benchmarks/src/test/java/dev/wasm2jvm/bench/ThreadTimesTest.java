package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {
    @Test
    void rolesComeFromTheKernelsThreadNames() {
        assertEquals(ThreadTimes.Role.PROGRAM, ThreadTimes.Role.of("wasm-main"));
        assertEquals(ThreadTimes.Role.LAUNCHER, ThreadTimes.Role.of("java"));
        // The kernel keeps 15 bytes of a name: HotSpot's "C2 CompilerThread0" reads so.
        assertEquals(ThreadTimes.Role.C1, ThreadTimes.Role.of("C1 CompilerThre"));
        assertEquals(ThreadTimes.Role.C2, ThreadTimes.Role.of("C2 CompilerThre"));
        assertEquals(ThreadTimes.Role.OTHER, ThreadTimes.Role.of("G1 Main Marker"));
    }

    @Test
    void aSchedstatLineIsCpuTimeThenRunQueueWait() {
        assertEquals(new ThreadTimes.Times(123456789L, 4567L), ThreadTimes.Times.parse("123456789 4567 12\n"));
        assertThrows(IllegalArgumentException.class, () -> ThreadTimes.Times.parse("17"));
    }

    @Test
    void readingsAreSummedByRoleAndAnUnnamedThreadIsOther() {
        Map<ThreadTimes.Role, ThreadTimes.Times> sums = ThreadTimes.byRole(
                Map.of("1", ThreadTimes.Role.LAUNCHER, "2", ThreadTimes.Role.C2, "3", ThreadTimes.Role.C2),
                Map.of("1", new ThreadTimes.Times(10, 1), "2", new ThreadTimes.Times(20, 2),
                        "3", new ThreadTimes.Times(30, 3), "4", new ThreadTimes.Times(5, 5)));
        assertEquals(new ThreadTimes.Times(10, 1), sums.get(ThreadTimes.Role.LAUNCHER));
        assertEquals(new ThreadTimes.Times(50, 5), sums.get(ThreadTimes.Role.C2));
        assertEquals(new ThreadTimes.Times(5, 5), sums.get(ThreadTimes.Role.OTHER));
        assertEquals(new ThreadTimes.Times(0, 0), sums.get(ThreadTimes.Role.PROGRAM));
    }

    @Test
    void aBusyChildsCpuTimeIsRead() throws Exception {
        assumeTrue(ThreadTimes.available(), "needs Linux's per-thread schedstat");
        ThreadTimes.Sampler sampler = new ThreadTimes.Sampler();
        // A JVM that runs a little: its launching thread ("java") and its compilers are read, by role.
        ProcessBuilder jvm = new ProcessBuilder(java(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        int status = ChildProcess.run(jvm, Duration.ofSeconds(60), sampler::watch);
        Map<ThreadTimes.Role, ThreadTimes.Times> times = sampler.stop();
        assertEquals(0, status);
        assertTrue(times.get(ThreadTimes.Role.LAUNCHER).cpuNanos() > 1_000_000L, times.toString());
        assertEquals(new ThreadTimes.Times(0, 0), times.get(ThreadTimes.Role.PROGRAM));
        assertEquals(new ThreadTimes.Times(0, 0), times.get(ThreadTimes.Role.OTHER));
    }

    private static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
