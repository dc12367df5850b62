package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

/**
 * A compiled module's classes, loaded and linked by the thread that launched the program while the
 * program's own thread sets up its WASI host, which needs none of them. That thread would otherwise
 * do it all in turn: the JVM parses and verifies a class as a whole when it is first used, some
 * 10 ms for each 400 KB class of a Rust program's code, where the launching thread only waits.
 *
 * <p>In order: the module's classes defined from its jar's resource of them, if it has one
 * ({@link StartClasses}); the module class, linked and initialised (its static initializer reads the data
 * segments), which instantiation needs first and which {@link #moduleClass} hands over at once;
 * then the code classes, from the last, since the program's first calls
 * go to the first ones, for as long as the program runs. What fails to load, link or initialise
 * the module class is thrown where the program's thread asks for it, so a damaged jar is reported
 * as it was when that thread initialised the class itself. Linking a code class runs no code of
 * the module: code classes have no static initializer. The FFM API's session class, which the
 * first memory initialised here (two spun lambdas, some 5 ms), is no longer loaded at all: a memory
 * makes no segment unless asked for one ({@link dev.wasm2jvm.runtime.Memory#segment()}).
 *
 * <p>Measured and not kept (idle machine of two cores, whole processes, 40 to 80 interleaved pairs
 * against this): a daemon thread started by the runtime's entry point, before the settings are
 * read, that loads all of the above and the 26 runtime classes of the WASI host and the
 * instantiation besides, while the launching thread reads the settings: {@code noop} 0.97 to 0.98
 * of the wall time and 1.015 to 1.026 of the CPU, the C hello world 0.966 and 1.017, four short
 * Sightglass programs 0.96 to 1.01 of the wall time; started 2 ms earlier still (the settings
 * decoded after it), no better. The settings' thread slowed by about what the head start bought:
 * on two cores it shares them with C1. The figures, run by run: {@code benchmarks/startup/README.md}.
 * The code classes linked from the first rather than the last, so that the program's thread more
 * often finds {@code $Code0} linked: the program's thread spent as long resolving from generated
 * code in regex, longer in rust-html-rewriter, less in tinygo-json (wall-clock samples, load 9); no
 * gain that held across programs ({@code benchmarks/README.md}, "Loading the generated classes").
 *
 * <p>What linking the code classes costs (async-profiler, all threads, loaded machine): verifying
 * them and the runtime's classes 2.7% of the CPU of Sightglass rust-html-rewriter and regex,
 * parsing and defining them 1.5 to 2%; a run enters only part of what it links (rust-html-rewriter
 * 32% of its code classes' bytecode, regex 50%), but the part is spread through the funcidx order
 * that fills the classes, so smaller classes would load nearly all of them again. And every code
 * class linked ahead is one its program calls, in all nine programs of the programs group that have
 * code classes (the SQLite shell's seven with its workload): none is linked for nothing. Figures:
 * the same README.
 *
 * <p>As a function, instantiates the module once its class is linked: through the constructor
 * call a compiled jar's launcher makes, or else through a method handle of the module class's
 * constructor ({@link Construction}).
 */
final class ModuleClasses implements Function<Imports, Instance> {
    private final ClassLoader loader;
    private final String moduleClassName;
    private final int codeClasses;
    /** Calls the module class's constructor. */
    private final Function<Imports, Instance> constructor;
    private Class<? extends Instance> moduleClass;
    private Throwable failure;
    private boolean settled;

    /**
     * The classes of module class {@code moduleClassName} of {@code loader}, which has
     * {@code codeClasses} code classes ({@code moduleClassName$Code0} and on) and whose constructor
     * {@code constructor} calls.
     */
    ModuleClasses(ClassLoader loader, String moduleClassName, int codeClasses, Function<Imports, Instance> constructor) {
        this.loader = loader;
        this.moduleClassName = moduleClassName;
        this.codeClasses = codeClasses;
        this.constructor = constructor;
    }

    /** The classes of a module class already loaded, with no code classes to link ahead. */
    ModuleClasses(Class<? extends Instance> moduleClass) {
        this(moduleClass.getClassLoader(), moduleClass.getName(), 0, new Construction(moduleClass));
        this.moduleClass = moduleClass;
        this.settled = true;
    }

    /**
     * A new instance of the module, once its class is linked; what failed to load, link or
     * initialise the class is thrown, and what the instantiation throws is translated as wasm
     * traps are ({@link WasmTrap#propagate}).
     */
    @Override
    public Instance apply(Imports imports) {
        moduleClass();
        try {
            return constructor.apply(imports);
        } catch (Throwable t) {
            throw WasmTrap.propagate(t);
        }
    }

