package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.Preopen;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code wasm2jvm run} of a module that an earlier run compiled, started the way {@code java -jar}
 * starts a compiled jar: without building picocli's model of the command line (its annotations,
 * read by reflection, take about as long as a small program's whole run) and without loading the
 * compiler.
 *
 * <p>It reads the command line itself, but only one that it understands exactly as picocli does:
 * {@code run} first, then {@code run}'s options each given once (or, for those that repeat, as
 * often as wanted) with a well-formed value, then the module and the program's arguments. Anything
 * else, and any run whose module is not in the cache, is left to picocli and {@link RunCommand}
 * before anything is printed or run: help, a mistake on the command line, an unreadable or text
 * module, a miss, {@code --no-cache}. What it runs, {@link RunCommand#callIfCached}, is the code
 * the picocli path runs for a cached module, with the options set as picocli would set them.
 */
final class CachedRun {
    private CachedRun() {}

    /** A command line read: {@code run} with its options set, and whether {@code --verbose} was given. */
    record Parsed(RunCommand command, boolean verbose) {}

    /**
     * Runs {@code args} if it is a {@code run} of a cached module and returns the exit code; returns
     * nothing, having printed nothing, when it is not.
     */
    static OptionalInt run(Streams streams, String... args) {
        Parsed parsed = parse(streams, args);
        if (parsed == null) return OptionalInt.empty();
        Integer exitCode;
        try {
            exitCode = parsed.command().callIfCached();
        } catch (Exception e) {
            // As picocli reports what a command throws, through the same handler.
            return OptionalInt.of(Main.failure(e, new PrintWriter(streams.errPrinter(), true), parsed.verbose()));
        }
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /**
     * {@code args} read as picocli reads a {@code run} command line, or null when it is not one
     * that this reader takes for certain to mean what picocli makes of it. Among what it leaves to
     * picocli: an argument file ({@code @FILE}, which picocli expands anywhere on the line, the
     * program's arguments included), an option given twice that may be given once, a value that
     * starts with {@code -} or that picocli's converter refuses, an option unknown here (such as
     * {@code --help}), a flag with a value, and picocli's tracing.
     */
    static Parsed parse(Streams streams, String... args) {
        if (args.length < 2 || !args[0].equals("run") || System.getProperty("picocli.trace") != null) return null;
        for (String arg : args) {
            if (arg.startsWith("@")) return null;
        }
        RunCommand command = new RunCommand(streams);
        command.wasi = new WasiOptionsMixin();
        command.progress = new ProgressMixin();
        boolean verbose = false;
        Set<String> given = new HashSet<>();
        int i = 1;
        for (; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-")) break;
            int separator = arg.indexOf('=');
            String name = separator > 0 ? arg.substring(0, separator) : arg;
            if (!repeatable(name) && !given.add(name)) return null;
            boolean flag = true;
            switch (name) {
                case "--progress" -> command.progress.lines = true;
                case "--no-cache" -> command.noCache = true;
                case "--quiet-traps" -> command.quietTraps = true;
                case "--verbose" -> verbose = true;
                default -> flag = false;
            }
            if (flag) {
                if (separator > 0) return null;
                continue;
            }
            String value;
            if (separator > 0) {
                value = arg.substring(separator + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (value.startsWith("-") || !setOption(command, name, value)) return null;
        }
        if (i >= args.length) return null;
        try {
            command.module = Path.of(args[i]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        command.args.addAll(List.of(args).subList(i + 1, args.length));
        return new Parsed(command, verbose);
    }

    /** Whether {@code name} is an option that picocli collects into a list each time it is given. */
    private static boolean repeatable(String name) {
        return name.equals("--dir") || name.equals("--env") || name.equals("--listen");
    }

    /**
     * Sets {@code run}'s option {@code name} to {@code value} as picocli and its converter would;
     * false for an unknown option or a value that the converter would refuse.
     */
    private static boolean setOption(RunCommand command, String name, String value) {
        try {
            switch (name) {
                case "--dir" -> command.wasi.dirs.add(Preopen.parse(value));
                case "--env" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) return false;
                    command.wasi.env.add(Map.entry(value.substring(0, eq), value.substring(eq + 1)));
                }
                case "--max-threads" -> command.wasi.maxThreads = number(value);
                case "--max-fds" -> {
                    int limit = number(value);
                    if (limit < 1) return false;
                    command.wasi.maxFds = limit;
                }
                case "--max-memory" -> command.wasi.maxMemory = CommandSettings.parseSize(value);
                case "--listen" -> command.listen.add(number(value));
                case "--cache-dir" -> command.cacheDir = Path.of(value);
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            // A malformed directory, size, number or path: picocli's message says which.
            return false;
        }
    }

    /**
     * {@code value} as a number of at most nine digits, which {@code Integer.valueOf} (picocli's
     * converter) reads the same; a sign, a larger number or anything else is left to picocli.
     */
    private static int number(String value) {
        if (value.isEmpty() || value.length() > 9) throw new NumberFormatException(value);
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') throw new NumberFormatException(value);
        }
        return Integer.parseInt(value);
    }
}
