package dev.wasm2jvm.fuzz;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Table;
import dev.wasm2jvm.runtime.WasmTrap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The wasm2jvm side of the differential harness: instantiates a module with the generator's
 * imports, calls every exported function with argument sets 0 and 1 and records the transcript
 * that {@code src/test/js/execute.cjs} records on node, line for line in the same format (that
 * file's header describes it).
 *
 * <p>Its {@link #main} is the forked JVM of the forced-C2 tier: it reads lines
 * {@code WASM CLASSDIR CLASSNAME TIMEOUT} (modules compiled by the parent) and answers each with the
 * transcript and {@code end}, so the JVM under test loads no compiler and C2 compiles only
 * generated code.
 */
final class JvmEngine {
    private static final int[] ARGS_I32 = {1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42};
    private static final long[] ARGS_I64 = {1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 42};
    private static final float[] ARGS_F32 = {1.5f, -0f, Float.POSITIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE};
    private static final double[] ARGS_F64 = {1.5, -0d, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE};
    /**
     * Thread stack of a module run: fixed, so that the depth of a stack overflow does not vary by
     * caller; {@code -Dwasm2jvm.fuzz.stackMiB} changes it, to tell whether a difference after an
     * overflow goes away when the JVM overflows no earlier than node.
     */
    private static final long STACK_BYTES = Long.getLong("wasm2jvm.fuzz.stackMiB", 8) << 20;

    private JvmEngine() {}

    /** What a host import throws where the JS harness throws a JS exception; a {@code host} trap class. */
    static final class HostError extends RuntimeException {
        HostError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Runs a module on a fresh thread (a fixed stack size) and returns its transcript; after
     * {@code timeoutSeconds} the module is terminated, and the transcript ends with {@code timeout}.
     */
    static List<String> run(Function<Imports, Instance> instantiate, List<String[]> globalImports, long timeoutSeconds) {
        List<String> out = new ArrayList<>();
        Imports imports = new Imports();
        Thread thread = new Thread(null, () -> {
            try {
                runOn(instantiate, imports, globalImports, out);
            } catch (Throwable t) {
                synchronized (out) {
                    out.add("error " + t.toString().replaceAll("\\s+", " "));
                }
            }
        }, "fuzz-module", STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            if (thread.isAlive()) {
                List<String> copy;
                synchronized (out) {
                    copy = new ArrayList<>(out);
                }
                copy.add("timeout");
                // A loop only stops at a termination poll, and that stops it for good. Requesting
                // termination arms the polls of every module in this JVM from then on (see
                // Termination): later modules run with the polls a wasi-threads exit would arm.
                imports.termination().request();
                thread.interrupt();
                thread.join(1000);
                return copy;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a module", e);
        }
        return out;
    }

    private static void runOn(Function<Imports, Instance> instantiate, Imports imports, List<String[]> globalImports,
            List<String> out) {
        Instance[] instance = new Instance[1];
        // Set when a *-catch import caught a stack overflow. Logged at once if the stack allows (a
        // module stopped at the time limit leaves it), and again after the call, when it does.
        boolean[] exhausted = new boolean[1];
        add(imports, "log-i32", "i:", a -> log(out, "log i32 " + show('i', a[0])));
        add(imports, "log-i64", "l:", a -> log(out, "log i64 " + show('l', a[0])));
        add(imports, "log-f32", "f:", a -> log(out, "log f32 " + show('f', a[0])));
        add(imports, "log-f64", "d:", a -> log(out, "log f64 " + show('d', a[0])));
        add(imports, "log-v128-i64x2", "ll:", a -> log(out, "log v128 " + Long.toHexString((Long) a[0]) + " "
                + Long.toHexString((Long) a[1])));
        add(imports, "call-export", "ii:", a -> {
            callExport(instance[0], (Integer) a[0]);
            return null;
        });
        add(imports, "call-export-catch", "i:i", a -> new Object[] {catching(out, exhausted, () -> callExport(instance[0], (Integer) a[0]))});
        add(imports, "call-ref", "ri:", a -> {
            callAsHost((FuncRef) a[0]);
            return null;
        });
        add(imports, "call-ref-catch", "r:i", a -> new Object[] {catching(out, exhausted, () -> callAsHost((FuncRef) a[0]))});
        add(imports, "sleep", "ii:i", a -> new Object[] {a[1]});
        add(imports, "table-get", "i:r", a -> new Object[] {tableAt(instance[0], (Integer) a[0]).get((Integer) a[0])});
        add(imports, "table-set", "ir:", a -> {
            tableAt(instance[0], (Integer) a[0]).set((Integer) a[0], a[1]);
            return null;
        });
        for (String[] global : globalImports) imports.add(global[0], global[1], Global.ofRef('e', global[1], false));
        log(out, "instantiate");
        try {
            instance[0] = instantiate.apply(imports);
        } catch (Throwable t) {
            log(out, "trap " + trapClass(t));
            return;
        }
        for (Map.Entry<String, Object> e : instance[0].exports().entrySet()) {
            if (!(e.getValue() instanceof FuncRef f) || !callable(f)) continue;
            for (int set = 0; set <= 1; set++) {
                log(out, "call " + e.getKey() + " " + set);
                try {
                    Object[] results = f.call(arguments(f.type, set));
                    StringBuilder line = new StringBuilder("result");
                    String types = f.type.substring(f.type.indexOf(':') + 1);
                    for (int i = 0; i < results.length; i++) line.append(' ').append(show(types.charAt(i), results[i]));
                    log(out, line.toString());
                } catch (Throwable t) {
                    log(out, "trap " + trapClass(t));
                }
                if (exhausted[0]) log(out, "exhausted");
                exhausted[0] = false;
            }
        }
        for (Map.Entry<String, Object> e : instance[0].exports().entrySet()) {
            switch (e.getValue()) {
                // node cannot read a v128 global: only its presence is compared.
                case Global g -> log(out, "global " + e.getKey() + " " + (g.type == 'v' ? "v128" : show(g.type, g.get())));
                case Table t -> {
                    int nulls = 0;
                    for (int i = 0; i < t.size(); i++) if (t.get(i) == null) nulls++;
                    log(out, "table " + e.getKey() + " " + t.size() + " " + nulls);
                }
                case Memory m -> {
                    long bytes = (long) m.pages() * Memory.PAGE_SIZE;
                    int hash = 0x811c9dc5;
                    for (long i = 0; i < bytes; i++) hash = (hash ^ (m.segment().get(ValueLayout.JAVA_BYTE, i) & 0xff)) * 0x01000193;
                    log(out, "memory " + e.getKey() + " " + m.pages() + " " + Integer.toHexString(hash));
                }
                default -> { }
            }
        }
    }

    private static void add(Imports imports, String name, String type, HostFunction body) {
        imports.add("fuzzing-support", name, FuncRef.host(type, body));
    }

    private static Object[] log(List<String> out, String line) {
        synchronized (out) {
            out.add(line);
        }
        return null;
    }

    private static int catching(List<String> out, boolean[] exhausted, Runnable call) {
        try {
            call.run();
            return 0;
        } catch (Throwable t) {
            if (isStackOverflow(t)) {
                exhausted[0] = true;
                try {
                    log(out, "exhausted");
                } catch (StackOverflowError again) {
                    // Still too deep: logged after the call.
                }
            }
            return 1;
        }
    }

    private static void callExport(Instance instance, int index) {
        if (instance == null) throw new HostError("no instance yet");
        List<Object> exports = new ArrayList<>(instance.exports().values());
        if (Integer.compareUnsigned(index, exports.size()) >= 0) throw new HostError("no such export");
        callAsHost(exports.get(index) instanceof FuncRef f ? f : null);
    }

    private static void callAsHost(FuncRef f) {
        if (f == null) throw new HostError("not callable");
        if (!callable(f)) throw new HostError("v128 in the signature");
        f.call(arguments(f.type, 0));
    }

    /**
     * Whether JavaScript can call the function: a v128 has no JS value. Neither harness calls an
     * export with one, and a call of such a function through {@code call-export} or {@code call-ref}
     * is a host error on both sides.
     */
    private static boolean callable(FuncRef f) {
        return f.type.indexOf('v') < 0;
    }

    private static Table tableAt(Instance instance, int index) {
        if (instance != null) {
            for (Object v : instance.exports().values()) {
                if (v instanceof Table t) {
                    if (Integer.compareUnsigned(index, t.size()) < 0) return t;
                    break;
                }
            }
        }
        throw new HostError("no such table element");
    }

    static Object[] arguments(String type, int set) {
        int colon = type.indexOf(':');
        Object[] args = new Object[colon];
        for (int i = 0; i < colon; i++) {
            int k = i % 5;
            args[i] = switch (type.charAt(i)) {
                case 'i' -> set == 0 ? 0 : ARGS_I32[k];
                case 'l' -> set == 0 ? 0L : ARGS_I64[k];
                case 'f' -> set == 0 ? 0f : ARGS_F32[k];
                case 'd' -> set == 0 ? 0d : ARGS_F64[k];
                default -> null;
            };
        }
        return args;
    }

    /** A value as execute.cjs shows it: floats by the bits of their f64 value, any NaN as {@code nan}. */
    static String show(char type, Object v) {
        return switch (type) {
            case 'i' -> Integer.toString((Integer) v);
            case 'l' -> Long.toString((Long) v);
            case 'f', 'd' -> {
                double d = v instanceof Float f ? (double) f : (Double) v;
                yield Double.isNaN(d) ? "nan" : Long.toHexString(Double.doubleToRawLongBits(d));
            }
            default -> v == null ? "null" : "ref";
        };
    }

    private static boolean isStackOverflow(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StackOverflowError) return true;
            if (c instanceof WasmTrap && "call stack exhausted".equals(c.getMessage())) return true;
        }
        return false;
    }

    /** wasm2jvm's trap texts (the spec's), mapped to the classes execute.cjs maps V8's messages to. */
    static String trapClass(Throwable t) {
        if (t instanceof HostError) return "host";
        if (isStackOverflow(t)) return "stack";
        if (!(t instanceof WasmTrap)) return "jvm:" + t.getClass().getName();
        String m = String.valueOf(t.getMessage());
        if (m.equals("unreachable")) return "unreachable";
        if (m.startsWith("out of bounds memory access")) return "memory";
        if (m.startsWith("out of bounds table access") || m.startsWith("undefined element")) return "table";
        if (m.startsWith("uninitialized element") || m.startsWith("indirect call type mismatch")) return "indirect";
        if (m.equals("integer divide by zero")) return "div-zero";
        // One class for both: V8 does not tell a NaN truncated apart from an out-of-range one.
        if (m.equals("integer overflow") || m.equals("invalid conversion to integer")) return "overflow";
        if (m.equals("unaligned atomic")) return "unaligned";
        if (m.equals("expected shared memory")) return "unshared";
        return "other:" + m.replaceAll("\\s+", "_");
    }

    /**
     * The forced-C2 tier's JVM: reads {@code WASM CLASSDIR CLASSNAME TIMEOUT} lines (the module,
     * for its global imports, and its classes), writes transcripts.
     * Loads each module's classes from its directory with a loader of its own.
     */
    public static void main(String[] args) throws Exception {
        PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.trim().split(" ");
            List<String> transcript;
            List<String[]> globals = GlobalImports.of(Files.readAllBytes(Path.of(parts[0])));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(parts[1]).toUri().toURL()},
                    JvmEngine.class.getClassLoader())) {
                MethodHandle constructor = MethodHandles.publicLookup().findConstructor(
                        loader.loadClass(parts[2]), MethodType.methodType(void.class, Imports.class));
                transcript = run(imports -> {
                    try {
                        return (Instance) constructor.invoke(imports);
                    } catch (Throwable t) {
                        throw WasmTrap.propagate(t);
                    }
                }, globals, Long.parseLong(parts[3]));
            }
            for (String l : transcript) stdout.println(l);
            stdout.println("end");
            stdout.flush();
        }
    }
}
