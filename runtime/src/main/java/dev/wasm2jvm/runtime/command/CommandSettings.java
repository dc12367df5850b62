package dev.wasm2jvm.runtime.command;

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
 * environment and descriptor limit. A compiled jar carries the settings given at compile time as the resource
 * {@link #RESOURCE}; see {@link CommandRunner#main} for how they are overridden at run time.
 *
 * @param program the program name, the guest's {@code argv[0]}
 * @param dirs the preopened directories, in the order the guest sees them
 * @param env the environment variables, in the order the guest sees them
 * @param maxFds the most file descriptors the guest may hold, as {@link WasiOptions.Builder#maxFds}
 */
public record CommandSettings(String program, List<Preopen> dirs, Map<String, String> env, int maxFds) {
    /** Where a compiled jar keeps its settings. */
    public static final String RESOURCE = "META-INF/wasm2jvm/command.properties";

    private static final String DIR_PROPERTY = "wasm2jvm.dir";
    private static final String DIR_VARIABLE = "WASM2JVM_DIR";
    private static final String ENV_PROPERTY_PREFIX = "wasm2jvm.env.";
    private static final String ENV_VARIABLE_PREFIX = "WASM2JVM_ENV_";
    private static final String MAX_FDS_PROPERTY = "wasm2jvm.maxFds";
    private static final String MAX_FDS_VARIABLE = "WASM2JVM_MAX_FDS";

    /** @throws IllegalArgumentException if {@code maxFds} is not positive */
    public CommandSettings {
        dirs = List.copyOf(dirs);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        if (maxFds < 1) throw new IllegalArgumentException("the descriptor limit must be positive, not " + maxFds);
    }

    /** Settings with the default descriptor limit, {@value WasiOptions#DEFAULT_MAX_FDS}. */
    public CommandSettings(String program, List<Preopen> dirs, Map<String, String> env) {
        this(program, dirs, env, WasiOptions.DEFAULT_MAX_FDS);
    }

    /** Writes the settings as properties; entries are numbered so that the order survives. */
    public void store(OutputStream out) throws IOException {
        Properties p = new Properties();
        p.setProperty("program", program);
        p.setProperty("maxFds", Integer.toString(maxFds));
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
        return new CommandSettings(program, dirs, inherited, maxFds);
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

    /** Reads settings written by {@link #store}. */
    public static CommandSettings load(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        String program = p.getProperty("program", "");
        int maxFds = parseMaxFds(p.getProperty("maxFds", Integer.toString(WasiOptions.DEFAULT_MAX_FDS)));
        List<Preopen> dirs = new ArrayList<>();
        for (int i = 0; p.containsKey("dir." + i); i++) dirs.add(Preopen.parse(p.getProperty("dir." + i)));
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; p.containsKey("env." + i); i++) {
            String entry = p.getProperty("env." + i);
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return new CommandSettings(program, dirs, env, maxFds);
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
        // Sorted, so that variables new to the guest appear in an order that does not depend on hashing.
        for (Map.Entry<String, String> e : new TreeMap<>(variables).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ENV_VARIABLE_PREFIX) && name.length() > ENV_VARIABLE_PREFIX.length()) {
                newEnv.put(name.substring(ENV_VARIABLE_PREFIX.length()), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ENV_PROPERTY_PREFIX) && name.length() > ENV_PROPERTY_PREFIX.length()) {
                newEnv.put(name.substring(ENV_PROPERTY_PREFIX.length()), e.getValue());
            }
        }
        String maxFdsSpec = properties.getOrDefault(MAX_FDS_PROPERTY, variables.get(MAX_FDS_VARIABLE));
        return new CommandSettings(program, newDirs, newEnv, maxFdsSpec == null ? maxFds : parseMaxFds(maxFdsSpec));
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
        WasiOptions.Builder options = WasiOptions.builder().args(argv).env(env).maxFds(maxFds);
        for (Preopen dir : dirs) options.preopenDirectory(dir.hostPath(), dir.guest());
        return options;
    }
}
