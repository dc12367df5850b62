package dev.wasm2jvm.bench;

import dev.wasm2jvm.compiler.ValidatedModule;
import dev.wasm2jvm.compiler.WasmCompiler;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compile throughput on one core (issue 14 point 3): megabytes of a module's code section that the
 * compiler turns into classes per second of the compiling thread's CPU, round after round in one
 * JVM, so that the first round shows a cold compiler and the later ones a compiled one. Run with
 * {@code -XX:ActiveProcessorCount=1} ({@code benchmarks/run.sh throughput} does), which makes the
 * compiler plan every function on the calling thread: its CPU time is then all of the compiler's
 * work, and none of the JIT's or the collector's.
 *
 * <pre>
 * benchmarks/run.sh throughput [--rounds N] [--library] MODULE.wasm...
 * </pre>
 *
 * {@code --library} also renders the two Java sources {@code compile --library} writes, from the
 * same validated module.
 */
public final class CompileThroughputMain {
    private static final int CODE_SECTION = 10;

    private CompileThroughputMain() {}

    public static void main(String[] args) throws IOException {
        int rounds = 5;
        boolean library = false;
        List<Path> modules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--library" -> library = true;
                default -> modules.add(Path.of(args[i]));
            }
        }
        if (modules.isEmpty() || rounds < 1) {
            System.err.println("usage: CompileThroughputMain [--rounds N] [--library] MODULE.wasm...");
            System.exit(2);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "Java %s, %d processor(s) as the JVM sees them, %d rounds%s%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), rounds,
                library ? ", with the --library sources" : "");
        System.out.println("| module | code MB | first round s | MB/s | later rounds s (median) | MB/s |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Path module : modules) {
            byte[] wasm = Files.readAllBytes(module);
            double codeMegabytes = codeSectionBytes(wasm) / 1e6;
            List<Long> nanos = new ArrayList<>(rounds);
            for (int round = 0; round < rounds; round++) {
                long begin = threads.getCurrentThreadCpuTime();
                ValidatedModule validated = WasmCompiler.validate(wasm);
                WasmCompiler.compile(validated, WasmCompiler.DEFAULT_CLASS_NAME, null, (done, total) -> { });
                if (library) {
                    WasmCompiler.facadeSource(validated, WasmCompiler.DEFAULT_CLASS_NAME);
                    WasmCompiler.apiInterfaceSource(validated, WasmCompiler.DEFAULT_CLASS_NAME);
                }
                nanos.add(threads.getCurrentThreadCpuTime() - begin);
            }
            double first = nanos.getFirst() / 1e9;
            double later = Stats.medianMillis(rounds == 1 ? nanos : nanos.subList(1, rounds)) / 1e3;
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", module.getFileName(),
                    codeMegabytes, first, codeMegabytes / first, later, codeMegabytes / later);
        }
    }

    /** The size of the code section's contents, read from the section headers of a binary module. */
    static long codeSectionBytes(byte[] wasm) {
        int[] at = {8};
        while (at[0] < wasm.length) {
            int id = wasm[at[0]++] & 0xFF;
            long size = unsignedLeb128(wasm, at);
            if (id == CODE_SECTION) return size;
            at[0] += (int) size;
        }
        throw new IllegalArgumentException("the module has no code section");
    }

    private static long unsignedLeb128(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = bytes[at[0]++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
