package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wasm2jvm run}: compiles the module in memory and runs it as {@link CommandRunner} does. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Compile a WASI command module in memory and run it.",
        footer = {"", "Exit status: the program's own; " + CommandRunner.TRAP_EXIT_CODE + " if it traps; "
                + CommandRunner.FAILURE_EXIT_CODE + " if the module cannot be",
                "read, compiled or linked; " + Main.USAGE_EXIT_CODE + " for a mistake on the command line."})
final class RunCommand implements Callable<Integer> {
    private final Streams streams;

    @Mixin
    WasiOptionsMixin wasi;

    @Mixin
    ProgressMixin progress;

    @Option(names = "--listen", paramLabel = "PORT",
            description = "Give the program a TCP socket listening on 127.0.0.1:PORT (0 picks a free port, printed on stderr),"
                    + " as the descriptor after its directories, for sock_accept. Repeatable.")
    List<Integer> listen = new ArrayList<>();

    @Option(names = "--no-cache", description = "Compile the module even if an earlier run kept its classes, and keep nothing.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Keep compiled modules in DIR (default: $XDG_CACHE_HOME/wasm2jvm, else ~/.cache/wasm2jvm).")
    Path cacheDir;

    @Option(names = "--quiet-traps", description = "Report a trap in one line, without the wasm backtrace.")
    boolean quietTraps;

    @Parameters(index = "0", paramLabel = "MODULE.wasm", description = "The module to run: binary (.wasm) or text (.wat).")
    Path module;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments (after its name, the module's file name).")
    List<String> args = new ArrayList<>();

    RunCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() throws IOException {
        if (noCache) return run(compile(ModuleFile.read(module)));
        Path directory = cacheDirectory();
        ModuleDigests digests = new ModuleDigests(directory);
        ModuleDigests.FileState state = ModuleDigests.state(module);
        byte[] wasm = ModuleFile.read(module);
        byte[] digest = ModuleDigests.sha256(wasm);
        if (state != null) digests.record(state, digest);
        RunCache cache = new RunCache(directory, RunCache.compilerId());
        CachedModule cached = cache.load(digest);
        if (cached != null) return run(new CommandRunner(cached.className(), cached));
        CompiledModule compiled = compile(wasm);
        cache.store(digest, compiled);
        return run(compiled);
    }

    /**
     * Runs the module if an earlier run kept its classes, as {@link #call} would; returns null,
     * having done nothing a user could see, when it has to be compiled (or read as text, or
     * reported as unreadable), which is left to {@link #call}. This is all of {@code run} that a
     * cached module needs: neither picocli nor the compiler, and no hashing of a module file that
     * is as it was when a run last hashed it.
     */
    Integer callIfCached() throws IOException {
        if (noCache) return null;
        Path directory = cacheDirectory();
        ModuleDigests digests = new ModuleDigests(directory);
        ModuleDigests.FileState state = ModuleDigests.state(module);
        byte[] digest = state != null ? digests.recorded(state) : null;
        if (digest == null) {
            // A pipe or a device gives its bytes once: to picocli's path, which may need them.
            if (!Files.isRegularFile(module)) return null;
            byte[] wasm;
            try {
                wasm = Files.readAllBytes(module);
            } catch (IOException e) {
                return null;
            }
            if (!isBinary(wasm)) return null;
            digest = ModuleDigests.sha256(wasm);
            if (state != null) digests.record(state, digest);
        }
        CachedModule cached = new RunCache(directory, RunCache.compilerId()).load(digest);
        return cached == null ? null : run(new CommandRunner(cached.className(), cached));
    }

    /**
     * Whether {@code module} starts as a binary module does, with {@code \0asm}: it is then used as
     * it is, as {@link ModuleFile#read} would use it; a text module is converted by the compiler.
     */
    private static boolean isBinary(byte[] module) {
        return module.length >= 4 && module[0] == 0 && module[1] == 'a' && module[2] == 's' && module[3] == 'm';
    }

    private Path cacheDirectory() {
        return cacheDir != null ? cacheDir : RunCache.defaultDirectory(System.getenv(), System.getProperty("user.home"));
    }

    private CompiledModule compile(byte[] wasm) {
        return ModuleFile.compile(module, wasm, progress.of(streams, module));
    }

    private int run(CompiledModule compiled) throws IOException {
        return run(new CommandRunner(compiled.className(), compiled::instantiate));
    }

    private int run(CommandRunner runner) throws IOException {
        runner.maxThreads(wasi.maxThreads).backtrace(!quietTraps);
        WasiOptions.Builder options = wasi.settings(WasiOptionsMixin.programName(module)).wasiOptions(args)
                .stdin(streams.in()).stdout(streams.out()).stderr(streams.err());
        List<ServerSocketChannel> sockets = new ArrayList<>();
        try {
            for (int port : listen) sockets.add(listen(port, options));
            return runner.run(options.build(), streams.errPrinter());
        } finally {
            for (ServerSocketChannel socket : sockets) socket.close();
        }
    }

    /** Opens a socket listening on loopback only: the program is given a port, never the network. */
    private ServerSocketChannel listen(int port, WasiOptions.Builder options) throws IOException {
        ServerSocketChannel socket = ServerSocketChannel.open();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            socket.close();
            throw new UserError("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        if (port == 0) streams.errPrinter().println("wasm2jvm: listening on " + socket.getLocalAddress());
        options.preopenSocket(socket);
        return socket;
    }
}
