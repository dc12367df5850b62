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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wasm2jvm run}: compiles the module in memory and runs it as {@link CommandRunner} does. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
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
        CompiledModule compiled = compile();
        CommandRunner runner = new CommandRunner(compiled.className(), compiled::instantiate).maxThreads(wasi.maxThreads)
                .backtrace(!quietTraps);
        WasiOptions.Builder options = wasi.settings(ModuleFile.programName(module)).wasiOptions(args)
                .stdin(streams.in()).stdout(streams.out()).stderr(streams.err());
        List<ServerSocketChannel> sockets = new ArrayList<>();
        try {
            for (int port : listen) sockets.add(listen(port, options));
            return runner.run(options.build(), streams.errPrinter());
        } finally {
            for (ServerSocketChannel socket : sockets) socket.close();
        }
    }

    /**
     * The module's classes: those an earlier run kept in the cache, else compiled now and kept
     * for the next run, unless the cache is turned off.
     */
    private CompiledModule compile() {
        byte[] wasm = ModuleFile.read(module);
        if (noCache) return ModuleFile.compile(module, wasm, progress.of(streams, module));
        RunCache cache = new RunCache(cacheDir != null ? cacheDir
                : RunCache.defaultDirectory(System.getenv(), System.getProperty("user.home")), RunCache.compilerId());
        CompiledModule cached = cache.load(wasm);
        if (cached != null) return cached;
        CompiledModule compiled = ModuleFile.compile(module, wasm, progress.of(streams, module));
        cache.store(wasm, compiled);
        return compiled;
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
