package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.command.CommandRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.OptionalInt;

/**
 * The {@code wasm2jvm} command line: {@code run} compiles a WASI command module in memory and runs
 * it; {@code compile} turns it into a runnable jar; {@code train} makes the JDK's ahead-of-time cache
 * for such a jar.
 *
 * <p>Exit codes: the program's own for {@code run}; 1 when the module cannot be read, compiled or
 * linked, or the CLI itself fails; 2 for a mistake on the command line.
 */
@Command(name = "wasm2jvm", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Compile WebAssembly to JVM bytecode.", synopsisSubcommandLabel = "COMMAND")
public final class Main {
    static final int USAGE_EXIT_CODE = 2;
    private static final String PREFIX = "wasm2jvm: ";

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an internal error.")
    boolean verbose;

    private Main() {}

    /** Runs the command line {@code args} and ends with its exit code, as a compiled jar ends. */
    public static void main(String[] args) {
        CommandRunner.endMain(execute(Streams.ofProcess(), args));
    }

    /**
     * Runs the command line {@code args}: a {@code run} of a module that an earlier run compiled
     * directly ({@link CachedRun}), anything else through picocli. A module too large to read or
     * compile in the JVM's heap is reported in one line, where picocli, which handles exceptions
     * alone, would let the {@code OutOfMemoryError} end the JVM with its stack trace.
     */
    static int execute(Streams streams, String... args) {
        try {
            OptionalInt cached = CachedRun.run(streams, args);
            return cached.isPresent() ? cached.getAsInt() : executeWithPicocli(streams, args);
        } catch (OutOfMemoryError e) {
            streams.errPrinter().println(PREFIX + "out of memory: " + e.getMessage()
                    + " (java -Xmx gives the JVM a larger heap)");
            return CommandRunner.FAILURE_EXIT_CODE;
        }
    }

    /** Runs the command line {@code args} through picocli, whatever it is. */
    static int executeWithPicocli(Streams streams, String... args) {
        CommandLine cli = commandLine(streams);
        Main main = cli.getCommand();
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command.getErr(), main.verbose));
        return cli.execute(args);
    }

    /** The command line {@code wasm2jvm}, whose commands use {@code streams}. */
    static CommandLine commandLine(Streams streams) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand(new CommandLine(new RunCommand(streams)).setStopAtPositional(true));
        cli.addSubcommand(new CompileCommand(streams));
        cli.addSubcommand(new CommandLine(new TrainCommand(streams)).setStopAtPositional(true));
        cli.setOut(new PrintWriter(streams.outPrinter(), true));
        cli.setErr(new PrintWriter(streams.errPrinter(), true));
        return cli;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(PREFIX + e.getMessage());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE_EXIT_CODE;
    }

    /** Reports {@code e}, thrown by a command, on {@code err} and returns the exit code for it. */
    static int failure(Exception e, PrintWriter err, boolean verbose) {
        if (e instanceof UserError) {
            err.println(PREFIX + e.getMessage());
        } else {
            err.println(PREFIX + "internal error: " + e + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) e.printStackTrace(err);
        }
        return CommandRunner.FAILURE_EXIT_CODE;
    }
}
