package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.runtime.command.CommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

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

    @Parameters(index = "0", paramLabel = "MODULE.wasm", description = "The module to run.")
    Path module;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments (after its name, the module's file name).")
    List<String> args = new ArrayList<>();

    RunCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        CompiledModule compiled = ModuleFile.compile(module);
        CommandRunner runner = new CommandRunner(compiled.className(), compiled::instantiate).maxThreads(wasi.maxThreads);
        return runner.run(wasi.settings(ModuleFile.programName(module)).wasiOptions(args)
                .stdin(streams.in()).stdout(streams.out()).stderr(streams.err()).build(), streams.errPrinter());
    }
}
