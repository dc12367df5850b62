import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * What loading, linking and initialising some of a compiled jar's classes costs, in the thread CPU
 * time of a fresh JVM: {@code java -cp DIR LinkProbe X.jar FIRST CLASS...} loads {@code FIRST} from
 * the jar (so that opening the jar is not measured), then each {@code CLASS} in turn, and prints the
 * microseconds of CPU and of wall time the latter took. Pairs of runs over two jars that differ in
 * those classes (interleaved, medians of the ratios) tell what a change to them saves a start; the
 * classes a start loads are those {@code -Xlog:class+load} names. Figures: {@code benchmarks/README.md},
 * "What a start verifies".
 */
public class LinkProbe {
    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadCpuTime();
        URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                LinkProbe.class.getClassLoader());
        Class.forName(args[1], true, loader);
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 2; i < args.length; i++) Class.forName(args[i], true, loader);
        System.out.println((threads.getCurrentThreadCpuTime() - cpu) / 1000 + " " + (System.nanoTime() - wall) / 1000);
    }
}
