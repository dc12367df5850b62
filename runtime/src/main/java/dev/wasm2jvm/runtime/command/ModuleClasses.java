package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.Instance;

import java.lang.foreign.MemorySegment;

/**
 * A compiled module's classes, loaded and linked by the thread that launched the program while the
 * program's own thread sets up its WASI host, which needs none of them. That thread would otherwise
 * do it all in turn: the JVM parses and verifies a class as a whole when it is first used, some
 * 10 ms for each 400 KB class of a Rust program's code, and the first memory initialises the FFM
 * API's session class (two spun lambdas, some 5 ms), where the launching thread only waits.
 *
 * <p>In order: the module class, linked and initialised (its static initializer reads the data
 * segments), which instantiation needs first and which {@link #moduleClass} hands over at once;
 * then the session class; then the code classes, from the last, since the program's first calls
 * go to the first ones, for as long as the program runs. What fails to load, link or initialise
 * the module class is thrown where the program's thread asks for it, so a damaged jar is reported
 * as it was when that thread initialised the class itself. Linking a code class runs no code of
 * the module: code classes have no static initializer.
 */
final class ModuleClasses {
    private final ClassLoader loader;
    private final String moduleClassName;
    private final int codeClasses;
    private Class<? extends Instance> moduleClass;
    private Throwable failure;
    private boolean settled;

    /**
     * The classes of module class {@code moduleClassName} of {@code loader}, which has
     * {@code codeClasses} code classes ({@code moduleClassName$Code0} and on).
     */
    ModuleClasses(ClassLoader loader, String moduleClassName, int codeClasses) {
        this.loader = loader;
        this.moduleClassName = moduleClassName;
        this.codeClasses = codeClasses;
    }

    /** The classes of a module class already loaded, with no code classes to link ahead. */
    ModuleClasses(Class<? extends Instance> moduleClass) {
        this(moduleClass.getClassLoader(), moduleClass.getName(), 0);
        this.moduleClass = moduleClass;
        this.settled = true;
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
        if (!isSettled()) settle();
        if (failure != null) return;
        try {
            // Any segment initialises the session class; this one allocates nothing.
            MemorySegment.NULL.byteSize();
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
}
