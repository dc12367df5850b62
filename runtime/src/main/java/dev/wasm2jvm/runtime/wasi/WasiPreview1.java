package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Memory;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A WASI preview 1 host: the 46 functions of {@code wasi_snapshot_preview1} for one guest, over
 * the arguments, environment, preopens and streams of its {@link WasiOptions}.
 *
 * <p>Use: {@link #addTo} the imports before instantiating, {@link #bind} the guest's memory, call
 * the guest's entry point and catch {@link WasiExit}. Every function may be called from many guest
 * threads at once. Failures reach the guest as errnos; a bad guest pointer is {@code EFAULT}.
 * A thread interrupted while blocked in {@code fd_read}, {@code sock_accept}, {@code sock_recv} or
 * {@code poll_oneoff} stops with the {@link dev.wasm2jvm.runtime.WasmTrap} {@code "interrupted"},
 * its interrupt status set.
 */
public final class WasiPreview1 implements AutoCloseable {
    /** The import module name. */
    public static final String MODULE = "wasi_snapshot_preview1";

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

    private final GuestMemory memory = new GuestMemory();
    private final FdTable fds = new FdTable();
    /** The objects whose methods implement the functions, each named as the function it is. */
    private final List<Object> implementations;

    /**
     * Sets up the descriptors: 0, 1 and 2 are the standard streams, then come the preopened
     * directories and then the preopened sockets, in the order they were added.
     *
     * @throws IOException if a preopened directory cannot be opened or a socket configured
     */
    public WasiPreview1(WasiOptions options) throws IOException {
        Wakeup wakeup = new Wakeup();
        fds.add(new InputStreamDescriptor(new InputPump(options.stdin, wakeup)));
        fds.add(new OutputStreamDescriptor(options.stdout));
        fds.add(new OutputStreamDescriptor(options.stderr));
        for (Map.Entry<String, Path> preopen : options.preopenedDirectories.entrySet()) {
            Path host = preopen.getValue().toRealPath();
            if (!Files.isDirectory(host)) throw new IOException("not a directory: " + preopen.getValue());
            fds.add(new DirectoryDescriptor(host, preopen.getKey(), Rights.DIRECTORY, Rights.DIRECTORY_INHERITING, 0));
        }
        for (ServerSocketChannel socket : options.preopenedSockets) fds.add(new ListenerDescriptor(socket));

        List<String> environ = new ArrayList<>();
        options.env.forEach((name, value) -> environ.add(name + "=" + value));
        Clocks clocks = new Clocks(memory);
        implementations = List.of(
                new ProcessFunctions(memory, options.args, environ, this::flush),
                clocks,
                new FdFunctions(memory, fds),
                new PathFunctions(memory, fds, new PathResolver()),
                new Poll(memory, fds, clocks, wakeup),
                new SocketFunctions(memory, fds));
    }

    /**
     * Registers every function under {@link #MODULE}, each a {@link FuncRef} whose handle calls its
     * Java method directly.
     */
    public void addTo(Imports imports) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Object implementation : implementations) {
            for (Method method : implementation.getClass().getDeclaredMethods()) {
                String signature = SIGNATURES.get(method.getName());
                if (signature == null) continue;
                MethodHandle handle;
                try {
                    handle = lookup.unreflect(method).bindTo(implementation);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                imports.add(MODULE, method.getName(), new FuncRef(signature, handle));
            }
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
                } catch (IOException e) {
                    // The guest is ending; output that cannot be flushed is lost as it would be on exit.
                }
            }
        }
    }

    /**
     * Closes every descriptor the guest still has open. The standard streams are flushed but left
     * open, since they belong to the embedder; so are preopened sockets' channels closed.
     */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (int fd = 0; fd < fds.all().length; fd++) {
            if (fds.all()[fd] == null) continue;
            try {
                fds.remove(fd).close();
            } catch (IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
