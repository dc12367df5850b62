import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.MethodModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipFile;

/**
 * What defining and linking a compiled jar's generated classes costs, in the thread CPU time of a
 * fresh JVM: {@code java LoadCost.java X.jar [variant]} defines the module class (with the runtime
 * classes it names) and then each code and reference class in a loader of their own, links each
 * as the runtime's {@code ModuleClasses} does, and prints the microseconds of each part.
 *
 * <p>Variants rewrite the class files before defining them, to bound what a shape would save:
 * {@code nolines} drops every {@code LineNumberTable}, {@code notramp} drops the reference classes'
 * trampolines (their methods named after functions). Verification alone is bounded by running with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote}. Figures:
 * {@code benchmarks/README.md}, "Loading the generated classes".
 */
public class LoadCost {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String variant = args.length > 1 ? args[1] : "as-is";
        Map<String, byte[]> generated = generatedClasses(jar);
        generated.replaceAll((name, bytes) -> rewrite(variant, name).apply(bytes));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ClassLoader loader = new GeneratedLoader(generated, new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader()));
        long start = threads.getCurrentThreadCpuTime();
        Class.forName("wasm.Module", false, loader).getDeclaredConstructors();
        StringBuilder out = new StringBuilder(variant + ": module " + (threads.getCurrentThreadCpuTime() - start) / 1000);
        long define = 0, link = 0;
        for (String name : generated.keySet()) {
            if (!name.contains("$Code") && !name.contains("$Refs")) continue;
            long before = threads.getCurrentThreadCpuTime();
            Class<?> c = Class.forName(name, false, loader);
            long defined = threads.getCurrentThreadCpuTime();
            c.getDeclaredConstructors();
            long linked = threads.getCurrentThreadCpuTime();
            define += defined - before;
            link += linked - defined;
            out.append(", ").append(name.substring(name.indexOf('$') + 1)).append(' ')
                    .append((defined - before) / 1000).append('/').append((linked - defined) / 1000);
        }
        System.out.println(out + "; code and reference classes: define " + define / 1000 + " link " + link / 1000 + " us");
    }

    /** The jar's {@code wasm/} classes by binary name, in the jar's order. */
    private static Map<String, byte[]> generatedClasses(Path jar) throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                String n = entry.getName();
                if (!n.startsWith("wasm/") || !n.endsWith(".class")) continue;
                try (var in = zip.getInputStream(entry)) {
                    classes.put(n.substring(0, n.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    private static UnaryOperator<byte[]> rewrite(String variant, String name) {
        return switch (variant) {
            case "nolines" -> bytes -> {
                ClassFile cf = ClassFile.of(ClassFile.LineNumbersOption.DROP_LINE_NUMBERS);
                return cf.transformClass(cf.parse(bytes), ClassTransform.ACCEPT_ALL);
            };
            case "notramp" -> bytes -> {
                if (!name.contains("$Refs")) return bytes;
                ClassFile cf = ClassFile.of();
                return cf.transformClass(cf.parse(bytes), ClassTransform.dropping(
                        e -> e instanceof MethodModel m && m.methodName().stringValue().startsWith("func")));
            };
            default -> bytes -> bytes;
        };
    }

    /** Defines the generated classes itself; the runtime's and the JDK's come from its parent. */
    private static final class GeneratedLoader extends ClassLoader {
        private final Map<String, byte[]> generated;

        GeneratedLoader(Map<String, byte[]> generated, ClassLoader parent) {
            super(parent);
            this.generated = generated;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) return c;
                return generated.containsKey(name) ? findClass(name) : getParent().loadClass(name);
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = generated.get(name);
            if (bytes == null) throw new ClassNotFoundException(name);
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
