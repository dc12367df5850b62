package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.internal.Syscall;
import dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1;
import dev.wasm2jvm.runtime.internal.WasiUnstable;
import java.io.IOException;
import java.net.URL;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A WASI preview 1 host: the 46 functions of {@code wasi_snapshot_preview1} for one guest, over
 * the arguments, environment, preopens and streams of its {@link WasiOptions}, and the 45 of WASI
 * snapshot 0, {@code wasi_unstable}, which older toolchains target: the same functions with
 * snapshot 0's layouts and values, on the same descriptors. A module may import from both.
 *
 * <pre>{@code
 * try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder()
 *         .args("prog", "input.txt").preopenDirectory(Path.of("data"), ".").build())) {
 *     Imports imports = new Imports();
 *     wasi.addTo(imports);
 *     Instance instance = compiled.instantiate(imports);
 *     wasi.bind(instance.memory("memory"));
 *     try {
 *         instance.function("_start").call();
 *     } catch (WasiExit exit) {
 *         status = exit.exitCode();
 *     }
 * }
 * }</pre>
 *
 * <p>Every function may be called from many guest threads at once; one {@code fd_write}'s bytes
 * are written as one unit. Failures reach the guest as errnos; a bad guest pointer is
 * {@code EFAULT}, a descriptor past {@link WasiOptions.Builder#maxFds} {@code EMFILE}. A thread
 * interrupted while blocked in {@code fd_read}, {@code sock_accept}, {@code sock_recv} or
 * {@code poll_oneoff} stops with the {@link dev.wasm2jvm.runtime.WasmTrap} {@code "interrupted"}, its
 * interrupt status set. An {@link Error} of the JVM in a function, such as running out of memory, is
 * a {@code WasmTrap} naming the function. No call needs host memory in proportion to the bytes it
 * moves.
 *
 * <p>Files are reached through preopened directories only. A directory descriptor holds its host
 * directory open, and a path is resolved beneath it by the kernel ({@code openat2} with
 * {@code RESOLVE_BENEATH}) or component by component, never as a host path string; so it never
 * leaves that directory, whatever the guest or another process changes meanwhile: {@code ..}
 * above it, absolute paths and symbolic links leading out fail with {@code EPERM}, and the guest
 * never sees a host path. Preopened directories need Linux on x86_64. Rights
 * are enforced as WASI defines them: a descriptor has the rights asked for when it was opened, as
 * far as its directory could pass them on.
 */
public final class WasiPreview1 implements AutoCloseable {
    /** The import module name. */
    public static final String MODULE = "wasi_snapshot_preview1";
    /** The import module name of WASI snapshot 0. */
    public static final String SNAPSHOT_0_MODULE = "wasi_unstable";

    /** Every function with its signature, as {@link FuncRef} spells them. */
    private static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("args_get", "ii:i"),
            Map.entry("args_sizes_get", "ii:i"),
            Map.entry("environ_get", "ii:i"),
            Map.entry("environ_sizes_get", "ii:i"),
            Map.entry("clock_res_get", "ii:i"),
            Map.entry("clock_time_get", "ili:i"),
            Map.entry("fd_advise", "illi:i"),
            Map.entry("fd_allocate", "ill:i"),
            Map.entry("fd_close", "i:i"),
            Map.entry("fd_datasync", "i:i"),
            Map.entry("fd_fdstat_get", "ii:i"),
            Map.entry("fd_fdstat_set_flags", "ii:i"),
            Map.entry("fd_fdstat_set_rights", "ill:i"),
            Map.entry("fd_filestat_get", "ii:i"),
            Map.entry("fd_filestat_set_size", "il:i"),
            Map.entry("fd_filestat_set_times", "illi:i"),
            Map.entry("fd_pread", "iiili:i"),
            Map.entry("fd_prestat_get", "ii:i"),
            Map.entry("fd_prestat_dir_name", "iii:i"),
            Map.entry("fd_pwrite", "iiili:i"),
            Map.entry("fd_read", "iiii:i"),
            Map.entry("fd_readdir", "iiili:i"),
            Map.entry("fd_renumber", "ii:i"),
            Map.entry("fd_seek", "ilii:i"),
            Map.entry("fd_sync", "i:i"),
            Map.entry("fd_tell", "ii:i"),
            Map.entry("fd_write", "iiii:i"),
            Map.entry("path_create_directory", "iii:i"),
            Map.entry("path_filestat_get", "iiiii:i"),
            Map.entry("path_filestat_set_times", "iiiilli:i"),
            Map.entry("path_link", "iiiiiii:i"),
            Map.entry("path_open", "iiiiillii:i"),
            Map.entry("path_readlink", "iiiiii:i"),
            Map.entry("path_remove_directory", "iii:i"),
            Map.entry("path_rename", "iiiiii:i"),
            Map.entry("path_symlink", "iiiii:i"),
            Map.entry("path_unlink_file", "iii:i"),
            Map.entry("poll_oneoff", "iiii:i"),
            Map.entry("proc_exit", "i:"),
            Map.entry("proc_raise", "i:i"),
            Map.entry("sched_yield", ":i"),
            Map.entry("random_get", "ii:i"),
            Map.entry("sock_accept", "iii:i"),
            Map.entry("sock_recv", "iiiiii:i"),
            Map.entry("sock_send", "iiiii:i"),
            Map.entry("sock_shutdown", "ii:i"));

    /** The functions of snapshot 0 whose ABI differs from preview 1's (their signatures are the same). */
    private static final Set<String> SNAPSHOT_0_ADAPTED = Set.of(
            "fd_seek", "fd_fdstat_get", "fd_fdstat_set_rights", "fd_filestat_get", "path_filestat_get", "poll_oneoff");

    private final GuestMemory memory = new GuestMemory();
    private final FdTable fds;
    /** Wakes a poll when input comes. */
    private final Wakeup wakeup;
    /** What implements preview 1's functions. */
    private final Preview1Functions preview1;
    /** What adapts the functions of snapshot 0 that differ; null until a module imports one. */
    private Snapshot0Functions snapshot0;
    /** The functions made so far, by name. */
    private final Map<String, FuncRef> functions = new HashMap<>();
    /** The functions of snapshot 0 made so far, by name. */
    private final Map<String, FuncRef> snapshot0Functions = new HashMap<>();
    /** Whether the guest has preopened directories, whose first use links a native call. */
    private final boolean preopens;
    /**
     * Whether the classes that calls need are loaded before the guest runs, not at their first use:
     * the mapping of failures to errnos, and each group of functions when a module imports one of
     * them. Only where loading a class of the runtime takes a host descriptor
     * ({@link #classesTakeDescriptors}): a guest may have used them all up by its first call.
     */
    private final boolean prepareEarly = classesTakeDescriptors();
    /**
     * The functions that act natively on what preopens hold whatever their arguments, unlike
     * path_open and the functions of the files it opens for reading (see ChannelFiles).
     */
    private static final Set<String> NATIVE_ONLY = Set.of("fd_allocate", "fd_filestat_set_size",
            "fd_filestat_set_times", "fd_readdir", "path_create_directory", "path_filestat_get",
            "path_filestat_set_times", "path_link", "path_readlink", "path_remove_directory", "path_rename",
            "path_symlink", "path_unlink_file");

    /**
     * Whether loading a class of the runtime takes a host descriptor: where it comes from a folder
     * of the class path. A jar is open already, the JDK's image mapped, and a class defined from
     * memory reads nothing.
     */
    static boolean classesTakeDescriptors() {
        CodeSource source = WasiPreview1.class.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location != null && location.getProtocol().equals("file") && location.getPath().endsWith("/");
    }

    /**
     * Sets up the descriptors: 0, 1 and 2 are the standard streams, then come the preopened
     * directories and then the preopened sockets, in the order they were added.
     *
     * @throws IOException if a preopened directory cannot be opened or a socket configured
     */
    public WasiPreview1(WasiOptions options) throws IOException {
        this(options, null);
    }

    /**
     * As {@link #WasiPreview1(WasiOptions)}, resolving paths with {@code resolver}, or as the
     * kernel allows ({@code new PathResolver(true)}) if it is null.
     */
    WasiPreview1(WasiOptions options, PathResolver resolver) throws IOException {
        if (prepareEarly) Calls.prepare();
        fds = new FdTable(options.maxFds);
        preopens = !options.preopenPaths.isEmpty();
        wakeup = new Wakeup();
        fds.preopen(new InputStreamDescriptor(options.stdin, wakeup, new StdioFiletype(options.stdinFd)));
        fds.preopen(new OutputStreamDescriptor(options.stdout, new StdioFiletype(options.stdoutFd)));
        fds.preopen(new OutputStreamDescriptor(options.stderr, new StdioFiletype(options.stderrFd)));
        // Made by the classes they belong to, which the verifier of this one then need not load.
        if (preopens) {
            List<HostFd> handles = HostFd.openDirectories(options.preopenPaths);
            for (int i = 0; i < handles.size(); i++) {
                fds.preopen(DirectoryDescriptor.preopened(handles.get(i), options.preopenNames.get(i)));
            }
        }
        for (ServerSocketChannel socket : options.preopenedSockets) fds.preopen(ListenerDescriptor.preopened(socket));

        // Each group of functions is made, and its classes loaded, at the first call of one of them,
        // or, where opening a class file takes a descriptor (a directory of the class path), when a
        // module first imports one of them: at instantiation, before a guest can have used them up.
        preview1 = new Preview1Functions(memory, fds, options.args, options.environ, new Snapshot(false), wakeup, resolver);
    }

    /**
     * The function {@code name} of preview 1, or null if there is none: the method of
     * {@link WasiSnapshotPreview1} so named, which generated code calls directly; its handle is
     * made only if something asks for it ({@link FuncRef#builtin}). Made on first import.
     */
    synchronized FuncRef function(String name) {
        FuncRef function = functions.get(name);
        if (function != null) return function;
        String type = SIGNATURES.get(name);
        if (type == null) return null;
        // A program that can change its preopens' files or read their directories will, nearly
        // always at once: the native call it needs is linked meanwhile, while the module is still
        // being instantiated. One that can only open files may read them through the JDK
        // (ChannelFiles), which links nothing.
        if (preopens && NATIVE_ONLY.contains(name)) Syscall.linkInBackground();
        // Only these take host descriptors: the holder of the native call (which a preopen's first
        // use needs) is loaded while some are left, if loading it takes one.
        if (preopens && (name.equals("path_open") || name.equals("sock_accept")) && prepareEarly) {
            LinuxFs.bind();
        }
        if (prepareEarly) preview1.prepare(name);
        function = FuncRef.builtin(type, WasiSnapshotPreview1.class, preview1, name);
        functions.put(name, function);
        return function;
    }

    /**
     * The function {@code name} of snapshot 0, or null if there is none: the adapter's method so
     * named where the ABIs differ, else preview 1's own. Preview 1 added {@code sock_accept};
     * snapshot 0 has no way to accept a connection.
     */
    synchronized FuncRef snapshot0Function(String name) {
        FuncRef function = snapshot0Functions.get(name);
        if (function != null) return function;
        if (name.equals("sock_accept") || !SIGNATURES.containsKey(name)) return null;
        if (SNAPSHOT_0_ADAPTED.contains(name)) {
            if (snapshot0 == null) {
                snapshot0 = new Snapshot0Functions(new WasiSnapshot0(memory, fds, preview1.resolver(), preview1.clocks(), wakeup));
            }
            function = FuncRef.builtin(SIGNATURES.get(name), WasiUnstable.class, snapshot0, name);
        } else {
            function = function(name);
        }
        snapshot0Functions.put(name, function);
        return function;
    }

    /**
     * Registers the functions under {@link #MODULE} and those of snapshot 0 under
     * {@link #SNAPSHOT_0_MODULE}, each a {@link FuncRef} that generated code calls directly, made
     * when a module first imports it.
     */
    public void addTo(Imports imports) {
        imports.addModule(MODULE, new Snapshot(false));
        imports.addModule(SNAPSHOT_0_MODULE, new Snapshot(true));
    }

    /**
     * The functions of one of the two snapshots, by name, and the flush before proc_exit unwinds:
     * a class, not lambdas, to spin nothing at start, and one class for both, to load one fewer.
     */
    private final class Snapshot implements Function<String, FuncRef>, Runnable {
        private final boolean snapshot0;

        Snapshot(boolean snapshot0) {
            this.snapshot0 = snapshot0;
        }

        @Override
        public FuncRef apply(String name) {
            return snapshot0 ? snapshot0Function(name) : function(name);
        }

        @Override
        public void run() {
            flush();
        }
    }

    /**
     * Gives the functions the guest's memory. Call it after instantiation with the module's
     * exported {@code "memory"}, or before, when the module imports its memory.
     */
    public void bind(Memory memory) {
        this.memory.bind(memory);
    }

    /** Flushes the guest's output streams; proc_exit does this before it unwinds. */
    public void flush() {
        for (Descriptor d : fds.all()) {
            if (d instanceof OutputStreamDescriptor out) {
                try {
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    // The guest is ending; output that cannot be flushed is lost as it would be on exit.
                }
            }
        }
    }

    /**
     * Closes every descriptor the guest still has open, preopened sockets included. The standard
     * streams are flushed but left open, since the embedder may go on using them.
     */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        Descriptor[] open = fds.all();
        for (int fd = 0; fd < open.length; fd++) {
            if (open[fd] == null) continue;
            Descriptor d;
            try {
                d = fds.remove(fd);
            } catch (WasiError e) {
                continue; // A guest thread closed it meanwhile.
            }
            try {
                d.close();
            } catch (IOException | RuntimeException e) {
                // An embedder's stream may fail unchecked; the caller still learns of it as a failure to close.
                IOException f = e instanceof IOException io ? io : new IOException(e);
                if (failure == null) failure = f;
                else failure.addSuppressed(f);
            }
        }
        if (failure != null) throw failure;
    }
}
