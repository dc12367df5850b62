package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.ValidatedModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.command.CommandSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wasm2jvm compile}: writes a runnable jar with {@link CommandJar}, or with {@code --library} a
 * library jar. A module importing what no WASI host provides cannot run from a jar alone, so it is
 * refused, once validated and before it is compiled, unless a library jar is asked for.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = {"Compile a WASI command module to a self-contained runnable jar:",
                "'java -jar OUT.jar ARGS...' then acts as 'wasm2jvm run MODULE.wasm ARGS...'.",
                "With --library, compile any module to a jar of its classes and the runtime, for Java code to use."},
        footer = {"", "The --dir, --env, --max-fds and --max-memory given here are the jar's defaults.",
                "When it runs, -Dwasm2jvm.dir=HOST[::GUEST],... (or WASM2JVM_DIR) replaces the",
                "directories, -Dwasm2jvm.env.NAME=VALUE (or WASM2JVM_ENV_NAME=VALUE) sets a variable,",
                "-Dwasm2jvm.maxFds=N (or WASM2JVM_MAX_FDS) replaces the descriptor limit and",
                "-Dwasm2jvm.maxMemory=SIZE (or WASM2JVM_MAX_MEMORY) the memory limit, and",
                "-Dwasm2jvm.quietTraps=true reports a trap in one line, without the wasm backtrace."})
final class CompileCommand implements Callable<Integer> {
    private final Streams streams;

    @Mixin
    WasiOptionsMixin wasi;

    @Mixin
    ProgressMixin progress;

    @Parameters(index = "0", paramLabel = "MODULE.wasm", description = "The module to compile: binary (.wasm) or text (.wat).")
    Path module;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.jar", required = true, description = "The jar to write.")
    Path output;

    @Option(names = "--library", description = "Write a library jar (the generated classes and the runtime, no Main-Class),"
            + " for a module whose imports Java code supplies, and beside it OUT-sources.jar, the documented source of"
            + " its API for IDEs.")
    boolean library;

    CompileCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        byte[] wasm = ModuleFile.read(module);
        ValidatedModule validated = ModuleFile.validate(module, wasm);
        try {
            if (library) {
                // From the module the compilation takes, rather than decoded and validated again.
                String source = WasmCompiler.facadeSource(validated, WasmCompiler.DEFAULT_CLASS_NAME);
                CompiledModule compiled = ModuleFile.compile(module, validated, progress.of(streams, module));
                LibraryJar.write(output, compiled);
                LibraryJar.writeSources(output, compiled.className(), source);
                return 0;
            }
            // Before compiling: a large module takes seconds to compile, and the jar would be refused anyway.
            List<String> missing = ModuleFile.nonWasiImports(validated);
            if (!missing.isEmpty()) {
                throw new UserError(module + ": imports " + String.join(", ", missing) + ", which no WASI host provides:"
                        + " a runnable jar cannot supply them; compile with --library and supply them from Java"
                        + " (the generated class's Imports interface, or dev.wasm2jvm.runtime.Imports)");
            }
            CompiledModule compiled = ModuleFile.compile(module, validated, progress.of(streams, module));
            CommandSettings settings = wasi.settings(WasiOptionsMixin.programName(module));
            CommandJar.write(output, compiled, settings,
                    ModuleFile.startClasses(validated, compiled, !settings.dirs().isEmpty()));
        } catch (IOException e) {
            throw new UserError(output + ": cannot write: " + e.getMessage());
        }
        return 0;
    }
}
