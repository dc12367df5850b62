package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.Preopen;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options that set up the guest's WASI environment, shared by {@code run} and {@code compile}. */
final class WasiOptionsMixin {
    @Option(names = "--dir", paramLabel = "HOST[::GUEST]", converter = PreopenConverter.class,
            description = "Give the program the host directory HOST, under the name GUEST (default: HOST as written). Repeatable.")
    List<Preopen> dirs = new ArrayList<>();

    @Option(names = "--env", paramLabel = "NAME=VALUE", converter = EnvConverter.class,
            description = "Set the program's environment variable NAME. Repeatable.")
    List<Map.Entry<String, String>> env = new ArrayList<>();

    @Option(names = "--max-threads", paramLabel = "N",
            description = "Let a wasi-threads program run at most N threads besides its main one (default: ${DEFAULT-VALUE}).")
    int maxThreads = dev.wasm2jvm.runtime.threads.WasiThreads.DEFAULT_MAX_THREADS;

    @Option(names = "--max-fds", paramLabel = "N", converter = LimitConverter.class,
            description = "Let the program hold at most N file descriptors, its standard streams and directories included;"
                    + " past it, opening fails with EMFILE (default: ${DEFAULT-VALUE}).")
    int maxFds = WasiOptions.DEFAULT_MAX_FDS;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Let each of the program's memories grow to at most SIZE bytes (whole 64 KiB pages),"
                    + " written as -Xmx takes it: 65536, 64m, 2g; past it, memory.grow fails (default: the module's own maximum).")
    long maxMemory = -1;

    /** The program name the module at {@code path} runs under: its file name, as a shell would pass it. */
    static String programName(Path path) {
        return path.getFileName().toString();
    }

    CommandSettings settings(String program) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env) variables.put(e.getKey(), e.getValue());
        return new CommandSettings(program, dirs, variables, maxFds, maxMemory);
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return CommandSettings.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LimitConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // Reported below, as any other value that is no limit.
            }
            throw new TypeConversionException("invalid limit \"" + value + "\": expected a positive number");
        }
    }

    static final class PreopenConverter implements ITypeConverter<Preopen> {
        @Override
        public Preopen convert(String value) {
            try {
                return Preopen.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class EnvConverter implements ITypeConverter<Map.Entry<String, String>> {
        @Override
        public Map.Entry<String, String> convert(String value) {
            int eq = value.indexOf('=');
            if (eq <= 0) throw new TypeConversionException("invalid variable \"" + value + "\": expected NAME=VALUE");
            return Map.entry(value.substring(0, eq), value.substring(eq + 1));
        }
    }
}
