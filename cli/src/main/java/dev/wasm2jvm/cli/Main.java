package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.command.CommandRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The {@code wasm2jvm} command line: {@code run} compiles a WASI command module in memory and runs
 * it; {@code compile} turns it into a runnable jar.
 *
 * <p>Exit codes: the program's own for {@code run}; 1 when the module cannot be read, compiled or
 * linked, or the CLI itself fails; 2 for a mistake on the command line.
 */
@Command(name = "wasm2jvm", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Compile WebAssembly to JVM bytecode.", synopsisSubcommandLabel = "COMMAND")
public final class Main {
    static final int USAGE_EXIT_CODE = 2;
    private static final String PREFIX = "wasm2jvm: ";

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an internal error.")
    boolean verbose;

    private Main() {}

    /** Runs the command line {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(Streams.ofProcess(), args));
    }

    static int execute(Streams streams, String... args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.addSubcommand(new CommandLine(new RunCommand(streams)).setStopAtPositional(true));
        cli.addSubcommand(new CompileCommand(streams));
        cli.setOut(new PrintWriter(streams.outPrinter(), true));
        cli.setErr(new PrintWriter(streams.errPrinter(), true));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command, main.verbose));
        return cli.execute(args);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(PREFIX + e.getMessage());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE_EXIT_CODE;
    }

    private static int failure(Exception e, CommandLine command, boolean verbose) {
        PrintWriter err = command.getErr();
        if (e instanceof UserError) {
            err.println(PREFIX + e.getMessage());
        } else {
            err.println(PREFIX + "internal error: " + e + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) e.printStackTrace(err);
        }
        return CommandRunner.FAILURE_EXIT_CODE;
    }
}
