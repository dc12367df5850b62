package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.internal.JarResources;
import jdk.internal.misc.Unsafe;
import jdk.internal.misc.VM;

import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The classes every start of a compiled command loads, defined from two resources of its jar, the
 * runtime's ({@link #RESOURCE}) and the module's ({@link #MODULE_RESOURCE}), before the start needs
 * them, rather than found in the jar one by one as they are first named.
 *
 * <p>The JDK's class path loader finds each class through {@code URLClassPath}, its jar loader and
 * {@code ZipFile} entry lookups, reads it through its own stream and defines it with its package's
 * manifest checks: Java code of the JDK that is cold at a program's start, so it runs interpreted,
 * some 0.3 ms of CPU a class (async-profiler on Sightglass {@code noop}: half of the program
 * thread's class loading in finding and reading the class, half in defining it). A start loads
 * some forty classes of the runtime and the module's. Defined here from the resources that the CLI
 * wrote with the same bytes as the jar's entries, they cost a read of each resource and one native
 * definition a class: paired whole processes against jars that load them the JDK's way ({@code benchmarks/README.md},
 * "The start's classes defined from resources of the jar").
 *
 * <p>Definition does not link: each class is still verified, initialised and resolved when it is
 * first used, exactly as before; a class the run never uses costs its parsing only. A class
 * already loaded (named by one loaded before this ran) keeps the copy it has, which is the same
 * bytes. Nothing is defined where the JVM runs with a class cache ({@code -XX:AOTCache}), whose
 * classes come from the cache, or records one ({@code wasm2jvm train}), since the JDK caches only
 * classes that its class loaders found in the jar ({@link #classArchive}). Nor where {@code jdk.internal.misc}
 * is not exported to the runtime (a compiled jar's manifest exports it), nor where the launcher
 * did not come from a jar file: then the class loader finds every class as it always does.
 *
 * <p>The JVM's options are read here, not by a class of their own, because a start loads this
 * class, {@code JarResources} and what they name through the class path loader before it can
 * define anything: each such class is some 0.3 ms of the launching thread's CPU ahead of the
 * program's thread ({@code benchmarks/README.md}, "The start's last class loads").
 */
public final class StartClasses {
    /** The resource of a compiled jar that holds the runtime's classes of its start. */
    public static final String RESOURCE = "META-INF/wasm2jvm/start-classes";
    /** The resource of a compiled jar that holds its module's classes, or its module class alone. */
    public static final String MODULE_RESOURCE = "META-INF/wasm2jvm/module-classes";

    /**
     * The runtime's classes of a command's start in an order that defines each class's superclass
     * and interfaces before it, as binary names: those of a program that writes to its standard
     * streams and has a memory and a table, and a program's exit. The classes this one loads before
     * it defines any ({@code StartClasses}, {@code JarResources}) are not among them.
     */
    public static final List<String> RUNTIME = List.of(
            "dev.wasm2jvm.runtime.command.CommandRunner",
            "dev.wasm2jvm.runtime.command.ModuleClasses",
            "dev.wasm2jvm.runtime.wasi.WasiOptions",
            "dev.wasm2jvm.runtime.wasi.WasiOptions$Builder",
            "dev.wasm2jvm.runtime.wasi.StdioFiletype",
            "dev.wasm2jvm.runtime.command.CommandRunner$1",
            "dev.wasm2jvm.runtime.wasi.WasiPreview1",
            "dev.wasm2jvm.runtime.internal.WasiCommand",
            "dev.wasm2jvm.runtime.Instance",
            "dev.wasm2jvm.runtime.WasmTrap",
            "dev.wasm2jvm.runtime.internal.Constants",
            "dev.wasm2jvm.runtime.wasi.Descriptor",
            "dev.wasm2jvm.runtime.wasi.InputStreamDescriptor",
            "dev.wasm2jvm.runtime.wasi.OutputStreamDescriptor",
            "dev.wasm2jvm.runtime.wasi.WasiError",
            "dev.wasm2jvm.runtime.wasi.GuestMemory",
            "dev.wasm2jvm.runtime.wasi.FdTable",
            "dev.wasm2jvm.runtime.wasi.Wakeup",
            "dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1",
            "dev.wasm2jvm.runtime.wasi.Preview1Functions",
            "dev.wasm2jvm.runtime.wasi.WasiPreview1$Snapshot",
            "dev.wasm2jvm.runtime.Imports",
            "dev.wasm2jvm.runtime.Termination",
            "dev.wasm2jvm.runtime.command.CommandRunner$ThreadsOnImport",
            "dev.wasm2jvm.runtime.FuncRef",
            "dev.wasm2jvm.runtime.Linking",
            "dev.wasm2jvm.runtime.Memory",
            "dev.wasm2jvm.runtime.Memory$Contents",
            "dev.wasm2jvm.runtime.internal.LazyPages$Block",
            "dev.wasm2jvm.runtime.Table",
            "dev.wasm2jvm.runtime.internal.BulkMemory",
            "dev.wasm2jvm.runtime.internal.MemoryAccess",
            "dev.wasm2jvm.runtime.internal.UncheckedAccess",
            "dev.wasm2jvm.runtime.wasi.FdFunctions",
            "dev.wasm2jvm.runtime.wasi.WasiExit");

    /** The runtime's classes that a start loads besides {@link #RUNTIME} when it is given a preopened directory. */
    public static final List<String> PREOPENS = List.of(
            "dev.wasm2jvm.runtime.wasi.HostFd",
            "dev.wasm2jvm.runtime.wasi.HostFd$Preopens",
            "dev.wasm2jvm.runtime.wasi.DirectoryDescriptor");

    /**
     * The runtime's classes that a start loads besides {@link #PREOPENS} when its module imports
     * {@code path_open}: a program that reads its input through a preopen, as most Sightglass
     * programs do, loads them at its first open (with {@code Calls}, which the end of the preopens'
     * enumeration, an {@code EBADF}, loads in any program given a directory), and {@code JdkStat} at
     * its first {@code fd_filestat_get} of such a file (a Rust program's {@code fs::read}).
     */
    public static final List<String> FILES = List.of(
            "dev.wasm2jvm.runtime.wasi.Calls",
            "dev.wasm2jvm.runtime.wasi.PathFunctions",
            "dev.wasm2jvm.runtime.wasi.PathResolver",
            "dev.wasm2jvm.runtime.wasi.ChannelFiles",
            "dev.wasm2jvm.runtime.wasi.FileDescriptor",
            "dev.wasm2jvm.runtime.wasi.Filestat",
            "dev.wasm2jvm.runtime.wasi.JdkStat");

    /**
     * The runtime's class that a start loads besides {@link #RUNTIME} where its module imports a
     * WASI function of the process group ({@code Preview1Functions}' groups) other than
     * {@code proc_exit}: {@code args_*}, {@code environ_*}, {@code random_get} and the rest, which a
     * Rust or Go program calls at its start. A C program imports {@code proc_exit} alone where its
     * {@code main} takes no arguments, and calls it only to exit with a status other than 0 (Sightglass
     * {@code noop}, the shootout programs). Each class of this and the groups below was one the program's thread found
     * in the jar through the class path loader, 0.3 to 0.8 ms of it a class ({@code benchmarks/README.md},
     * "A program's status calls and memory proven as it grows").
     */
    public static final List<String> PROCESS = List.of("dev.wasm2jvm.runtime.wasi.ProcessFunctions");

    /** The runtime's class that a start loads where its module imports {@code random_get} (a Rust hash map's seed, libsodium). */
    public static final List<String> RANDOM = List.of("dev.wasm2jvm.runtime.wasi.ProcessFunctions$Urandom");

    /**
     * The runtime's class that a start loads where its module imports a {@code clock_} function (a Go
     * program's runtime; a C program's {@code clock} or {@code time}), which a program may import and
     * never call (the libsodium programs), at the cost of parsing the class.
     */
    public static final List<String> CLOCKS = List.of("dev.wasm2jvm.runtime.wasi.Clocks");

    /**
     * The runtime's classes that a start loads where its module defines an unshared memory of
     * {@link #LAZY_MEMORY_PAGES} pages or more, which {@code Memory} makes of {@code LazyPages}.
     */
    public static final List<String> LAZY_MEMORY = List.of(
            "dev.wasm2jvm.runtime.internal.LazyPages",
            "dev.wasm2jvm.runtime.internal.LazyPages$Free");

    /** The fewest pages of a memory {@code Memory} makes of {@code LazyPages}: its {@code LAZY_BYTES}. */
    public static final long LAZY_MEMORY_PAGES = 8;

    /**
     * The runtime's helper classes that generated code calls (the division and conversion helpers of
     * {@code Numerics}, the compact access helpers of bodies without branches), which a start loads
     * where its module's classes name them.
     */
    public static final List<String> HELPERS = List.of("dev.wasm2jvm.runtime.internal.Numerics",
            "dev.wasm2jvm.runtime.internal.CompactAccess", "dev.wasm2jvm.runtime.internal.CompactUncheckedAccess");

    /**
     * The groups above that a module importing the WASI functions {@code names} (of either WASI
     * module) calls for, in the order of their declaration.
     */
    public static List<String> forImports(Collection<String> names) {
        boolean process = false;
        boolean random = false;
        boolean clocks = false;
        for (String name : names) {
            if (name.startsWith("clock_")) {
                clocks = true;
            } else if (!name.startsWith("fd_") && !name.startsWith("path_") && !name.startsWith("sock_")
                    && !name.equals("poll_oneoff") && !name.equals("proc_exit")) {
                process = true;
                random |= name.equals("random_get");
            }
        }
        List<String> classes = new ArrayList<>();
        if (process) classes.addAll(PROCESS);
        if (random) classes.addAll(RANDOM);
        if (clocks) classes.addAll(CLOCKS);
        return classes;
    }

    /** Whether a start of a module that defines a memory of {@code initialPages}, shared or not, loads {@link #LAZY_MEMORY}. */
    public static boolean lazyMemory(long initialPages, boolean shared) {
        return !shared && initialPages >= LAZY_MEMORY_PAGES;
    }

    /** Whether this start defined {@link #FILES}, which tells {@code ModuleClasses} its program opens files. */
    private static volatile boolean files;

    private StartClasses() {}

    /** Whether the start's resource held {@link #FILES}: its module imports {@code path_open} and has a preopen. */
    static boolean opensFiles() {
        return files;
    }

    /**
     * Defines the classes of the resource {@link #RESOURCE} of the jar that {@code launcher} came
     * from in {@code launcher}'s class loader and protection domain, in their order; does nothing
     * where the class loader is to find them itself (above). A compiled jar's launcher calls it
     * first; the module's classes ({@link #MODULE_RESOURCE}) are defined by the thread that
     * launched the program while the program's thread sets up its host ({@code ModuleClasses}).
     */
    public static void define(Class<?> launcher) {
        defineFrom(launcher, RESOURCE);
    }

    /** Defines the classes of the resource {@link #MODULE_RESOURCE} as {@link #define} does those of its own. */
    static void defineModule(Class<?> launcher) {
        defineFrom(launcher, MODULE_RESOURCE);
    }

    private static void defineFrom(Class<?> launcher, String resource) {
        if (classArchive() || !Object.class.getModule().isExported("jdk.internal.misc", StartClasses.class.getModule())) return;
        byte[] classes = JarResources.read(launcher, resource);
        if (classes != null) defineAll(classes, launcher.getClassLoader(), launcher.getProtectionDomain());
    }

    /**
     * Whether the JVM was started with a cache of application classes ({@code -XX:AOTCache},
     * {@code -XX:SharedArchiveFile}), on its command line or through {@code JAVA_TOOL_OPTIONS} or
     * {@code JDK_JAVA_OPTIONS}; false where {@code jdk.internal.misc} is not exported to the runtime,
     * which cannot tell then. Only the JDK's internal {@code VM} gives the JVM's options without the
     * management API, whose start costs more than a program's.
     */
    static boolean classCache() {
        return anyOption("-XX:AOTCache=", "-XX:SharedArchiveFile=");
    }

    /**
     * Whether the JVM was started with a cache of application classes ({@link #classCache}) or
     * records or writes one ({@code -XX:AOTMode}, {@code -XX:AOTConfiguration},
     * {@code -XX:AOTCacheOutput}, {@code -XX:ArchiveClassesAtExit}, {@code -XX:+AutoCreateSharedArchive},
     * {@code -XX:DumpLoadedClassList}, {@code -Xshare:dump}): the JDK caches only classes its
     * class loaders found on the class path, so such a JVM must load them the usual way.
     */
    static boolean classArchive() {
        return anyOption("-XX:AOTCache=", "-XX:SharedArchiveFile=", "-XX:AOTMode=", "-XX:AOTConfiguration=",
                "-XX:AOTCacheOutput=", "-XX:ArchiveClassesAtExit=", "-XX:+AutoCreateSharedArchive",
                "-XX:DumpLoadedClassList=", "-Xshare:dump");
    }

    /** Whether an option the JVM was started with begins with one of {@code prefixes}. */
    private static boolean anyOption(String... prefixes) {
        if (!Object.class.getModule().isExported("jdk.internal.misc", StartClasses.class.getModule())) return false;
        // Null, not an empty array, when the JVM was given no option at all.
        String[] options = VM.getRuntimeArguments();
        if (options == null) return false;
        for (String option : options) {
            for (String prefix : prefixes) {
                if (option.startsWith(prefix)) return true;
            }
        }
        return false;
    }

    /**
     * The resource's bytes for the classes named {@code names} (binary names), whose class files are
     * {@code classFiles}, as {@link #define} reads it: for each, its name's length (two bytes) and its
     * UTF-8 bytes, then its class file's length (four bytes) and its bytes, all big-endian.
     */
    public static byte[] encode(List<String> names, List<byte[]> classFiles) {
        byte[][] encodedNames = new byte[names.size()][];
        int size = 0;
        for (int i = 0; i < names.size(); i++) {
            encodedNames[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            size += 2 + encodedNames[i].length + 4 + classFiles.get(i).length;
        }
        byte[] out = new byte[size];
        int p = 0;
        for (int i = 0; i < names.size(); i++) {
            byte[] name = encodedNames[i];
            byte[] classFile = classFiles.get(i);
            out[p++] = (byte) (name.length >>> 8);
            out[p++] = (byte) name.length;
            System.arraycopy(name, 0, out, p, name.length);
            p += name.length;
            for (int shift = 24; shift >= 0; shift -= 8) out[p++] = (byte) (classFile.length >>> shift);
            System.arraycopy(classFile, 0, out, p, classFile.length);
            p += classFile.length;
        }
        return out;
    }

    /**
     * Defines the classes of resource bytes {@code classes} in turn, up to the first entry that
     * does not fit in them: a damaged resource leaves the rest to the class loader, which finds
     * them in the jar.
     */
    private static void defineAll(byte[] classes, ClassLoader loader, ProtectionDomain domain) {
        Unsafe unsafe = Unsafe.getUnsafe();
        int p = 0;
        while (classes.length - p >= 2) {
            int nameLength = (classes[p] & 0xFF) << 8 | classes[p + 1] & 0xFF;
            if (classes.length - p - 2 < nameLength + 4) return;
            String name = new String(classes, p + 2, nameLength, StandardCharsets.UTF_8);
            p += 2 + nameLength;
            int length = (classes[p] & 0xFF) << 24 | (classes[p + 1] & 0xFF) << 16 | (classes[p + 2] & 0xFF) << 8 | classes[p + 3] & 0xFF;
            p += 4;
            if (length < 0 || length > classes.length - p) return;
            if (name.equals(FILES.getFirst())) files = true;
            try {
                unsafe.defineClass(name, classes, p, length, loader, domain);
            } catch (LinkageError e) {
                // Loaded already, through a class loaded before (the jar's copy, the same bytes, stays),
                // or not a class: the class loader reports it from the jar, as it would have.
            }
            p += length;
        }
    }
}
