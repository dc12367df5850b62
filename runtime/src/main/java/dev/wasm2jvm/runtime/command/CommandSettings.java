package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.internal.JarResources;
import dev.wasm2jvm.runtime.wasi.WasiOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How a WASI command starts: its program name ({@code argv[0]}), preopened directories,
 * environment, descriptor limit and memory limit. A compiled jar carries the settings given at compile time as the resource
 * {@link #RESOURCE}; see {@link CommandRunner#main} for how they are overridden at run time.
 *
 * @param program the program name, the guest's {@code argv[0]}
 * @param dirs the preopened directories, in the order the guest sees them
 * @param env the environment variables, in the order the guest sees them
 * @param maxFds the most file descriptors the guest may hold, as {@link WasiOptions.Builder#maxFds}
 * @param maxMemory the most bytes each of the guest's memories may have, or -1 for no limit but the
 *     module's own, as {@link WasiOptions.Builder#maxMemory}
 */
public record CommandSettings(String program, List<Preopen> dirs, Map<String, String> env, int maxFds, long maxMemory) {
    /** Where a compiled jar keeps its settings. */
    public static final String RESOURCE = "META-INF/wasm2jvm/command.properties";

    private static final String DIR_PROPERTY = "wasm2jvm.dir";
    /** What the name of every environment variable that changes the settings starts with. */
    static final String VARIABLE_PREFIX = "WASM2JVM_";
    private static final String DIR_VARIABLE = "WASM2JVM_DIR";
    private static final String ENV_PROPERTY_PREFIX = "wasm2jvm.env.";
    private static final String ENV_VARIABLE_PREFIX = "WASM2JVM_ENV_";
    private static final String MAX_FDS_PROPERTY = "wasm2jvm.maxFds";
    private static final String MAX_FDS_VARIABLE = "WASM2JVM_MAX_FDS";
    private static final String MAX_MEMORY_PROPERTY = "wasm2jvm.maxMemory";
    private static final String MAX_MEMORY_VARIABLE = "WASM2JVM_MAX_MEMORY";

    /**
     * @throws IllegalArgumentException if {@code maxFds} is not positive or {@code maxMemory} is
     *     negative but not -1
     */
    public CommandSettings {
        dirs = List.copyOf(dirs);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        if (maxFds < 1) throw new IllegalArgumentException("the descriptor limit must be positive, not " + maxFds);
        if (maxMemory < -1) throw new IllegalArgumentException("the memory limit must be at least 0 bytes, not " + maxMemory);
    }

    /** Settings with no memory limit but the module's own. */
    public CommandSettings(String program, List<Preopen> dirs, Map<String, String> env, int maxFds) {
        this(program, dirs, env, maxFds, -1);
    }

    /** Settings with the default descriptor limit, {@value WasiOptions#DEFAULT_MAX_FDS}. */
    public CommandSettings(String program, List<Preopen> dirs, Map<String, String> env) {
        this(program, dirs, env, WasiOptions.DEFAULT_MAX_FDS);
    }

    /**
     * Settings given as a compiled jar's launcher passes them ({@link CommandRunner#main(java.util.function.Function,
     * String, int, String, String[], String[], int, long, String[])}): {@code dirs} as host and guest
     * path in turn, {@code env} as name and value in turn.
     */
    static CommandSettings of(String program, String[] dirs, String[] env, int maxFds, long maxMemory) {
        List<Preopen> preopens = new ArrayList<>(dirs.length / 2);
        for (int i = 0; i < dirs.length; i += 2) preopens.add(new Preopen(dirs[i], dirs[i + 1]));
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < env.length; i += 2) variables.put(env[i], env[i + 1]);
        return new CommandSettings(program, preopens, variables, maxFds, maxMemory);
    }

    /** Writes the settings as properties; entries are numbered so that the order survives. */
    public void store(OutputStream out) throws IOException {
        Properties p = new Properties();
        p.setProperty("program", program);
        p.setProperty("maxFds", Integer.toString(maxFds));
        if (maxMemory >= 0) p.setProperty("maxMemory", Long.toString(maxMemory));
        for (int i = 0; i < dirs.size(); i++) p.setProperty("dir." + i, dirs.get(i).toString());
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) p.setProperty("env." + i++, e.getKey() + "=" + e.getValue());
        p.store(out, "wasm2jvm command settings");
    }

    /**
     * These settings with the process's environment under their own variables, for a command that
     * inherits its environment as a native program would.
     */
    public CommandSettings inheritEnvironment() {
        Map<String, String> inherited = new LinkedHashMap<>(new TreeMap<>(System.getenv()));
        inherited.putAll(env);
        return new CommandSettings(program, dirs, inherited, maxFds, maxMemory);
    }

    /**
     * The settings as one string, for generated code to keep as a constant: {@link #store}'s entries,
     * sorted and without its comments, so that equal settings give equal strings.
     */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            store(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1).lines().filter(line -> !line.startsWith("#")).sorted()
                .map(line -> line + "\n").collect(Collectors.joining());
    }

    /** Settings made by {@link #encode}. */
    public static CommandSettings decode(String encoded) {
        try {
            return load(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings of the jar that {@code moduleClass} came from, its resource {@link #RESOURCE}.
     * Read here, not by {@link CommandRunner}, which every start links: the exceptions thrown here
     * are classes the verifier of this method loads, and only a jar with no settings in its
     * launcher (compiled before they were) reads them.
     */
    static CommandSettings ofJar(Class<?> moduleClass) {
        InputStream fromJar = JarResources.open(moduleClass, RESOURCE);
        try (InputStream in = fromJar != null ? fromJar : moduleClass.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads settings written by {@link #store}. */
    public static CommandSettings load(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        String program = p.getProperty("program", "");
        int maxFds = parseMaxFds(p.getProperty("maxFds", Integer.toString(WasiOptions.DEFAULT_MAX_FDS)));
        long maxMemory = Long.parseLong(p.getProperty("maxMemory", "-1"));
        List<Preopen> dirs = new ArrayList<>();
        for (int i = 0; p.containsKey("dir." + i); i++) dirs.add(Preopen.parse(p.getProperty("dir." + i)));
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; p.containsKey("env." + i); i++) {
            String entry = p.getProperty("env." + i);
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return new CommandSettings(program, dirs, env, maxFds, maxMemory);
    }

    /**
     * These settings changed by the run-time overrides that {@link CommandRunner#main} documents,
     * taken from {@code properties} (the system properties) and {@code variables} (the process
     * environment); a property wins over a variable.
     */
    CommandSettings overriddenBy(Map<String, String> properties, Map<String, String> variables) {
        String dirSpec = properties.getOrDefault(DIR_PROPERTY, variables.get(DIR_VARIABLE));
        List<Preopen> newDirs = dirSpec == null ? dirs : parseDirs(dirSpec);
        Map<String, String> newEnv = new LinkedHashMap<>(env);
        newEnv.putAll(prefixed(variables, ENV_VARIABLE_PREFIX));
        newEnv.putAll(prefixed(properties, ENV_PROPERTY_PREFIX));
        String maxFdsSpec = properties.getOrDefault(MAX_FDS_PROPERTY, variables.get(MAX_FDS_VARIABLE));
        String maxMemorySpec = properties.getOrDefault(MAX_MEMORY_PROPERTY, variables.get(MAX_MEMORY_VARIABLE));
        return new CommandSettings(program, newDirs, newEnv, maxFdsSpec == null ? maxFds : parseMaxFds(maxFdsSpec),
                maxMemorySpec == null ? maxMemory : parseSize(maxMemorySpec));
    }

    /**
     * The entries of {@code map} whose names start with {@code prefix} and go on, without it, sorted
     * by name, so that variables new to the guest appear in an order that does not depend on hashing;
     * only these are sorted, not the whole environment.
     */
    private static Map<String, String> prefixed(Map<String, String> map, String prefix) {
        Map<String, String> found = new TreeMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(prefix) && name.length() > prefix.length()) found.put(name.substring(prefix.length()), e.getValue());
        }
        return found;
    }

    /**
     * A memory size as {@code -Xmx} takes it: a number of bytes, or of KiB, MiB or GiB with the
     * suffix {@code k}, {@code m} or {@code g} (either case): {@code 65536}, {@code 64m}, {@code 2g}.
     *
     * @throws IllegalArgumentException if {@code spec} is no such size
     */
    public static long parseSize(String spec) {
        String s = spec.trim();
        int shift = 0;
        if (!s.isEmpty()) {
            switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long n = digits.chars().allMatch(Character::isDigit) ? Long.parseLong(digits) : -1;
            if (n >= 0 && n <= Long.MAX_VALUE >> shift) return n << shift;
        } catch (NumberFormatException e) {
            // Reported below, as any other value that is no size.
        }
        throw new IllegalArgumentException("invalid memory size \"" + spec + "\": expected bytes, or a number with k, m or g, such as 64m");
    }

    private static int parseMaxFds(String spec) {
        try {
            int n = Integer.parseInt(spec.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // Reported below, as any other value that is no limit.
        }
        throw new IllegalArgumentException("invalid descriptor limit \"" + spec + "\": expected a positive number");
    }

    private static List<Preopen> parseDirs(String spec) {
        List<Preopen> dirs = new ArrayList<>();
        for (String entry : spec.split(",")) {
            if (!entry.isEmpty()) dirs.add(Preopen.parse(entry));
        }
        return dirs;
    }

    /**
     * WASI options for these settings: {@code argv} is the program name followed by {@code args};
     * the caller chooses the standard streams.
     */
    public WasiOptions.Builder wasiOptions(List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(program);
        argv.addAll(args);
        WasiOptions.Builder options = WasiOptions.builder().args(argv).env(env).maxFds(maxFds).maxMemory(maxMemory);
        for (Preopen dir : dirs) options.preopenDirectory(dir.hostPath(), dir.guest());
        return options;
    }
}
