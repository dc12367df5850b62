package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompileProgress;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --progress} option of the commands that compile. */
final class ProgressMixin {
    @Option(names = "--progress",
            description = "Print a line on stderr at every tenth of the module's compilation"
                    + " (on a terminal, a long compilation shows its progress anyway).")
    boolean lines;

    CompileProgress of(Streams streams, Path module) {
        return ProgressPrinter.of(streams, WasiOptionsMixin.programName(module), lines);
    }
}
