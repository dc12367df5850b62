package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmException;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.internal.JarResources;
import dev.wasm2jvm.runtime.internal.WasiCommand;
import dev.wasm2jvm.runtime.threads.WasiThreads;
import dev.wasm2jvm.runtime.wasi.WasiExit;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a WASI command module: instantiates it with a {@code wasi_snapshot_preview1} host, which
 * provides snapshot 0's {@code wasi_unstable} too, binds its exported {@code "memory"} and calls
 * its {@code _start} export.
 *
 * <p>The program's exit code is the status it passed to {@code proc_exit}, 0 when {@code _start}
 * returns, {@value #TRAP_EXIT_CODE} when it traps or a wasm exception leaves it uncaught (128 +
 * {@code SIGABRT}, the status of a native program that aborts, which wasmtime uses for traps too), and {@value #FAILURE_EXIT_CODE} when it cannot start: an import that is missing or has
 * the wrong type, a preopened directory that cannot be opened, no {@code _start} export. A trap and
 * a failure to start are reported in one line on the diagnostics stream; a trap's line names the
 * wasm function that trapped, and a wasm backtrace follows unless {@link #backtrace} turns it off.
 */
public final class CommandRunner {
    /** The exit code of a program that trapped. */
    public static final int TRAP_EXIT_CODE = 134;
    /** The system property that, {@code true}, leaves out the wasm backtrace of a compiled jar's trap reports. */
    public static final String QUIET_TRAPS_PROPERTY = "wasm2jvm.quietTraps";
    /** The exit code of a program that could not be started. */
    public static final int FAILURE_EXIT_CODE = 1;
    /** The resource of a compiled jar that names the build of its classes ({@link #checkClassCache}). */
    public static final String BUILD_RESOURCE = "META-INF/wasm2jvm/build";

    /** How long the end of a program waits for its other threads to stop. */
    private static final long THREAD_GRACE_MILLIS = 2000;

    private final String moduleClassName;
    private final Function<Imports, Instance> factory;
    private int maxThreads = WasiThreads.DEFAULT_MAX_THREADS;
    private boolean backtrace = true;
    /**
     * Whether the JVM ends with the program, as after a compiled jar's {@code main}: then the
     * program's output is flushed but its descriptors are left to close with the process. Closing
     * a held preopened directory makes the JDK spin a lambda's class at the very end of the program.
     */
    private boolean processEnds;
    /** The module's classes when the runner constructs it, else null. */
    private ModuleClasses classes;

    /**
     * A runner for the module whose generated class is {@code moduleClassName}, instantiated by
     * {@code factory}. The class name tells the module's frames from others in a trap's stack.
     */
    public CommandRunner(String moduleClassName, Function<Imports, Instance> factory) {
        this.moduleClassName = moduleClassName;
        this.factory = factory;
    }

    /**
     * Limits how many wasi-threads threads the program may run at once (besides its main thread);
     * past it, {@code thread-spawn} fails with a negative result.
     */
    public CommandRunner maxThreads(int maxThreads) {
        if (maxThreads < 0) throw new IllegalArgumentException("negative thread limit " + maxThreads);
        this.maxThreads = maxThreads;
        return this;
    }

    /**
     * Whether a trap's report has a wasm backtrace after its one line (the default), or the line
     * alone.
     */
    public CommandRunner backtrace(boolean backtrace) {
        this.backtrace = backtrace;
        return this;
    }

    /** A runner for the generated class {@code moduleClass}, instantiated by its constructor. */
    public static CommandRunner of(Class<? extends Instance> moduleClass) {
        return of(new ModuleClasses(moduleClass));
    }

    private static CommandRunner of(ModuleClasses classes) {
        CommandRunner runner = new CommandRunner(classes.moduleClassName(), classes);
        runner.classes = classes;
        return runner;
    }

    /**
     * Runs the program with {@code options} on a thread of its own and returns its exit code, after
     * flushing its output. Failures of the host itself (not traps) are rethrown.
     *
     * @param diagnostics where a trap or a failure to start is reported
     */
    public int run(WasiOptions options, PrintStream diagnostics) {
        int[] exitCode = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, new Runnable() {
            @Override
            public void run() {
                try {
                    exitCode[0] = runHere(options, diagnostics);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }
        }, "wasm-main", WasiThreads.STACK_SIZE);
        thread.start();
        if (processEnds && classes != null) classes.load(thread);
        joinUninterruptibly(thread);
        diagnostics.flush();
        if (failure[0] instanceof RuntimeException e) throw e;
        if (failure[0] instanceof Error e) throw e;
        return exitCode[0];
    }

    private int runHere(WasiOptions options, PrintStream diagnostics) {
        WasiPreview1 wasi;
        try {
            wasi = new WasiPreview1(options);
        } catch (NoSuchFileException e) {
            diagnostics.println("wasm2jvm: cannot preopen directory " + e.getFile() + ": no such directory");
            return FAILURE_EXIT_CODE;
        } catch (IOException e) {
            diagnostics.println("wasm2jvm: cannot preopen directory: " + e.getMessage());
            return FAILURE_EXIT_CODE;
        }
        try {
            return start(wasi, options, diagnostics);
        } finally {
            if (processEnds) wasi.flush();
            else close(wasi);
        }
    }

    /**
     * Instantiates and runs the program. It ends at the first of: {@code _start} returning, or a
     * trap or {@code proc_exit} in any of its threads; then every other thread is stopped.
     */
    private int start(WasiPreview1 wasi, WasiOptions options, PrintStream diagnostics) {
        Imports imports = new Imports().provideMemories().maxMemory(options.maxMemory())
                .maxTableElements(options.maxTableElements());
        wasi.addTo(imports);
        ThreadsOnImport threadsOnImport = new ThreadsOnImport(imports);
        imports.addModule(ThreadsOnImport.MODULE, threadsOnImport);
        Instance instance;
        try {
            instance = factory.apply(imports);
        } catch (RuntimeException e) {
            return instantiationEnded(e, diagnostics);
        } catch (OutOfMemoryError e) {
            // What the module's memories and tables ask at their minimum and the host cannot give
            // (a table of 2^32 - 1 elements): the module cannot run here, which is no internal error.
            diagnostics.println("wasm2jvm: cannot instantiate the module: " + e.getMessage());
            return FAILURE_EXIT_CODE;
        }
        if (!(instance.export("_start") instanceof FuncRef start) || !start.type.equals(":")) {
            diagnostics.println("wasm2jvm: not a WASI command: the module exports no function _start of type [] -> []");
            return FAILURE_EXIT_CODE;
        }
        Memory memory = instance.export("memory") instanceof Memory exported ? exported
                : imports.providedMemories().stream().findFirst().orElse(null);
        if (memory != null) wasi.bind(memory);
        WasiThreads threads = threadsOnImport.threads;
        Throwable failure = threads == null ? runAlone(instance, start) : runWithThreads(instance, start, threads);
        if (failure == null) return 0;
        if (failure instanceof WasiExit exit) return exit.exitCode();
        if (failure instanceof WasmTrap trap) {
            report(trap, instance.getClass(), diagnostics);
            return TRAP_EXIT_CODE;
        }
        // An exception carries no stack trace to say where it was thrown, only its tag.
        if (failure instanceof WasmException e) {
            diagnostics.println("wasm2jvm: " + e.getMessage());
            return TRAP_EXIT_CODE;
        }
        if (failure instanceof RuntimeException e) throw e;
        throw (Error) failure;
    }

    /**
     * The exit code of a program whose instantiation ended with {@code e}: an import that is missing
     * or has the wrong type, {@code proc_exit} in its start function, a trap or an exception it did
     * not catch; anything else is rethrown. Told apart with {@code instanceof}, not a catch clause
     * each, whose classes the verifier would load at the start of every program, though few end so
     * ({@code LinkException}'s, read from the jar, took 0.55 ms of the launching thread's start).
     */
    private int instantiationEnded(RuntimeException e, PrintStream diagnostics) {
        if (e instanceof LinkException) {
            diagnostics.println("wasm2jvm: " + e.getMessage());
            return FAILURE_EXIT_CODE;
        }
        if (e instanceof WasiExit exit) return exit.exitCode();
        if (e instanceof WasmTrap trap) {
            report(trap, classes != null ? classes.linked() : null, diagnostics);
            return TRAP_EXIT_CODE;
        }
        if (e instanceof WasmException) {
            diagnostics.println("wasm2jvm: " + e.getMessage() + " during instantiation");
            return TRAP_EXIT_CODE;
        }
        throw e;
    }

    /**
     * Runs {@code _start} of a program that cannot start threads; returns what ended it, or null
     * when {@code _start} returned.
     */
    private static Throwable runAlone(Instance instance, FuncRef start) {
        try {
            callStart(instance, start);
            return null;
        } catch (Throwable t) {
            return WasmTrap.translate(t);
        }
    }

    /**
     * Runs {@code _start} of a program that may start threads; returns what ended it, in whichever
     * thread, once its other threads have stopped or had their moment to.
     */
    private static Throwable runWithThreads(Instance instance, FuncRef start, WasiThreads threads) {
        try {
            callStart(instance, start);
            threads.terminate(null);
        } catch (Throwable t) {
            // Once another thread has ended the program, this thread's own end is only its echo.
            if (!threads.terminated()) threads.terminate(WasmTrap.translate(t));
        }
        awaitThreads(threads);
        return threads.failure();
    }

    private static void callStart(Instance instance, FuncRef start) throws Throwable {
        // A generated command class calls _start as a method; a handle would spin forms at every start.
        if (instance instanceof WasiCommand command) command.wasiStart();
        else start.call();
    }

    /**
     * The import module {@value #MODULE}: makes the wasi-threads host when a module imports
     * {@code thread-spawn}, at its instantiation, so that a program that cannot start threads loads
     * none of its classes. Called under the imports' lock, by the thread that runs {@code _start}
     * (the threads it spawns find the function among the imports).
     */
    private final class ThreadsOnImport implements Function<String, Object> {
        static final String MODULE = "wasi";
        private final Imports imports;
        /** Null unless the module imports {@code thread-spawn}. */
        WasiThreads threads;

        ThreadsOnImport(Imports imports) {
            this.imports = imports;
        }

        @Override
        public Object apply(String name) {
            if (!name.equals("thread-spawn")) return null;
            if (threads == null) threads = new WasiThreads(imports, factory, maxThreads);
            return imports.get(MODULE, name);
        }
    }

    private void report(WasmTrap trap, Class<?> moduleClass, PrintStream diagnostics) {
        diagnostics.println(TrapReport.describe(trap, moduleClassName));
        if (backtrace) {
            for (String line : TrapReport.backtrace(trap, moduleClassName, moduleClass)) diagnostics.println(line);
        }
    }

    /** Gives the stopped threads a moment to unwind, so that none outlives the program by much. */
    private static void awaitThreads(WasiThreads threads) {
        Thread.interrupted();
        try {
            threads.awaitThreads(THREAD_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Flushes the program's output and closes the files it left open. */
    private static void close(WasiPreview1 wasi) {
        try {
            wasi.close();
        } catch (IOException e) {
            // The program has ended: a file of its own that fails to close concerns nobody any more.
        }
    }

    /**
     * The entry point of a jar compiled by {@code wasm2jvm compile}: runs {@code moduleClass} with the
     * standard streams and {@code args} after the program name, then exits with the program's exit
     * code; with 0, it returns instead when no other thread that is not a daemon is alive, so the
     * JVM ends as after any main method. The program's output is flushed; the files and directories
     * it holds are left to close with the process.
     *
     * <p>The program name, preopened directories and environment are the ones given at compile
     * time, read from the resource {@value CommandSettings#RESOURCE}, changed at run time thus:
     * <ul>
     *   <li>the system property {@code wasm2jvm.dir}, or else the environment variable
     *       {@code WASM2JVM_DIR}, replaces the preopened directories with its comma-separated
     *       {@code HOST[::GUEST]} entries ({@code -Dwasm2jvm.dir=/tmp::/data,.}; empty for none);
     *   <li>each environment variable {@code WASM2JVM_ENV_NAME=value}, and each system property
     *       {@code wasm2jvm.env.NAME=value}, which wins over the variable, sets the guest's
     *       environment variable {@code NAME} to {@code value};
     *   <li>the system property {@code wasm2jvm.maxFds}, or else the environment variable
     *       {@code WASM2JVM_MAX_FDS}, sets the most file descriptors the guest may hold
     *       ({@link WasiOptions.Builder#maxFds});
     *   <li>the system property {@code wasm2jvm.maxMemory}, or else the environment variable
     *       {@code WASM2JVM_MAX_MEMORY}, caps how far the guest's memory may grow, as a size such
     *       as {@code 64m} ({@link CommandSettings#parseSize}, {@link WasiOptions.Builder#maxMemory}).
     * </ul>
     * A trap's report has a wasm backtrace unless the system property {@value #QUIET_TRAPS_PROPERTY}
     * is {@code true}.
     * Relative host directories are resolved against the working directory of the run.
     * An unexpected failure of the host is reported in one line, with its stack trace when the
     * system property {@code wasm2jvm.verbose} is {@code true}, and exits with
     * {@value #FAILURE_EXIT_CODE}.
     */
    public static void main(Class<? extends Instance> moduleClass, String[] args) {
        exit(new ModuleClasses(moduleClass), null, args);
    }

    /**
     * The entry point of a generated class's {@code main}: as {@link #main(Class, String[])}, with
     * {@code defaults} (given at compile time) in place of the jar's resource, changed at run time
     * the same way.
     */
    public static void main(Class<? extends Instance> moduleClass, CommandSettings defaults, String[] args) {
        exit(new ModuleClasses(moduleClass), defaults, args);
    }

    /**
     * The entry point of a compiled jar's launcher: as {@link #main(Class, CommandSettings, String[])}
     * for the module class named {@code moduleClassName} of the class loader of {@code constructor}'s
     * class, with {@code codeClasses} code classes, which this thread loads and links while the
     * program's thread sets up its host. {@code constructor} calls the module class's constructor
     * (the launcher does, with no method handle to find and link at every start).
     *
     * <p>The settings given at compile time are the components of a {@link CommandSettings}:
     * {@code program}, {@code dirs} as host and guest path in turn, {@code env} as name and value
     * in turn, {@code maxFds} and {@code maxMemory}. Values, not the record: a start that no
     * property or variable overrides (nearly all) builds its options from them directly and loads
     * neither {@code CommandSettings} nor {@code Preopen} nor the JDK's {@code Properties} parsing
     * of them: the launching thread's CPU time from the launcher's first call to the program
     * thread's start went from 6.0 to 4.0 ms for Sightglass {@code noop}, from 6.0 to 4.2 for a C
     * hello world (medians of 40 interleaved runs on a loaded machine; {@code benchmarks/README.md},
     * "A start's timeline"), all of it before the program's thread could start.
     */
    public static void main(Function<Imports, Instance> constructor, String moduleClassName, int codeClasses,
                            String program, String[] dirs, String[] env, int maxFds, long maxMemory, String[] args) {
        ModuleClasses classes = new ModuleClasses(constructor.getClass().getClassLoader(), moduleClassName, codeClasses, constructor);
        int exitCode;
        try {
            Map<String, String> properties = systemProperties();
            Map<String, String> variables = environment();
            exitCode = properties.isEmpty() && variables.isEmpty()
                    ? launch(classes, options(program, dirs, env, maxFds, maxMemory, args))
                    : launch(classes, CommandSettings.of(program, dirs, env, maxFds, maxMemory), properties, variables, args);
        } catch (RuntimeException | Error e) {
            exitCode = failed(e);
        }
        ended(exitCode);
    }

    /**
     * Runs the program and exits with its exit code, reporting a failure of the host in one line;
     * without {@code defaults}, the settings are the jar's resource.
     */
    private static void exit(ModuleClasses classes, CommandSettings defaults, String[] args) {
        int exitCode;
        try {
            exitCode = launch(classes, defaults != null ? defaults : CommandSettings.ofJar(classes.moduleClass()),
                    systemProperties(), environment(), args);
        } catch (RuntimeException | Error e) {
            exitCode = failed(e);
        }
        ended(exitCode);
    }

    /** Reports an unexpected failure of the host in one line; the exit code it ends the program with. */
    private static int failed(Throwable e) {
        if (e instanceof ExceptionInInitializerError init && init.getCause() instanceof IllegalStateException damaged) {
            // The module class's data segments or constants are missing or damaged (Constants):
            // the jar was altered or its classes separated from their resources.
            System.err.println("wasm2jvm: " + damaged.getMessage());
        } else {
            System.err.println("wasm2jvm: internal error: " + e + " (run with -Dwasm2jvm.verbose=true for details)");
        }
        if (Boolean.getBoolean("wasm2jvm.verbose")) e.printStackTrace();
        return FAILURE_EXIT_CODE;
    }

    /** Ends {@code main} with {@code exitCode}, once what the host reported is flushed. */
    private static void ended(int exitCode) {
        System.err.flush();
        endMain(exitCode);
    }

    /**
     * Ends a {@code main} method with {@code exitCode}: 0 by returning, as any main method does,
     * unless a live thread other than this one is not a daemon and would keep the JVM running;
     * otherwise with {@link System#exit}, which looks up a logger to report the exit and so costs
     * the end of every program some milliseconds.
     */
    public static void endMain(int exitCode) {
        if (exitCode == 0 && !otherThreadsKeepTheJvm()) return;
        System.exit(exitCode);
    }

    /** Whether a live thread other than this one is not a daemon, so the JVM would wait for it. */
    private static boolean otherThreadsKeepTheJvm() {
        Thread current = Thread.currentThread();
        ThreadGroup root = current.getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] threads;
        int count;
        do {
            threads = new Thread[root.activeCount() * 2 + 16];
            count = root.enumerate(threads, true);
        } while (count == threads.length);
        for (int i = 0; i < count; i++) {
            Thread t = threads[i];
            if (t != current && t.isAlive() && !t.isDaemon()) return true;
        }
        return false;
    }

    /** Runs the program with {@code defaults} changed by the system {@code properties} and the {@code variables}. */
    private static int launch(ModuleClasses classes, CommandSettings defaults, Map<String, String> properties,
                              Map<String, String> variables, String[] args) {
        CommandSettings settings;
        try {
            settings = defaults.overriddenBy(properties, variables);
        } catch (IllegalArgumentException e) {
            System.err.println("wasm2jvm: " + e.getMessage());
            return FAILURE_EXIT_CODE;
        }
        return launch(classes, settings.wasiOptions(List.of(args)));
    }

    /** Runs the program with {@code options} and the process's standard streams. */
    private static int launch(ModuleClasses classes, WasiOptions.Builder options) {
        options.stdin(new FileInputStream(FileDescriptor.in))
                .stdout(new FileOutputStream(FileDescriptor.out))
                .stderr(new FileOutputStream(FileDescriptor.err));
        CommandRunner runner = of(classes).backtrace(!Boolean.getBoolean(QUIET_TRAPS_PROPERTY));
        runner.processEnds = true;
        return runner.run(options.build(), System.err);
    }

    /**
     * The options of settings given as {@link #main(Function, String, int, String, String[], String[], int, long, String[])}
     * takes them, as {@link CommandSettings#wasiOptions} makes them of the record.
     */
    private static WasiOptions.Builder options(String program, String[] dirs, String[] env, int maxFds, long maxMemory,
                                               String[] args) {
        String[] argv = new String[args.length + 1];
        argv[0] = program;
        System.arraycopy(args, 0, argv, 1, args.length);
        WasiOptions.Builder options = WasiOptions.builder().args(argv).maxFds(maxFds).maxMemory(maxMemory);
        for (int i = 0; i < env.length; i += 2) options.env(env[i], env[i + 1]);
        for (int i = 0; i < dirs.length; i += 2) options.preopenDirectory(Path.of(dirs[i]), dirs[i + 1]);
        return options;
    }

    /**
     * The process environment as {@link System#getenv()} gives it where it can change the settings,
     * else an empty map: the JDK's copy of the environment costs every start some 13 classes outside
     * its CDS archive, and most runs have no variable named {@code WASM2JVM_*}. Whether one does is
     * read from {@code /proc/self/environ}, the environment the process started with (which the JVM
     * does not change); without it, the JDK's copy is read.
     */
    private static Map<String, String> environment() {
        byte[] environ;
        try (InputStream in = new FileInputStream("/proc/self/environ")) {
            environ = in.readAllBytes();
        } catch (IOException e) {
            return System.getenv();
        }
        return namesAnOverride(environ) ? System.getenv() : Map.of();
    }

    /** Whether a variable of {@code environ} (entries {@code NAME=value}, each ended by a NUL) is named {@code WASM2JVM_*}. */
    static boolean namesAnOverride(byte[] environ) {
        byte[] prefix = CommandSettings.VARIABLE_PREFIX.getBytes(StandardCharsets.US_ASCII);
        for (int entry = 0; entry < environ.length; ) {
            if (Arrays.equals(environ, entry, Math.min(entry + prefix.length, environ.length), prefix, 0, prefix.length)) return true;
            while (entry < environ.length && environ[entry] != 0) entry++;
            entry++;
        }
        return false;
    }

    /**
     * The system properties that can change the settings: those named {@code wasm2jvm.*}. Read
     * through the keys of the live table: {@code stringPropertyNames()} first copies every property
     * (some sixty) into a map of its own, through an entry set view and its iterator, and wraps its
     * keys, eight classes that the start of a program loads for nothing else.
     */
    private static Map<String, String> systemProperties() {
        Map<String, String> properties = new HashMap<>();
        for (Object key : System.getProperties().keySet()) {
            if (key instanceof String name && name.startsWith("wasm2jvm.")) {
                String value = System.getProperty(name);
                if (value != null) properties.put(name, value);
            }
        }
        return properties;
    }

    /**
     * Ends the process, with a line on stderr, when the JVM runs with a class cache
     * ({@code -XX:AOTCache}, {@code -XX:SharedArchiveFile}) whose classes are not those of the jar
     * {@code launcher} came from. JDK 25 takes a cached class for the one of the same name in a jar
     * that has changed since the cache was made, without a word: a program compiled again to the
     * same path would run as it was when the cache was made. {@code build} names the build of the
     * jar's classes; the launcher keeps it as a constant, cached with it, and the jar as the
     * resource {@link #BUILD_RESOURCE}, read from the file. Without a cache this reads nothing.
     */
    public static void checkClassCache(Class<?> launcher, String build) {
        if (!StartClasses.classCache()) return;
        InputStream in = JarResources.open(launcher, BUILD_RESOURCE);
        if (in == null) return;
        String inJar;
        try (in) {
            inJar = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            inJar = "";
        }
        if (inJar.equals(build)) return;
        System.err.println("wasm2jvm: the JVM's class cache (-XX:AOTCache) was made from another build of "
                + JarResources.jarOf(launcher) + "; make it again (wasm2jvm train) or run without it");
        System.exit(FAILURE_EXIT_CODE);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                // The program is told, through the interrupt, to stop blocking; its outcome is still awaited.
                thread.interrupt();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