    String moduleClassName() {
        return moduleClassName;
    }

    /** The module class once linked, waiting for it if need be; throws what failed to load or link it. */
    synchronized Class<? extends Instance> moduleClass() {
        boolean interrupted = false;
        while (!settled) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof Error e) throw e;
        if (failure instanceof RuntimeException e) throw e;
        return moduleClass;
    }

    /** The module class if it is linked by now, else null. */
    synchronized Class<? extends Instance> linked() {
        return moduleClass;
    }

    /** Loads and links the classes (class comment) while {@code program} runs; throws nothing a class can. */
    void load(Thread program) {
        if (!isSettled()) {
            // Only a compiled jar's launcher, the constructor, leaves the module class to settle here.
            // Before it is settled no other thread names a class of the module, so none can be
            // loading one of them from the jar while they are defined here.
            StartClasses.defineModule(constructor.getClass());
            settle();
        }
        if (failure != null) return;
        try {
            // The JDK's file channel, which a program's first file opened through a preopen makes
            // (ChannelFiles): its initialisation loads the JDK's libnet, some 1.7 ms of the program
            // thread's first path_open (Sightglass blake3-scalar, async-profiler), done here instead.
            if (StartClasses.opensFiles()) Class.forName("sun.nio.ch.FileChannelImpl", true, null);
            for (int i = codeClasses - 1; i >= 0 && program.isAlive(); i--) {
                link(Class.forName(moduleClassName + "$Code" + i, false, loader));
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Linking ahead is only a head start: the program's own use of the class reports what is
            // wrong with it, in its own thread.
        }
    }

    private synchronized boolean isSettled() {
        return settled;
    }

    private void settle() {
        Class<? extends Instance> loaded = null;
        Throwable failed = null;
        try {
            loaded = Class.forName(moduleClassName, true, loader).asSubclass(Instance.class);
        } catch (ClassNotFoundException e) {
            failed = new NoClassDefFoundError(moduleClassName + " is not in the program's jar");
            failed.initCause(e);
        } catch (RuntimeException | Error e) {
            failed = e;
        }
        synchronized (this) {
            moduleClass = loaded;
            failure = failed;
            settled = true;
            notifyAll();
        }
    }

    /** Links {@code c}, which verifies it, without initialising it. */
    private static <T> Class<T> link(Class<T> c) {
        c.getDeclaredConstructors();
        return c;
    }

    /**
     * Calls a module's constructor through a method handle of type {@code (Imports)Instance}, found
     * at the first instantiation, where no launcher calls it. Not core reflection, not a lambda:
     * {@code Constructor.newInstance} spins the classes of a handle adapted to its generic signature
     * at its first call, and a lambda its own class, where the forms of this handle's erased type
     * come with the JDK.
     */
    private static final class Construction implements Function<Imports, Instance> {
        private final Class<? extends Instance> moduleClass;
        /** Null until the first instantiation; the threads of a program instantiate it again. */
        private volatile MethodHandle constructor;

        Construction(Class<? extends Instance> moduleClass) {
            this.moduleClass = moduleClass;
        }

        @Override
        public Instance apply(Imports imports) {
            MethodHandle c = constructor;
            if (c == null) constructor = c = find();
            try {
                return (Instance) c.invokeExact(imports);
            } catch (Throwable t) {
                throw WasmTrap.propagate(t);
            }
        }

        private MethodHandle find() {
            // Unlike core reflection, a lookup reaches only modules its own reads: a command compiled
            // into a named module of the application is read from here on.
            ModuleClasses.class.getModule().addReads(moduleClass.getModule());
            try {
                return MethodHandles.lookup().findConstructor(moduleClass, MethodType.methodType(void.class, Imports.class))
                        .asType(MethodType.methodType(Instance.class, Imports.class));
            } catch (IllegalAccessException e) {
                // A command compiled into a named module of the application: the runtime constructs it.
                throw new IllegalStateException("module " + moduleClass.getModule().getName() + " must export package "
                        + moduleClass.getPackageName() + " to " + ModuleClasses.class.getModule().getName()
                        + " for the runtime to run " + moduleClass.getName() + " (exports " + moduleClass.getPackageName()
                        + " to " + ModuleClasses.class.getModule().getName() + ";)", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(moduleClass + " is not a generated module class", e);
            }
        }
    }
}
