package dev.wasm2jvm.bench;

import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;

/**
 * How long an engine takes to get a module ready ({@link Engine#prepare}: read, parse, compile) and
 * how much heap that needs. Peak heap is the sum of each heap pool's peak since a GC just before,
 * so an upper bound of the true peak, which depends on when the GC runs; the bytes the compiling
 * thread allocates do not, and show the work the compiler does.
 *
 * @param failure why preparing failed, or {@code null}
 */
record CompileProfile(String engine, Workload workload, long wasmBytes, long nanos, long baselineBytes,
        long peakBytes, long allocatedBytes, String failure) {

    static CompileProfile measure(Engine engine, Workload workload, long wasmBytes) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long baseline = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        String failure = null;
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long begin = System.nanoTime();
        try {
            engine.prepare(workload);
        } catch (Throwable t) {
            failure = String.valueOf(t.getMessage());
        }
        long nanos = System.nanoTime() - begin;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new CompileProfile(engine.name(), workload, wasmBytes, nanos, baseline, peak, allocated, failure);
    }

    String describe() {
        String subject = String.format(Locale.ROOT, "%s, %s (%d kB)", engine, workload.name(), wasmBytes / 1000);
        if (failure != null) {
            return subject + ": not supported: " + failure;
        }
        return String.format(Locale.ROOT,
                "%s: compile %.0f ms, peak heap %.0f MB (%.0f MB above the %.0f MB before), %.0f MB allocated",
                subject, nanos / 1e6, peakBytes / 1e6, (peakBytes - baselineBytes) / 1e6, baselineBytes / 1e6,
                allocatedBytes / 1e6);
    }
}
