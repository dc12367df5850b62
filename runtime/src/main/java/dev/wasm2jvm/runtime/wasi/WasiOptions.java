package dev.wasm2jvm.runtime.wasi;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link WasiPreview1} gives its guest: arguments, environment, preopened directories and
 * sockets, and standard streams. Built with {@link #builder()}; by default there are no arguments,
 * no environment, no preopens, and the streams are the process's own.
 *
 * <p>The guest sees a standard stream as a character device, and so as a terminal to
 * {@code isatty}, only when it is the process's own descriptor 0, 1 or 2 and that descriptor is a
 * terminal; it sees any other stream as of unknown type, as wasmtime shows a pipe or a file. The
 * process's own descriptors are the default streams ({@code System.in}, {@code System.out},
 * {@code System.err} when the builder was made), and a {@link java.io.FileInputStream} or
 * {@link java.io.FileOutputStream} on {@link java.io.FileDescriptor#in}, {@code out} or {@code err}.
 */
public final class WasiOptions {
    /** The default of {@link Builder#maxFds}: more than common programs hold, few enough to bound a guest. */
    public static final int DEFAULT_MAX_FDS = 4096;

    final List<String> args;
    /** The environment as the guest reads it, each variable {@code NAME=value}, in the order given. */
    final List<String> environ;
    /**
     * The preopened directories' guest names and host directories, in the order the guest sees
     * them (fd 3 upwards). Lists, not a map's views, which are classes outside the JDK's CDS archive.
     */
    final List<String> preopenNames;
    final List<Path> preopenPaths;
    final List<ServerSocketChannel> preopenedSockets;
    final InputStream stdin;
    final OutputStream stdout;
    final OutputStream stderr;
    /** The process's descriptor behind each stream, or {@link StdioFiletype#NOT_PROCESS}. */
    final int stdinFd;
    final int stdoutFd;
    final int stderrFd;
    final int maxFds;
    private final long maxMemory;
    private final long maxTableElements;

    private WasiOptions(Builder b) {
        this.args = List.copyOf(b.args);
        List<String> environ = new ArrayList<>(b.env.size());
        for (Map.Entry<String, String> e : b.env.entrySet()) environ.add(e.getKey() + "=" + e.getValue());
        this.environ = List.copyOf(environ);
        List<String> names = new ArrayList<>(b.preopenedDirectories.size());
        List<Path> paths = new ArrayList<>(b.preopenedDirectories.size());
        for (Map.Entry<String, Path> e : b.preopenedDirectories.entrySet()) {
            names.add(e.getKey());
            paths.add(e.getValue());
        }
        this.preopenNames = List.copyOf(names);
        this.preopenPaths = List.copyOf(paths);
        this.preopenedSockets = List.copyOf(b.preopenedSockets);
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.stdinFd = b.stdinFd;
        this.stdoutFd = b.stdoutFd;
        this.stderrFd = b.stderrFd;
        this.maxFds = b.maxFds;
        this.maxMemory = b.maxMemory;
        this.maxTableElements = b.maxTableElements;
    }

    /**
     * The most bytes each of the program's memories may have, or -1 for no limit but the module's
     * own: see {@link Builder#maxMemory}.
     */
    public long maxMemory() {
        return maxMemory;
    }

    /**
     * The most elements each table the program defines may have, or -1 for no limit but the
     * module's own: see {@link Builder#maxTableElements}.
     */
    public long maxTableElements() {
        return maxTableElements;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WasiOptions}. Each setter replaces the previous value; the adders accumulate. */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, Path> preopenedDirectories = new LinkedHashMap<>();
        private final List<ServerSocketChannel> preopenedSockets = new ArrayList<>();
        private InputStream stdin = System.in;
        private OutputStream stdout = System.out;
        private OutputStream stderr = System.err;
        private int stdinFd = 0;
        private int stdoutFd = 1;
        private int stderrFd = 2;
        private int maxFds = DEFAULT_MAX_FDS;
        private long maxMemory = -1;
        private long maxTableElements = -1;

        private Builder() {}

        /** The program's arguments, the program name ({@code argv[0]}) first. */
        public Builder args(List<String> args) {
            this.args.clear();
            this.args.addAll(args);
            return this;
        }

        /** As {@link #args(List)}. */
        public Builder args(String... args) {
            return args(List.of(args));
        }

        /** The environment; the guest sees {@code name=value} strings. */
        public Builder env(Map<String, String> env) {
            this.env.clear();
            this.env.putAll(env);
            return this;
        }

        /** Adds one variable to the environment. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /**
         * Gives the guest the host directory {@code hostPath} under the name {@code guestPath}. The
         * guest reaches nothing outside it, and never learns the host path.
         */
        public Builder preopenDirectory(Path hostPath, String guestPath) {
            preopenedDirectories.put(Objects.requireNonNull(guestPath), Objects.requireNonNull(hostPath));
            return this;
        }

        /**
         * Gives the guest a listening socket, numbered after the preopened directories, for
         * {@code sock_accept}. The socket is put into non-blocking mode.
         */
        public Builder preopenSocket(ServerSocketChannel socket) {
            preopenedSockets.add(Objects.requireNonNull(socket));
            return this;
        }

        /**
         * Standard input. A daemon thread reads it when the guest waits for input, so that the
         * wait can be interrupted and polled.
         */
        public Builder stdin(InputStream in) {
            this.stdin = Objects.requireNonNull(in);
            this.stdinFd = StdioFiletype.processFd(in);
            return this;
        }

        /** As {@link #stdin(InputStream)}. */
        public Builder stdin(ReadableByteChannel in) {
            return stdin(Channels.newInputStream(in));
        }

        /** Standard output; flushed after every write. */
        public Builder stdout(OutputStream out) {
            this.stdout = Objects.requireNonNull(out);
            this.stdoutFd = StdioFiletype.processFd(out);
            return this;
        }

        /** As {@link #stdout(OutputStream)}. */
        public Builder stdout(WritableByteChannel out) {
            return stdout(Channels.newOutputStream(out));
        }

        /** Standard error; flushed after every write. */
        public Builder stderr(OutputStream err) {
            this.stderr = Objects.requireNonNull(err);
            this.stderrFd = StdioFiletype.processFd(err);
            return this;
        }

        /** As {@link #stderr(OutputStream)}. */
        public Builder stderr(WritableByteChannel err) {
            return stderr(Channels.newOutputStream(err));
        }

        /**
         * The most file descriptors the guest may hold at once (default {@value WasiOptions#DEFAULT_MAX_FDS}),
         * counting the standard streams and the preopens, which it always gets: past it, opening a
         * file or accepting a connection fails with {@code EMFILE}, as past a process's
         * {@code RLIMIT_NOFILE}. Each open file or directory holds one host descriptor, so a guest
         * at its limit holds about that many of the process's; should the process run out first,
         * the guest gets {@code EMFILE} all the same.
         *
         * @throws IllegalArgumentException if {@code maxFds} is not positive
         */
        public Builder maxFds(int maxFds) {
            if (maxFds < 1) throw new IllegalArgumentException("the descriptor limit must be positive, not " + maxFds);
            this.maxFds = maxFds;
            return this;
        }

        /**
         * The most bytes each of the program's memories may have, rounded down to whole 64 KiB pages
         * (default -1: no limit but the module's own maximum). {@code CommandRunner} instantiates
         * the program with {@code Imports.maxMemory(maxMemory)}: past it {@code memory.grow} returns
         * -1, and a program whose memory needs more from the start does not link. Whoever
         * instantiates a module with a {@code WasiPreview1} of their own sets it on their
         * {@code Imports}.
         *
         * @throws IllegalArgumentException if {@code maxMemory} is negative but not -1
         */
        public Builder maxMemory(long maxMemory) {
            if (maxMemory < -1) throw new IllegalArgumentException("the memory limit must be at least 0 bytes, not " + maxMemory);
            this.maxMemory = maxMemory;
            return this;
        }

        /**
         * The most elements each table the program defines may have (default -1: no limit but the
         * module's own maximum). {@code CommandRunner} instantiates the program with
         * {@code Imports.maxTableElements(maxTableElements)}: past it {@code table.grow} returns -1,
         * and a program whose table needs more from the start does not link.
         *
         * @throws IllegalArgumentException if {@code maxTableElements} is negative but not -1
         */
        public Builder maxTableElements(long maxTableElements) {
            if (maxTableElements < -1) {
                throw new IllegalArgumentException("the table limit must be at least 0 elements, not " + maxTableElements);
            }
            this.maxTableElements = maxTableElements;
            return this;
        }

        /** The options as set so far; the builder can go on being used. */
        public WasiOptions build() {
            return new WasiOptions(this);
        }
    }
}
